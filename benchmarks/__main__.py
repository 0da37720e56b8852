"""`python -m benchmarks`: measure every size, print the table, write docs/performance.md."""

from __future__ import annotations

import argparse
import sys

from generator.languages import configured_languages
from generator.synthetic import HISTORY_COMMITS

from . import hugo, quality, report, serve, site
from . import weight as first_views
from .report import Row, ratio, seconds, size
from .run import (
    MAX_RUNS,
    OUT,
    PYTHON,
    ROOT,
    best,
    best_side_by_side,
    dataset,
    empty_trash,
    floor_project,
    history_edits,
    set_aside,
    settled_run,
    site_config,
)

PARSE_FLOOR = """import pathlib, sys, yaml
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""
# `python -m generator build` as its entry point runs it (cli.run, which ends the process with
# os._exit), then the generator's own peak memory (its Pagefind processes apart)
BUILD = """import os, resource, sys
from generator import cli
end, me = os._exit, os.getpid()
def report_peak(code):  # in this process, not in the ones it forks
    if os.getpid() == me:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(f"generator peak: {peak}", file=sys.stderr, flush=True)
    end(code)
os._exit = report_peak
sys.argv[0] = "generator"
cli.run()
"""
GB, KB = 1 << 30, 1 << 10
PARTS = ("validate", "build", "history", "quality", "memory")  # what --only can name
PREVIEW_AT = 10_000  # where a PR check and the live preview are measured


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def validate_rows(n: int, data, args, notes: list[str]) -> list[Row]:
    say(f"[{n:,}] validate, and its floor")
    run, floor, runs = best_side_by_side(
        [PYTHON, "-m", "generator", "validate", data],
        [PYTHON, "-c", PARSE_FLOOR, data],
        args.repeat,
        budget=args.budget,
    )
    notes.append(f"{n:,}: validate and its floor, the best of {runs} runs each.")
    rows = [
        Row(n, "validate", seconds(run.wall), seconds(floor.wall), ratio(run.wall, floor.wall), "≤ 1.5×",
            run.wall <= 1.5 * floor.wall),
        Row(n, "validate, CPU", seconds(run.cpu), seconds(floor.cpu), ratio(run.cpu, floor.cpu)),
    ]  # fmt: skip
    if n == PREVIEW_AT:
        say(f"[{n:,}] validate --changed, one file changed")
        changed = next(iter(sorted(data.glob("*/*.yaml"))))
        original = changed.read_bytes()
        try:  # what a pre-commit hook or a pull request check runs on the file it changes
            changed.write_bytes(original + b"# changed by the benchmark\n")
            one = best([PYTHON, "-m", "generator", "validate", data, "--changed", changed], args.repeat)
        finally:
            changed.write_bytes(original)
        rows.append(Row(n, "validate --changed, one file changed", seconds(one.wall), goal="≤ 1 s",
                        met=one.wall <= 1))  # fmt: skip
    return rows


def preview_rows(n: int, config, data, build_wall: float, notes: list[str]) -> list[Row]:
    say(f"[{n:,}] live preview: mkdocs serve, one incident edited")
    try:
        found = serve.edit_to_page(config, data, timeout=max(600.0, 5 * build_wall))
    except (RuntimeError, TimeoutError, OSError) as error:
        notes.append(f"{n:,}: live preview not measured: {error} (log: bench-out/serve.log)")
        return [Row(n, "live preview, one edit", "not measured (see notes)", goal="far below the build")]
    flags, edit = " ".join(found.flags), found.edit
    notes.append(f"{n:,}: `mkdocs serve {flags}` took {seconds(found.ready)} to serve its first page.")
    rows = [Row(n, f"live preview, one edit (serve {flags})", seconds(edit), seconds(build_wall),
                ratio(edit, build_wall), "far below (≤ 0.1×)", edit <= 0.1 * build_wall)]  # fmt: skip
    if found.every is not None:
        rows.append(Row(n, "live preview, one edit, its page in every edition", seconds(found.every),
                        seconds(build_wall), ratio(found.every, build_wall)))  # fmt: skip
    return rows


def build_command(data, out, config) -> list:
    """Our build of `data` into `out`, with mkdocs.yml's copy `config`, reporting its own peak."""
    return [PYTHON, "-c", BUILD, "build", "--incidents", data, "--site-dir", out, "--config", config]


