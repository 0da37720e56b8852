"""The records folder: which files are incident records, and a problem for every file that
looks like one but would not be read, so that no incident silently goes missing.

Records are `<year>/<id>.yaml`, regular files in regular folders. A symbolic link (git can
store one), a special file, a name in the wrong case (`X.YAML`), a `.yml` file or a record
outside a year folder is reported, never followed or read. Hidden names (`.git`, an editor's
swap file) are skipped.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .files import SYMLINK_HINT, not_regular
from .problems import WARNING, Problem

REGISTRY_FILES = ("towns.yaml", "groups.yaml")
_paths: dict[str, Path] = {}  # a live preview walks the same files on every edit: each Path made once


def _path(text: str) -> Path:
    path = _paths.get(text)
    if path is None:
        path = _paths[text] = Path(text)
    return path


def display_path(path: Path | str) -> str:
    """The path as a contributor would type it: relative to the current folder when inside it."""
    text, here = str(path), os.getcwd() + os.sep
    return text[len(here) :] if text.startswith(here) else text


def find_incident_files(root: Path) -> tuple[list[Path], list[Problem]]:
    """The record files under `root`, sorted, and the problems of files that are not read."""
    found: list[Path] = []
    problems: list[Problem] = []
    _walk(str(root), (), found, problems)
    return sorted(found, key=str), problems  # the order of Path's own comparison, faster


def _walk(folder: str, relative: tuple[str, ...], found: list[Path], problems: list[Problem]) -> None:
    with os.scandir(folder) as entries:
        listed = sorted(entries, key=lambda entry: entry.name)
    in_year = len(relative) == 1 and relative[0].isdigit()
    for entry in listed:
        name, text = entry.name, os.path.join(folder, entry.name)
        if name.startswith("."):
            continue
        if entry.is_symlink():
            problems.append(_link(text))
        elif entry.is_dir(follow_symlinks=False):
            _walk(text, (*relative, name), found, problems)
        elif not entry.is_file(follow_symlinks=False):
            if _looks_like_record(name) or relative:
                problems.append(not_regular(display_path(text), entry.stat(follow_symlinks=False).st_mode))
        elif not relative and name in REGISTRY_FILES:
            continue
        elif in_year and name.endswith(".yaml"):
            found.append(_path(text))
        else:
            problem = _not_read(text, name, relative, in_year)
            if problem:
                problems.append(problem)


def _looks_like_record(name: str) -> bool:
    return name.lower().endswith((".yaml", ".yml"))


def _link(text: str) -> Problem:
    shown = display_path(text)
    return Problem(shown, 1, 1, "this is a symbolic link, and links are not followed", SYMLINK_HINT)


def _not_read(text: str, name: str, relative: tuple[str, ...], in_year: bool) -> Problem | None:
    """The problem of a file that is not a record; None for other files beside the year folders."""
    shown, stem = display_path(text), name.split(".", 1)[0]
    if _looks_like_record(name) and not name.endswith(".yaml"):
        return Problem(shown, 1, 1, "record files end in '.yaml'", f"rename it to '{stem}.yaml' (lower case)")
    if name.endswith(".yaml"):
        return Problem(
            shown,
            1,
            1,
            "incident files live in a folder named after their year",
            "move it to a folder like '2015/'",
        )
    if in_year or relative:
        return Problem(
            shown,
            1,
            1,
            "this file is not a record and is not read",
            "records end in '.yaml'; rename it, or remove it",
            WARNING,
        )
    return None  # a README or licence beside the year folders


def registry_problem(path: Path) -> Problem | None:
    """Why a registry file is not read, if it is there but is not a regular file."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    return None if stat.S_ISREG(mode) else not_regular(display_path(path), mode)
