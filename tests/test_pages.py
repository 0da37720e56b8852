"""The page plan: long lists are split so no page grows with the dataset."""

from __future__ import annotations

import re

import pytest

from generator import pages
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
    plan = list(pages.plan(index))
    parts = [p for p in plan if p.template == "more.html" and p.key.startswith(f"groups:{group}:")]
    assert len(parts) + 1 == -(-len(incidents) // 50)
    listed = pages.newest_first(incidents) + [
        i for p in parts for i in pages.newest_first(incidents, int(p.key.rsplit(":", 1)[1]))
    ]
    assert listed == incidents[::-1], "every incident once, newest first"


def test_many_towns_are_indexed_by_province(renderer, monkeypatch):
    monkeypatch.setattr(pages, "PROVINCE_SPLIT", 10)
    plan = list(pages.plan(renderer.index))
    provinces = [p for p in plan if p.url.startswith("provinces/")]
    assert {p.key for p in provinces} == set(renderer.index.provinces)
    shown = sum(len(re.findall(r'href="\.\./\.\./towns/[a-z0-9-]+/"', renderer.render(p))) for p in provinces)
    assert shown == len(renderer.dataset.towns)
    assert "provinces/" in renderer.render(next(p for p in plan if p.url == "towns/"))


def test_province_slugs_are_unique_and_safe():
    assert pages.slug("Deir ez-Zor") == "deir-ez-zor"
    assert pages.slug("../../etc") == "etc" and pages.slug("حلب") == "province"
