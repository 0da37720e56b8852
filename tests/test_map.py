"""The map in a real headless Chromium, under the site's Content-Security-Policy, with every
request to another host aborted (so the map tiles fail): markers where the towns are, popups
whose text stays text, filters kept in the URL, a town page's small map, and the no-JavaScript
fallback."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import sites
from jinja2 import Environment, FileSystemLoader, select_autoescape

from generator.csp import with_policy
from generator.exports import export_files
from generator.model import Dataset
from generator.render import TEMPLATES, Renderer, Site
from generator.synthetic import write_dataset
from generator.validate import validate_tree

pytestmark = pytest.mark.browser

ASSETS = Path(__file__).parent.parent / "generator" / "assets"
TILES = "https://tiles.example/{z}/{x}/{y}.png"
HOSTILE = '<img src=x onerror="window.pwned=1">Tal & "Co"'
PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>'


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Dataset:
    """Synthetic records over several years and types, one town renamed to hostile markup."""
    root = tmp_path_factory.mktemp("records")
    write_dataset(root, 80, seed=11)
    data = validate_tree(root).dataset
    busiest = max(data.towns, key=lambda t: sum(t in i.towns for i in data.incidents))
    return replace(data, towns=data.towns | {busiest: replace(data.towns[busiest], name=HOSTILE)})


@pytest.fixture(scope="module")
def site(dataset, tmp_path_factory):
    """map/index.html and towns/<id>/index.html as the site would serve them, on 127.0.0.1."""
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(ASSETS, root / "assets")
    (root / "data").mkdir()
    (root / "data" / "towns.geojson").write_text(
        export_files(dataset)["data/towns.geojson"], encoding="utf-8"
    )
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
    renderer = Renderer(dataset, Site(tile_url=TILES, tile_attribution="© Tiles & <co>"))  # in English
    fragment = renderer.render(next(page for page in renderer.plan() if page.url == "map/"))
    (root / "map").mkdir()
    (root / "map" / "index.html").write_text(
        with_policy(PAGE.format(title="Map", body=fragment)), encoding="utf-8"
    )
    town = dataset.towns[busiest_town(dataset)]
    minimap = env.from_string(
        '<h1>{{ town.name }}</h1><div class="tl-minimap" data-lat="{{ town.lat }}" data-lon="{{ town.lon }}" '
        'data-name="{{ town.name }}" data-tiles="{{ tiles }}" data-attribution="Tiles"></div>'
        '<link rel="stylesheet" href="../../assets/vendor/leaflet/leaflet.css">'
        '<script src="../../assets/vendor/leaflet/leaflet.js"></script><script src="../../assets/map.js"></script>'
    ).render(town=town, tiles=TILES)
    (root / "towns" / town.id).mkdir(parents=True)
    page = with_policy(PAGE.format(title="Town", body=minimap))
    (root / "towns" / town.id / "index.html").write_text(page, encoding="utf-8")
    with sites.Server(root) as server:
        yield server.url


def busiest_town(dataset) -> str:
    return next(t for t, town in dataset.towns.items() if town.name == HOSTILE)


def failed_tile(message) -> bool:
    """The tiles are aborted, so their loads fail; no other error is expected."""
    tile = urlsplit(message.location.get("url", "")).hostname == "tiles.example"
    return tile and message.text.startswith("Failed to load resource")


@pytest.fixture
def tab(chromium):
    """tab(url, **context options) -> sites.Tab: requests to other hosts aborted (the tiles fail)."""
    tabs = sites.Tabs(chromium, abort=True, expected_error=failed_tile)
    yield lambda url, **options: tabs.open(url, viewport={"width": 1000, "height": 800}, **options)
    tabs.close()


def wait_for_markers(page) -> None:
    page.wait_for_function("() => window.tlMap && window.tlMap.layer.getLayers().length > 0")


def markers(page) -> dict:
    """{town id: [lat, lng, pixel offset of the drawn circle from where Leaflet puts that point]}."""
    return page.evaluate(
        """() => {
          const {map, layer, markers} = window.tlMap, box = map.getContainer().getBoundingClientRect();
          const shown = {};
          for (const [id, marker] of Object.entries(markers)) {
            if (!layer.hasLayer(marker)) continue;
            const at = marker.getLatLng(), drawn = marker.getElement().getBoundingClientRect();
            const expected = map.latLngToContainerPoint(at);
            shown[id] = [at.lat, at.lng, drawn.left + drawn.width / 2 - box.left - expected.x,
                         drawn.top + drawn.height / 2 - box.top - expected.y];
          }
          return shown;
        }"""
    )


def test_markers_stand_where_the_towns_are_even_without_tiles(tab, site, dataset):
    opened = tab(site + "map/")
    page = opened.page
    wait_for_markers(page)
    shown = markers(page)
    with_incidents = {t for i in dataset.incidents for t in i.towns}
    assert set(shown) == with_incidents
    for town_id, (lat, lon, dx, dy) in shown.items():
        assert (lat, lon) == (dataset.towns[town_id].lat, dataset.towns[town_id].lon)
        assert abs(dx) < 1.5 and abs(dy) < 1.5, f"{town_id} is drawn {dx:.1f}, {dy:.1f} px away"
    assert page.locator("#tl-map path.leaflet-interactive").count() == len(with_incidents)
    inside = page.evaluate("() => window.tlMap.map.getBounds().contains(window.tlMap.layer.getBounds())")
    assert inside, "the map opens on all its markers"
    assert any(urlsplit(u).hostname == "tiles.example" for u in opened.external), "tiles were asked for"
    assert page.locator(".tl-map-fallback").count() == 0
    assert page.locator(".leaflet-control-attribution").inner_text().endswith("© Tiles & <co>")
    assert opened.errors == []


def test_popups_and_tooltips_show_names_as_text(tab, site, dataset):
    opened = tab(site + "map/")
    page = opened.page
    wait_for_markers(page)
    town_id = busiest_town(dataset)
    count = sum(town_id in i.towns for i in dataset.incidents)
    page.evaluate(f"() => window.tlMap.markers[{json.dumps(town_id)}].openPopup()")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("a").first.inner_text() == HOSTILE
    assert popup.locator("a").first.get_attribute("href") == f"{site}towns/{town_id}/"
    assert f"{count} incident" in popup.inner_text()
    assert popup.locator("img").count() == 0 and page.evaluate("() => window.pwned") is None
    page.locator(".leaflet-popup-close-button").click()
    page.locator("#tl-map path.leaflet-interactive").first.click()  # a real click opens a popup too
    page.wait_for_function("() => document.querySelectorAll('.leaflet-popup').length === 1")  # faded out
    assert page.locator(".leaflet-popup-content a").count() == 1
    page.evaluate(f"() => window.tlMap.markers[{json.dumps(town_id)}].openTooltip()")
    assert HOSTILE in page.locator(".leaflet-tooltip").all_inner_texts()
    assert opened.errors == []


def test_filters_reduce_the_markers_and_live_in_the_url(tab, site, dataset):
    opened = tab(site + "map/")
    page = opened.page
    wait_for_markers(page)
    kinds = sorted(
        {i.type for i in dataset.incidents}, key=lambda k: sum(i.type == k for i in dataset.incidents)
    )
    rare = kinds[0]
    expected = {t for i in dataset.incidents if i.type == rare for t in i.towns}
    page.select_option(".tl-map-filters select[name=type]", rare)
    assert set(markers(page)) == expected
    assert len(expected) < len({t for i in dataset.incidents for t in i.towns})
    assert page.locator(".tl-map-filters .tl-count").inner_text() == f"{len(expected)} towns"
    assert parse_qs(urlsplit(page.url).query) == {"type": [rare]}

    years = sorted({i.date.year for i in dataset.incidents})
    page.select_option("select[name=from]", str(years[1]))
    page.select_option("select[name=to]", str(years[2]))
    expected = {
        t
        for i in dataset.incidents
        if i.type == rare and years[1] <= i.date.year <= years[2]
        for t in i.towns
    }
    assert set(markers(page)) == expected
    group = dataset.incidents[0].groups[0]
    page.select_option("select[name=type]", "")
    page.select_option("select[name=group]", group)
    expected = {
        t
        for i in dataset.incidents
        if group in i.groups and years[1] <= i.date.year <= years[2]
        for t in i.towns
    }
    assert set(markers(page)) == expected
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"from": [str(years[1])], "to": [str(years[2])], "group": [group]}

    again = tab(page.url).page  # the address restores the filters
    wait_for_markers(again)
    assert again.locator("select[name=group]").input_value() == group
    assert set(markers(again)) == expected
    assert opened.errors == []


def test_a_town_in_the_address_opens_its_popup(tab, site, dataset):
    town_id = busiest_town(dataset)
    opened = tab(f"{site}map/?town={town_id}")
    opened.page.locator(".leaflet-popup-content").wait_for()
    assert opened.page.locator(".leaflet-popup-content a").inner_text() == HOSTILE
    assert opened.errors == []


def test_a_town_page_has_a_small_map(tab, site, dataset):
    town = dataset.towns[busiest_town(dataset)]
    opened = tab(f"{site}towns/{town.id}/")
    page = opened.page
    page.wait_for_function("() => document.querySelector('.tl-minimap').tlMap")
    centre = page.evaluate("() => document.querySelector('.tl-minimap').tlMap.getCenter()")
    assert (round(centre["lat"], 4), round(centre["lng"], 4)) == (town.lat, town.lon)
    assert page.locator(".tl-minimap path.leaflet-interactive").count() == 1
    assert page.locator(".tl-minimap .leaflet-tooltip").inner_text() == HOSTILE
    assert page.locator(".tl-minimap img:not(.leaflet-tile)").count() == 0
    assert page.locator(".tl-minimap").bounding_box()["height"] > 100
    assert opened.errors == []


def test_without_javascript_the_page_points_to_the_towns(tab, site):
    opened = tab(site + "map/", java_script_enabled=False)
    page = opened.page
    note = page.locator(".tl-map-fallback")
    assert note.is_visible()
    assert note.locator("a").first.get_attribute("href") == "../towns/"
    assert page.locator(".tl-map-filters").is_hidden()
    assert opened.external == []  # no tile is fetched without the script