def own_peak(run) -> int:
    """The generator process's peak memory, as BUILD reported it."""
    return int(run.output.rsplit("generator peak: ", 1)[1].split()[0])


def build_rows(n: int, data, args, notes: list[str], previous: dict) -> list[Row]:
    config, out, rows = site_config(data, str(n)), OUT / f"site-{n}", []
    say(f"[{n:,}] full build")
    command = build_command(data, out, config)
    first = settled_run(command, out)
    if first.code != 0:
        raise RuntimeError(f"the build exited {first.code}:\n{first.output[-3000:]}")
    languages = tuple(configured_languages(ROOT / "mkdocs.yml"))
    found = site.sizes(out, languages)  # the floor has as many pages
    say(f"[{n:,}] floor: bare mkdocs build of {found.html_pages:,} pages, in turn with ours")
    project, floor_out = floor_project(found.html_pages - 1), OUT / "floor-site"
    floor_command = [PYTHON, "-m", "mkdocs", "build", "-q", "-f", project / "mkdocs.yml", "-d", floor_out]
    sites = (out, floor_out)
    run, floor, runs = best_side_by_side(command, floor_command, args.repeat, sites, first, args.budget)
    notes.append(f"{n:,}: the build and its floor, the best of {runs} runs each.")
    set_aside(floor_out)
    beside_hugo, hugo_floor = hugo_rows(n, data, found, run, min(runs, 3), notes, len(languages))
    rows += beside_hugo
    own = own_peak(run)
    per = max(found.edition(code) for code in languages) / n  # the goal is an edition's
    flat = previous.get("per") is None or per <= previous["per"] * 1.1
    largest, where = found.largest
    rows = rows + [
        Row(n, "full build", seconds(run.wall), seconds(floor.wall), ratio(run.wall, floor.wall), "≤ 1.25×",
            run.wall <= 1.25 * floor.wall),
        Row(n, "full build, CPU", seconds(run.cpu), seconds(floor.cpu), ratio(run.cpu, floor.cpu)),
        Row(n, "site size per incident, the largest edition", f"{size(per)} ({size(found.total)} in all, "
            f"{len(languages)} edition(s))", goal="≤ 25 KB, flat", met=per <= 25 * KB and flat),
        *by_part_rows(n, found),
        Row(n, "largest HTML page", f"{size(largest)} ({where})", goal="≤ 500 KB", met=largest <= 500 * KB),
        Row(n, "peak memory of build", size(run.peak), goal="linear; ≤ 2 GB at 100,000", met=run.peak <= 2 * GB),
        Row(n, "peak memory of the generator process (Pagefind's apart)", size(own)),
    ]  # fmt: skip
    timeline = found.largest_of.get("timeline", (0, "timeline/index.html"))[1]
    judged = n == PREVIEW_AT  # the issue sets the download goals at 10,000 incidents
    goal = "≤ 500 KB" if judged else "— (set at 10,000)"
    for label, page in (("home page", "index.html"), (f"timeline page ({timeline})", timeline)):
        weight, gz = site.page_weight(out, page)
        rows.append(Row(n, f"download: {label}", f"{size(gz)} transferred ({size(weight)} as stored)",
                        goal=goal, met=gz <= 500 * KB if judged else None))  # fmt: skip
    incident = first_views.default_pages(out)[0]  # a reader's first view of one incident page
    stored, sent = (sum(f[i] for f in first_views.first_view(out, incident)) for i in (1, 2))
    rows.append(Row(n, f"download: incident page, first view ({incident.split('/')[0]}/…)",
                    f"{size(sent)} transferred ({size(stored)} as stored)", goal="≤ 50 KB",
                    met=sent <= 50 * KB))  # fmt: skip
    html = (out / incident).read_text("utf-8")
    rows.append(Row(n, "incident page HTML, by part (python -m benchmarks.weight)",
                    " · ".join(f"{name} {size(raw)}" for name, raw in first_views.html_parts(html))))  # fmt: skip
    search = site.search_weight(out)  # its goal holds at every size (issue 22)
    if search is None:
        rows.append(Row(n, "download: first search query", "not measured yet", goal="≤ 500 KB"))
        notes.append(f"{n:,}: the built site has no pagefind/ folder, so search was not measured.")
    else:
        value = f"{size(search[1])} transferred ({size(search[0])} as stored)"
        rows.append(Row(n, "download: first search query", value, goal="≤ 500 KB", met=search[1] <= 500 * KB))
    rows += further_edition_downloads(n, out, languages[1:])
    rows += editions_rows(n, data, command, out, args, notes, hugo_floor, first=run)
    if n == PREVIEW_AT and not args.no_serve:
        rows += preview_rows(n, site_config(data, f"{n}-serve", watch_code=False), data, run.wall, notes)
    if not args.keep:
        set_aside(out)
    previous.update(per=per, peak=run.peak, own=own, n=n)
    return rows


