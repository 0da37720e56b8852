"""What a shared link, a feed reader and a citation see: feeds linked from <head>, Open Graph
tags, the citation block, and the data slices each town and group page links to."""

from __future__ import annotations

import csv
import io
import re

import feedparser

MAREA = "incidents/2015-08-10-is-overnight-attack-on-marea/index.html"


def head_links(html: str) -> list[dict[str, str]]:
    head = html.split("</head>", 1)[0]
    return [dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag)) for tag in re.findall(r"<link [^>]*>", head)]


def feed_link(html: str) -> str:
    [link] = [link for link in head_links(html) if link.get("type") == "application/atom+xml"]
    assert "alternate" in link["rel"].split()
    return link["href"]


def test_home_town_and_group_pages_link_their_feed(sample_site):
    for page in ("index.html", "towns/marea/index.html", "groups/islamic-state/index.html"):
        html = (sample_site / page).read_text(encoding="utf-8")
        feed = (sample_site / page).parent / feed_link(html)
        parsed = feedparser.parse(feed.read_bytes())
        assert parsed.bozo == 0 and parsed.entries, page
    marea = feedparser.parse((sample_site / "towns/marea/feed.xml").read_bytes())
    assert {e.title for e in marea.entries} >= {"Overnight IS attack on the rebel stronghold of Marea"}


def test_incident_page_has_sharing_tags_and_a_citation(sample_site):
    html = (sample_site / MAREA).read_text(encoding="utf-8")
    tags = dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):\w+)" content="([^"]*)"', html))
    assert tags["og:title"] == "Overnight IS attack on the rebel stronghold of Marea"
    assert tags["og:type"] == "article" and tags["twitter:card"] == "summary"
    assert tags["og:url"].endswith("/incidents/2015-08-10-is-overnight-attack-on-marea/")
    assert "10–11 August 2015" in tags["og:description"] or "10 August 2015" in tags["og:description"]
    assert "Cite this incident" in html and "@misc{2015-08-10-is-overnight-attack-on-marea," in html


def test_town_and_group_pages_link_their_data_slices(sample_site):
    html = (sample_site / "towns/marea/index.html").read_text(encoding="utf-8")
    slices = re.findall(r'href="(\.\./\.\./data/towns/marea\.[a-z]+)"', html)
    assert slices == ["../../data/towns/marea.csv"]
    data = (sample_site / "towns/marea" / slices[0]).resolve().read_text(encoding="utf-8")
    ids = {row["event_id_cnty"] for row in csv.DictReader(io.StringIO(data))}
    assert "2015-08-10-is-overnight-attack-on-marea" in ids
    assert (sample_site / "map/index.html").is_file() and (sample_site / "data/towns.geojson").is_file()
