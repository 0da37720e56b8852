"""Check a folder of records: every file, every problem, in one run.

Each file is loaded and checked on its own, so a broken file never hides another file's
incidents or problems; rules that need the registries or other incidents run after.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from . import rules
from .children import as_child
from .files import Unreadable, read_record
from .folder import display_path, find_incident_files, registry_problem
from .likeness import Likeness, likeness, reasons
from .load import MAX_BYTES, REGISTRY_MAX_BYTES, Document, load_document
from .model import Dataset, Incident
from .problems import WARNING, Problem, sort_problems
from .schema import GROUP, INCIDENT, TOWN, check_node, group_from, incident_from, town_from
from .types import INVALID, Checker

REGISTRIES = ("towns", "groups")
PARALLEL_FROM = 500  # fewer files are checked faster than forked worker processes start


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
    """A check's problems and what it counted; with the model of the valid records, when the
    check made it (validate_tree: the build's), None otherwise (the command line's)."""

    problems: list[Problem]
    counts: dict[str, int]
    dataset: Dataset | None = None
    coverage: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)  # see coverage()

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


@dataclass
class Memory:
    """What a live preview remembers from one check of a folder to the next, so that it checks
    again only what was edited: each file's schema check while the file is unchanged, and each
    incident's whole result (rules and Incident included) while it and what the rules read
    (the registries' files and today) are unchanged. It lives on the plugin object."""

    checked: dict[Path, tuple[tuple, tuple]] = field(default_factory=dict)  # path -> (stat, result)
    found: dict[Path, tuple[tuple, Found]] = field(default_factory=dict)  # path -> (stat, context, model)


def _stat_key(path: Path, kind: str) -> tuple | None:
    try:
        stat = os.lstat(path)
    except OSError:
        return None
    return (kind, stat.st_mtime_ns, stat.st_size, stat.st_ino)


def check_file(path: Path, kind: str, memory: Memory | None = None) -> tuple[Checked | None, list[Problem]]:
    """One file loaded and checked against the schema; remembered in `memory`, if given, while
    the file is unchanged."""
    if memory is None:
        return _check_file(path, kind)
    key = _stat_key(path, kind)
    remembered = memory.checked.get(path)
    if key and remembered and remembered[0] == key:
        checked, problems = remembered[1]
        return checked, list(problems)
    result = _check_file(path, kind)
    if key:
        memory.checked[path] = (key, (result[0], tuple(result[1])))
    return result


def _check_file(path: Path, kind: str) -> tuple[Checked | None, list[Problem]]:
    shown = display_path(path)
    limit = MAX_BYTES if kind == "incident" else REGISTRY_MAX_BYTES
    try:
        loaded = load_document(shown, read_record(path, shown, limit), limit)
    except Unreadable as unread:
        return None, [unread.problem]
    if not isinstance(loaded, Document):
        return None, loaded
    cx = Checker(shown)
    cx.at((), loaded.root)
    values = check_node(kind, loaded.root, cx)
    return (None if values is INVALID else Checked(shown, values, cx.marks)), cx.problems


@dataclass
class Found:
    """One incident file checked on its own (schema and rules): its problems, whether it has no
    error, its Incident if it is needed, and of its values only what the checks across files
    read. Small, so that a worker process sends little back."""

    stem: str
    problems: list[Problem]
    across: Checked | None  # date, towns, groups, redirect_from and their marks; None if unreadable
    valid: bool = False
    incident: Incident | None = None  # when valid and the caller builds the model
    translated: frozenset[str] = frozenset()  # its translations' keys (title_ar, ...)


ACROSS_FILES = ("date", "towns", "groups", "redirect_from")  # what _redirect_collisions and
# _possible_duplicates read of each incident; their problems are on ("date",) and ("redirect_from", i)


def check_incident(
    path: Path,
    known: rules.Context,
    memory: Memory | None = None,
    model: bool = True,
    context: tuple | None = None,
) -> Found:
    """One incident file checked on its own. With a `memory`, its schema check is remembered
    while the file is unchanged; with a `context` too (the state of what the rules read: the
    registries' files and today), so is the whole result, which a live preview then reuses
    for every file but the edited one."""
    key = memory is not None and context and (_stat_key(path, "incident"), context, model)
    if key and key[0]:
        remembered = memory.found.get(path)
        if remembered and remembered[0] == key:
            return remembered[1]
        found = _check_incident(path, known, memory, model)
        memory.found[path] = (key, found)
        return found
    return _check_incident(path, known, memory, model)


def _check_incident(path: Path, known: rules.Context, memory: Memory | None, model: bool) -> Found:
    checked, problems = check_file(path, "incident", memory)
    if checked is None:
        return Found(path.stem, problems, None)
    stem, folder = path.stem, path.parent.name
    problems += [
        checked.problem(*found)
        for rule in rules.INCIDENT_RULES
        for found in rule(checked.values, known, stem, folder)
    ]
    valid = not any(p.is_error for p in problems)
    incident = incident_from(stem, checked.values) if valid and model else None
    values, marks = checked.values, checked.marks
    wanted = [(), ("date",), ("redirect_from",)]
    wanted += [("redirect_from", index) for index in range(len(values.get("redirect_from", ())))]
    across = Checked(
        checked.path,
        {key: values[key] for key in ACROSS_FILES if key in values} | (_compared(values) if valid else {}),
        {where: marks[where] for where in wanted if where in marks},  # where their problems go
    )
    translated = frozenset(key for key in values if key not in INCIDENT.by_name)
    return Found(stem, problems, across, valid, incident, translated)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Checking a file makes many short-lived objects (YAML nodes, marks) and no reference
    cycles, which reference counting frees as it goes. Left on, the cyclic collector scans the
    growing heap again and again, a large share of validate's time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_worker: tuple[rules.Context, bool] | None = None


def _start_worker(known: rules.Context, model: bool, parent: int) -> None:
    global _worker
    as_child(parent)
    _worker = known, model
    gc.disable()  # see _collector_paused; the worker ends when the files are checked


def _check_in_worker(path: Path) -> Found:
    known, model = _worker
    return check_incident(path, known, model=model)


@dataclass
class Begun:
    """Checks begun: `result()` waits for them (or makes them, with no worker process)."""

    result: Callable[[], object]
    pool: ProcessPoolExecutor | None = None

    def cancel(self) -> None:
        """Drops what the workers have not begun, and waits for the rest: no worker outlives
        the build, which ends without waiting for its children (cli.run)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def start_checks(
    paths: list[Path],
    known: rules.Context,
    workers: int = 1,
    model: bool = True,
    context: tuple | None = None,
    memory: Memory | None = None,
) -> Begun:
    """check_incident over many files, begun: spread over `workers` processes when there are
    enough of them to repay starting the processes (the command line uses every core; a live
    preview does not, and remembers each file's result in `memory` while it and the `context`
    are unchanged), which start on the files at once. Without `model`, no Incident is made:
    the command line only reports problems. `result()` of what it returns waits for them."""
    if workers <= 1 or len(paths) < PARALLEL_FROM:

        def in_this_process() -> list[Found]:
            with _collector_paused():
                return [check_incident(path, known, memory, model, context) for path in paths]

        return Begun(in_this_process)
    methods = multiprocessing.get_all_start_methods()
    start = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pool = ProcessPoolExecutor(workers, start, _start_worker, (known, model, os.getpid()))
    results = pool.map(_check_in_worker, paths, chunksize=max(1, len(paths) // (4 * workers)))

    def from_workers() -> list[Found]:
        with pool, _collector_paused():
            return list(results)

    return Begun(from_workers, pool)


def check_registries(
    root: Path, today: Date | None = None, memory: Memory | None = None, languages: tuple[str, ...] = ()
):
    """towns.yaml and groups.yaml checked, and what the incident rules know from them. A
    registry that cannot be read is said once, first, and no reference to it is checked."""
    problems: list[Problem] = []
    registries: dict[str, Checked | None] = {}
    for kind in REGISTRIES:
        path = root / f"{kind}.yaml"
        unusable = registry_problem(path)
        if unusable or not path.exists():
            problems.append(unusable or _missing_registry(path, kind))
            registries[kind] = None
            continue
        registries[kind], found = check_file(path, kind, memory)
        problems += found
        if registries[kind] is None:
            problems.append(_unread_registry(path, kind))
    unread = frozenset(kind for kind, registry in registries.items() if registry is None)
    values = (r.values if r else {} for r in registries.values())
    known = rules.Context(*values, today=today or Date.today(), unread=unread, languages=tuple(languages))
    for kind, registry in registries.items():
        for rule in registry and rules.REGISTRY_RULES[kind] or ():
            problems += [registry.problem(*found) for found in rule(registry.values, known)]
    return registries, known, problems


def _missing_registry(path: Path, kind: str) -> Problem:
    return Problem(
        display_path(path),
        1,
        1,
        f"the {kind} registry is missing, so no incident's {kind} were checked",
        f"create {kind}.yaml beside the year folders",
    )


def _unread_registry(path: Path, kind: str) -> Problem:
    return Problem(
        display_path(path),
        1,
        1,
        f"{kind}.yaml could not be read, so no incident's {kind} were checked",
        f"fix {kind}.yaml first: the incidents' references to {kind} are checked once it reads",
    )


_started: dict[Path, Begun] = {}  # tree checks begun by start_tree, by folder


def start_tree(root: Path, workers: int = 1, languages: tuple[str, ...] = ()) -> None:
    """Begins validate_tree(root): the worker processes check the files while the caller goes
    on (the build imports mkdocs meanwhile); the next validate_tree of
    the same folder and languages takes their results."""
    root = Path(root).resolve()  # as the build names it to the plugin
    _started[root, tuple(languages)] = _start_tree(root, None, workers, model=True, languages=languages)


def drop_started() -> None:
    """Cancels the checks start_tree began that no validate_tree took (the build failed first)."""
    while _started:
        _started.popitem()[1].cancel()


def validate_tree(
    root: Path,
    today: Date | None = None,
    workers: int = 1,
    memory: Memory | None = None,
    languages: tuple[str, ...] = (),
) -> Result:
    """Every file of the folder checked, and the model of what is valid; with a `memory`, only
    what changed since the last check with it is checked again. `languages`: the site's (the
    first the records' own), which translations may use; empty, any."""
    started = _started.pop((Path(root).resolve(), tuple(languages)), None) if today is None else None
    begun = started or _start_tree(Path(root), today, workers, model=True, memory=memory, languages=languages)
    registries, problems, results = begun.result()
    dataset = Dataset(
        towns=_towns(registries),
        groups=_groups(registries),
        incidents=tuple(result.incident for result in results if result.incident),
    )
    counts = {"incidents": len(dataset.incidents), "towns": len(dataset.towns), "groups": len(dataset.groups)}
    return Result(problems, counts, dataset, coverage(languages, registries, results))


def _start_tree(
    root: Path,
    today: Date | None,
    workers: int,
    model: bool,
    memory: Memory | None = None,
    languages: tuple[str, ...] = (),
) -> Begun:
    """The registries checked and the incident files found now, the files' checks begun; its
    result, once they are done and what spans files is checked: (registries, problems, results)."""
    with _collector_paused():
        registries, known, problems = check_registries(root, today, memory, languages)
        paths, found = find_incident_files(root)
    checks = start_checks(paths, known, workers, model, _rules_context(root, known), memory)

    def finish() -> tuple:
        results = checks.result()
        with _collector_paused():
            everything = found + [problem for result in results for problem in result.problems]
            everything += [problem for _, problem in _across_files({path.stem for path in paths}, results)]
            return registries, sort_problems(problems) + sort_problems(everything), results

    return Begun(finish, checks.pool)


def _rules_context(root: Path, known: rules.Context) -> tuple | None:
    """What the incident rules' results depend on besides the file: the registries (by their
    files' state) and today. None when a registry is missing."""
    keys = tuple(_stat_key(root / f"{kind}.yaml", kind) for kind in REGISTRIES)
    return None if None in keys else (*keys, known.today, known.languages)


def _towns(registries: dict[str, Checked | None]) -> dict:
    return _entries(registries["towns"], town_from, ("name", "province", "lat", "lon"))


def _groups(registries: dict[str, Checked | None]) -> dict:
    return _entries(registries["groups"], group_from, ("name",))


class NotARecord(ValueError):
    """A file named to validate_changed that is not a file of the folder of records."""


def validate_all(
    root: Path, today: Date | None = None, workers: int = 1, languages: tuple[str, ...] = ()
) -> Result:
    """validate_tree's problems, without making the model: the command line only reports."""
    begun = _start_tree(Path(root), today, workers, model=False, languages=languages)
    registries, problems, results = begun.result()
    counts = {
        "incidents": sum(result.valid for result in results),
        "towns": len(_towns(registries)),
        "groups": len(_groups(registries)),
    }
    return Result(problems, counts, coverage=coverage(languages, registries, results))


# What `validate` counts of each language: (label, registry or None for incidents, field)
COVERED = (("titles", None, "title"), ("summaries", None, "summary"), ("towns", "towns", "name"))
COVERED += (("groups", "groups", "name"),)


def coverage(languages, registries: dict, results: list[Found]) -> dict[str, dict[str, tuple[int, int]]]:
    """For each language but the first (or each used, when none is configured), how many of the
    valid incidents' titles and summaries and of the towns' and groups' names are translated."""
    valid = [result for result in results if result.valid]
    entries = {
        kind: list((registry.values if registry else {}).values()) for kind, registry in registries.items()
    }
    codes = list(languages[1:])
    if not languages:
        keys = {key for result in valid for key in result.translated}
        keys |= {key for kind, record in (("towns", TOWN), ("groups", GROUP)) for entry in entries[kind]
                 for key in entry if key not in record.by_name}  # fmt: skip
        codes = sorted({key.rsplit("_", 1)[1] for key in keys})
    found = {}
    for code in codes:
        found[code] = {}
        for label, registry, name in COVERED:
            if registry is None:
                done, total = sum(f"{name}_{code}" in r.translated for r in valid), len(valid)
            else:
                done = sum(f"{name}_{code}" in entry for entry in entries[registry])
                total = len(entries[registry])
            found[code][label] = (done, total)
    return found


def validate_changed(
    root: Path,
    changed: list[Path],
    today: Date | None = None,
    workers: int = 1,
    languages: tuple[str, ...] = (),
) -> Result:
    """What a pre-commit hook or a pull request check needs in a large folder: the `changed`
    incident files checked in full, with every problem the whole folder's check would report
    that involves one of them (the registries' problems too), and nothing about the other
    files' own mistakes. The other files are read only where a check across files could pair
    them with a changed one:

    - a possible duplicate has the same date, and a file without an error is named after its
      date, so only files whose name starts with a changed incident's date are checked;
    - a redirect collision involves a `redirect_from` entry, so only files whose bytes contain
      'redirect_from' (or a backslash, which could escape it) are checked.

    A registry among the changed files can change any incident's problems: then every file is
    checked, as validate_all does. Deleted files need no check: name only files that exist.
    """
    root = Path(root)
    wanted: set[Path] = set()
    for path in changed:
        try:
            relative = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root)))
        except ValueError:  # another drive, on Windows
            relative = Path("..")
        if relative.parts[:1] == ("..",):
            raise NotARecord(f"{path}: not inside {root}")
        if not os.path.lexists(path):
            raise NotARecord(f"{path}: no such file")
        if relative.parts in {(f"{kind}.yaml",) for kind in REGISTRIES}:
            return validate_all(root, today, workers, languages)
        wanted.add(root / relative)
    with _collector_paused():
        registries, known, first = check_registries(root, today, languages=languages)
        problems: list[Problem] = []
        paths, layout = find_incident_files(root)
        shown = {display_path(path) for path in wanted}
        problems += [problem for problem in layout if problem.path in shown]  # .yml, wrong folder
        mine = [path for path in paths if path in wanted]
        results = start_checks(mine, known, workers, model=False).result()
        for result in results:
            problems += result.problems
        dates = tuple({f"{r.across.values['date'].iso}-" for r in results if r.valid and r.across})
        others = [
            path
            for path in paths
            if results and path not in wanted and (path.stem.startswith(dates) or _may_redirect(path))
        ]
        stems = {result.stem for result in results}
        more = start_checks(others, known, workers, model=False).result()
        across = _across_files({path.stem for path in paths}, results + more)
        problems += [problem for involved, problem in across if stems.intersection(involved)]
    counts = {
        "changed incident(s)": len(mine),
        "incident files": len(paths),
        "towns": len(_towns(registries)),
        "groups": len(_groups(registries)),
    }
    return Result(sort_problems(first) + sort_problems(problems), counts)


