"""Lean pages (issue 22): what a reader downloads to see an incident page, the icons shared in
one file, and Material's script bundle only on the pages that use it."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import material
import pytest
import sites
import yaml
from conftest import ROOT

KB = 1024
ICONS = Path(material.__file__).parent / "templates" / ".icons"


def weight():
    """benchmarks/weight.py (the benchmarks are not an installed package)."""
    if str(ROOT) not in sys.path:
        sys.path.append(str(ROOT))
    return importlib.import_module("benchmarks.weight")


def incident_page(site: Path) -> str:
    return weight().default_pages(site)[0]


def test_an_incident_page_first_view_is_under_50_kb_gzipped(sample_site):
    page = incident_page(sample_site)
    files = weight().first_view(sample_site, page)
    sent = sum(gz for _, _, gz in files)
    names = [name for name, _, _ in files]
    assert sent <= 50 * KB, f"{page}: {sent / KB:.1f} KB transferred: {names}"
    assert not any("bundle." in name for name in names), "Material's script bundle on an incident page"
    assert "assets/lean.js" in names and "assets/icons.svg" in names


def test_weight_takes_a_pages_address_and_says_what_is_missing(sample_site, capsys):
    folder = incident_page(sample_site).removesuffix("index.html")
    assert weight().main([str(sample_site), folder]) == 0
    assert capsys.readouterr().out.startswith(f"{folder}index.html: first view ")
    with pytest.raises(SystemExit) as stopped:
        weight().main([str(sample_site), "incidents/no-such-incident/"])
    assert stopped.value.code == 2
    assert "no page incidents/no-such-incident/ in" in capsys.readouterr().err


def test_docs_pages_keep_materials_bundle(sample_site):
    files = [name for name, _, _ in weight().first_view(sample_site, "contributing/index.html")]
    assert any(re.fullmatch(r"assets/javascripts/bundle\.\w+\.min\.js", name) for name in files)
    assert "assets/lean.js" not in files


def test_the_shared_icons_are_materials_own(sample_site):
    """Each symbol of assets/icons.svg draws exactly what Material's icon of that name draws."""
    sprite = (ROOT / "generator" / "assets" / "icons.svg").read_text("utf-8")
    symbols = dict(re.findall(r'<symbol id="([^"]+)" viewBox="[^"]+">(.*?)</symbol>', sprite))
    assert symbols
    for name, body in symbols.items():
        original = (ICONS / "material" / (name + ".svg")).read_text("utf-8")
        assert re.sub(r"^<svg[^>]*>|</svg>\s*$", "", original.strip()) == body, name
    html = (sample_site / incident_page(sample_site)).read_text("utf-8")
    used = re.findall(r'<use href="([^"#]+)#([^"]+)"/>', html)
    assert used and {name for _, name in used} <= set(symbols)
    assert "<path" not in html.split("<main", 1)[0], "an icon drawn inline in the header"


