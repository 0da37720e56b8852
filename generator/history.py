"""Each record's history from git: when it changed, in which commit, and which fields changed.

One `git log` over the incidents folder (renames followed, so an incident keeps its history
when its file is renamed) and one `git cat-file --batch` for the versions to compare, only
for records that were edited after they were added, and only for the latest MAX_REVISIONS.
Only top-level fields are compared. Keys are file names without ".yaml": an incident's id, or
"towns" and "groups" for the registries. Without git, or outside a repository, it is empty.
A shallow clone shows only the history it has: CI should fetch it all (fetch-depth: 0).
"""

from __future__ import annotations

import os
import subprocess
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

import yaml

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


def _log(folder: Path) -> dict[str, list[Revision]]:
    """{key: revisions, newest first}, following renames; records deleted since are left out."""
    out = _git(
        folder, "log", f"--format={FORMAT}", "--date=short", "--name-status", "-M", "--relative", "--", "."
    )
    history, key_of = defaultdict(list), {}  # key_of: a path as it was in older commits -> its key
    for block in (out or b"").decode("utf-8", "replace").split("\x1e")[1:]:
        header, _, names = block.partition("\n")
        commit, date, subject = header.split("\x1f", 2)
        for line in names.splitlines():
            status, *paths = line.split("\t")
            path = paths[-1] if paths else ""
            if not path.endswith(".yaml") or path.startswith('"'):
                continue
            key = key_of.get(path, PurePosixPath(path).stem)
            if key is not None and status[0] != "D":
                history[key].append(Revision(date, commit, subject, added=status[0] == "A", path=path))
            if status[0] in "ADR":  # before this commit the path was another file, or none
                key_of[path] = None
            if status[0] == "R":
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


def _fields(text: bytes | None) -> dict:
    try:
        values = yaml.safe_load(text) if text else {}
    except yaml.YAMLError:
        return {}
    return values if isinstance(values, dict) else {}


def _changed(new: dict, old: dict) -> tuple[str, ...]:
    keys = list(new) + [k for k in old if k not in new]
    return tuple(str(k) for k in keys if new.get(k) != old.get(k) or (k in new) != (k in old))


def revisions(repo_root: Path, incidents_dir: Path) -> dict[str, list[Revision]]:
    """{record key: its latest MAX_REVISIONS revisions, newest first}; {} without git."""
    folder = Path(repo_root) / incidents_dir
    log = _log(folder)
    edits = [
        (key, n)
        for key, entries in log.items()
        for n, revision in enumerate(entries[:MAX_REVISIONS])
        if not revision.added and n + 1 < len(entries)
    ]
    blobs = _blobs(folder, sorted({_spec(log[key][m]) for key, n in edits for m in (n, n + 1)}))
    for key, n in edits:
        new, old = (_fields(blobs.get(_spec(r))) for r in log[key][n : n + 2])
        log[key][n] = replace(log[key][n], changed=_changed(new, old))
    return {key: entries[:MAX_REVISIONS] for key, entries in log.items()}


def _spec(revision: Revision) -> str:
    return f"{revision.commit}:./{revision.path}"


def last_changed(repo_root: Path, incidents_dir: Path) -> dict[str, str]:
    """{record key: the date of its latest commit}, from the log alone (no file is read)."""
    return {key: entries[0].date for key, entries in _log(Path(repo_root) / incidents_dir).items()}
