"""What every forked helper process does first: end with its parent, and leave Ctrl-C to it.

A build forks processes (validation workers, the data files writer). Killed with its parent
(SIGKILL, a CI timeout), an orphan would go on writing and keep the parent's output pipe open,
so `build | cat` would never end; and Ctrl-C, sent to every process of the terminal, would
print a traceback from each. The parent handles Ctrl-C once, and stops its children.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def as_child(parent: int) -> None:
    """In a forked process of `parent`: die when it does, and ignore Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