@pytest.mark.browser
def test_the_light_dark_toggle_of_a_lean_page_carries_to_a_docs_page(sample_site, chromium):
    incident = incident_page(sample_site).removesuffix("index.html")
    with sites.Server(sample_site) as server:
        context = chromium.new_context(color_scheme="light")
        try:
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(server.url + incident)
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
            page.locator("label[title='Switch to dark mode']").click()
            sites.wait_for(page, "() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
            assert page.locator("label[title='Switch to light mode']").is_visible()
            page.goto(server.url + "contributing/")  # the bundle reads the choice lean.js stored
            sites.wait_for(page, "() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
            page.locator("label[title='Switch to light mode']").click()
            page.goto(server.url + incident)
            sites.wait_for(page, "() => document.body.getAttribute('data-md-color-scheme') === 'default'")
            assert not errors
        finally:
            context.close()


def test_lean_css_is_what_leancss_makes_of_the_sample_site(sample_site):
    """generator/assets/lean.css holds every rule of Material's stylesheet that a class of a
    generated page (or one our scripts add) can match: regenerate it with
    `python -m generator.leancss SITE` when a template starts using another class of Material's."""
    from generator import leancss

    classes = leancss.classes_of(sample_site, leancss.our_scripts(ROOT))
    expected = leancss.lean_css(classes)
    assert leancss.OUTPUT.read_text("utf-8") == f"/* {leancss.HEADER} */\n{expected}\n", (
        "generator/assets/lean.css is stale: run python -m generator.leancss on a site built from incidents/"
    )
    assert leancss.lean_pages(sample_site), "no page loads assets/lean.js"


def test_purge_keeps_what_a_used_class_or_no_class_can_match():
    from generator.leancss import purge

    css = (
        '@charset "UTF-8";a{color:red}.used{x:1}.unused{x:2}.used .unused,.used>p{x:3}'
        "p:not(.unused){x:4}:is(.unused,.used) b{x:5}[data-a='.unused']{x:6}"
        "@media (min-width:10em){.unused{x:7}.used{x:8}}@media print{.unused{x:9}}"
        "@keyframes spin{0%{x:0}to{x:1}}@font-face{font-family:f}"
    )
    assert purge(css, {"used"}) == (
        '@charset "UTF-8";a{color:red}.used{x:1}.used>p{x:3}p:not(.unused){x:4}:is(.unused,.used) b{x:5}'
        "[data-a='.unused']{x:6}@media (min-width:10em){.used{x:8}}@keyframes spin{0%{x:0}to{x:1}}"
        "@font-face{font-family:f}"
    )


def test_a_page_that_names_lean_js_is_not_a_lean_page(tmp_path):
    from generator.leancss import lean_pages

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<script src="../assets/lean.js"></script>')
    (tmp_path / "docs.html").write_text("<p>pages load <code>assets/lean.js</code></p>")
    assert [p.relative_to(tmp_path).as_posix() for p in lean_pages(tmp_path)] == ["a/index.html"]


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("edition", ["", "ar/"])
def test_a_lean_page_has_the_header_a_docs_page_has(sample_site, server, tabs, edition, width, scheme):
    """lean-base.html draws the header of Material's base.html: a screenshot of an incident page's
    header is, pixel for pixel, that of a docs page (both at the top, where it shows the site's
    name), at desktop and phone width, light and dark, in each edition."""
    incident = incident_page(sample_site).removesuffix("index.html")
    shots = []
    for path in (incident, "contributing/"):
        tab = tabs.open(
            server.url + edition + path, viewport={"width": width, "height": 700}, color_scheme=scheme
        )
        assert tab.page.evaluate("document.body.getAttribute('data-md-color-scheme')") == (
            "slate" if scheme == "dark" else "default"
        )
        shots.append(tab.page.locator(".md-header").screenshot(animations="disabled"))
        assert not tab.errors and not tab.missing, (tab.errors, tab.missing)
    assert shots[0] == shots[1], f"the header of {edition}{incident} is not drawn as a docs page's"


@pytest.mark.browser
@pytest.mark.parametrize("edition", ["", "ar/"])
def test_a_lean_pages_tabs_are_drawn_as_a_docs_pages(sample_site, server, tabs, edition):
    """partials/tabs.html leaves Material's two classes out of a lean page's eight tabs, and
    lean.css finds them by their place (leancss.BY_PLACE): the tabs, resting and hovered, are
    pixel for pixel a docs page's (its active tab made inactive, as no incident's is)."""
    html = (sample_site / incident_page(sample_site)).read_text("utf-8")
    assert "md-tabs__list><li><a href=" in html.replace('"', "") and "md-tabs__link" not in html
    incident = incident_page(sample_site).removesuffix("index.html")
    shots = []
    for path in (incident, "contributing/"):
        tab = tabs.open(server.url + edition + path, viewport={"width": 1280, "height": 700})
        tab.page.evaluate(
            "document.querySelectorAll('.md-tabs__item--active')"
            ".forEach(item => item.classList.remove('md-tabs__item--active'))"
        )
        tabs_bar = tab.page.locator(".md-tabs")
        resting = tabs_bar.screenshot(animations="disabled")
        tab.page.locator(".md-tabs__list > li:nth-child(3) > a").hover()
        shots.append((resting, tabs_bar.screenshot(animations="disabled")))
        assert not tab.errors and not tab.missing, (tab.errors, tab.missing)
    assert shots[0][0] == shots[1][0], f"the tabs of {edition}{incident} are not drawn as a docs page's"
    assert shots[0][1] == shots[1][1], f"a hovered tab of {edition}{incident} is not drawn as a docs page's"


# Each element of the light/dark form, as Material's partials/palette.html writes it: its tag and
# attributes (addresses resolved, `hidden` left to the scripts that show one label).
FORM_OF = """async ([url]) => {
  const shape = (form, base) => [...form.querySelectorAll("*")].map(e => [e.localName,
    ...[...e.attributes].filter(a => a.name !== "hidden").map(a =>
      [a.name, a.name === "href" ? new URL(a.value, base).href : a.value]).sort()]);
  const drawn = shape(document.querySelector(".md-header form"), location.href);
  const docs = new DOMParser().parseFromString(await (await fetch(url)).text(), "text/html");
  return [drawn, shape(docs.querySelector("[data-md-component=palette]"), url)];
}"""


@pytest.mark.browser
@pytest.mark.parametrize("edition", ["", "ar/"])
def test_a_lean_page_draws_the_light_dark_form_a_docs_page_writes(sample_site, server, tabs, edition):
    """A lean page carries only a description of the form (partials/palette.html) and
    assets/scheme.js draws it: the same inputs and labels, with the same attributes and icons,
    as the docs pages' form written by Material's template."""
    incident = incident_page(sample_site).removesuffix("index.html")
    tab = tabs.open(server.url + edition + incident)
    drawn, written = tab.page.evaluate(FORM_OF, [server.url + edition + "contributing/"])
    assert len(written) == 8 and drawn == written  # per option an input, a label, its <svg> and <use>
    shown = tab.page.locator(".md-header form label:visible")
    assert shown.count() == 1 and shown.get_attribute("title") == "Switch to dark mode"
    assert not tab.errors and not tab.missing, (tab.errors, tab.missing)


def test_an_incident_pages_frame_is_lean(sample_site):
    """What the theme draws around an incident's content on every incident page (issue 22):
    the light/dark form as a description, not as the markup scheme.js draws from it; no empty
    sidebar (lean.css keeps their space) or table of contents (a <nav> landmark with nothing in
    it), no empty boxes in the footer, no name for Material's bundle (our scripts find what they
    need by its class), the logo's name once (its title), no class lean.css finds by its place."""
    html = (sample_site / incident_page(sample_site)).read_text("utf-8")
    parts = dict(weight().html_parts(html))
    assert parts["header"] <= 1600 and parts["footer"] <= 200, parts
    assert 'class="md-option"' not in html
    assert 'aria-label="Table of contents"' not in html and 'class="md-sidebar' not in html
    assert '<footer class="md-footer"></footer>' in html
    assert "data-md-component" not in html
    site_name = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))["site_name"]
    assert f'title="{site_name}"' in html and f'aria-label="{site_name}"' not in html
    from generator.leancss import BY_PLACE

    assert not set(BY_PLACE) & set(re.findall(r'class="([^"]+)"', html)), (
        "a class lean.css finds by its place"
    )


