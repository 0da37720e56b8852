"""The output folder: replaced only when it is missing, empty, or a site this tool built.

A build writes into a fresh folder beside the site and swaps it in only when it succeeds, so
a failed, full or killed build leaves the previous site as it was. Every folder a build makes
carries a marker file; only marked folders are ever removed, so no option can make a build
delete the repository (`--site-dir .`), the records or anything else it did not make. A lock
file beside the site serialises builds into the same folder, and the leftovers of a killed
build are removed by the next one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .files import umask

try:
    import fcntl
except ImportError:  # Windows: builds into one folder are not serialised
    fcntl = None

MARKER = ".incident-timeline-site"
MARKER_TEXT = b"Built by incident-timeline (python -m generator build), which may replace this folder.\n"


class Refused(Exception):
    """The output folder may not be replaced; the message says why and what to do."""


def is_marked(folder: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(folder / MARKER).st_mode)
    except OSError:
        return False


def mark(folder: Path) -> None:
    (folder / MARKER).write_bytes(MARKER_TEXT)


def check_replaceable(site_dir: Path, keep: list[Path]) -> None:
    """Refuses (Refused) an output folder that holds or is one of `keep` (the records, the
    configuration, the docs), or that exists and is neither empty nor a site this tool built."""
    site_dir = Path(os.path.abspath(site_dir))
    for path in keep:
        path = Path(os.path.abspath(path))
        if path == site_dir or site_dir in path.parents:
            raise Refused(
                f"{site_dir} {'is' if path == site_dir else 'holds'} {path}, which a build must not replace; "
                "give --site-dir a folder of its own, such as 'site'"
            )
        if path in site_dir.parents:
            raise Refused(f"{site_dir} is inside {path}; give --site-dir a folder outside it, such as 'site'")
    if not os.path.lexists(site_dir):
        return
    if site_dir.is_symlink() or not site_dir.is_dir():
        what = "a symbolic link" if site_dir.is_symlink() else "a file, not a folder"
        raise Refused(f"{site_dir} is {what}; give --site-dir a folder (missing, empty or a built site)")
    if not is_marked(site_dir) and any(os.scandir(site_dir)):
        raise Refused(
            f"{site_dir} is not empty and is not a site this tool built (it has no {MARKER} file), "
            "so it is left alone; give --site-dir a new or empty folder, or remove it yourself"
        )


def fresh_folder(site_dir: Path) -> Path:
    """A new marked folder beside `site_dir`, readable by others as the umask allows (a web
    server running as another user must read the site)."""
    fresh = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))
    os.chmod(fresh, 0o777 & ~umask())
    mark(fresh)
    return fresh


def swap(fresh: Path, site_dir: Path) -> None:
    """Puts the fresh site where the old one was, and removes the old one."""
    old = site_dir.with_name(f".{site_dir.name}.old")
    remove_marked(old)
    if site_dir.exists():
        site_dir.rename(old)
    try:
        fresh.rename(site_dir)
    except BaseException:
        if old.exists() and not site_dir.exists():
            old.rename(site_dir)  # the old site back where it was
        raise
    remove_marked(old)


def remove_marked(folder: Path) -> None:
    """Removes a folder only if it is a real folder that this tool made (it has the marker)."""
    if not folder.is_symlink() and folder.is_dir() and is_marked(folder):
        shutil.rmtree(folder)


def leftovers(site_dir: Path) -> list[Path]:
    """Folders that builds into `site_dir` made and did not remove (a killed build's)."""
    names = (f".{site_dir.name}.building-", f".{site_dir.name}.old")
    found = []
    with contextlib.suppress(OSError), os.scandir(site_dir.parent) as entries:
        found = [Path(entry.path) for entry in entries if entry.name.startswith(names)]
    return sorted(found)


@contextlib.contextmanager
def locked(site_dir: Path) -> Iterator[None]:
    """Holds the lock on builds into `site_dir` (waiting for another build to end), and removes
    the leftovers of earlier builds once it has it."""
    if fcntl is None:
        yield
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(site_dir.with_name(f".{site_dir.name}.lock"), flags, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Another build into {site_dir} is running; waiting for it to end...", file=sys.stderr)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        for folder in leftovers(site_dir):
            remove_marked(folder)
        yield
    finally:
        os.close(descriptor)  # and with it the lock


def describe(error: OSError) -> str:
    """An operating system's error as a sentence: the path, what went wrong, what to do."""
    # a copy names its source first and what it was writing second: the path that failed
    path = getattr(error, "filename2", None) or error.filename
    where = f"{path}: " if path else ""
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        advice = "free some disk space, then run it again"
    elif error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        advice = "choose a folder you may write to, or ask for write access"
    else:
        advice = "check the path, then run it again"
    return f"{where}{error.strerror or error}; {advice}"
