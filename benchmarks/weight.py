"""`python -m benchmarks.weight SITE [PAGE ...]`: where the bytes of a page and its first view go.

For each page (site-relative; by default the first incident page and the contributing docs
page, beside each other), every file a browser fetches to show it: the HTML and the
stylesheets, scripts, images and fonts it references (`site.references`), as stored and
gzip-compressed as a static host sends them; then the page's HTML split into the parts of the
theme (head, header, tabs, navigation drawer, table of contents, footer, scripts) and its
content. `make bench` prints the totals; this prints where they go.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

from .report import size
from .site import references

# The parts of a page as Material draws it, in order; each starts where its pattern matches
# and runs to the next part that is found. What comes before the first is the <head>.
PARTS = (
    ("header", r"<body\b"),
    ("tabs", r'<nav class="md-tabs\b'),
    ("navigation drawer", r'<div class="md-sidebar md-sidebar--primary\b'),
    ("table of contents", r'<div class="md-sidebar md-sidebar--secondary"'),
    ("content", r'<article class="md-(?:content__inner|typeset)'),  # a generated page's: md-typeset
    ("footer", r"<footer\b"),
    ("scripts and dialog", r'<div class="md-dialog"|<script id="__config"|<script src='),
)


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6, mtime=0))


def first_view(site: Path, page: str) -> list[tuple[str, int, int]]:
    """(file, bytes as stored, gzipped) of the page and everything it references."""
    files = sorted({page, *references(site, page)})
    return [(f, len(data), gz(data)) for f in files for data in [(site / f).read_bytes()]]


def html_parts(html: str) -> list[tuple[str, int]]:
    """(part, bytes as stored) of a page's HTML, the <head> first, in the order of the page."""
    starts = [(0, "head")]
    for name, pattern in PARTS:
        found = re.search(pattern, html)
        if found and found.start() >= starts[-1][0]:
            starts.append((found.start(), name))
    ends = [start for start, _ in starts[1:]] + [len(html)]
    return [(name, len(html[start:end].encode())) for (start, name), end in zip(starts, ends, strict=True)]


def svg_bytes(html: str) -> tuple[int, int]:
    """(inline <svg> elements, their bytes)."""
    found = re.findall(r"<svg\b.*?</svg>", html, re.S)
    return len(found), sum(len(s.encode()) for s in found)


def default_pages(site: Path) -> list[str]:
    incident = next(iter(sorted((site / "incidents").glob("*/index.html"))), None)
    pages = [incident.relative_to(site).as_posix()] if incident else []
    return pages + [p for p in ("contributing/index.html",) if (site / p).is_file()]


def report(site: Path, pages: list[str]) -> str:
    lines = []
    for page in pages:
        files = first_view(site, page)
        stored, sent = sum(f[1] for f in files), sum(f[2] for f in files)
        lines.append(f"{page}: first view {size(sent)} transferred ({size(stored)} as stored)")
        for name, raw, packed in sorted(files, key=lambda f: -f[2]):
            lines.append(f"  {size(packed):>9} gz {size(raw):>9}  {name}")
        html = (site / page).read_text("utf-8")
        lines.append("  its HTML by part (as stored):")
        for name, raw in html_parts(html):
            lines.append(f"  {size(raw):>9}  {name}")
        count, svg = svg_bytes(html)
        lines.append(f"  inline <svg> icons: {count}, {size(svg)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.weight", description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path, help="a built site's folder")
    parser.add_argument(
        "pages", nargs="*", help="site-relative pages (default: an incident page and a docs page)"
    )
    args = parser.parse_args(argv)
    pages = [page_file(args.site, page) for page in args.pages] or default_pages(args.site)
    missing = [page for page in pages if not (args.site / page).is_file()]
    if missing:
        parser.error(f"no page {', '.join(missing)} in {args.site}: give a built site and pages in it")
    print(report(args.site, pages))
    return 0


def page_file(site: Path, page: str) -> str:
    """A page as its address gives it ("incidents/x/" or "incidents/x") or as its file."""
    return f"{page.rstrip('/')}/index.html".lstrip("/") if (site / page).is_dir() else page


if __name__ == "__main__":
    sys.exit(main())
