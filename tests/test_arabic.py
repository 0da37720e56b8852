"""The Arabic edition in Chromium (issue 21): right to left and mirrored, the language switch
round trip, Arabic search with its spelling variants, axe-core, and an untranslated record."""

from __future__ import annotations

import re
import shutil
from urllib.parse import quote

import pytest
import sites
import yaml
from conftest import ROOT

UMM_HOUSH = "2015-08-08-is-captures-umm-housh"
MAREA = "2015-08-10-is-overnight-attack-on-marea"
AR_PAGES = {
    "home": "ar/",
    "incident": f"ar/incidents/{UMM_HOUSH}/",
    "town": "ar/towns/umm-housh/",
    "group": "ar/groups/islamic-state/",
    "timeline-year": "ar/timeline/2015/",
    "towns-index": "ar/towns/",
    "untranslated": "ar/untranslated/",
    "search": "ar/search/",
}


@pytest.fixture
def tab(tabs):
    """A page (sites.Tabs) that never leaves the machine; `tab.errors` lists its script errors."""
    opened = tabs.open(None, bypass_csp=True)  # bypass_csp: axe is injected
    opened.page.errors = opened.errors
    return opened.page


def test_arabic_pages_are_right_to_left_and_mirrored(tab, server):
    tab.goto(server.url + f"incidents/{UMM_HOUSH}/")
    english_logo = tab.eval_on_selector(".md-header__button.md-logo", "e => e.getBoundingClientRect().left")
    tab.goto(server.url + AR_PAGES["incident"])
    assert tab.evaluate("document.documentElement.lang") == "ar"
    assert tab.evaluate("document.documentElement.dir") == "rtl"
    assert tab.evaluate("getComputedStyle(document.querySelector('article')).direction") == "rtl"
    width = tab.evaluate("window.innerWidth")
    logo = tab.eval_on_selector(".md-header__button.md-logo", "e => e.getBoundingClientRect().left")
    assert english_logo < width / 2 < logo  # the header is mirrored: its logo on the right
    heading = tab.eval_on_selector("article h1", "e => [e.getBoundingClientRect().right, e.textContent]")
    assert "أم حوش" in heading[1]
    h2 = tab.eval_on_selector("article h2", "e => { const r = document.createRange(); r.selectNodeContents(e); "
                              "const t = r.getBoundingClientRect(), b = e.getBoundingClientRect(); return [t.right, b.right]; }")  # fmt: skip
    assert abs(h2[0] - h2[1]) < 2  # Arabic text starts at the right
    assert "آب" in tab.inner_text("article .tl-meta")  # ar_SY: August is آب
    assert not tab.errors


def test_the_language_switch_round_trips(tab, server):
    start = server.url + "towns/umm-housh/"
    tab.goto(start)
    arabic = tab.eval_on_selector(".md-select a[hreflang=ar]", "e => e.href")
    assert arabic == server.url + "ar/towns/umm-housh/"
    tab.goto(arabic)
    assert tab.evaluate("document.documentElement.lang") == "ar"
    back = tab.eval_on_selector(".md-select a[hreflang=en]", "e => e.href")
    assert back == start
    alternates = tab.eval_on_selector_all(
        "link[hreflang]", "els => els.map(e => [e.relList.contains('alternate'), e.hreflang, e.href])"
    )
    site = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))["site_url"]
    assert [hreflang for _, hreflang, _ in alternates] == ["en", "ar", "x-default"]
    assert all(alternate for alternate, _, _ in alternates)
    assert alternates[1][2] == site + "ar/towns/umm-housh/" and alternates[2][2] == site + "towns/umm-housh/"
    # not the exact rel value Material's script fetches a sitemap.xml for, on every page
    assert tab.evaluate("document.querySelectorAll('link[rel=alternate]').length") == 0


def searched(page, server, query: str) -> list[str]:
    page.goto(server.url + "ar/search/?q=" + quote(query))
    page.locator(".tl-result").first.wait_for(timeout=15000)
    page.wait_for_timeout(300)
    return page.eval_on_selector_all(".tl-result__link", "els => els.map(e => e.getAttribute('href'))")


@pytest.mark.parametrize("query", ["أم حوش", "ام حوش", "أُمّ حوش", "تنظيم الدولة يسيطر"])
def test_arabic_search_finds_the_incident_by_its_arabic_title_and_town(tab, server, query):
    links = searched(tab, server, query)
    assert any(f"incidents/{UMM_HOUSH}/" in link for link in links), links
    assert not tab.errors


