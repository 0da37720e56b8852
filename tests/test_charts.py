"""The monthly chart: accessible SVG plus a table, bounded in size, death ranges that never add
up sources, escaped text, and colours that follow the theme (checked in a real browser)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from generator.charts import LEFT, MAX_MONTHS, WIDTH, monthly_chart
from generator.i18n import Words
from generator.model import CasualtyReport, PartialDate

SVG = "{http://www.w3.org/2000/svg}"


def parse(html: str) -> ET.Element:
    """The chart is well-formed markup: parse it as XML to look inside, its <svg> in SVG's
    namespace, where an HTML parser puts it (the page need not say xmlns)."""
    return ET.fromstring(str(html).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


def dated(incident, year, month=None, day=None, n=0, casualties=None):
    return replace(
        incident,
        id=f"{incident.id}-{n}",
        date=PartialDate(year, month, day),
        end_date=None,
        casualties=incident.casualties if casualties is None else casualties,
    )


def table(root) -> list[tuple[str, str, str]]:
    return [
        (row.findtext("th"), *(cell.text for cell in row.findall("td")))
        for row in root.iter("tr")
        if row.find("td") is not None
    ]


def test_the_chart_is_labelled_and_has_a_table_alternative(sample_dataset):
    root = parse(monthly_chart(sample_dataset.incidents, "Incidents in 2015"))
    svg = root.find(f"{SVG}svg")
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id
    assert svg.find(f"{SVG}title").text == "Incidents in 2015"
    assert svg.find(f"{SVG}desc").get("id") == desc_id
    assert "4 incidents" in svg.find(f"{SVG}desc").text
    assert root.find("details/table/caption").text == "Incidents in 2015"
    assert table(root) == [("August 2015", "4", "80–89")]


def bars(root) -> list[tuple[float, float]]:
    """(x, height) of each incident bar."""
    found = root.findall(f".//{SVG}g[@class='tl-chart-count']//{SVG}rect")
    return [(float(bar.get("x")), float(bar.get("height"))) for bar in found]


def test_the_axis_spans_every_month_and_empty_months_draw_nothing(sample_dataset):
    base = sample_dataset.incidents[0]
    incidents = [dated(base, 2014, 11, 3, 1), dated(base, 2015, 3, 9, 2), dated(base, 2015, 3, 20, 3)]
    root = parse(monthly_chart(incidents, "Span"))
    (first, low), (last, high) = bars(root)
    assert low == high / 2
    step = (WIDTH - LEFT - 8) / 5  # November 2014 to March 2015
    assert last - first == pytest.approx(4 * step, abs=0.2)
    titles = [g.findtext(f"{SVG}title") for g in root.iter(f"{SVG}g")]
    assert "November 2014: 1 incident" in titles and "March 2015: 2 incidents" in titles
    assert [row[0] for row in table(root)] == ["November 2014", "March 2015"]  # empty months left out


def test_a_long_span_is_charted_by_year(sample_dataset):
    base = sample_dataset.incidents[0]
    incidents = [dated(base, 2000, 1, 1, 1), dated(base, 2020, 12, 1, 2), dated(base, 2020, 6, 1, 3)]
    root = parse(monthly_chart(incidents, "Twenty years"))
    (first, _), (last, _) = bars(root)
    assert last - first == pytest.approx(20 * (WIDTH - LEFT - 8) / 21, abs=0.2)  # one step a year
    assert [row[:2] for row in table(root)] == [("2000", "1"), ("2020", "2")]
    span = [dated(base, 2000, 1, 1, 1), dated(base, 2000, 1, 1, 2)]
    span += [dated(base, 2000 + MAX_MONTHS // 12 - 1, 12, 1, 3)]
    (first, _), (last, _) = bars(parse(monthly_chart(span, "Fifteen years")))
    assert last - first == pytest.approx((MAX_MONTHS - 1) * (WIDTH - LEFT - 8) / MAX_MONTHS, abs=0.2)


def test_deaths_are_a_range_per_side_and_never_a_sum_of_sources(sample_dataset):
    base = sample_dataset.incidents[0]
    reports = (
        CasualtyReport("syrian-opposition", "A", killed=10),
        CasualtyReport("syrian-opposition", "B", killed=14),
        CasualtyReport("civilians", "A", killed=2),
    )
    incidents = [
        dated(base, 2016, 5, 1, 1, reports),
        dated(base, 2016, 5, 2, 2, (CasualtyReport("islamic-state", "A", killed=5),)),
        dated(base, 2016, 6, 2, 3, ()),
    ]
    root = parse(monthly_chart(incidents, "Deaths"))
    assert table(root) == [("May 2016", "2", "17–21"), ("June 2016", "1", "none reported")]
    high, low = root.findall(f".//{SVG}g[@class='tl-chart-deaths']//{SVG}rect")
    assert high.get("class") == "tl-chart-high" and low.get("class") is None  # drawn faint, then solid
    assert float(low.get("height")) / float(high.get("height")) == pytest.approx(17 / 21, abs=0.01)


def death_titles(root) -> list[str]:
    return [g.findtext(f"{SVG}title") for g in root.find(f".//{SVG}g[@class='tl-chart-deaths']")]


@pytest.mark.parametrize(
    "words, expected",
    [
        (
            Words(),
            [
                "May 2016: 1 reported death",
                "June 2016: 2 reported deaths",
                "July 2016: 1–3 reported deaths",
                "August 2016: 0–1 reported deaths",
            ],
        ),
        (
            Words("ar", "ar_SY", native=False),
            [
                "أيار 2016: 1 وفاة مبلغ عنها",
                "حزيران 2016: 2 وفاتان مبلغ عنهما",
                "تموز 2016: 1–3 وفيات مبلغ عنها",
                "آب 2016: 0–1 وفاة مبلغ عنها",
            ],
        ),
    ],
)
def test_a_death_bars_tooltip_takes_the_plural_form_of_its_highest_figure(sample_dataset, words, expected):
    """Not "1 reported deaths": the form of the highest figure, in each edition's plural forms;
    a range "0–1" takes the form of 0, as CLDR's plural ranges have it."""
    base = sample_dataset.incidents[0]
    killed = [(CasualtyReport("civilians", "A", killed=n),) for n in (1, 2)]
    killed.append((CasualtyReport("civilians", "A", killed=1), CasualtyReport("civilians", "B", killed=3)))
    killed.append((CasualtyReport("civilians", "A", killed=0), CasualtyReport("civilians", "B", killed=1)))
    incidents = [dated(base, 2016, 5 + n, 1, n, reports) for n, reports in enumerate(killed)]
    assert death_titles(parse(monthly_chart(incidents, "Deaths", words))) == expected


