"""The page plan: long lists are split so no page grows with the dataset."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from generator import kinds, lookups, pages
from generator.i18n import Words
from generator.render import Renderer
from generator.synthetic import write_dataset
from generator.validate import validate_tree


@pytest.fixture(scope="module")
def renderer(tmp_path_factory):
    root = tmp_path_factory.mktemp("records")
    write_dataset(root, 900, seed=3)
    return Renderer(validate_tree(root).dataset)


def test_a_group_lists_its_incidents_in_parts_newest_first(renderer, monkeypatch):
    monkeypatch.setattr(pages, "LIST_CHUNK", 50)
    index = renderer.index
    group = max(index.by_group, key=lambda g: len(index.by_group[g]))
    incidents = index.by_group[group]
    plan = list(kinds.plan(index))
    parts = [p for p in plan if p.kind is kinds.MORE and p.key.registry == "groups" and p.key.id == group]
    assert len(parts) + 1 == -(-len(incidents) // 50)
    listed = pages.newest_first(incidents) + [
        i for p in parts for i in pages.newest_first(incidents, p.key.part)
    ]
    assert listed == incidents[::-1], "every incident once, newest first"


@pytest.mark.parametrize(
    "words, one, three",
    [
        (Words(), "And 1 more town with fewer incidents.", "And 3 more towns with fewer incidents."),
        (Words("ar", "ar_SY", native=False), "وبلدة أخرى فيها أحداث أقل.", "و3 بلدات أخرى فيها أحداث أقل."),
    ],
)
def test_a_group_page_counts_the_towns_it_leaves_out_in_the_right_plural(
    renderer, monkeypatch, words, one, three
):
    """Not "And 1 more towns": the towns past the first TOP_TOWNS, in the edition's plural forms."""
    edition = Renderer(renderer.dataset, replace(renderer.site, words=words))
    group = max(edition.index.by_group, key=lambda g: len(edition.index.towns_of_group(g)))
    page = next(p for p in edition.plan() if p.kind is kinds.GROUP and p.key == group)
    towns = len(edition.index.towns_of_group(group))
    for left_out, expected in ((1, one), (3, three)):
        monkeypatch.setattr(pages, "TOP_TOWNS", towns - left_out)
        assert f"<p>{expected}</p>" in edition.render(page)


def test_json_in_a_page_is_compact_in_utf8_and_cannot_end_its_element(renderer):
    """tojson (the timeline's names, the map's and the form's words): letters as UTF-8, not
    \\uXXXX, and no spaces; a name with </script>, quotes or & stays inside its element."""
    name = "عين </script><script>alert(1)</script> 'x' & \"y\""
    arabic = Renderer(renderer.dataset, replace(renderer.site, words=Words("ar", "ar_SY", native=False)))
    written = arabic.env.from_string("{{ value | tojson }}").render(value={"towns": {"a": name}})
    escaped = "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e \\u0027x\\u0027 \\u0026"
    assert written == '{"towns":{"a":"عين ' + escaped + ' \\"y\\""}}'
    assert json.loads(written) == {"towns": {"a": name}}
    year = next(p for p in arabic.plan() if p.kind is kinds.TIMELINE_YEAR)
    names = re.search(r'<script type="application/json" class="tl-names">(.*?)</script>', arabic.render(year))
    assert re.search("[\u0600-\u06ff]", names[1]) and "\\u06" not in names[1] and '", "' not in names[1]


def test_a_timeline_line_names_its_type_towns_and_groups_by_their_place_in_the_pages_names(renderer):
    """data-f ("2 0,7 1,3"): the places of the line's type, towns and groups in the page's lists
    of them, which timeline.js turns back into their ids for its filters."""
    by_url = {incident.url: incident for incident in renderer.dataset.incidents}
    for page in (p for p in renderer.plan() if p.kind is kinds.TIMELINE_YEAR):
        html = renderer.render(page)
        names = json.loads(re.search(r'class="tl-names">(.*?)</script>', html)[1])
        lists = [[key for key, _ in names[field]] for field in ("types", "towns", "groups")]
        lines = re.findall(r'<li data-f="([^"]*)">.*?<a href="\.\./\.\./([^"]+)"', html)
        assert len(lines) == html.count("<li")
        for values, url in lines:
            incident = by_url[url]
            found = [
                [ids[int(n)] for n in part.split(",") if n]
                for ids, part in zip(lists, values.split(" "), strict=True)
            ]
            assert found == [[incident.type], list(incident.towns), list(incident.groups)]


