"""Running what is measured: a subprocess timed by wall clock and CPU, with its peak memory,
and the inputs it runs on (seeded datasets, a site config pointing at them)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator import synthetic

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
OUT = ROOT / "bench-out"
TRASH = OUT / "trash"
# ext4 without a journal (this machine's disk) gives each new file or folder an inode by
# scanning past every inode deleted in the last minute (recently_deleted() in
# fs/ext4/ialloc.c; six minutes while the inode's block is not yet written back): right after
# a 36,000-file site was deleted, creating a file took ten times as long, for a minute.
RECENT_DELETIONS = 61  # seconds
MAX_RUNS = 10  # of each command in a comparison with a time budget


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and the children it waited for
    peak: int  # bytes: the largest resident set of the process or any child it waited for
    code: int
    output: str


def measure(argv: list, env: dict | None = None) -> Run:
    """Run a command to its end. os.wait4 reports that one process tree's usage, so other
    commands of this benchmark never count towards it."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen([str(a) for a in argv], cwd=ROOT, stdout=out, stderr=out, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, process.returncode, text)


def best(argv: list, repeat: int, check: bool = True) -> Run:
    """The fastest of `repeat` runs: other load on the machine only ever adds time."""
    runs = [measure(argv) for _ in range(max(1, repeat))]
    for run in runs:
        if check:
            succeeded(run, argv)
    return min(runs, key=lambda r: r.wall)


def succeeded(run: Run, argv: list) -> Run:
    """The run, if its command exited 0; else a RuntimeError with the end of its output."""
    if run.code != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} exited {run.code}:\n{run.output[-3000:]}")
    return run


def best_side_by_side(ours, floor, repeat: int, sites=(None, None), first=None, budget: float = 0.0):
    """(ours, floor, runs): the fastest of the runs of each command, taken in turn (ours, the
    floor, ours, ...) so that a slow spell of a shared machine falls on both, not on one.
    Each command runs `repeat` times, then again in turn while the comparison has taken less
    than `budget` seconds (at most MAX_RUNS times), as timeit's autorange does: a 2-second
    build gets ten tries at a quiet moment, a 3-minute one the `repeat` asked for.
    `sites` are the folders the two commands write: each is set aside before its command runs,
    and pending writes are flushed, so a run is billed for its own work, not for deleting or
    writing back an earlier run's site. `first`: a run of ours already made, counted first."""
    runs: dict[str, list[Run]] = {"ours": [first] if first else [], "floor": []}
    sides = {"ours": (ours, sites[0]), "floor": (floor, sites[1])}
    order, wanted = ("floor", "ours") if first else ("ours", "floor"), max(1, repeat)
    spent = sum(run.wall for run in runs["ours"])

    def more(side: str) -> bool:
        return len(runs[side]) < wanted or (spent < budget and len(runs[side]) < MAX_RUNS)

    while rounds := [side for side in order if more(side)]:  # decided per round: runs in pairs
        for side in rounds:
            run = succeeded(settled_run(*sides[side]), sides[side][0])
            runs[side].append(run)
            spent += run.wall
    fastest = {side: min(runs[side], key=lambda r: r.wall) for side in order}
    return fastest["ours"], fastest["floor"], min(len(r) for r in runs.values())


def settled_run(argv: list, site: Path | None) -> Run:
    """`measure`, after setting aside the folder the command writes and flushing pending writes."""
    if site is not None:
        set_aside(site)
    os.sync()
    return measure(argv)


def set_aside(folder: Path) -> None:
    """Moves a folder of bench-out/ into the trash, which `empty_trash` deletes between sizes:
    deleting a site just before a timed run would slow every file that run creates."""
    if folder.exists():
        TRASH.mkdir(parents=True, exist_ok=True)
        folder.rename(Path(tempfile.mkdtemp(dir=TRASH)) / folder.name)


def empty_trash(settle: bool = True) -> None:
    """Deletes what `set_aside` kept; with `settle`, then waits until no deleted inode is recent."""
    if not TRASH.exists():
        return
    shutil.rmtree(TRASH, ignore_errors=True)
    os.sync()
    if settle:
        time.sleep(RECENT_DELETIONS)


