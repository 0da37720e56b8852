"""Each record's history from git: when it changed, in which commit, and which fields changed.

One `git log --raw` over the incidents folder (renames followed, so an incident keeps its
history when its file is renamed; each change with its file's blob before and after) and one
`git cat-file --batch` of the blobs to compare, by id: only for records edited after they
were added, only for their latest MAX_REVISIONS, and not for a rename alone (the same blob).
Only top-level fields are compared, an edit's version against its commit's parent's. Keys are file names without ".yaml": an incident's id, or
"towns" and "groups" for the registries. Without git, or outside a repository, it is empty.
A shallow clone shows only the history it has: CI should fetch it all (fetch-depth: 0).

Reading it is kept off the build's critical path: `start` forks a process that reads it while
the records are checked and the docs pages are built, and gives a mapping that waits for it
the first time it is looked at (by the data files' process, for the feeds' dates, then by the
incident pages). The process writes its answer into an anonymous temporary file and ends, so
it never waits for a reader; one that fails or is killed leaves the build without history, as
a build without git is. Each version to compare is parsed once, by PyYAML's C loader where it
has one (docs/performance.md has the figures: the pure-Python loader, and blobs looked up by
commit and path, took most of the time).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .children import as_child

MAX_REVISIONS = 20
FORMAT = "%x1e%h%x1f%cd%x1f%s"  # record separator, short hash, commit date, subject


@dataclass(frozen=True)
class Revision:
    date: str  # YYYY-MM-DD, the commit date
    commit: str  # short hash
    subject: str
    changed: tuple[str, ...] = ()  # top-level fields whose values changed; () when added
    added: bool = False
    path: str = ""  # the file, relative to the incidents folder, in that commit


def _git(cwd: Path, *args: str, stdin: bytes = b"") -> bytes | None:
    command = ["git", "-c", "core.quotepath=false", "-c", "log.showSignature=false", *args]
    environment = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            command, cwd=cwd, input=stdin, capture_output=True, env=environment, timeout=300
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


@dataclass(frozen=True)
class _Change:
    """A revision, with the blobs of its file before the commit and after it."""

    revision: Revision
    before: str  # the blob in the commit's parent: what an edit is compared with
    after: str


def _log(folder: Path) -> dict[str, list[_Change]]:
    """{key: its changes, newest first}, following renames; records deleted since are left out.
    The blobs come with the log (--raw: abbreviated, as unique as %h), so the versions to
    compare are read by their ids, not looked up by commit and path."""
    out = _git(
        folder,
        "log",
        f"--format={FORMAT}",
        "--date=short",
        "--raw",
        "-M",
        "--relative",
        "--",
        ".",
    )
    history, key_of = defaultdict(list), {}  # key_of: a path as it was in older commits -> its key
    for block in (out or b"").decode("utf-8", "replace").split("\x1e")[1:]:
        header, _, names = block.partition("\n")
        commit, date, subject = header.split("\x1f", 2)
        for line in names.splitlines():
            modes, *paths = line.split("\t")
            path, fields = (paths[-1] if paths else ""), modes.split()
            if not path.endswith(".yaml") or path.startswith('"') or len(fields) != 5:
                continue
            before, after, status = fields[2].rstrip("."), fields[3].rstrip("."), fields[4][0]
            key = key_of.get(path, path.rpartition("/")[2][: -len(".yaml")])
            if key is not None and status != "D":
                revision = Revision(date, commit, subject, added=status == "A", path=path)
                history[key].append(_Change(revision, before, after))
            if status in "ADR":  # before this commit the path was another file, or none
                key_of[path] = None
            if status == "R":
                key_of[paths[0]] = key
    return dict(sorted(history.items()))


def _blobs(folder: Path, specs: list[str]) -> dict[str, bytes]:
    if not specs:
        return {}
    out, found, at = (
        _git(folder, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in specs).encode()),
        {},
        0,
    )
    for spec in specs if out else ():
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) == 3 and header[1] == b"blob":
            found[spec], at = out[at : at + int(header[2])], at + int(header[2]) + 1
    return found


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the same values, parsed in C


def _fields(text: bytes | None) -> dict:
    try:
        values = yaml.load(text, Loader=_LOADER) if text else {}
    except yaml.YAMLError:
        return {}
    return values if isinstance(values, dict) else {}


def _changed(new: dict, old: dict) -> tuple[str, ...]:
    keys = list(new) + [k for k in old if k not in new]
    return tuple(str(k) for k in keys if new.get(k) != old.get(k) or (k in new) != (k in old))


def revisions(repo_root: Path, incidents_dir: Path) -> dict[str, list[Revision]]:
    """{record key: its latest MAX_REVISIONS revisions, newest first}; {} without git."""
    folder = Path(repo_root) / incidents_dir
    log = {key: changes[:MAX_REVISIONS] for key, changes in _log(folder).items()}
    edits = [c for changes in log.values() for c in changes if not c.revision.added and c.before != c.after]
    blobs = _blobs(folder, sorted({blob for change in edits for blob in (change.before, change.after)}))
    fields = {blob: _fields(text) for blob, text in blobs.items()}  # each version parsed once
    compared = {
        id(c): _changed(fields.get(c.after, {}), fields.get(c.before, {})) for c in edits
    }  # a rename alone (the same blob) changed nothing
    return {
        key: [
            replace(c.revision, changed=compared[id(c)]) if id(c) in compared else c.revision for c in changes
        ]
        for key, changes in log.items()
    }


def start(repo_root: Path, incidents_dir: Path) -> Mapping[str, list[Revision]]:
    """`revisions`, read by a process of its own where processes can fork (`Background`), or
    in this one the first time it is looked at."""
    if "fork" in multiprocessing.get_all_start_methods():
        return Background(repo_root, incidents_dir)
    return _Later(lambda: revisions(repo_root, incidents_dir))


def latest_dates(found: Mapping[str, list[Revision]]) -> Mapping[str, str]:
    """{record key: the date of its latest revision}, worked out the first time it is looked at."""
    return _Later(lambda: {key: entries[0].date for key, entries in found.items()})


class _Later(Mapping):
    """A mapping worked out the first time it is looked at."""

    def __init__(self, work):
        self._work, self._found = work, None

    def _all(self) -> dict:
        if self._found is None:
            self._found = self._work()
        return self._found

    def __getitem__(self, key):
        return self._all()[key]

    def get(self, key, default=None):
        return self._all().get(key, default)

    def __iter__(self) -> Iterator:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


class Background(_Later):
    """`revisions`, read by a forked process while this one goes on. Looking at it waits for
    that process to end, then reads its answer, here or in a process forked from this one
    since (the data files' process). Its answer, or {} if it has none, is the same for all."""

    def __init__(self, repo_root: Path, incidents_dir: Path):
        super().__init__(self._collect)
        # anonymous (no name on disk), open as long as this mapping: closed once read
        self._answer = tempfile.TemporaryFile(prefix="incident-timeline-history-")  # noqa: SIM115
        ended, writer = os.pipe()  # at end of file once the process has ended, however
        context = multiprocessing.get_context("fork")
        args = (os.getpid(), writer, self._answer.fileno(), Path(repo_root), Path(incidents_dir))
        self._process = context.Process(target=_read_history, args=args, daemon=True)
        self._process.start()
        os.close(writer)  # before anything else forks: only the reading process holds it
        self._ended = os.fdopen(ended, "rb", buffering=0)  # closed with this mapping if never read
        self._parent = os.getpid()

    def _collect(self) -> dict:
        while self._ended.read(1 << 12):
            pass
        if os.getpid() == self._parent:
            self._process.join()
            self._ended.close()
        size = os.fstat(self._answer.fileno()).st_size
        try:
            found = pickle.loads(os.pread(self._answer.fileno(), size, 0))
        except Exception:  # no answer, or half of one: the process failed or was killed
            found = {}
        finally:
            self._answer.close()
        return found if isinstance(found, dict) else {}


def _read_history(parent: int, writer: int, answer: int, repo_root: Path, incidents_dir: Path) -> None:
    as_child(parent)
    try:
        data = pickle.dumps(revisions(repo_root, incidents_dir), protocol=pickle.HIGHEST_PROTOCOL)
        at = 0
        while at < len(data):
            at += os.pwrite(answer, data[at:], at)
    except BaseException:  # no answer: the build goes on without history, as without git
        os._exit(1)
    os._exit(0)