# Where a page's content column is, its footer's box and colours (Material's band is the
# footer's first element, a lean page's its ::before: screenshots of the two differ by one level
# of grey however drawn, as the docs pages' stylesheet is another), and the drawer's checkbox.
FRAME_OF = """() => { const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.width]; };
  const footer = document.querySelector("footer.md-footer"), band = footer.firstElementChild;
  const colour = (e, pseudo) => getComputedStyle(e, pseudo).backgroundColor;
  return [box(document.querySelector(".md-content article")), [...box(footer), footer.offsetHeight],
    colour(footer), band ? colour(band) : colour(footer, "::before"),
    getComputedStyle(document.getElementById("__drawer")).display]; }"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1024, 1280, 1700])
@pytest.mark.parametrize("edition", ["", "ar/"])
def test_a_lean_pages_content_and_footer_are_where_a_docs_pages_are(
    sample_site, server, tabs, edition, width
):
    """A lean page has no empty sidebars and an empty footer (lean-base.html): lean.css gives
    their space and band (leancss.STAND_INS), so its content's column and its footer are a docs
    page's (whose sidebars hold the navigation and table of contents) at every width, each
    edition's columns in its direction."""
    incident = incident_page(sample_site).removesuffix("index.html")
    drawn = []
    for path in (incident, "contributing/"):
        tab = tabs.open(server.url + edition + path, viewport={"width": width, "height": 700})
        drawn.append(tab.page.evaluate(FRAME_OF))
        assert not tab.errors and not tab.missing, (tab.errors, tab.missing)
    assert drawn[0] == drawn[1], f"{edition}{incident}: {drawn[0]}, a docs page: {drawn[1]}"
    assert drawn[0][-1] == "none" and drawn[0][1][2] > 0 and "0.32" in drawn[0][3], drawn[0]