def _cached(folder: Path, key: str, make) -> Path:
    """`make(folder)` once per key; the stamp is a dot file, which the validator skips."""
    stamp = folder / ".bench-stamp"
    if stamp.is_file() and stamp.read_text() == key:
        return folder
    set_aside(folder)
    folder.mkdir(parents=True)
    make(folder)
    stamp.write_text(key)
    return folder


def dataset(n: int, seed: int, history: bool = False) -> Path:
    """A seeded synthetic dataset of n incidents (a town per ten), regenerated only when
    generator/synthetic.py changes. With `history`, a git repository of its own: the records
    added in synthetic.HISTORY_COMMITS commits, then HISTORY_EDITS single-record edits."""
    source = hashlib.sha256(Path(synthetic.__file__).read_bytes()).hexdigest()[:16]
    edits = history_edits(n) if history else None

    def make(folder: Path) -> None:
        synthetic.write_dataset(folder, n, seed)
        if edits is not None:
            synthetic.write_history(folder, edits, seed)

    name = f"{n}-seed{seed}" + ("-history" if history else "")
    return _cached(OUT / "data" / name, f"{n} {seed} {source} {edits}", make)


def history_edits(n: int) -> int:
    """A fifth of the records edited once: 2,000 of 10,000, as a real repository had."""
    return n // 5


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml keeping tags it cannot construct (!ENV, !!python/name:...) as nodes."""


class _Dumper(yaml.SafeDumper):
    pass


class _Tagged:
    def __init__(self, node: yaml.Node):
        self.node = node


for _prefix in ("!", "tag:yaml.org,2002:python/"):
    _Loader.add_multi_constructor(_prefix, lambda loader, suffix, node: _Tagged(node))
_Dumper.add_representer(_Tagged, lambda dumper, tagged: tagged.node)


def mkdocs_config() -> dict:
    """The repository's mkdocs.yml, its Python tags kept as they are written."""
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)


def site_config(
    data: Path,
    name: str,
    watch_code: bool = True,
    skip_editions: list[str] | None = None,
    history: bool = True,
    folder: Path = OUT,
) -> Path:
    """The repository's mkdocs.yml, pointed at `data`, written where it can live outside the
    repository root: every path in it made absolute. Broken links in docs/ are reported at info
    level, so a docs page someone is still writing cannot stop the benchmark. Without
    `watch_code`, `mkdocs serve` watches the records and docs only, so edits to the code made
    while the preview is measured do not set off rebuilds of their own. `skip_editions`: the
    editions of mkdocs.yml not to build. Without `history`, the plugin's `history: false`.
    Written into `folder`."""
    config = mkdocs_config()
    config["docs_dir"] = str(ROOT / config.get("docs_dir", "docs"))
    (options,) = [plugin["timeline"] for plugin in config["plugins"] if "timeline" in plugin]
    incidents = options.get("incidents", "incidents")
    watch = [str(ROOT / w) for w in config.get("watch") or [] if Path(w) != Path(incidents)]
    config["watch"] = [*(watch if watch_code else ()), str(data)]
    options["incidents"] = str(data)
    if skip_editions:  # editions not built (the first alone: what the others cost)
        options["skip_editions"] = skip_editions
    if not history:
        options["history"] = False
    theme = config.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        theme["custom_dir"] = str(ROOT / theme["custom_dir"])
    config["validation"] = {"links": dict.fromkeys(("not_found", "anchors", "unrecognized_links"), "info")}
    path = folder / f"mkdocs-{name}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def floor_project(pages: int) -> Path:
    """A bare Material for MkDocs project of `pages` tiny pages, only the home page in the nav."""

    def make(folder: Path) -> None:
        docs = folder / "docs"
        docs.mkdir()
        (docs / "index.md").write_text("# Home\n\nA plain page.\n")
        for n in range(1, pages):
            if n == 1 or n % 1000 == 0:
                (docs / f"p{n // 1000}").mkdir()
            (docs / f"p{n // 1000}" / f"page-{n}.md").write_text(f"# Page {n}\n\nA plain page.\n")
        (folder / "mkdocs.yml").write_text(
            "site_name: Floor\ntheme:\n  name: material\nplugins: []\nnav:\n  - Home: index.md\n"
        )

    return _cached(OUT / "floor" / str(pages), f"{pages} pages", make)
