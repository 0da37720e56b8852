"""Check a folder of records: every file, every problem, in one run.

Each file is loaded and checked on its own, so a broken file never hides another file's
incidents or problems; rules that need the registries or other incidents run after.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date as Date
from itertools import repeat
from pathlib import Path

from . import rules
from .load import MAX_BYTES, REGISTRY_MAX_BYTES, Document, load_document
from .model import Dataset, group_from, incident_from, town_from
from .problems import WARNING, Problem, sort_problems
from .schema import check_node
from .types import INVALID, Checker

REGISTRIES = ("towns", "groups")
PARALLEL_FROM = 2000  # fewer files are checked faster than worker processes start


@dataclass
class Checked:
    """One file's values as the schema read them, and where each value stands."""

    path: str
    values: dict
    marks: dict

    def problem(self, where: tuple, message: str, hint: str = "", severity: str = "error") -> Problem:
        while where and where not in self.marks:
            where = where[:-1]
        line, col = self.marks.get(where, (1, 1))
        return Problem(self.path, line, col, message, hint, severity)


@dataclass
class Result:
    dataset: Dataset
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def display_path(path: Path) -> str:
    """The path as a contributor would type it: relative to the current folder when inside it."""
    text, here = str(path), os.getcwd() + os.sep
    return text[len(here) :] if text.startswith(here) else text


_checked: dict[Path, tuple[tuple, tuple]] = {}  # path -> (stat, result): a live preview re-checks only edits


def check_file(path: Path, kind: str) -> tuple[Checked | None, list[Problem]]:
    """One file loaded and checked against the schema; remembered while the file is unchanged."""
    try:
        stat = path.stat()
        key = (kind, stat.st_mtime_ns, stat.st_size, stat.st_ino)
    except OSError:
        key = None
    remembered = _checked.get(path)
    if key and remembered and remembered[0] == key:
        checked, problems = remembered[1]
        return checked, list(problems)
    result = _check_file(path, kind)
    if key:
        _checked[path] = (key, (result[0], tuple(result[1])))
    return result


def _check_file(path: Path, kind: str) -> tuple[Checked | None, list[Problem]]:
    shown = display_path(path)
    try:
        limit = MAX_BYTES if kind == "incident" else REGISTRY_MAX_BYTES
        loaded = load_document(shown, path.read_bytes(), limit)
    except OSError as error:
        return None, [Problem(shown, 1, 1, f"cannot read the file: {error.strerror}", "check it exists")]
    if not isinstance(loaded, Document):
        return None, loaded
    cx = Checker(shown)
    cx.at((), loaded.root)
    values = check_node(kind, loaded.root, cx)
    return (None if values is INVALID else Checked(shown, values, cx.marks)), cx.problems


def find_incident_files(root: Path) -> tuple[list[Path], list[Problem]]:
    found, problems = [], []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        relative = Path(folder).relative_to(root)
        for name in names:
            path = Path(folder, name)
            if name.startswith(".") or (not relative.parts and name in ("towns.yaml", "groups.yaml")):
                continue
            if name.endswith(".yml"):
                problems.append(
                    Problem(
                        display_path(path),
                        1,
                        1,
                        "record files end in '.yaml'",
                        f"rename it to '{path.stem}.yaml'",
                    )
                )
            elif name.endswith(".yaml") and (len(relative.parts) != 1 or not relative.parts[0].isdigit()):
                problems.append(
                    Problem(
                        display_path(path),
                        1,
                        1,
                        "incident files live in a folder named after their year",
                        "move it to a folder like '2015/'",
                    )
                )
            elif name.endswith(".yaml"):
                found.append(path)
    return sorted(found), problems


def check_files(paths: list[Path], kind: str, workers: int = 1) -> list[tuple[Checked | None, list[Problem]]]:
    """check_file over many files, spread over `workers` processes when there are enough of them
    to repay starting the processes (the command line uses every core; a live preview does not)."""
    if workers <= 1 or len(paths) < PARALLEL_FROM:
        return [check_file(path, kind) for path in paths]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(_check_file, paths, repeat(kind), chunksize=max(1, len(paths) // (4 * workers))))


def validate_tree(root: Path, today: Date | None = None, workers: int = 1) -> Result:
    root = Path(root)
    problems: list[Problem] = []
    registries = {}
    for kind in REGISTRIES:
        path = root / f"{kind}.yaml"
        if not path.is_file():
            problems.append(
                Problem(
                    display_path(path),
                    1,
                    1,
                    f"the {kind} registry is missing",
                    f"create {kind}.yaml beside the year folders",
                )
            )
            registries[kind] = None
            continue
        registries[kind], found = check_file(path, kind)
        problems += found
    cx = rules.Context(*(r.values if r else {} for r in registries.values()), today=today or Date.today())
    for kind, registry in registries.items():
        for rule in registry and rules.REGISTRY_RULES[kind] or ():
            problems += [registry.problem(*found) for found in rule(registry.values, cx)]

    paths, found = find_incident_files(root)
    problems += found
    incidents: dict[str, Checked] = {}
    valid: list[str] = []
    for path, (checked, found) in zip(paths, check_files(paths, "incident", workers), strict=True):
        if checked is not None:
            incidents[path.stem] = checked
            found += [
                checked.problem(*f)
                for rule in rules.INCIDENT_RULES
                for f in rule(checked.values, cx, path.stem, path.parent.name)
            ]
            if not any(p.is_error for p in found):
                valid.append(path.stem)
        problems += found
    problems += _redirect_collisions({path.stem for path in paths}, incidents)
    problems += _possible_duplicates({stem: incidents[stem] for stem in valid})
    dataset = Dataset(
        towns=_entries(registries["towns"], town_from, ("name", "province", "lat", "lon")),
        groups=_entries(registries["groups"], group_from, ("name",)),
        incidents=tuple(incident_from(stem, incidents[stem].values) for stem in valid),
    )
    return Result(dataset, sort_problems(problems))


def _entries(registry: Checked | None, make, required: tuple[str, ...]) -> dict:
    """Registry entries complete enough to show; the others have been reported."""
    entries = registry.values if registry else {}
    return {
        key: make(key, value)
        for key, value in sorted(entries.items())
        if all(name in value for name in required)
    }


def _redirect_collisions(ids: set[str], incidents: dict[str, Checked]):
    claimed: dict[str, str] = {}
    for stem, checked in sorted(incidents.items()):
        for index, old in enumerate(checked.values.get("redirect_from", ())):
            where = ("redirect_from", index)
            if old in ids and old != stem:
                yield checked.problem(where, f"'{old}' is the id of another incident", "remove this entry")
            elif old in claimed:
                yield checked.problem(
                    where,
                    f"'{old}' already redirects to '{claimed[old]}'",
                    "an old id can lead to one incident only",
                )
            claimed.setdefault(old, stem)


def _possible_duplicates(incidents: dict[str, Checked]):
    """Same date, same town, a group in common: probably one incident recorded twice."""
    seen: dict[tuple, list[str]] = defaultdict(list)
    for stem, checked in sorted(incidents.items()):
        values = checked.values
        for town in values["towns"]:
            key = (values["date"], town)
            for other in seen[key]:
                if set(incidents[other].values["groups"]) & set(values["groups"]):
                    yield checked.problem(
                        ("date",),
                        f"possible duplicate of '{other}' (same date, town and group)",
                        "merge them if they are the same incident",
                        severity=WARNING,
                    )
                    break
            seen[key].append(stem)