def further_edition_downloads(n: int, out, codes) -> list[Row]:
    """What a reader downloads in each further edition (issue 21: within the same limits): its
    home page, an incident page's first view and a first search query of its own index."""
    rows = []
    for code in codes:
        home = site.page_weight(out, f"{code}/index.html")[1]
        incident = f"{code}/" + first_views.default_pages(out / code)[0]
        sent = sum(f[2] for f in first_views.first_view(out, incident))
        search = site.search_weight(out / code)  # the edition is a site of its own under /<code>/
        rows += [
            Row(n, f"download, {code} edition: home page", f"{size(home)} transferred", goal="≤ 500 KB",
                met=home <= 500 * KB),
            Row(n, f"download, {code} edition: incident page, first view", f"{size(sent)} transferred",
                goal="≤ 50 KB", met=sent <= 50 * KB),
        ]  # fmt: skip
        if search is not None:
            rows.append(Row(n, f"download, {code} edition: first search query", f"{size(search[1])} transferred",
                            goal="≤ 500 KB", met=search[1] <= 500 * KB))  # fmt: skip
    return rows


def history_rows(n: int, args, notes: list[str]) -> list[Row]:
    """The full build of records with a git history (history.py reads it: every incident page
    shows its revisions) against the same build with `history: false`, side by side."""
    data, commits = dataset(n, args.seed, history=True), HISTORY_COMMITS + history_edits(n)
    say(f"[{n:,}] full build with a git history of {commits:,} commits, in turn with history off")
    runs = []
    for label, history in (("history", True), ("no-history", False)):
        config, out = site_config(data, f"{n}-{label}", history=history), OUT / f"site-{n}-{label}"
        runs.append(([PYTHON, "-m", "generator", "build", "--incidents", data, "--site-dir", out,
                      "--config", config], out))  # fmt: skip
    (ours, ours_out), (floor, floor_out) = runs
    run, off, count = best_side_by_side(ours, floor, args.repeat, (ours_out, floor_out), None, args.budget)
    set_aside(ours_out)
    set_aside(floor_out)
    notes.append(
        f"{n:,}: the build with a git history ({HISTORY_COMMITS} commits adding the records, then"
        f" {history_edits(n):,} single-record edits) and with `history: false`, the best of {count} runs each."
    )
    return [
        Row(n, f"full build, git history of {commits:,} commits (floor: history off)", seconds(run.wall),
            seconds(off.wall), ratio(run.wall, off.wall), "≤ 1.05×", run.wall <= 1.05 * off.wall),
        Row(n, "full build, git history, CPU", seconds(run.cpu), seconds(off.cpu), ratio(run.cpu, off.cpu)),
    ]  # fmt: skip


