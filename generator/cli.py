"""The command line: `python -m generator validate|schema|build|new|fmt|site-size ...`."""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import sys
from pathlib import Path

from . import footprint, report, signals
from .files import replace_text
from .languages import DEFAULT, LanguagesError, configured_languages
from .schema import FILES, INCIDENT_TYPES, json_schema
from .sitedir import describe
from .validate import NotARecord, drop_started, start_tree, validate_all, validate_changed


def validate(args) -> int:
    root = Path(args.incidents)
    if not root.is_dir():
        print(f"{root}: error: no such folder; give the folder that holds towns.yaml", file=sys.stderr)
        return 2
    workers = os.cpu_count() or 1
    # The process ends after one check: the cyclic collector would only scan the results once
    # more when validate turns it back on (nothing it makes has reference cycles).
    gc.disable()
    try:
        languages = _languages(args)
        if args.changed is not None:
            changed = [Path(name) for name in args.changed]
            result = validate_changed(root, changed, workers=workers, languages=languages)
        else:
            result = validate_all(root, workers=workers, languages=languages)
    except (NotARecord, LanguagesError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(report.as_json(result.problems, result.counts, result.coverage))
    else:
        print(report.REPORTERS[args.format](result.problems, result.counts))
        if result.coverage and args.changed is None:
            print(report.coverage(result.coverage))
    return 1 if result.errors else 0


def _languages(args) -> tuple[str, ...]:
    """--languages en,ar, else the timeline plugin's `languages` in --config (mkdocs.yml) when
    that file exists, else none (every language code is taken)."""
    if args.languages:
        return tuple(code.strip() for code in args.languages.split(",") if code.strip())
    return configured_languages(Path(args.config))


def schema(args) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for kind in FILES:
        text = json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"
        replace_text(out / f"{kind}.schema.json", text)
    print(f"wrote {len(FILES)} schemas to {out}/")
    return 0


def build(args) -> int:
    # As for validate: one build, then the process ends. Left on, the cyclic collector scans
    # the records and rendered lists the build keeps again and again (the cost is in
    # docs/performance.md); nothing the build makes per page holds a reference cycle (peak
    # memory is the same without it).
    gc.disable()
    # The records are checked on every core while mkdocs is imported; the build's own validation (the plugin's on_config) takes the result.
    with contextlib.suppress(LanguagesError):  # the build itself reports it
        start_tree(
            Path(args.incidents), os.cpu_count() or 1, configured_languages(Path(args.config)) or DEFAULT
        )
    try:
        from .build import build_site  # imports mkdocs: only the build needs it

        return build_site(Path(args.incidents), Path(args.site_dir), Path(args.config))
    finally:
        drop_started()  # if the build failed before its validation took the checks


def new(args) -> int:
    from . import new as new_record

    try:
        return new_record.main(args, sys.stdin, sys.stdout, sys.stderr)
    except new_record.Stop as stop:
        print(f"error: {stop}", file=sys.stderr)
        return 2


def fmt(args) -> int:
    from . import fmt as formatter  # imports ruamel.yaml: only fmt needs it

    return formatter.main(args.paths, args.check, sys.stdout)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("validate", help="check the incident records and report every problem")
    check.add_argument(
        "incidents", nargs="?", default="incidents", help="folder of records (default: incidents)"
    )
    check.add_argument(
        "--format",
        choices=sorted(report.REPORTERS),
        default="text",
        help="text (default), github (Actions annotations) or json",
    )
    check.add_argument(
        "--changed",
        nargs="*",
        metavar="FILE",
        help="check only these record files, and what in other files involves them (duplicates, "
        "redirects); towns.yaml or groups.yaml among them checks everything; none: the registries",
    )
    check.add_argument(
        "--languages",
        help="the site's languages, the records' own first (en,ar); default: the timeline plugin's"
        " `languages` in --config, when that file exists",
    )
    check.add_argument(
        "--config", default="mkdocs.yml", help="where to read the languages from (default: mkdocs.yml)"
    )
    check.set_defaults(run=validate)
    schemas = commands.add_parser("schema", help="write the JSON Schemas of the record files")
    schemas.add_argument("--out", default="docs/schema", help="folder to write to (default: docs/schema)")
    schemas.set_defaults(run=schema)
    site = commands.add_parser("build", help="validate, then build the site of any folder of records")
    site.add_argument("--incidents", default="incidents", help="folder of records (default: incidents)")
    site.add_argument("--site-dir", default="site", help="where to write the site (default: site)")
    site.add_argument("--config", default="mkdocs.yml", help="the mkdocs configuration (default: mkdocs.yml)")
    site.set_defaults(run=build)
    start = commands.add_parser("new", help="start a new incident file: asks for what the options don't give")
    start.add_argument("--date", help="YYYY-MM-DD, or YYYY-MM / YYYY when the day is unknown")
    start.add_argument("--title", help="what happened, in one line")
    start.add_argument("--type", help="one of: " + ", ".join(INCIDENT_TYPES))
    start.add_argument("--town", action="append", help="a town id or name (repeat for several)")
    start.add_argument("--group", action="append", help="a group id or name (repeat for several)")
    start.add_argument("--slug", help="the id after the date (default: made from the title)")
    start.add_argument("--summary", help="what happened (default: a TODO to fill in)")
    start.add_argument("--source-url", help="the address of the first source (default: a TODO)")
    start.add_argument("--publisher", help="who published the first source (default: a TODO)")
    start.add_argument("--incidents", default="incidents", help="folder of records (default: incidents)")
    start.add_argument(
        "--no-input", action="store_true", help="never ask: fail (exit 2) naming the missing options"
    )
    start.set_defaults(run=new)
    layout = commands.add_parser("fmt", help="rewrite incident files in the canonical layout, comments kept")
    layout.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders (default: incidents/; towns.yaml and groups.yaml are left as they are)",
    )
    layout.add_argument(
        "--check", action="store_true", help="change nothing; list the files that would change (exit 1)"
    )
    layout.set_defaults(run=fmt)
    weigh = commands.add_parser(
        "site-size", help="print a built site's size and file count; fail (exit 1) when over --limit"
    )
    weigh.add_argument("site", help="the built site's folder")
    weigh.add_argument(
        "--limit", default="1GB", help="the most the host takes (default: 1GB, GitHub Pages' limit)"
    )
    weigh.set_defaults(run=site_size)
    return top


