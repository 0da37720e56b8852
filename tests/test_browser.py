"""The built sample site in a real headless Chromium: no script errors, the timeline filters,
no-JavaScript reading, a phone screen, dark mode, right-to-left names, the keyboard, and
axe-core's accessibility rules on every kind of page.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import sites
from conftest import ROOT

pytestmark = pytest.mark.browser

SAMPLE = sites.Contents.read(ROOT / "incidents")
FIRST = sorted(SAMPLE.incidents)[0]
REDIRECTS = SAMPLE.redirects
PAGES = {
    "home": "",
    "timeline-index": "timeline/",
    "timeline-year": f"timeline/{SAMPLE.year(FIRST)}/",
    "incident": f"incidents/{FIRST}/",
    "town": f"towns/{SAMPLE.incidents[FIRST]['towns'][0]}/",
    "group": f"groups/{SAMPLE.incidents[FIRST]['groups'][0]}/",
    "towns-index": "towns/",
    "groups-index": "groups/",
    "redirect": f"incidents/{next(iter(REDIRECTS), 'the-sample-data-has-no-redirect')}/",
    "docs": "contributing/",
    "search": "search/",
}


@pytest.fixture
def open_tab(tabs, server):
    """open_tab(path, **context options) -> sites.Tab, loaded; closed after the test."""

    def open_(path: str, wait: str = "load", **options) -> sites.Tab:
        return tabs.open(server.url + path, wait, **options)

    return open_


# ------------------------------------------------------------------ every kind of page


EXTERNAL: dict[str, list[str]] = {}  # page kind -> requests to other hosts, seen while loading it


def load_settled(open_tab, kind: str, server) -> sites.Tab:
    """A page of a kind, loaded, with its scripts run and, for a redirect, its target loaded."""
    tab = open_tab(PAGES[kind])
    if kind == "redirect":
        target = server.url + f"incidents/{REDIRECTS[PAGES[kind].split('/')[1]]}/"
        tab.page.wait_for_url(target, timeout=5000)
        tab.page.wait_for_load_state("load")
    tab.page.wait_for_timeout(250)  # let late scripts (Material's observables) run
    EXTERNAL[kind] = sorted(set(tab.external))
    return tab


@pytest.mark.parametrize("kind", PAGES)
def test_page_loads_without_script_errors(kind, open_tab, server):
    tab = load_settled(open_tab, kind, server)
    assert tab.page.title(), f"{kind}: the page has no title"
    assert not tab.errors, f"{kind} ({PAGES[kind]}):\n" + "\n".join(tab.errors)
    assert not tab.missing, f"{kind}: requests for files the site lacks: {tab.missing}"


def tile_host() -> str:
    """The map tile server configured in mkdocs.yml (the timeline plugin's tile_url), the one third
    party a page may contact, and only where it shows a map."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    url = re.search(r"^\s*tile_url:\s*(\S*)", config, re.M)
    return urlsplit(url[1]).netloc if url and url[1] else ""


def test_pages_load_nothing_from_other_hosts(open_tab, server):
    """A visitor's browser should not contact third parties (web fonts, CDNs): their privacy,
    and the site must work offline and from a local build. Map tiles are the exception the
    site's owners choose in mkdocs.yml. (Uses the requests seen by the test above; loads the
    pages itself when run alone.)"""
    for kind in PAGES:
        if kind not in EXTERNAL:
            load_settled(open_tab, kind, server)
    tiles = tile_host()
    external = {
        kind: [url for url in urls if not (tiles and urlsplit(url).netloc == tiles and kind == "town")]
        for kind, urls in EXTERNAL.items()
    }
    external = {kind: urls for kind, urls in external.items() if urls}
    assert not external, f"pages request other hosts: {external}"


# ------------------------------------------------------------------ the timeline filters


def visible_items(page) -> int:
    return page.locator(".tl-list > li:visible").count()


@pytest.mark.parametrize("field, key", [("type", "type"), ("town", "towns"), ("group", "groups")])
def test_timeline_filter_narrows_the_list_and_survives_a_reload(field, key, open_tab):
    """Each filter shows the year's incidents of the type, town or group chosen (the records
    say which), keeps the choice in the URL and offers every one the year has."""
    year = SAMPLE.year(FIRST)
    records = [record for id_, record in SAMPLE.incidents.items() if SAMPLE.year(id_) == year]
    values = [value for record in records for value in ([record[key]] if field == "type" else record[key])]
    chosen = min(set(values), key=lambda value: (values.count(value), value))
    expected = values.count(chosen)
    tab = open_tab(PAGES["timeline-year"])
    page = tab.page
    page.locator(".tl-filters").wait_for(state="visible", timeout=5000)
    total = page.locator(".tl-list > li").count()
    assert visible_items(page) == total == len(records) > expected, "the sample year should mix them"
    select = f".tl-filters select[name={field}]"
    offered = page.eval_on_selector_all(f"{select} option", "options => options.map(o => o.value)")
    assert sorted(offered) == sorted({"", *values})
    page.select_option(select, chosen)
    assert visible_items(page) == expected
    assert parse_qs(urlsplit(page.url).query) == {field: [chosen]}, page.url
    assert page.locator(".tl-count").inner_text() == f"{expected} of {total} incidents"
    page.reload()
    page.locator(".tl-filters").wait_for(state="visible", timeout=5000)
    assert page.locator(select).input_value() == chosen
    assert visible_items(page) == expected
    page.select_option(select, "")
    assert visible_items(page) == total
    assert f"{field}=" not in page.url
    assert not tab.errors, tab.errors


# ------------------------------------------------------------------ without JavaScript


def test_incident_page_reads_without_javascript(open_tab):
    tab = open_tab(PAGES["incident"], java_script_enabled=False)
    page = tab.page
    title = SAMPLE.incidents[FIRST]["title"].strip()
    assert page.locator("h1").first.is_visible()
    assert " ".join(page.locator("h1").first.inner_text().split()) == title
    summary = page.locator(".tl-summary")
    assert summary.is_visible() and len(summary.inner_text()) > 100
    assert page.locator(".tl-sources li").first.is_visible()


def test_timeline_lists_everything_without_javascript(open_tab):
    tab = open_tab(PAGES["timeline-year"], java_script_enabled=False)
    page = tab.page
    year = SAMPLE.year(FIRST)
    expected = sum(1 for i in SAMPLE.incidents if SAMPLE.year(i) == year)
    assert page.locator(".tl-list > li").count() == expected
    assert visible_items(page) == expected
    assert page.locator(".tl-list > li > a").first.is_visible()
    assert not page.locator(".tl-filters").is_visible(), "the filters do nothing without JavaScript"


# ------------------------------------------------------------------ phone, dark mode, Arabic


@pytest.mark.parametrize("kind", ["timeline-year", "timeline-index", "incident", "town", "group", "home"])
def test_no_horizontal_scrolling_on_a_phone(kind, open_tab):
    tab = open_tab(PAGES[kind], viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = tab.page
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                         && getComputedStyle(e).position !== 'fixed' && e.offsetParent !== null
                         && !e.closest('.md-sidebar, [hidden]'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
    )
    assert width[0] <= width[1], f"{kind}: scrollWidth {width[0]} > clientWidth {width[1]}; too wide: {wide}"


def test_dark_mode_uses_the_slate_scheme(open_tab):
    tab = open_tab(PAGES["incident"], color_scheme="dark")
    page = tab.page
    sites.wait_for(page, "() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(v) for v in re.findall(r"\d+", background)[:3])
    assert (red + green + blue) / 3 < 100, f"dark mode background is {background}"
    light = open_tab(PAGES["incident"], color_scheme="light").page
    assert light.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"


def test_chart_bars_take_their_opacity_from_the_stylesheet(open_tab):
    """From their panel's group (the incidents, the lowest deaths), the faint highest deaths from
    their own class (timeline.css); and the years sit under the deaths' base line (their
    group's y)."""
    page = open_tab(PAGES["town"]).page
    opacity = page.evaluate(
        """() => Object.fromEntries(Object.entries({bar: '.tl-chart-count rect',
            low: '.tl-chart-deaths rect:not(.tl-chart-high)', high: '.tl-chart-high'}).map(([kind, s]) =>
            [kind, getComputedStyle(document.querySelector(s)).fillOpacity]))"""
    )
    assert opacity == {"bar": "0.8", "low": "0.8", "high": "0.3"}
    years = page.evaluate(
        """() => { const svg = document.querySelector("svg.tl-chart");
            const line = [...svg.querySelectorAll("line")].pop().getBoundingClientRect().bottom;
            return [...svg.querySelectorAll("g[transform] text")].map(e => e.getBoundingClientRect().top >= line); }"""
    )
    assert years and all(years)


def test_navigation_links_every_section_and_lists_the_docs_on_docs_pages(open_tab):
    """An incident page draws its navigation once, as the tabs a phone's menu opens (issue 22):
    it links the Contributing section, not its pages; a docs page's menu lists them."""
    incident = open_tab(PAGES["incident"]).page
    links = incident.eval_on_selector_all(".md-tabs__list > li > a", "els => els.map(e => e.href)")
    assert any(link.endswith("/contributing/") for link in links)
    assert any(link.endswith("/timeline/") for link in links)
    assert not any(link.endswith("/reference/") for link in links)
    assert incident.locator(".md-nav--primary").count() == 0, "the navigation drawn a second time"
    docs = open_tab(PAGES["docs"]).page
    links = docs.eval_on_selector_all(".md-nav--primary a.md-nav__link", "els => els.map(e => e.href)")
    for page in ("contributing", "reference", "preview", "security", "performance"):
        assert any(link.endswith(f"/{page}/") for link in links), page


@pytest.mark.parametrize("kind", ["incident", "timeline-year"])
def test_the_phone_menu_opens_every_section(kind, open_tab):
    """A generated page draws its navigation once (issue 22): on a phone the menu button opens
    its tabs as Material's drawer, with every section, and a section's link there works."""
    tab = open_tab(PAGES[kind], viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = tab.page
    section = page.locator(".md-tabs.tl-nav-once a", has_text="Timeline").first
    assert section.bounding_box()["x"] < 0, "the menu shows before it is opened"
    page.locator(".md-header label[for=__drawer]").click()
    page.wait_for_timeout(400)  # the drawer slides in
    box = section.bounding_box()
    assert section.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    assert page.locator(".md-tabs.tl-nav-once a", has_text="Contributing").first.is_visible()
    assert page.locator(".md-tabs.tl-nav-once .md-nav__title").is_visible(), "the drawer's title"
    section.click()
    page.wait_for_url("**/timeline/")


@pytest.mark.parametrize("kind", ["incident", "town", "group"])
def test_arabic_names_are_right_to_left(kind, open_tab):
    page = open_tab(PAGES[kind]).page
    arabic = page.locator("[lang=ar]")
    assert arabic.count() >= 1, f"no lang=ar element on the {kind} page"
    directions = arabic.evaluate_all("els => els.map(e => getComputedStyle(e).direction)")
    assert set(directions) == {"rtl"}, directions


# ------------------------------------------------------------------ keyboard


def test_tab_reaches_the_first_incident_of_the_timeline(open_tab):
    page = open_tab(PAGES["timeline-year"]).page
    page.locator(".tl-filters").wait_for(state="visible", timeout=5000)
    first = page.locator(".tl-list > li > a").first.get_attribute("href")
    reached = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement; return e && e.matches('.tl-list > li > a')"
            " ? e.getAttribute('href') : null }"
        )
        if focused:
            reached.append(focused)
            break
    assert reached == [first], f"Tab reached {reached or 'no incident link'} within 80 presses"
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow, s.textDecorationLine] }"
    )
    assert outline[0] != "none" or outline[2] != "none" or "underline" in outline[3], (
        f"the focused link has no visible focus indicator: {outline}"
    )