def quality_rows(n: int, args) -> list[Row]:
    labels = {"words": "search: a word of one incident finds it first",
              "names": "search: a two-word name of one incident finds it first"}  # fmt: skip
    rows = []
    for found in quality.measure(n, args.seed, say):
        share, floor = found.ours / max(1, found.queries), found.floor / max(1, found.queries)
        rows.append(Row(n, labels[found.kind], f"{share:.1%} ({found.ours} of {found.queries} queries)",
                        f"{floor:.1%} ({found.floor} of {found.queries})", ratio(share, floor),
                        "100 %, as one index", found.ours == found.queries))  # fmt: skip
        rows.append(Row(n, f"search: time per query ({found.kind}), in Chromium", f"{found.ours_ms:.1f} ms",
                        f"{found.floor_ms:.1f} ms", ratio(found.ours_ms, found.floor_ms)))  # fmt: skip
    return rows


def by_part_rows(n: int, found: site.Sizes) -> list[Row]:
    return [Row(n, f"site size per incident, by part ({code} edition)", " · ".join(
        f"{name} {size(parts[name] / n)}" for name in sorted(parts, key=parts.get, reverse=True)))
        for code, parts in found.editions.items()]  # fmt: skip


def hugo_rows(n: int, data, ours: site.Sizes, run, repeat: int, notes: list[str], editions: int = 1):
    """Our site beside a Hugo + Pagefind build of the same pages from the same records
    (benchmarks/hugo.py): bytes per incident and build time, each as a ratio to it. Hugo runs as
    many times as our build ran beside its mkdocs floor, up to 3, the best counted. Returns the
    rows and Hugo's best run. With several editions the time row is for information: the floor
    builds one language, and editions_rows sets the first edition alone beside it."""
    floor, built = hugo_floor(n, data, repeat, notes)
    label = "full build" + (f", all {editions} editions" if editions > 1 else "") + ", beside Hugo + Pagefind"
    judged = editions == 1
    return hugo_size_rows(n, ours, built) + [
        Row(n, label, seconds(run.wall), seconds(floor.wall), ratio(run.wall, floor.wall),
            "≤ 1.0×" if judged else "— (one language)", run.wall <= floor.wall if judged else None),
    ], floor  # fmt: skip


def hugo_floor(n: int, data, repeat: int, notes: list[str]):
    """Hugo + Pagefind's best of `repeat` builds of the records in `data`, and its site's sizes."""
    say(f"[{n:,}] floor: Hugo + Pagefind, the same pages from the same records")
    project = _cached_hugo_project(data)
    out = OUT / "hugo-site"
    floor = best_of_settled(hugo.command(project, out), out, repeat)
    hugo.check_drawn(project, out)
    built = site.sizes(out)
    set_aside(out)
    notes.append(
        f"{n:,}: Hugo {hugo.HUGO_VERSION} + Pagefind built {built.html_pages:,} pages, the best of"
        f" {repeat} run(s) ({seconds(floor.wall)}); its parts: "
        + ", ".join(
            f"{name} {size(found)}" for name, found in sorted(built.parts.items(), key=lambda i: -i[1])
        )
    )
    return floor, built


def hugo_size_rows(n: int, ours: site.Sizes, built: site.Sizes) -> list[Row]:
    """Each edition's bytes per incident beside the Hugo floor's, with and without the open data."""
    floor_per = built.total / n
    rows = [Row(n, "site size per incident, by part (the Hugo + Pagefind floor)", " · ".join(
        f"{name} {size(built.parts[name] / n)}" for name in sorted(built.parts, key=built.parts.get, reverse=True)))]  # fmt: skip
    for code, parts in ours.editions.items():  # the first edition holds the open data all share
        per = sum(parts.values()) / n
        pages = per - parts.get("open data", 0) / n  # what the floor has too
        rows.append(
            Row(
                n,
                f"site size per incident, {code} edition, beside Hugo + Pagefind",
                size(per),
                size(floor_per),
                ratio(per, floor_per),
                "≤ 1.0×",
                per <= floor_per,
            )
        )
        if parts.get("open data"):
            rows.append(
                Row(
                    n,
                    f"site size per incident, {code} edition, without the open data (which the floor lacks)",
                    size(pages),
                    size(floor_per),
                    ratio(pages, floor_per),
                )
            )
    return rows


