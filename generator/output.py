"""Writing the built site's files, tens of thousands per build: with fewer system calls than
pathlib's (no stat, terminal check or seek per file), and each folder made once."""

from __future__ import annotations

import os
from pathlib import Path

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def write_file(target: Path, data: bytes) -> None:
    descriptor = os.open(target, _FLAGS, 0o666)  # the umask applies, as with open()
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)


class Folders:
    """Makes the folders files go in, each once: a thousand files in one folder would
    otherwise ask for it a thousand times."""

    def __init__(self):
        self.made: set[Path] = set()

    def write(self, target: Path, data: bytes) -> None:
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(target.parent)
        write_file(target, data)