def test_incidents_known_only_to_the_year_are_in_the_table(sample_dataset):
    base = sample_dataset.incidents[0]
    incidents = [dated(base, 2015, 8, 1, 1), dated(base, 2015, None, None, 2)]
    root = parse(monthly_chart(incidents, "Partial"))
    assert len(bars(root)) == 1
    assert ("2015, month unknown", "1") in [row[:2] for row in table(root)]
    assert "known only to the year" in root.find(f"{SVG}svg/{SVG}desc").text


def test_text_is_escaped_and_ids_are_stable(sample_dataset):
    caption = '<script>alert(1)</script> & "x" ]]>'
    html = monthly_chart(sample_dataset.incidents, caption)
    root = parse(html)
    assert not list(root.iter("script")) and not list(root.iter(f"{SVG}script"))
    assert root.find(f"{SVG}svg/{SVG}title").text == caption
    assert root.find("details/summary").text.startswith(caption)
    assert html == monthly_chart(sample_dataset.incidents, caption)
    assert monthly_chart(sample_dataset.incidents, "Other").split('id="')[1] != html.split('id="')[1]


def test_what_the_figures_and_axes_share_is_said_once(sample_dataset):
    """The scale's figures end at the axis and the axes are stroked by their groups, not each;
    no xmlns (an HTML parser puts <svg> in SVG's namespace) and no class nothing styles."""
    html = str(monthly_chart(sample_dataset.incidents, "Once"))
    assert html.count("text-anchor=") == html.count("stroke=") == 1 and "xmlns" not in html
    assert not [text for text in parse(html).iter(f"{SVG}text") if text.attrib.keys() - {"x", "y"}]


def test_no_incidents_gives_an_empty_chart_not_an_error():
    root = parse(monthly_chart([], "Nothing yet"))
    assert root.find(f"{SVG}svg") is not None and table(root) == []


