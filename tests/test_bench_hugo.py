"""benchmarks/hugo.py: the Hugo + Pagefind floor's project is made from the same records, and
Hugo is installed by make bench's own setup, never needed by make test."""

from __future__ import annotations

import importlib
import re
import sys

import pytest
import yaml
from conftest import ROOT


def hugo():
    if str(ROOT) not in sys.path:
        sys.path.append(str(ROOT))
    return importlib.import_module("benchmarks.hugo")


def test_hugo_is_pinned_for_the_benchmark_only():
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")  # tomllib is Python 3.11+
    lists = dict(re.findall(r"^(\w+) = \[\n(.*?)^\]", pyproject, re.S | re.M))
    assert f'"hugo=={hugo().HUGO_VERSION}"' in lists["bench"]
    assert "hugo" not in lists["test"] + lists["dependencies"]
    assert re.search(r"^bench: .*bench-installed", (ROOT / "Makefile").read_text(), re.M)


def test_the_floor_has_a_page_per_incident_town_and_group_from_the_same_records(tmp_path):
    from generator.synthetic import write_dataset
    from generator.validate import validate_tree

    data = tmp_path / "data"
    write_dataset(data, 40, seed=5)
    dataset = validate_tree(data).dataset
    hugo().write_project(data, tmp_path / "hugo")
    content = tmp_path / "hugo" / "content"
    incidents = sorted(p.stem for p in (content / "incidents").glob("*.md") if p.stem != "_index")
    assert incidents == sorted(i.id for i in dataset.incidents)
    assert {p.name for p in (content / "towns").iterdir()} == set(dataset.towns)
    assert {p.name for p in (content / "groups").iterdir()} == set(dataset.groups)
    years = {i.date.sort_key[0] for i in dataset.incidents}
    assert {int(p.stem) for p in (content / "timeline").glob("2*.md")} == years
    first = dataset.incidents[0]
    text = (content / "incidents" / f"{first.id}.md").read_text("utf-8")
    front, body = text.split("---\n")[1:3]
    meta = yaml.safe_load(front)
    assert (meta["title"], meta["towns"], meta["groups"]) == (
        first.title,
        list(first.towns),
        list(first.groups),
    )
    assert body.strip() == first.summary.strip()
    # the same text as our page: every casualty report and source, the town's other names
    assert len(meta["casualties"]) >= len(first.casualties)
    assert [s["url"] for s in meta["sources"]] == [s.url for s in first.sources]
    town = dataset.towns[first.towns[0]]
    town_front = yaml.safe_load(
        (content / "towns" / town.id / "_index.md").read_text("utf-8").split("---\n")[1]
    )
    assert (town_front["title"], town_front["aka"]) == (town.name, list(town.aliases))
    assert "limit = 50" in (tmp_path / "hugo" / "hugo.toml").read_text()


def test_the_bench_refuses_a_floor_page_drawn_by_another_kinds_template(tmp_path):
    from generator.synthetic import write_dataset

    write_dataset(tmp_path / "data", 20, seed=5)
    project, out = tmp_path / "hugo", tmp_path / "out"
    hugo().write_project(tmp_path / "data", project)
    own = {"incidents": "<h2 id=cite>", "towns": "<h2 id=incidents>", "groups": '<h2 id="incidents">'}
    own["timeline"] = "<ol><li data-type=battle>"
    for kind, mark in own.items():
        for item in (project / "content" / kind).iterdir():
            (out / kind / item.name.removesuffix(".md")).mkdir(parents=True, exist_ok=True)
            (out / kind / item.name.removesuffix(".md") / "index.html").write_text(f"<main>{mark}</main>")
    (out / "sitemap.xml").write_text('<url><xhtml:link rel="alternate" hreflang="ar" href="x"/></url>')
    hugo().check_drawn(project, out)
    town = min(p.name for p in (project / "content" / "towns").iterdir())
    (out / "towns" / town / "index.html").write_text("<main><h1>Towns</h1><ul><li>(0)</li></ul></main>")
    with pytest.raises(RuntimeError, match=f"towns/{town}/index.html"):
        hugo().check_drawn(project, out)
    assert not (ROOT / "benchmarks" / "hugo_site" / "layouts" / "_default").exists()  # Hugo 0.146+


def test_a_record_title_stays_a_front_matter_value(tmp_path):
    hostile = 'x"\ntitle: injected\n---\n<script>alert(1)</script>'
    front = hugo()._front({"title": hostile, "tags": [hostile]}).split("---\n")[1]
    assert yaml.safe_load(front) == {"title": hostile, "tags": [hostile]}


def test_performance_md_says_what_make_bench_writes_before_its_figures():
    """make bench writes docs/performance.md from benchmarks/report.py's text: an edit to the page
    alone would be lost at the next run."""
    report = importlib.import_module("benchmarks.report")
    page = (ROOT / "docs" / "performance.md").read_text("utf-8")
    assert page.startswith(report.INTRO + "\n" + report.BYTES + "\n## Machine\n")
