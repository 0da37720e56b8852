"""Where the time goes: `python -m benchmarks.profile --size 10000` profiles validate and the full
build with pyinstrument (`pip install pyinstrument`) and sums the samples by stage.

Each sample counts for the innermost stage on its stack, so a stage's seconds exclude the stages
it calls (a summary's Markdown is not counted again in the page that shows it). The full call
trees are written to bench-out/profile-<command>-<size>.txt.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections import defaultdict

from .run import OUT, PYTHON, dataset, measure, site_config

# (stage, function name or "*", a piece of the file's path), innermost match wins
VALIDATE = [
    ("imports and start-up", "_find_and_load", "<frozen importlib"),
    ("finding files (scandir)", "find_incident_files", "generator/folder.py"),
    ("reading files", "read_record", "generator/files.py"),
    ("display_path (os.path.relpath per file)", "display_path", "generator/folder.py"),
    ("decode + pre-checks (control chars, nesting)", "_decode", "generator/load.py"),
    ("decode + pre-checks (control chars, nesting)", "_may_nest_deeply", "generator/load.py"),
    ("event scan of files with [!&*]", "_scan_events", "generator/load.py"),
    ("YAML compose (libyaml, node objects, resolver)", "compose", "yaml/__init__.py"),
    ("YAML compose (libyaml, node objects, resolver)", "resolve", "generator/load.py"),
    ("schema check (schema.py, types.py)", "check_node", "generator/schema.py"),
    ("incident rules (rules.py)", "*", "generator/rules.py"),
    ("model (incident_from)", "to_model", "generator/schema.py"),
    ("worker processes (unprofiled): wait, results", "from_workers", "generator/validate.py"),
    ("cross-file checks (duplicates, redirects)", "_possible_duplicates", "generator/validate.py"),
    ("cross-file checks (duplicates, redirects)", "_redirect_collisions", "generator/validate.py"),
    ("sorting and reporting problems", "*", "generator/report.py"),
]
BUILD = [
    ("imports and start-up", "_find_and_load", "<frozen importlib"),
    ("validate (on_config)", "validate_tree", "generator/validate.py"),
    ("plan and index (Renderer.plan)", "plan", "generator/render.py"),
    ("plan and index (Renderer.plan)", "plan", "generator/kinds.py"),
    ("mkdocs: config, files, nav", "load_config", "mkdocs/config/"),
    ("mkdocs: config, files, nav", "get_files", "mkdocs/"),
    ("mkdocs: config, files, nav", "get_navigation", "mkdocs/"),
    ("plugin: on_files (File.generated per page)", "on_files", "generator/plugin.py"),
    ("mkdocs: read source + Markdown per page (Page.render)", "read_source", "mkdocs/structure/pages.py"),
    ("mkdocs: read source + Markdown per page (Page.render)", "render", "mkdocs/structure/pages.py"),
    ("our page HTML (Renderer.render, Jinja)", "render", "generator/render.py"),
    ("summary Markdown + nh3", "summary_html", "generator/"),
    ("mkdocs: per-page rest (_populate_page, _build_page)", "_populate_page", "mkdocs/commands/build.py"),
    ("mkdocs: per-page rest (_populate_page, _build_page)", "_build_page", "mkdocs/commands/build.py"),
    ("theme templates per page (Material, Jinja)", "*", "material/templates/"),
    ("theme context (get_context)", "get_context", "mkdocs/commands/build.py"),
    ("CSP hashes (csp.py)", "*", "generator/csp.py"),
    ("writing files (mkdir, open, write)", "write_file", "mkdocs/utils/"),
    ("copying theme and docs assets", "copy_file", "mkdocs/structure/files.py"),
    ("sitemap, 404 (theme templates)", "_build_theme_template", "mkdocs/commands/build.py"),
    ("search index (Pagefind, generator/search.py)", "*", "generator/search.py"),
]


def stages(session_file, table) -> tuple[dict[str, float], float]:
    from pyinstrument.session import Session

    session = Session.load(str(session_file))
    totals: dict[str, float] = defaultdict(float)
    for stack, seconds in session.frame_records:
        label = "other"
        for frame in reversed(stack):
            name, path = frame.split("\x00")[:2]
            hit = next((s for s, f, p in table if p in path and f in ("*", name)), None)
            if hit:
                label = hit
                break
        totals[label] += seconds
    return totals, session.duration


def profile(name: str, argv: list, table, n: int) -> None:
    raw = OUT / f"profile-{name}-{n}.pyisession"
    run = measure([PYTHON, "-m", "pyinstrument", "-r", "pyisession", "-o", raw, "-m", "generator", *argv])
    if run.code != 0:
        sys.exit(f"{name} failed:\n{run.output[-3000:]}")
    tree = OUT / f"profile-{name}-{n}.txt"
    text = measure(
        [
            PYTHON,
            "-m",
            "pyinstrument",
            "--load",
            raw,
            "-o",
            tree,
            "-p",
            "processor_options.filter_threshold=0.005",
        ]
    )
    totals, duration = stages(raw, table)
    print(
        f"\n{name} at {n:,} incidents: {duration:.1f} s profiled ({run.wall:.1f} s wall, {run.cpu:.1f} s CPU)"
    )
    for label, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"  {seconds:7.2f} s  {100 * seconds / duration:5.1f} %  {label}")
    print(f"  call tree: {tree}" if text.code == 0 else "  (no call tree)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    parser.add_argument("--size", type=int, default=10_000, help="incidents (default 10000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=("validate", "build"), help="profile one command")
    parser.add_argument("--keep", action="store_true", help="keep the built site in bench-out/")
    args = parser.parse_args(argv)
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        sys.exit("needs pyinstrument: .venv/bin/pip install pyinstrument")
    data = dataset(args.size, args.seed)
    if args.only != "build":
        profile("validate", ["validate", data], VALIDATE, args.size)
    if args.only != "validate":
        site, config = OUT / f"profile-site-{args.size}", site_config(data, f"profile-{args.size}")
        profile(
            "build", ["build", "--incidents", data, "--site-dir", site, "--config", config], BUILD, args.size
        )
        if not args.keep:
            shutil.rmtree(site, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
