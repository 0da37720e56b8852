"""Atom 1.0 feeds of the latest incidents: the whole site's, and each town's and group's.

Built with ElementTree, so every value from a record is escaped as XML text. Ids are the
absolute addresses of the pages (stable as long as site_url is), and every date comes from
the data, never from the clock: an entry is `updated` on its incident's date, or on the
day its record last changed when `changed` ({incident id: "YYYY-MM-DD"}, from history.py)
says so.

Each edition has its feeds, in its language (`language`): the <feed> says which (xml:lang),
and an entry whose record has no translation into it keeps the record's own title or summary,
marked as in the records' language, as its page marks them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping
from functools import partial
from urllib.parse import urlsplit

from .exports import Files
from .i18n import ROOT_LANGUAGE, catalogue
from .lookups import Index
from .markup import summary_html, type_name
from .model import Dataset, Incident, PartialDate

ATOM = "http://www.w3.org/2005/Atom"
LATEST = 50
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RELATIVE_LINK = re.compile(r'href="(?!https?:)')
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # not allowed in XML 1.0


def stamp(date: PartialDate) -> str:
    """An RFC 3339 time for a date as precise as known: the first day of its month or year."""
    year, month, day = date.sort_key
    return f"{year:04d}-{month or 1:02d}-{day or 1:02d}T00:00:00Z"


def _add(parent, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: NOT_XML.sub("", v) for k, v in attributes.items()})
    if text is not None:
        element.text = NOT_XML.sub("", text)
    return element


def entry_updated(incident: Incident, changed: Mapping[str, str]) -> str:
    day = changed.get(incident.id)
    return max(stamp(incident.date), f"{day}T00:00:00Z" if day else "")


def feed(data: Dataset, site_url: str, path: str, title: str, page: str, incidents, **options) -> str:
    """One feed: `incidents` (in date order), the latest LATEST of them newest first."""
    changed, site_title = options.get("changed") or {}, options.get("site_title", "Incident timeline")
    entry = options.get("entry") or partial(entry_xml, site_url=site_url, changed=changed)
    latest = _latest(incidents)[::-1]
    updated = [entry_updated(i, changed) for i in latest]
    fallback = stamp(data.incidents[-1].date) if data.incidents else "1970-01-01T00:00:00Z"
    root = ET.Element("feed", {"xmlns": ATOM, XML_LANG: options.get("language", ROOT_LANGUAGE)})
    _add(root, "title", title)
    _add(root, "id", site_url + path)
    _add(root, "updated", max(updated, default=fallback))
    _add(root, "link", rel="self", type="application/atom+xml", href=site_url + path)
    _add(root, "link", rel="alternate", type="text/html", href=site_url + page)
    _add(_add(root, "author"), "name", site_title)
    head = ET.tostring(root, encoding="unicode").removesuffix("</feed>")
    entries = "".join("\n" + entry(incident) for incident in latest)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + head + entries + "\n</feed>\n"


def _latest(incidents) -> list:
    """The LATEST last of `incidents` (a list or tuple, in date order): what a feed lists."""
    return list(incidents[-LATEST:])


def entry_xml(
    incident: Incident, site_url: str, changed: Mapping[str, str], language: str = ROOT_LANGUAGE
) -> str:
    """An incident's <entry>, on a line of its own in the feed (no indentation: feed readers do
    not show it, and it was a fifteenth of every feed); the same in every feed it is in."""
    entry = ET.Element("entry")
    _in_language(_add(entry, "title", incident.title), incident, "title", language)
    _add(entry, "id", site_url + incident.url)
    _add(entry, "link", href=site_url + incident.url)  # rel="alternate" is Atom's default
    _add(entry, "published", stamp(incident.date))
    _add(entry, "updated", entry_updated(incident, changed))
    label = catalogue(language).gettext(type_name(incident.type))
    _add(entry, "category", term=incident.type, label=label)
    for tag in incident.tags:
        _add(entry, "category", term=tag)
    html = summary_html(incident.summary)
    content = _in_language(_add(entry, "content", html, type="html"), incident, "summary", language)
    if RELATIVE_LINK.search(html):  # resolve them as on the page (an attribute per entry otherwise)
        content.set(XML_BASE, site_url + incident.url)
    return ET.tostring(entry, encoding="unicode")


def _in_language(element: ET.Element, incident: Incident, name: str, language: str) -> ET.Element:
    """An untranslated text in another edition's feed: marked as in the records' language."""
    if language != ROOT_LANGUAGE and incident.translated(name, language) is None:
        element.set(XML_LANG, ROOT_LANGUAGE)
    return element


def feed_files(
    dataset: Dataset,
    site_url: str,
    changed: Mapping[str, str] | None = None,
    site_title: str = "Incident timeline",
    language: str = ROOT_LANGUAGE,
) -> Mapping[str, str]:
    """{site path: Atom XML}: feed.xml, towns/<id>/feed.xml and groups/<id>/feed.xml, each made
    when read, in an edition's `language` (the dataset as that edition shows it: i18n.localised).
    site_url must be absolute (Atom ids and links are)."""
    if urlsplit(site_url).scheme not in ("http", "https") or not urlsplit(site_url).netloc:
        raise ValueError(f"feeds need the site's absolute address (site_url), not {site_url!r}")
    site_url = site_url.rstrip("/") + "/"
    index, towns, groups = Index(dataset), dataset.towns.values(), dataset.groups.values()
    feeds = [("feed.xml", site_title, "", dataset.incidents)]
    feeds += [
        (t.url + "feed.xml", f"{t.name}, {t.province}: {site_title}", t.url, index.by_town[t.id])
        for t in towns
    ]
    feeds += [(g.url + "feed.xml", f"{g.name}: {site_title}", g.url, index.by_group[g.id]) for g in groups]
    entry = SharedEntries(
        partial(entry_xml, site_url=site_url, changed=changed or {}, language=language),
        (incident for *_, incidents in feeds for incident in _latest(incidents)),
    )
    make = partial(
        feed, dataset, site_url, changed=changed, site_title=site_title, entry=entry, language=language
    )
    return Files(
        {path: partial(make, path, title, page, incidents) for path, title, page, incidents in feeds}
    )


class SharedEntries:
    """An incident's entry, made once for all the feeds it is in (the site's, its towns' and its
    groups'), and kept only until the last of them has used it: keeping every entry would hold
    memory that grows with the dataset, and a cache of the recent ones missed most of them."""

    def __init__(self, make, uses):
        self.make, self.left, self.kept = make, Counter(incident.id for incident in uses), {}

    def __call__(self, incident: Incident) -> str:
        key = incident.id
        if self.left[key] <= 1:  # its last feed (or a feed made once more, in a test)
            self.left.pop(key, None)
            return self.kept.pop(key, None) or self.make(incident)
        self.left[key] -= 1
        if key not in self.kept:
            self.kept[key] = self.make(incident)
        return self.kept[key]