# A page scrolled down and back up a little: its header shows the page's title (set to the same
# long one on both pages, which the header cuts short on a phone) and the back-to-top button
# shows; the content hidden, so that only the frame is in the picture.
SCROLLED = """async ([title]) => {
  document.querySelectorAll(".md-header__title > * > :last-child > span").forEach(e => e.textContent = title);
  scrollTo(0, document.body.scrollHeight);
  await new Promise(done => setTimeout(done, 300));
  scrollBy(0, -200);
}"""
FRAME_SHOWN = """() => document.querySelector(".md-header__title--active") && document.querySelector(".md-header--shadow")
  && !document.querySelector(".md-top").hidden"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("edition", ["", "ar/"])
def test_a_lean_pages_header_scrolled_and_menu_are_a_docs_pages(sample_site, server, tabs, edition, width):
    """lean.js finds the header, its title, main and the back-to-top button by their classes
    (no data-md-component), and lean.css the titles' boxes and the language menu's list by their
    place (leancss.BY_PLACE): scrolled, the header with the page's title (cut short on a phone) and
    the back-to-top button are a docs page's, as is the language menu open, its link hovered."""
    incident = incident_page(sample_site).removesuffix("index.html")
    title = "A long title of an incident, long enough to be cut short on a phone's screen " * 2
    shots = []
    for path in (incident, "contributing/"):
        tab = tabs.open(server.url + edition + path, viewport={"width": width, "height": 700})
        page = tab.page
        page.evaluate(SCROLLED, [title])
        sites.wait_for(page, FRAME_SHOWN)
        page.evaluate("document.querySelector('.md-main__inner').style.visibility = 'hidden'")
        header = page.locator(".md-header").screenshot(animations="disabled")
        top = page.locator(".md-top").screenshot(animations="disabled")
        page.evaluate("document.querySelector('.md-container').style.visibility = 'hidden'")
        page.locator(".md-select button").hover()
        below = {"x": 0, "y": 0, "width": width, "height": 100}  # the header and the menu
        menu = page.screenshot(clip=below, animations="disabled")
        page.locator(".md-select a").first.hover()
        hovered = page.screenshot(clip=below, animations="disabled")
        shots.append((header, top, menu, hovered))
        assert not tab.errors and not tab.missing, (tab.errors, tab.missing)
    for name, lean, docs in zip(
        ("header", "back-to-top button", "language menu", "hovered language"), *shots, strict=True
    ):
        assert lean == docs, f"the {name} of {edition}{incident}, scrolled, is not drawn as a docs page's"


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_an_incident_line_in_a_list_is_styled_by_the_place_of_its_parts(sample_site, server, tabs, width):
    """An incident's line (_item.html) names none of itself, its date, type, title and towns with a
    class on every line of every list: the stylesheet finds them by their place, the towns in a
    column of their own on a desktop and under the rest on a phone, dates and towns in a lighter
    grey, the type drawn as the incident page's .tl-type label."""
    year = min(p.parent.name for p in (sample_site / "timeline").glob("*/index.html"))
    html = (sample_site / "timeline" / year / "index.html").read_text("utf-8")
    lines = re.findall(r'<ol class="tl-list">(.*?)</ol>', html, re.S)
    lines = re.findall(r"<li\b([^>]*)>(.*?)</li>", "".join(lines), re.S)
    assert lines and all(
        "class=" not in attributes and set(re.findall(r'class="([^"]+)"', line)) <= {"tl-precision"}
        for attributes, line in lines
    )
    # a date that is one <time> is the line's first part itself; a span only holds several
    assert any(line.startswith("<time ") for _, line in lines)
    assert all(
        line.count("<time ") > 1 or "tl-precision" in line for _, line in lines if line.startswith("<span>")
    )
    tab = tabs.open(server.url + f"timeline/{year}/", viewport={"width": width, "height": 800})
    date, kind, title, towns, text = tab.page.evaluate(
        """() => { const line = document.querySelector(".tl-list > li"), style = e => getComputedStyle(e);
          const [date, kind, title, towns] = line.children, label = document.createElement("span");
          label.className = "tl-type";  // as the incident page draws its type, beside the line
          line.parentNode.parentNode.appendChild(label);
          const drawn = e => ["padding", "borderRadius", "fontSize", "whiteSpace", "backgroundColor",
            "color", "justifySelf"].map(name => style(e)[name]);
          return [[date.localName, style(date).color], [kind.localName, kind.className, drawn(kind), drawn(label)],
                  title.localName, [towns.localName, style(towns).color, style(towns).gridColumnStart],
                  style(line).color]; }"""
    )
    assert kind[:2] == ["span", ""] and kind[2][:6] == kind[3][:6] and kind[2][-1] == "start"
    assert title == "a" and date[0] in ("time", "span") and towns[0] == "span"
    assert date[1] == towns[1] != text  # lighter than the line's text
    assert towns[2] == ("3" if width > 600 else "1")