def _may_redirect(path: Path) -> bool:
    """Whether another incident file could hold a redirect_from entry: cheaper than reading it."""
    try:
        data = read_record(path, "", MAX_BYTES)
    except Unreadable:
        return False  # refused unread, so it has no values either: only its own problem
    return b"redirect_from" in data or b"\\" in data


def _entries(registry: Checked | None, make, required: tuple[str, ...]) -> dict:
    """Registry entries complete enough to show; the others have been reported."""
    entries = registry.values if registry else {}
    return {
        key: make(key, value)
        for key, value in sorted(entries.items())
        if all(name in value for name in required)
    }


def _across_files(ids: set[str], results: list[Found]) -> Iterator[tuple[tuple[str, str], Problem]]:
    """The checks that compare incidents, each problem with the two incidents it involves."""
    incidents = {result.stem: result.across for result in results if result.across}
    yield from _redirect_collisions(ids, incidents)
    yield from _possible_duplicates({r.stem: r.across for r in results if r.valid and r.across})


def _redirect_collisions(ids: set[str], incidents: dict[str, Checked]):
    claimed: dict[str, str] = {}
    for stem, checked in sorted(incidents.items()):
        for index, old in enumerate(checked.values.get("redirect_from", ())):
            where = ("redirect_from", index)
            if old in ids and old != stem:
                yield (
                    (stem, old),
                    checked.problem(where, f"'{old}' is the id of another incident", "remove this entry"),
                )
            elif old in claimed:
                yield (
                    (stem, claimed[old]),
                    checked.problem(
                        where,
                        f"'{old}' already redirects to '{claimed[old]}'",
                        "an old id can lead to one incident only",
                    ),
                )
            claimed.setdefault(old, stem)