@pytest.mark.parametrize(("query", "found"), [("جبهة النصرة", "nusra-front"), ("مارع", "marea")])
def test_arabic_search_finds_arabic_group_and_town_names(tab, server, query, found):
    links = searched(tab, server, query)
    assert any(found in link for link in links), links


def test_an_arabic_query_with_alif_maqsura_finds_ya(tab, server):
    """Pagefind's Arabic stemmer finds ى for a query's ي but not ي for a query's ى (its index
    without search.js's help: only one of the two incidents that say الشمالي)."""
    found = searched(tab, server, "الشمالى")
    assert any("nusra-front-withdraws" in link for link in found), found
    assert any("umm-housh" in link for link in found), found


@pytest.mark.parametrize("kind", AR_PAGES)
def test_axe_finds_no_serious_violation_on_arabic_pages(kind, tab, server):
    tab.goto(server.url + AR_PAGES[kind], wait_until="load")
    tab.add_script_tag(path=str(sites.ensure_axe()))
    violations = tab.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => [v.id, v.help, v.nodes.slice(0, 3).map(n => n.html.slice(0, 160))])"""
    )
    assert not violations, violations


@pytest.fixture(scope="module")
def untranslated_site(tmp_path_factory):
    """The sample records with one incident's Arabic title and summary taken out, and the
    Arabic name of one town (Azaz)."""
    records = tmp_path_factory.mktemp("untranslated") / "incidents"
    shutil.copytree(ROOT / "incidents", records)
    path = records / "2015" / f"{MAREA}.yaml"
    text = path.read_text("utf-8")
    text = re.sub(r"^title_ar:.*\n", "", text, flags=re.M)
    text = re.sub(r"^summary_ar: \|\n(?:(?:  .*)?\n)+", "", text, flags=re.M)
    path.write_text(text, "utf-8")
    towns = records / "towns.yaml"  # and one town's Arabic name (its map label, test_the_arabic_map_…)
    towns.write_text(towns.read_text("utf-8").replace("  name_ar: أعزاز\n", ""), "utf-8")
    return sites.build(records, records.parent / "site")


def test_an_untranslated_record_reads_in_english_with_a_note(chromium, untranslated_site):
    with sites.Server(untranslated_site) as server:
        context = chromium.new_context()
        page = context.new_page()
        page.goto(server.url + f"ar/incidents/{MAREA}/")
        title = page.locator("article h1 span[lang=en][dir=ltr]")
        assert title.inner_text() == "Overnight IS attack on the rebel stronghold of Marea"
        assert page.evaluate("getComputedStyle(document.querySelector('article h1 span')).direction") == "ltr"
        summary = page.locator(".tl-summary")
        assert summary.get_attribute("lang") == "en" and summary.get_attribute("dir") == "ltr"
        assert page.evaluate("getComputedStyle(document.querySelector('.tl-summary')).direction") == "ltr"
        assert "لم يُترجم" in page.inner_text(".tl-untranslated")
        assert "مارع" in page.inner_text("article .tl-facts")  # the town's own Arabic name
        page.goto(server.url + "ar/untranslated/")
        listed = page.eval_on_selector_all(".tl-list > li > a", "els => els.map(e => e.getAttribute('href'))")
        assert [link for link in listed if "incidents/" in link] == [f"../incidents/{MAREA}/"]
        page.goto(server.url + f"ar/incidents/{UMM_HOUSH}/")  # translated: no note, no English mark
        assert page.locator(".tl-untranslated").count() == 0
        assert page.locator("article h1 span[lang=en]").count() == 0
        context.close()


def test_the_arabic_search_page_speaks_arabic(tab, server):
    """The search page's own words (labels, orders, filters, the count of results) come from
    its edition's words (docs/search.ar.md's data-words), not English; the query stays as typed."""
    searched(tab, server, "مارع")
    assert tab.inner_text(".tl-search__label") == "كلمات البحث"
    assert (
        tab.eval_on_selector(".tl-search__input", "e => e.placeholder")
        == "ابحث في الأحداث والبلدات والجماعات"
    )
    assert tab.eval_on_selector_all(".tl-search__order option", "els => els.map(e => e.textContent)") == [
        "الأكثر صلة",
        "الأحدث أولاً",
        "الأقدم أولاً",
    ]
    assert tab.eval_on_selector_all(".tl-filter__name", "els => els.map(e => e.textContent)") == [
        "النوع",
        "السنة",
        "البلدة",
        "الجماعة",
    ]
    message = tab.inner_text(".tl-search__message")
    assert "نتيجة" in message and "«مارع»" in message and "result" not in message, message
    assert not tab.errors


def test_the_arabic_timeline_filters_speak_arabic(tab, server):
    """/ar/timeline/2015/: the types by their Arabic names and the count in Arabic's plural forms
    (the form's data-words, read by words.js), not English."""
    tab.goto(server.url + AR_PAGES["timeline-year"])
    tab.locator(".tl-filters").wait_for(state="visible", timeout=5000)
    total = tab.locator(".tl-list > li").count()
    assert 3 <= total <= 10  # Arabic's "few": أحداث
    assert tab.inner_text(".tl-count") == f"{total} من {total} أحداث"
    types = tab.eval_on_selector_all("select[name=type] option", "els => els.map(e => e.textContent)")
    assert "معركة" in types and not any(re.search("[A-Za-z]", name) for name in types), types
    tab.select_option("select[name=town]", "umm-housh")
    shown = tab.locator(".tl-list > li:not([hidden])").count()
    assert shown < total
    expected = {1: "حدث واحد", 2: "حدثين"}.get(total, f"{total} أحداث")
    assert tab.inner_text(".tl-count") == f"{shown} من {expected}"
    assert not tab.errors


def test_the_arabic_map_speaks_arabic(tabs, untranslated_site):
    """/ar/map/: towns by their Arabic names (an untranslated one in English, marked so), the
    popups' counts, dates and types in Arabic from the catalogue, links to the Arabic pages."""
    with sites.Server(untranslated_site) as server:
        opened = tabs.open(server.url + "ar/map/")
        page = opened.page
        page.wait_for_function("() => window.tlMap && window.tlMap.layer.getLayers().length === 3")
        popup = open_popup(page, "umm-housh")
        link = popup.locator("a")
        assert link.inner_text() == "أم حوش" and link.get_attribute("lang") is None
        assert link.get_attribute("href") == server.url + "ar/towns/umm-housh/"
        text = popup.inner_text()
        assert "حدث واحد، من 8 آب 2015 إلى 8 آب 2015" in text, text  # ar_SY's month names
        assert "معركة: 1" in text, text  # the type's name from the catalogue
        assert not re.search("[A-Za-z]", text.replace("Aleppo", "")), text  # the province has no Arabic
        assert popup.locator("div[lang=en][dir=ltr]").inner_text() == "Aleppo"
        assert "حدثان" in open_popup(page, "marea").inner_text()  # Arabic's dual
        english = open_popup(page, "azaz").locator("a[lang=en][dir=ltr]")
        assert english.inner_text() == "Azaz"
        assert english.get_attribute("href") == server.url + "ar/towns/azaz/"
        page.evaluate("() => window.tlMap.markers['azaz'].openTooltip()")
        assert page.locator(".leaflet-tooltip span[lang=en][dir=ltr]").inner_text() == "Azaz"
        page.evaluate("() => window.tlMap.markers['marea'].openTooltip()")
        assert "مارع" in page.locator(".leaflet-tooltip").all_inner_texts()
        assert page.inner_text(".tl-map-filters .tl-count") == "3 بلدات"
        groups = page.eval_on_selector_all("select[name=group] option", "els => els.map(e => e.textContent)")
        assert "الدولة الإسلامية" in groups and "Islamic State" not in groups
        types = page.eval_on_selector_all("select[name=type] option", "els => els.map(e => e.textContent)")
        assert "معركة" in types and "Battle" not in types
        assert opened.errors == []


def open_popup(page, town: str):
    """The town's popup, once the one open before it has faded out."""
    page.evaluate(f"() => window.tlMap.markers[{town!r}].openPopup()")
    page.wait_for_function("() => document.querySelectorAll('.leaflet-popup').length === 1")
    return page.locator(".leaflet-popup-content")


def test_the_arabic_pages_charts_are_arabic(sample_site):
    """A town's and the home page's chart in the Arabic edition: its words and months."""
    for page in ("ar/towns/marea/index.html", "ar/index.html"):
        html = (sample_site / page).read_text("utf-8")
        chart = html[html.index('<div class="tl-chart-figure">') :]
        chart = chart[: chart.index("</details>")]
        assert '<th scope="col">الفترة</th>' in chart and "آب 2015" in chart, page
        assert "Period" not in chart and "incidents" not in chart and "August" not in chart, page


def test_each_editions_feeds_say_their_language(sample_site):
    for path, language in (("feed.xml", "en"), ("ar/feed.xml", "ar"), ("ar/towns/marea/feed.xml", "ar")):
        head = (sample_site / path).read_text("utf-8").split("<entry>")[0]
        assert f'xml:lang="{language}"' in head, path