@pytest.mark.browser
def test_a_toggle_icon_outside_the_shared_file_keeps_materials_form(tmp_path, chromium):
    """partials/palette.html describes the form only when scheme.js can draw every icon from
    assets/icons.svg; with another icon the page carries Material's markup, which lean.js
    switches all the same."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    theme = {**config["theme"], "custom_dir": str(ROOT / config["theme"]["custom_dir"])}
    theme["palette"] = [dict(option) for option in theme["palette"]]
    theme["palette"][0]["toggle"] = {**theme["palette"][0]["toggle"], "icon": "material/weather-night"}
    child = {"INHERIT": str(ROOT / "mkdocs.yml"), "docs_dir": str(ROOT / "docs"), "theme": theme}
    child["watch"] = [str(ROOT / path) for path in config.get("watch", [])]
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(child), "utf-8")
    site = sites.build(ROOT / "incidents", tmp_path / "site", config=tmp_path / "mkdocs.yml")
    incident = incident_page(site)
    html = (site / incident).read_text("utf-8")
    assert "data-palette" not in html and html.count('class="md-option"') == 2
    with sites.Server(site) as server:
        context = chromium.new_context(color_scheme="light")
        try:
            page = context.new_page()
            page.goto(server.url + incident.removesuffix("index.html"))
            page.locator("label[title='Switch to dark mode']").click()
            sites.wait_for(page, "() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
        finally:
            context.close()


def test_an_incident_pages_pager_links_its_neighbours_from_its_folder(sample_site):
    """incident.html links the previous and next incident as ../<id>/ (not ../../incidents/<id>/,
    in every incident page): in each edition, each such link reaches that incident's page."""
    incidents = [
        p for p in sample_site.glob("**/incidents/*/index.html") if "tl-incident" in p.read_text("utf-8")
    ]
    for page in incidents:
        links = re.findall(r'<a rel="(?:prev|next)" href="([^"]*)"', page.read_text("utf-8"))
        assert links, page
        for href in links:
            assert re.fullmatch(r"\.\./[^/]+/", href), (page, href)
            target = (page.parent / href / "index.html").resolve()
            assert 'class="tl-incident"' in target.read_text("utf-8"), (page, href)
    assert len(incidents) > 2
