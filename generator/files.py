"""Reading a record file as untrusted input, and rewriting one safely.

A record comes from a pull request, and git can store a symbolic link: read blindly, a
"record" could be a link to a secret on the CI machine (whose text an error would quote), to
`/dev/zero`, or a FIFO that blocks forever. So a record is read only if it is a regular file
in its own right (never through a link), and never more than its size limit.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from .problems import Problem

_READ = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
SYMLINK_HINT = (
    "records must be regular files inside the records folder; git can store a symbolic link: "
    "replace it with the file itself"
)

NOT_REGULAR_HINT = "records are plain .yaml files: replace it with one, or remove it"
UNREAD_HINTS = (SYMLINK_HINT, NOT_REGULAR_HINT)  # files that are never read, whatever their name


class Unreadable(Exception):
    """A record that is not read, with the problem that says why."""

    def __init__(self, problem: Problem):
        super().__init__(problem.text())
        self.problem = problem


def not_regular(shown: str, mode: int) -> Problem:
    """The problem of a path that is a link, a folder or a special file where a record belongs."""
    if stat.S_ISLNK(mode):
        return Problem(shown, 1, 1, "the record is a symbolic link and is not read", SYMLINK_HINT)
    what = "a folder" if stat.S_ISDIR(mode) else "a special file (FIFO, device or socket)"
    return Problem(shown, 1, 1, f"the record is {what}, not a regular file", NOT_REGULAR_HINT)


def read_record(path: Path, shown: str, limit: int) -> bytes:
    """The file's bytes, if it is a regular file (not a link) of at most `limit` bytes."""
    try:
        descriptor = os.open(path, _READ)
    except OSError as error:
        if error.errno == errno.ELOOP:  # O_NOFOLLOW met a link
            raise Unreadable(not_regular(shown, stat.S_IFLNK)) from None
        raise Unreadable(_os_problem(shown, error)) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(not_regular(shown, info.st_mode))
        if info.st_size > limit:
            raise Unreadable(too_big(shown, info.st_size, limit))
        return _read_at_most(descriptor, limit, shown)
    except OSError as error:
        raise Unreadable(_os_problem(shown, error)) from None
    finally:
        os.close(descriptor)


def too_big(shown: str, size: int, limit: int) -> Problem:
    return Problem(
        shown,
        1,
        1,
        f"file is {size:,} bytes, over the limit of {limit:,} bytes",
        "split it or shorten the summary",
    )


def _read_at_most(descriptor: int, limit: int, shown: str) -> bytes:
    """Reads until the end or one byte past the limit: a file may grow after fstat."""
    chunks, size = [], 0
    while size <= limit:
        chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise Unreadable(too_big(shown, size, limit))
    return b"".join(chunks)


def _os_problem(shown: str, error: OSError) -> Problem:
    return Problem(
        shown,
        1,
        1,
        f"cannot read the file: {error.strerror}",
        "check that it exists and that you may read it",
    )


def umask() -> int:
    """The process's umask (which only setting it can tell)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class ChangedMeanwhile(Exception):
    """The file changed between reading it and writing its new text."""


def fingerprint(path: Path) -> tuple:
    info = os.lstat(path)
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def replace_text(path: Path, text: str, read_as: tuple | None = None) -> None:
    """Writes `text` over a file, all or nothing: into a temporary file beside it, then renamed
    over it, so a full disk or a killed process leaves the old file whole, and a link there is
    replaced, never written through. With `read_as` (the fingerprint the file had when it was
    read), refuses (ChangedMeanwhile) a file that changed since, and keeps its mode."""
    folder = path.parent
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if read_as is not None:
            os.chmod(temporary, stat.S_IMODE(os.lstat(path).st_mode))
            if fingerprint(path) != read_as:
                raise ChangedMeanwhile(str(path))
        else:
            os.chmod(temporary, 0o666 & ~umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
