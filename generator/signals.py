"""Ctrl-C and SIGTERM, each handled once and never lost.

The handler raises KeyboardInterrupt where the program happens to be. Raised inside a
callback Python calls for itself (logging's fork handler, a finaliser), it is swallowed and
printed as "Exception ignored in ...": so the signal is also remembered, and `check` raises
it again before anything is published; and the swallowed copy is not printed.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

received: int | None = None  # the signal that asked the process to stop, if one did


class Stopped(KeyboardInterrupt):
    """SIGTERM (a CI timeout, `kill`), handled as Ctrl-C is: clean up, one line, exit."""


def _stop(signum, frame) -> None:
    global received
    received = signum
    raise Stopped if signum == signal.SIGTERM else KeyboardInterrupt


def _unraisable(unraisable) -> None:
    if not issubclass(unraisable.exc_type, KeyboardInterrupt):
        sys.__unraisablehook__(unraisable)


_STOPS = {signal.SIGINT, signal.SIGTERM}
_forking = threading.local()  # the signal mask of the fork under way in this thread
_installed: list = []  # the fork hooks, once registered


def _hold() -> None:
    _forking.mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)


def _release_in_parent() -> None:
    signal.pthread_sigmask(signal.SIG_SETMASK, _forking.mask)


def _release_in_child() -> None:
    """A forked helper leaves Ctrl-C to the build, and SIGTERM ends it at once (the build
    stops its helpers itself), from before anything runs in it: a Ctrl-C landing before its
    first line of our code (children.as_child) printed multiprocessing's traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, _forking.mask)


def install() -> None:
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    sys.unraisablehook = _unraisable
    if not _installed:  # fork hooks cannot be taken back: once per process
        os.register_at_fork(
            before=_hold, after_in_parent=_release_in_parent, after_in_child=_release_in_child
        )
        _installed.append(True)


def check() -> None:
    """Raises the stop a signal asked for, if it was swallowed on its way."""
    if received is not None:
        raise Stopped if received == signal.SIGTERM else KeyboardInterrupt


def exit_code(interrupt: KeyboardInterrupt) -> int:
    return 128 + (signal.SIGTERM if isinstance(interrupt, Stopped) else signal.SIGINT)
