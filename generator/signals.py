"""Ctrl-C and SIGTERM, each handled once and never lost.

The handler raises KeyboardInterrupt where the program happens to be. Raised inside a
callback Python calls for itself (logging's fork handler, a finaliser), it is swallowed and
printed as "Exception ignored in ...": so the signal is also remembered, and `check` raises
it again before anything is published; and the swallowed copy is not printed.
"""

from __future__ import annotations

import signal
import sys

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


def install() -> None:
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    sys.unraisablehook = _unraisable


def check() -> None:
    """Raises the stop a signal asked for, if it was swallowed on its way."""
    if received is not None:
        raise Stopped if received == signal.SIGTERM else KeyboardInterrupt


def exit_code(interrupt: KeyboardInterrupt) -> int:
    return 128 + (signal.SIGTERM if isinstance(interrupt, Stopped) else signal.SIGINT)