def _cached_hugo_project(data):
    from .run import _cached

    key = f"hugo {hugo.HUGO_VERSION} {hugo.fingerprint()} " + (data / ".bench-stamp").read_text()
    return _cached(OUT / "hugo" / data.name, key, lambda folder: hugo.write_project(data, folder))


def best_of_settled(command: list, out, repeat: int):
    runs = [settled_run(command, out) for _ in range(max(1, repeat))]
    for run in runs:
        if run.code != 0:
            raise RuntimeError(f"the Hugo floor exited {run.code}:\n{run.output[-3000:]}")
    return min(runs, key=lambda r: r.wall)


def editions_rows(
    n: int, data, command: list, out, args, notes: list[str], hugo_floor=None, first=None
) -> list[Row]:
    """Every edition of mkdocs.yml against the first alone, side by side (issue 21: validation,
    exports and history are shared, so the others cost their pages, feeds and search index).
    `first`: the best run of every edition made beside the bare mkdocs floor, counted among
    this comparison's (the same command on the same records)."""
    languages = configured_languages(ROOT / "mkdocs.yml")
    if len(languages) < 2:
        return []
    say(f"[{n:,}] the {len(languages)} editions, in turn with the first alone")
    alone = site_config(data, f"{n}-{languages[0]}", skip_editions=list(languages[1:]))
    alone_out = OUT / f"site-{n}-{languages[0]}"
    alone_command = [*command[:-1], alone]
    alone_command[alone_command.index(out)] = alone_out
    both, one, runs = best_side_by_side(
        command, alone_command, args.repeat, (out, alone_out), first, args.budget
    )
    set_aside(alone_out)
    notes.append(f"{n:,}: all {len(languages)} editions and the first alone, the best of {runs} runs each.")
    rows = [
        Row(n, f"full build, editions {'+'.join(languages)} (floor: {languages[0]} alone)", seconds(both.wall),
            seconds(one.wall), ratio(both.wall, one.wall), "≤ 1.8×", both.wall <= 1.8 * one.wall),
    ]  # fmt: skip
    if hugo_floor is not None:  # the floor builds one language: so does this build
        rows.append(Row(n, f"full build, {languages[0]} edition alone, beside Hugo + Pagefind", seconds(one.wall),
                        seconds(hugo_floor.wall), ratio(one.wall, hugo_floor.wall), "≤ 1.0×",
                        one.wall <= hugo_floor.wall))  # fmt: skip
    return rows


def size_rows(n: int, parts: set[str], args, notes: list[str], previous: dict, peaks: list) -> list[Row]:
    """The rows of one size, of the parts asked for (--only)."""
    data, rows = dataset(n, args.seed) if parts & {"validate", "build"} else None, []
    if "validate" in parts:
        rows += validate_rows(n, data, args, notes)
    if n > args.build_max and "memory" in parts:
        rows += memory_rows(n, data or dataset(n, args.seed), notes, previous)
        peaks.append((n, previous["peak"]))
    elif n > args.build_max:
        notes.append(f"{n:,}: validate only; sites are built up to --build-max {args.build_max:,}.")
    elif "build" in parts:
        rows += build_rows(n, data, args, notes, previous)
        peaks.append((n, previous["peak"]))
    if n <= args.build_max and "history" in parts:
        rows += history_rows(n, args, notes)
    if "quality" in parts and n <= args.quality_max:
        rows += quality_rows(n, args)
    elif "quality" in parts:
        notes.append(f"{n:,}: search quality not measured; it is, up to --quality-max {args.quality_max:,}.")
    return rows