def site_size(args) -> int:
    site = Path(args.site)
    if not site.is_dir():
        print(f"site-size: {site} is not a folder; build the site first", file=sys.stderr)
        return 2
    try:
        limit = footprint.parse_size(args.limit)
    except ValueError as error:
        print(f"site-size: --limit: {error}", file=sys.stderr)
        return 2
    found = footprint.measure(site)
    print(f"{site}: {found.text()} ({found.bytes:,} bytes); the limit is {footprint.human(limit)}")
    problem = footprint.over_limit(site, found, limit)
    if problem:
        if os.environ.get("GITHUB_ACTIONS") == "true":  # an error annotation on the run's summary
            print(f"::error title=The site is too large to publish::{problem}")
        print(problem, file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


def run() -> None:
    """Entry point: never let a traceback reach the user."""
    signals.install()
    try:
        code = main()
    except KeyboardInterrupt as interrupt:
        print("Stopped." if isinstance(interrupt, signals.Stopped) else "Interrupted.", file=sys.stderr)
        code = signals.exit_code(interrupt)
    except BrokenPipeError:  # output piped into `head` and cut short: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except OSError as error:  # the machine's fault (a full disk, a read-only folder), not ours
        print(f"error: {describe(error)}", file=sys.stderr)
        code = 1
    except Exception as error:  # a bug of ours, not the user's: say so plainly
        print(
            f"internal error: {type(error).__name__}: {error}\nPlease report this with the command you ran.",
            file=sys.stderr,
        )
        code = 3
    # Everything is written and closed by now. Python would free every object one by one as it
    # exits, and collect them once more: seconds after a large build, for nothing.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