def _compared(values: dict) -> dict:
    """What _possible_duplicates compares of two records besides their date, towns and groups:
    text, cheap to send back from a worker; likeness.py reads it only for the few that need it."""
    urls = [source["url"] for source in values.get("sources", ()) if "url" in source]
    return {"title": values["title"], "summary": values["summary"], "sources": [{"url": url} for url in urls]}


def _possible_duplicates(incidents: dict[str, Checked]):
    """Same date, same town, a group in common, and something said alike (a source's address, a
    title, a summary: likeness.py): probably one incident recorded twice. Each record is named
    the twin of the first earlier one (by id) that looks like it, with the reasons."""
    seen: dict[tuple, list[str]] = defaultdict(list)
    known: dict[str, Likeness] = {}

    def look(stem: str) -> Likeness:
        if stem not in known:
            known[stem] = likeness(incidents[stem].values)
        return known[stem]

    for stem, checked in sorted(incidents.items()):
        values = checked.values
        twin = None
        for town in values["towns"]:
            key = (values["date"], town)
            for other in seen[key] if twin is None else ():
                if set(incidents[other].values["groups"]) & set(values["groups"]):
                    why = reasons(look(stem), look(other))
                    if why:
                        twin = other
                        yield (
                            (stem, other),
                            checked.problem(
                                ("date",),
                                f"possible duplicate of '{other}' (same date, town and group; {', '.join(why)})",
                                "merge them if they are the same incident",
                                severity=WARNING,
                            ),
                        )
                        break
            seen[key].append(stem)