def memory_rows(n: int, data, notes: list[str], previous: dict) -> list[Row]:
    """Past --build-max, one build and no floor: its peak memory, measured rather than drawn
    from smaller builds (Pagefind's processes are bounded by its shards, the generator's own
    memory is not a straight line from its fixed part)."""
    out = OUT / f"site-{n}"
    say(f"[{n:,}] one build, for its peak memory")
    run = settled_run(build_command(data, out, site_config(data, str(n))), out)
    if run.code != 0:
        raise RuntimeError(f"the build exited {run.code}:\n{run.output[-3000:]}")
    languages = tuple(configured_languages(ROOT / "mkdocs.yml"))
    found = site.sizes(out, languages)
    set_aside(out)
    own = own_peak(run)
    previous.update(peak=run.peak, n=n)
    notes.append(
        f"{n:,}: one build of every edition, untimed against a floor ({seconds(run.wall)}), for its peak memory."
    )
    _, built = hugo_floor(n, data, 1, notes)  # untimed too: its bytes, which issue 22 asks for here
    return [
        Row(n, "peak memory of build", size(run.peak), goal="≤ 2 GB", met=run.peak <= 2 * GB),
        Row(n, "peak memory of the generator process (Pagefind's apart)", size(own)),
        *by_part_rows(n, found),
        *hugo_size_rows(n, found, built),
    ]  # fmt: skip


def file_creation() -> str:
    probe = OUT / "file-creation"
    set_aside(probe)
    try:
        return report.file_creation(probe)
    finally:
        set_aside(probe)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated incident counts")
    parser.add_argument(
        "--build-max",
        type=int,
        default=10_000,  # 100,000 (and its floor) take about 4 minutes each on 2 cores: validate only
        help="build sites only up to this size (default 10000; 100000 to build every size)",
    )
    parser.add_argument(
        "--quality-max",
        type=int,
        default=10_000,  # one Pagefind index of 100,000 pages needs about 12 GB and many minutes
        help="measure search quality up to this size (default 10000; 0 to skip it)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each timed command; the best counts")
    parser.add_argument(
        "--budget",
        type=float,
        default=120.0,
        help="seconds a command and its floor keep running in turn, past --repeat (at most 10 runs each)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic datasets")
    parser.add_argument("--keep", action="store_true", help="keep the built sites in bench-out/")
    parser.add_argument("--no-serve", action="store_true", help="skip the live preview measurement")
    parser.add_argument("--output", default=str(ROOT / "docs" / "performance.md"), help="Markdown report")
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"comma-separated parts to measure, of {', '.join(PARTS)} (default: all)",
    )
    args = parser.parse_args(argv)
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())
    parts = {part.strip() for part in args.only.split(",") if part.strip()}
    if not parts <= set(PARTS):
        parser.error(f"--only: the parts are {', '.join(PARTS)}")
    info, rows, notes, previous, peaks = report.machine(), [], [], {}, []
    info["creating 10,000 folders with a file each, at start"] = file_creation()
    for n in sizes:
        say(f"[{n:,}] dataset")
        empty_trash()  # the previous size's sites, deleted before this size's runs, not during
        try:
            rows += size_rows(n, parts, args, notes, previous, peaks)
        except RuntimeError as error:  # a command failed: say so, go on with the next size
            rows.append(Row(n, "failed (see notes)", str(error).splitlines()[0][:100]))
            notes.append(f"{n:,}: {error}".replace("\n", " ")[:2000])
        print(report.text_table(rows), file=sys.stderr)
        report.write_markdown(ROOT / args.output, rows, info, [*notes, "(partial: the run goes on)"])
    if len(peaks) >= 2 and peaks[-1][0] < 100_000:  # not measured there: linear from the two largest
        (n0, p0), (n1, p1) = peaks[-2:]
        projected = p1 + (p1 - p0) / (n1 - n0) * (100_000 - n1)
        rows.append(Row(100_000, "peak memory of build, projected", size(projected), goal="≤ 2 GB",
                        met=projected <= 2 * GB))  # fmt: skip
    notes.append(
        f"seed {args.seed}; each timed command ran at least {args.repeat} time(s), and a command and"
        f" its floor ran again in turn until {args.budget:.0f} s had gone by (at most {MAX_RUNS} runs)."
    )
    info["creating 10,000 folders with a file each, at the end"] = file_creation()
    empty_trash(settle=False)
    print(report.text_table(rows))
    report.write_markdown(ROOT / args.output, rows, info, notes)
    say(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
