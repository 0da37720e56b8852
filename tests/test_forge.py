"""From a page to the forge: each record's edit and correction links, the registries' lines,
the issue form they prefill, and mkdocs' own edit button on the docs pages."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import sites
import yaml
from conftest import ROOT

from generator.forge import CORRECTION_FORM, entry_lines, forge_of

REPO = "https://github.com/example/incident-timeline"
SAMPLE = sites.Contents.read(ROOT / "incidents")


def config() -> dict:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def test_the_forge_comes_from_mkdocs_repo_url_and_edit_uri():
    settings = config()
    forge = forge_of(settings["repo_url"], settings["edit_uri"])
    assert (forge.kind, forge.repo, forge.branch) == ("github", REPO, "main")
    assert forge_of(REPO + "/", "edit/trunk/docs/").branch == "trunk"
    assert forge_of(None, "edit/main/docs/") is None
    assert forge_of("https://forge.example.net/a/b", "edit/main/docs/") is None, "unknown patterns: no link"
    assert forge_of("https://git.example.net/a/b", "edit/main/docs/", kind="github").repo.endswith("/a/b")


def test_addresses_follow_the_forges_patterns():
    forge = forge_of(REPO, "edit/main/docs/")
    path = forge.record_path("2015-08-08-a", 2015)
    assert forge.edit(path) == f"{REPO}/edit/main/incidents/2015/2015-08-08-a.yaml"
    assert forge.line("incidents/towns.yaml", 12) == f"{REPO}/blob/main/incidents/towns.yaml#L12"
    new = urlsplit(forge.new_file(path, 'title: "a & b #c"\n'))
    assert new.path == "/example/incident-timeline/new/main"
    assert parse_qs(new.query) == {"filename": [path], "value": ['title: "a & b #c"\n']}
    issue = urlsplit(forge.correction("2015-08-08-a", "https://example.org/x/?a=1&b=2"))
    assert issue.path == "/example/incident-timeline/issues/new"
    assert parse_qs(issue.query) == {
        "template": [CORRECTION_FORM],
        "incident": ["2015-08-08-a"],
        "address": ["https://example.org/x/?a=1&b=2"],
    }


def test_the_correction_form_has_the_fields_the_links_fill_in():
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / CORRECTION_FORM).read_text("utf-8"))
    fields = {item.get("id"): item for item in form["body"] if item.get("id")}
    assert {"incident", "address", "wrong", "source"} <= fields.keys()
    assert all(fields[name]["type"] == "input" for name in ("incident", "address"))  # prefillable
    assert {fields[name]["attributes"]["label"] for name in ("wrong", "source")} == {
        "What is wrong",
        "The source that says so",
    }


def links(html: str) -> dict[str, str]:
    return {
        text: href.replace("&amp;", "&") for href, text in re.findall(r'<a href="([^"]*)">([^<]*)</a>', html)
    }


def test_every_incident_page_links_its_file_and_a_correction(sample_site):
    for incident_id in SAMPLE.incidents:
        html = (sample_site / "incidents" / incident_id / "index.html").read_text("utf-8")
        found = links(html)
        edit = urlsplit(found["Edit this record"])
        assert edit.netloc == "github.com"
        path = edit.path.removeprefix("/example/incident-timeline/edit/main/")
        assert path == f"incidents/{SAMPLE.year(incident_id)}/{incident_id}.yaml"
        assert (ROOT / path).is_file()
        issue = parse_qs(urlsplit(found["Suggest a correction"]).query)
        assert issue["incident"] == [incident_id] and issue["template"] == [CORRECTION_FORM]
        assert issue["address"] == [f"{config()['site_url']}incidents/{incident_id}/"]


def test_town_and_group_pages_link_their_registry_entry_at_its_line(sample_site):
    for registry, entries in (("towns", SAMPLE.towns), ("groups", SAMPLE.groups)):
        lines = (ROOT / "incidents" / f"{registry}.yaml").read_text("utf-8").splitlines()
        for entry_id in entries:
            html = (sample_site / registry / entry_id / "index.html").read_text("utf-8")
            found = links(html)
            noun = registry.removesuffix("s")
            assert found[f"Edit this {noun}"] == f"{REPO}/edit/main/incidents/{registry}.yaml"
            assert f'CSV</a> · <a href="{REPO}/edit/' in html  # "CSV · Edit this town", not "CSV· Edit"
            (line_link,) = [href for text, href in found.items() if text.startswith(f"{registry}.yaml, line")]
            line = int(line_link.rsplit("#L", 1)[1])
            assert lines[line - 1].startswith(f"{entry_id}:"), (entry_id, line)


def test_entry_lines_reads_each_id_where_it_is_written(tmp_path):
    path = tmp_path / "towns.yaml"
    path.write_text("# towns\nmarea:\n  name: Marea\n\nal-bab:\n  name: al-Bab\n", encoding="utf-8")
    assert entry_lines(path) == {"marea": 2, "al-bab": 5}
    assert entry_lines(tmp_path / "missing.yaml") == {}


def test_docs_pages_keep_materials_edit_button_and_generated_pages_have_none(sample_site):
    contributing = (sample_site / "contributing" / "index.html").read_text("utf-8")
    assert f'href="{REPO}/edit/main/docs/contributing.md"' in contributing and 'rel="edit"' in contributing
    for page in ("reference", "map", "timeline", "towns"):
        assert 'rel="edit"' not in (sample_site / page / "index.html").read_text("utf-8"), page
    incident = next(iter(SAMPLE.incidents))
    assert 'rel="edit"' not in (sample_site / "incidents" / incident / "index.html").read_text("utf-8")


def test_no_page_fetches_the_repository_from_the_forges_api(sample_site):
    """Material's repository widget asks api.github.com for stars in every reader's browser."""
    for path in (Path("index.html"), Path("contributing/index.html")):
        assert 'data-md-component="source"' not in (sample_site / path).read_text("utf-8")


def test_the_form_page_is_in_the_contributing_section_and_links_the_forge(sample_site):
    html = (sample_site / "new" / "index.html").read_text("utf-8")
    assert 'data-description="../assets/record-form.json"' in html
    assert f'href="{REPO}/new/main?filename=incidents/"' in html  # the no-JavaScript way to the forge
    guide = (sample_site / "contributing" / "index.html").read_text("utf-8")
    assert 'href="../new/"' in guide and "Three ways in" in guide
