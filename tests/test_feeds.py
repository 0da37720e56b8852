"""Atom feeds, read back with feedparser (a real feed reader's parser) and ElementTree: well
formed, the latest incidents newest first, absolute links, dates from the data, and record
text that stays text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import feedparser
import pytest

from generator.feeds import LATEST, feed_files
from generator.i18n import Words, localised
from generator.markup import summary_html

SITE = "https://example.org/timeline/"
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = '<script>alert(1)</script> ]]> & "quotes" <b>bold</b> &amp;'


def parse(xml: str):
    parsed = feedparser.parse(xml)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def newest_first(incidents) -> list:
    return sorted(incidents, key=lambda i: i.sort_key, reverse=True)[:LATEST]


def test_every_feed_is_valid_atom_with_the_latest_incidents(synthetic_dataset):
    files = feed_files(synthetic_dataset, SITE)
    expected = {"feed.xml": synthetic_dataset.incidents}
    expected |= {
        f"towns/{t}/feed.xml": [i for i in synthetic_dataset.incidents if t in i.towns]
        for t in synthetic_dataset.towns
    }
    expected |= {
        f"groups/{g}/feed.xml": [i for i in synthetic_dataset.incidents if g in i.groups]
        for g in synthetic_dataset.groups
    }
    assert set(files) == set(expected)
    for path, incidents in expected.items():
        feed = parse(files[path])
        wanted = newest_first(incidents)
        assert [e.link for e in feed.entries] == [SITE + i.url for i in wanted], path
        assert [e.id for e in feed.entries] == [SITE + i.url for i in wanted]
        assert [e.title for e in feed.entries] == [i.title for i in wanted]
        assert feed.feed.id == SITE + path
        assert {link.rel: link.href for link in feed.feed.links}["self"] == SITE + path
    assert len(parse(files["feed.xml"]).entries) == LATEST < len(synthetic_dataset.incidents)


def test_entries_carry_the_rendered_summary_and_dates_from_the_data(sample_dataset):
    files = feed_files(sample_dataset, SITE)
    feed = parse(files["feed.xml"])
    latest = sample_dataset.incidents[-1]
    entry = feed.entries[0]
    assert entry.content[0].type == "text/html"
    assert "<strong>Marea</strong>" in entry.content[0].value
    assert entry.content[0].value.startswith(summary_html(latest.summary)[:40])
    y, m, d = latest.date.sort_key
    assert entry.updated == entry.published == f"{y:04d}-{m:02d}-{d:02d}T00:00:00Z"
    assert feed.feed.updated == entry.updated
    assert {t.term for t in entry.tags} == {latest.type, *latest.tags}
    assert feed_files(sample_dataset, SITE)["feed.xml"] == files["feed.xml"]  # no clock: the same every time


def test_a_later_edit_updates_the_entry_not_the_publication_date(sample_dataset):
    latest = sample_dataset.incidents[-1]
    files = feed_files(sample_dataset, SITE, changed={latest.id: "2016-02-03"})
    entry = parse(files["feed.xml"]).entries[0]
    assert entry.updated == "2016-02-03T00:00:00Z"
    assert entry.published.startswith(latest.date.iso)


def test_month_and_year_dates_give_the_start_of_the_period(sample_dataset):
    first, second = sample_dataset.incidents[:2]
    dataset = replace(
        sample_dataset,
        incidents=(
            replace(first, date=replace(first.date, day=None)),
            replace(second, date=replace(second.date, month=None, day=None)),
        ),
    )
    entries = {e.id: e for e in parse(feed_files(dataset, SITE)["feed.xml"]).entries}
    assert entries[SITE + first.url].published == f"{first.date.year}-{first.date.month:02d}-01T00:00:00Z"
    assert entries[SITE + second.url].published == f"{second.date.year}-01-01T00:00:00Z"


def test_hostile_titles_and_names_stay_text(sample_dataset):
    incident = replace(
        sample_dataset.incidents[-1], title=HOSTILE, summary=f"Summary {HOSTILE} long enough.", tags=()
    )
    town = replace(sample_dataset.towns[incident.towns[0]], name=HOSTILE)
    dataset = replace(sample_dataset, towns=sample_dataset.towns | {town.id: town}, incidents=(incident,))
    files = feed_files(dataset, SITE, site_title="Timeline & <friends>")
    for path in ("feed.xml", f"towns/{town.id}/feed.xml"):
        root = ET.fromstring(files[path])  # well formed, and:
        assert not list(root.iter("script")) and not list(root.iter("b"))
        assert not [e for e in root.iter() if not e.tag.startswith(ATOM)], "only Atom elements"
        (entry,) = root.findall(f"{ATOM}entry")
        assert entry.findtext(f"{ATOM}title") == HOSTILE
        feed = parse(files[path])
        assert feed.entries[0].title_detail.type == "text/plain"
        assert feed.feed.author == "Timeline & <friends>"
    town_feed = ET.fromstring(files[f"towns/{town.id}/feed.xml"])
    assert town_feed.findtext(f"{ATOM}title") == f"{HOSTILE}, {town.province}: Timeline & <friends>"
    content = ET.fromstring(files["feed.xml"]).find(f"{ATOM}entry/{ATOM}content").text
    assert content.startswith("<p>Summary ") and "quotes" in content  # the sanitiser's output, as text
    assert "<script" not in content and "alert(1)" not in content and "<b>" not in content


def test_feeds_need_the_sites_absolute_address(sample_dataset):
    for bad in ("", "/timeline/", "example.org/timeline/", "javascript:alert(1)//x"):
        with pytest.raises(ValueError, match="site_url"):
            feed_files(sample_dataset, bad)
    files = feed_files(sample_dataset, "https://example.org/timeline")  # no trailing slash: one is added
    assert parse(files["feed.xml"]).entries[0].link.startswith(SITE + "incidents/")


def test_a_town_without_incidents_has_an_empty_valid_feed(sample_dataset):
    quiet = next(t for t in sample_dataset.towns if not any(t in i.towns for i in sample_dataset.incidents))
    feed = parse(feed_files(sample_dataset, SITE)[f"towns/{quiet}/feed.xml"])
    assert feed.entries == []
    assert feed.feed.updated == parse(feed_files(sample_dataset, SITE)["feed.xml"]).feed.updated


def test_relative_links_in_a_summary_resolve_against_the_incident_page(sample_dataset):
    last = sample_dataset.incidents[-1]
    linked = replace(
        last, summary="See [the town](../../towns/marea/) and [a report](https://example.com/r)."
    )
    plain = sample_dataset.incidents[-2]
    dataset = replace(sample_dataset, incidents=(plain, linked))
    entries = {e.id: e for e in parse(feed_files(dataset, SITE)["feed.xml"]).entries}
    # feedparser resolves relative links against xml:base, as a feed reader does
    assert f'href="{SITE}towns/marea/"' in entries[SITE + linked.url].content[0].value
    assert 'href="https://example.com/r"' in entries[SITE + linked.url].content[0].value
    root = ET.fromstring(feed_files(dataset, SITE)["feed.xml"])
    bases = {e.findtext(f"{ATOM}id"): e.find(f"{ATOM}content").attrib for e in root.iter(f"{ATOM}entry")}
    base = "{http://www.w3.org/XML/1998/namespace}base"
    assert bases[SITE + linked.url][base] == SITE + linked.url
    assert base not in bases[SITE + plain.url]  # no relative link: no attribute to repeat


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_each_editions_feed_is_in_its_language_and_marks_what_is_untranslated(sample_dataset):
    """The Arabic edition's feed says it is Arabic (xml:lang on <feed>, which feed readers take
    for every entry); an entry of a record not translated yet keeps its English title and
    summary, marked English; a translated one is Arabic, its type's name too."""
    first, *others = sample_dataset.incidents
    data = replace(sample_dataset, incidents=(replace(first, translations=()), *others))
    arabic = feed_files(localised(data, "ar"), SITE + "ar/", language="ar")["feed.xml"]
    root = ET.fromstring(arabic)
    assert root.get(XML_LANG) == "ar"
    entries = {e.find(f"{ATOM}id").text.split("/")[-2]: e for e in root.iter(f"{ATOM}entry")}
    untranslated, translated = entries[first.id], entries[others[0].id]
    assert untranslated.find(f"{ATOM}title").get(XML_LANG) == "en"
    assert untranslated.find(f"{ATOM}title").text == first.title
    assert untranslated.find(f"{ATOM}content").get(XML_LANG) == "en"
    assert translated.find(f"{ATOM}title").get(XML_LANG) is None
    assert translated.find(f"{ATOM}content").get(XML_LANG) is None
    assert translated.find(f"{ATOM}title").text == others[0].translated("title", "ar")
    assert translated.find(f"{ATOM}category").get("label") == Words("ar")._(
        others[0].type.replace("-", " ").capitalize()
    )
    parsed = parse(arabic)
    assert parsed.feed.language == "ar"
    languages = {e.id.split("/")[-2]: e.title_detail.language for e in parsed.entries}
    assert languages[first.id] == "en" and languages[others[0].id] == "ar"
    english = ET.fromstring(feed_files(data, SITE)["feed.xml"])
    assert english.get(XML_LANG) == "en"
    assert all(e.get(XML_LANG) is None for entry in english.iter(f"{ATOM}entry") for e in entry)