def test_no_colour_is_hard_coded(sample_dataset):
    html = str(monthly_chart(sample_dataset.incidents, "Colours"))
    fills = {e.get("fill") for e in parse(html).iter() if e.get("fill")}
    strokes = {e.get("stroke") for e in parse(html).iter() if e.get("stroke")}
    assert fills | strokes == {"currentColor"}
    assert "#" not in html.replace("&#", "") and "black" not in html and "rgb" not in html
    assert "<script" not in html and " on" not in html.lower().replace(" one ", " ")


@pytest.mark.browser
def test_the_chart_follows_the_text_colour_in_dark_mode(sample_dataset, chromium):
    page = chromium.new_page()
    try:
        chart = monthly_chart(sample_dataset.incidents, "Dark")
        page.set_content(
            f'<!doctype html><html lang="en"><body style="color: rgb(230, 230, 230); background: rgb(20, 20, 20)">'
            f"{chart}</body></html>"
        )
        colours = page.evaluate(
            """() => [...document.querySelectorAll('svg text, svg rect')].map(e => getComputedStyle(e).fill)"""
        )
        assert colours and set(colours) == {"rgb(230, 230, 230)"}
        rights, axis, strokes = page.evaluate(
            """() => { const svg = document.querySelector("svg.tl-chart"), box = e => e.getBoundingClientRect();
              return [[...svg.querySelectorAll("g[text-anchor] text")].map(e => Math.round(box(e).right)),
                      box(svg.querySelector("line")).left, [...svg.querySelectorAll("line")].map(e => getComputedStyle(e).stroke)]; }"""
        )
        assert (
            len(rights) == 4 and max(rights) - min(rights) <= 1 and max(rights) <= axis
        )  # they end at the axis
        assert strokes == ["rgb(230, 230, 230)"] * 2
        box = page.locator("svg.tl-chart").bounding_box()
        assert box["width"] > 300 and box["height"] > 100
        page.locator("details.tl-chart-table summary").click()
        assert page.locator("details.tl-chart-table table").is_visible()
    finally:
        page.close()


def test_a_month_reported_without_deaths_draws_no_death_bar(sample_dataset):
    base = sample_dataset.incidents[0]
    none_killed = (CasualtyReport("syrian-opposition", "A", killed=0),)
    root = parse(monthly_chart([dated(base, 2016, 5, 1, 1, none_killed)], "Zero"))
    assert root.find(f".//{SVG}rect[@class='tl-chart-high']") is None  # a bar of no height: nothing
    assert table(root) == [("May 2016", "1", "0")]  # the table still says 0, not "none reported"


ARABIC = Words("ar", "ar_SY", native=False)


def test_an_arabic_chart_speaks_arabic_with_the_locales_months(sample_dataset):
    """Headings, description, bar titles and the table from the Arabic catalogue; months from
    CLDR for the edition's locale (ar_SY: آب for August)."""
    root = parse(monthly_chart(sample_dataset.incidents, "الأحداث في 2015", ARABIC))
    svg = root.find(f"{SVG}svg")
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "الأحداث" in texts and "الوفيات المبلغ عنها (من الأدنى إلى الأعلى)" in texts
    assert svg.find(f"{SVG}desc").text == "4 أحداث حسب الشهر، من آب 2015 إلى آب 2015، وأكثرها (4) في آب 2015."
    titles = [t.text for t in svg.iter(f"{SVG}title")][1:]
    assert titles == ["آب 2015: 4 أحداث", "آب 2015: 80–89 وفاة مبلغ عنها"]
    assert root.find("details/summary").text == "الأحداث في 2015: الأرقام"
    assert [th.text for th in root.iter("th") if th.get("scope") == "col"] == [
        "الفترة",
        "الأحداث",
        "الوفيات المبلغ عنها",
    ]
    assert table(root) == [("آب 2015", "4", "80–89")]
    english = str(monthly_chart(sample_dataset.incidents, "Incidents in 2015"))
    assert not re.search("[\u0600-\u06ff]", english)  # the default stays English

    egyptian = parse(monthly_chart(sample_dataset.incidents, "x", Words("ar", "ar_EG", native=False)))
    assert table(egyptian) == [("أغسطس 2015", "4", "80–89")]  # the locale is the edition's