def test_many_towns_are_indexed_by_province(renderer, monkeypatch):
    monkeypatch.setattr(pages, "PROVINCE_SPLIT", 10)
    plan = list(kinds.plan(renderer.index))
    provinces = [p for p in plan if p.url.startswith("provinces/")]
    assert {p.key for p in provinces} == set(renderer.index.provinces)
    shown = sum(len(re.findall(r'href="\.\./\.\./towns/[a-z0-9-]+/"', renderer.render(p))) for p in provinces)
    assert shown == len(renderer.dataset.towns)
    assert "provinces/" in renderer.render(next(p for p in plan if p.url == "towns/"))


def test_province_slugs_are_unique_and_safe():
    assert lookups.slug("Deir ez-Zor") == "deir-ez-zor"
    assert lookups.slug("../../etc") == "etc" and lookups.slug("حلب") == "province"


def _edits(data):
    """Edits a contributor makes to the middle incident: (what, it is replaced by)."""
    incidents = list(data.incidents)
    middle, last = incidents[len(incidents) // 2], incidents[-1]
    town = next(t for t in data.towns if t not in middle.towns)
    group = next(g for g in data.groups if g not in middle.groups)
    earlier = incidents[3].date
    yield "title", [replace(middle, title=middle.title + " (corrected)")]
    yield "summary", [replace(middle, summary="New summary.")]
    yield "towns", [replace(middle, towns=(*middle.towns, town))]
    yield "groups", [replace(middle, groups=(group,))]
    yield "date", [replace(middle, date=earlier)]
    yield "added", [middle, replace(last, id=last.id + "-again", title="Another one")]
    yield "deleted", []
    yield "redirect", [replace(middle, redirect_from=("old-id",))]


def test_a_page_whose_fingerprint_is_unchanged_renders_the_same(renderer, monkeypatch):
    """What lets a live preview skip rendering a page: its fingerprint changes whenever its
    HTML does. Checked over every page of a site with short lists (parts, timeline chunks)."""
    monkeypatch.setattr(pages, "LIST_CHUNK", 20)
    monkeypatch.setattr(lookups, "TIMELINE_CHUNK", 30)
    before = Renderer(renderer.dataset)
    old = {page: (before.fingerprint(page), before.render(page)) for page in before.plan()}
    middle = before.dataset.incidents[len(before.dataset.incidents) // 2]
    for what, changed in _edits(before.dataset):
        kept = [i for i in before.dataset.incidents if i is not middle]
        after = Renderer(replace(before.dataset, incidents=tuple(kept + changed)))
        skipped = 0
        for page in after.plan():
            if page not in old or old[page][0] is None or after.fingerprint(page) != old[page][0]:
                continue
            skipped += 1
            assert after.render(page) == old[page][1], f"{what}: {page.url} changed, its fingerprint did not"
        assert skipped > len(old) / 2, f"{what}: most pages are unaffected and need no rendering"


def test_incident_hashes_kept_for_the_next_rebuild_do_not_pile_up(renderer):
    data = replace(renderer.dataset, incidents=renderer.dataset.incidents[:5])
    for n in range(1500):  # a long preview session of edits to one record
        edited = replace(data.incidents[0], title=f"Edit {n}")
        index = lookups.Index(replace(data, incidents=(edited, *data.incidents[1:])))
        assert index.incident_hash(edited) == hash(edited)
    assert len(lookups._hashes) <= 2 * 5 + 1000 + 1


def test_every_kind_is_declared_once_with_its_template_and_planned(renderer, monkeypatch):
    from generator.render import TEMPLATES

    monkeypatch.setattr(pages, "PROVINCE_SPLIT", 10)
    monkeypatch.setattr(pages, "LIST_CHUNK", 50)
    names = [kind.name for kind in kinds.KINDS]
    assert len(names) == len(set(names))
    assert all((TEMPLATES / kind.template).is_file() for kind in kinds.KINDS)
    planned = {page.kind for page in kinds.plan(renderer.index)}
    assert planned == set(kinds.KINDS) - {kinds.UNTRANSLATED}  # the records' own language's edition
    arabic = {page.kind for page in kinds.plan(renderer.index, Words("ar", "ar_SY", native=False))}
    assert arabic == set(kinds.KINDS)
    assert {kind.name for kind in kinds.KINDS if kind.searchable} == {"incident", "town", "group"}
    assert [kind.name for kind in kinds.KINDS if kind.dated] == ["incident"]