# ------------------------------------------------------------------ axe-core


@pytest.fixture(scope="session")
def axe():
    return sites.ensure_axe()


AXE_CASES = [(kind, "light") for kind in PAGES] + [("incident", "dark"), ("timeline-year", "dark")]


@pytest.mark.parametrize(("kind", "scheme"), AXE_CASES, ids=[f"{k}-{s}" for k, s in AXE_CASES])
def test_axe_finds_no_serious_violation(kind, scheme, axe, tabs, server):
    # bypass_csp: the page's Content-Security-Policy would block the injected axe script
    context = tabs.context(sites.Tab(None), color_scheme=scheme, bypass_csp=True)
    try:
        page = context.new_page()
        if kind == "redirect":  # check the redirect page itself, not where it leads
            url = server.url + PAGES[kind]

            def without_refresh(route):
                body = route.fetch().text()
                route.fulfill(
                    status=200,
                    content_type="text/html; charset=utf-8",
                    body=re.sub(r'<meta http-equiv="refresh"[^>]*>', "", body),
                )

            page.route(url, without_refresh)
        page.goto(server.url + PAGES[kind], wait_until="load")
        if scheme == "dark":
            sites.wait_for(page, "() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
        page.add_script_tag(path=str(axe))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
                            nodes: v.nodes.slice(0, 5).map(n => [n.target.join(' '), n.html.replace(/\\s+/g, ' ').slice(0, 160),
                                                                 n.failureSummary])}))"""
        )
    finally:
        context.close()
    report = "\n".join(
        f"[{v['impact']}] {v['id']} ({v['count']} elements): {v['help']}\n"
        + "\n".join(f"    {target}  {html}\n      {summary}" for target, html, summary in v["nodes"])
        for v in violations
    )
    assert not violations, f"axe on {kind} ({PAGES[kind]}, {scheme}):\n{report}"


# ------------------------------------------------------------------ search


def test_search_finds_incidents_and_filters_them(open_tab, server):
    tab = open_tab(PAGES["search"])
    page = tab.page
    failed = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    box = page.locator("#tl-search-input")
    box.wait_for(timeout=10000)
    box.fill("Marea")
    results = page.locator(".tl-result")
    results.first.wait_for(timeout=10000)
    page.wait_for_timeout(300)
    links = page.eval_on_selector_all(".tl-result__link", "els => els.map(e => e.href)")
    assert any("/incidents/" in link for link in links), links
    before = int(page.locator(".tl-search__message").inner_text().split()[0])
    page.locator(".tl-filter__name", has_text="Type").click()
    page.locator(".tl-filter__label", has_text="Explosion").click()
    sites.wait_for(
        page, "n => parseInt(document.querySelector('.tl-search__message').textContent) < n", before
    )
    assert 0 < results.count() < before
    target = page.eval_on_selector(".tl-result__link", "e => e.href")
    response = page.goto(target)
    assert response.status == 200 and "/incidents/" in target, target
    assert not failed, f"failed requests: {failed}"
    assert not tab.errors, tab.errors


def searched_with_filters_open(page):
    """The search page showing results for Marea, every filter open and its values listed."""
    page.locator("#tl-search-input").fill("Marea")
    page.locator(".tl-result").first.wait_for(timeout=10000)
    for name in ("Type", "Year", "Town", "Group"):
        page.locator(".tl-filter__name", has_text=name).click()
    for name in ("type", "year", "town", "group"):
        page.locator(f".tl-filter--{name} .tl-filter__label").first.wait_for(timeout=10000)
    page.wait_for_timeout(300)


def test_search_results_on_a_phone_in_dark_mode(open_tab):
    tab = open_tab(
        PAGES["search"],
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
        color_scheme="dark",
    )
    page = tab.page
    searched_with_filters_open(page)
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1], f"the search page scrolls sideways on a phone: {width}"
    sites.wait_for(page, "() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    colours = page.evaluate(
        """() => ['#tl-search-input', '.tl-result__excerpt', '.tl-filter__label'].map(s =>
            getComputedStyle(document.querySelector(s)).color)"""
    )
    for colour in colours:  # light text on the dark background
        red, green, blue = (int(v) for v in re.findall(r"\d+", colour)[:3])
        assert (red + green + blue) / 3 > 150, f"dark text in dark mode: {colours}"
    assert not tab.errors, tab.errors


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_search_results_and_open_filters(scheme, axe, tabs, server):
    context = tabs.context(sites.Tab(None), color_scheme=scheme, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(server.url + PAGES["search"], wait_until="load")
        searched_with_filters_open(page)
        page.add_script_tag(path=str(axe))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => [v.id, v.help, v.nodes.slice(0, 3).map(n => n.target.join(' '))])"""
        )
        live = page.eval_on_selector(".tl-search__message", "e => [e.getAttribute('role'), e.textContent]")
    finally:
        context.close()
    assert not violations, f"axe on the search results ({scheme}): {violations}"
    assert live[0] == "status" and "results for Marea" in live[1], live  # announced: a live region
