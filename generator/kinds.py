"""The kinds of page, each declared once: what its template is given, whether it is searched,
dated or has a feed, what a live preview compares to know it changed (kinds of pages.Kind),
and the pages of each kind the dataset makes (`plan`, in the order the site lists them).
A new kind of page is one declaration here and one template."""

from __future__ import annotations

from functools import lru_cache
from itertools import groupby

from . import pages
from .editions import TRANSLATORS
from .exports import slice_path
from .form import form_words, template_text, type_names
from .i18n import N2_, N_, Words, script_words
from .lookups import Index, figures, total
from .model import Incident
from .pages import Chunk, Kind, Page, Part, newest_first, part_url, parts, timeline_url


def _incident(index: Index, page: Page, site) -> dict:
    incident = index.incidents[page.key]
    previous, following = index.neighbours(incident)
    revisions = site.revisions.get(incident.id, [])
    return {"incident": incident, "previous": previous, "next": following, "revisions": revisions}


def _town(index: Index, page: Page, site) -> dict:
    data, incidents = index.dataset, index.by_town[page.key]
    return {
        "town": data.towns[page.key],
        "incidents": incidents,
        "data_slice": slice_path("towns", page.key, len(data.incidents)),
        "shown": newest_first(incidents),
        "parts": parts(incidents),
        "control": index.control[page.key],
    }


def _group(index: Index, page: Page, site) -> dict:
    data, incidents = index.dataset, index.by_group[page.key]
    group, towns = data.groups[page.key], index.towns_of_group(page.key)
    return {
        "group": group,
        "incidents": incidents,
        "data_slice": slice_path("groups", page.key, len(data.incidents)),
        "shown": newest_first(incidents),
        "parts": parts(incidents),
        "children": index.children[group.id],
        "towns": towns[: pages.TOP_TOWNS],
        "more_towns": len(towns) - pages.TOP_TOWNS,
    }


def _more(index: Index, page: Page, site) -> dict:
    key = page.key
    incidents = (index.by_town if key.registry == "towns" else index.by_group)[key.id]
    return {
        "about": getattr(index.dataset, key.registry)[key.id],
        "part": key.part,
        "parts": parts(incidents),
        "shown": newest_first(incidents, key.part),
        "part_url": part_url,
    }


def _towns_index(index: Index, page: Page, site) -> dict:
    towns = sorted(index.dataset.towns.values(), key=lambda town: (town.province, town.name))
    split = len(towns) > pages.PROVINCE_SPLIT
    if split and page.key:
        towns = [town for town in towns if town.province == index.provinces[page.key]]
    return {
        "towns": towns,
        "split": split and not page.key,
        "province_page": bool(page.key),
        "provinces": index.provinces,
    }


def _timeline_year(index: Index, page: Page, site) -> dict:
    data, (year, chunk) = index.dataset, (page.key.year, page.key.chunk)
    chunks = index.timeline_chunks(year)
    shown = chunks[chunk]
    types = sorted({i.type for i in shown})
    towns = sorted({t for i in shown for t in i.towns})
    groups = sorted({g for i in shown for g in i.groups})
    words = site_words(site)
    names = {
        "types": [[t, words.type_name(t)] for t in types],
        "towns": [[t, data.towns[t].name] for t in towns],
        "groups": [[g, data.groups[g].name] for g in groups],
    }
    return {
        "year": year,
        "chunk": chunk,
        "chunks": len(chunks),
        "names": names,
        "filters": _filter_values(shown, types, towns, groups),
        "months": groupby(shown, key=lambda i: i.date.month),
        "month_name": words.month_name,
        "timeline_words": script_words(words, (), TIMELINE_PLURALS),
        "chunk_url": lambda n: timeline_url(year, n),
    }


def _filter_values(incidents, *orders: list[str]) -> dict[str, str]:
    """Each incident's type, towns and groups for the timeline's filters (timeline.js), as their
    places in the page's lists of them (its names): "2 0,7 1,3", not the ids on every line."""
    places = [{key: str(n) for n, key in enumerate(order)} for order in orders]

    def values(incident) -> str:
        fields = ((incident.type,), incident.towns, incident.groups)
        return " ".join(",".join(map(at.get, keys)) for at, keys in zip(places, fields, strict=True))

    return {incident.id: values(incident) for incident in incidents}


def _nothing(index: Index, page: Page, site) -> dict:
    return {}


def _new(index: Index, page: Page, site) -> dict:
    """The form's page: without JavaScript it shows a commented template of a record."""
    return {
        "template_text": template_text(
            site.forge.incidents if site.forge else "incidents",
            site.edition.languages if site.edition else (site.words.code,),
        ),
        "form_words": form_words(site.words),
    }


@lru_cache(maxsize=2)  # the editions of one build
def untranslated(index: Index, words: Words) -> list[Incident]:
    """The incidents whose title is not in the edition's language, in date order: found once
    per edition, not again for every page of the list, whose pages grow with the incidents."""
    return [i for i in index.dataset.incidents if words.untranslated(i)]


def _untranslated(index: Index, page: Page, site) -> dict:
    """A translator's to-do list: the incidents whose title is not in the edition's language,
    newest first, in parts."""
    incidents = untranslated(index, site_words(site))
    return {
        "incidents": incidents,
        "shown": newest_first(incidents, page.key),
        "part": page.key,
        "parts": parts(incidents),
        "part_url": part_url,
    }


def site_words(site) -> Words:
    return getattr(site, "words", None) or Words()


# What a page's fingerprint leaves out of its context: the whole dataset and helpers.
_WHOLE = {"data", "index", "figures", "total", "month_name", "chunk_url", "part_url", "months"}


def _by_context(index: Index, page: Page, site) -> tuple:
    values = page.kind.context(index, page, site)
    return tuple((key, _frozen(value, index)) for key, value in sorted(values.items()) if key not in _WHOLE)


def _by_chunk(index: Index, page: Page, site) -> tuple:
    chunks = index.timeline_chunks(page.key.year)
    return (_frozen(chunks[page.key.chunk], index), len(chunks))


def _by_part(values: dict, index: Index) -> tuple:
    """A part of a long list, by what it shows of it: its incidents, its place, the list's length."""
    return (len(values["incidents"]), _frozen(values["shown"], index), values["part"], values["parts"])


def _frozen(value, index: Index):
    """A context value as something hashable, each incident in it by its (remembered) hash."""
    if isinstance(value, list | tuple):
        if value and isinstance(value[0], Incident):  # a list of incidents, the long kind
            return tuple(map(index.incident_hash, value))
        return tuple(_frozen(item, index) for item in value)
    return index.incident_hash(value) if isinstance(value, Incident) else value


HOME = Kind(
    "home", lambda index, page, site: {"latest": index.dataset.incidents[-pages.LATEST :][::-1]}, feed=True
)
# The count of a timeline page's filters (assets/timeline.js reads it from the form's data-words)
TIMELINE_PLURALS = (N2_("%(shown)s of %(num)s incident", "%(shown)s of %(num)s incidents"),)
TIMELINE = Kind("timeline_index", _nothing)
TIMELINE_YEAR = Kind("timeline_year", _timeline_year, fingerprint=_by_chunk)
# The map's words (assets/map.js reads them from its element's data-words)
MAP_MESSAGES = (
    N_("The map's data could not be loaded. Every town is listed on the towns page."),
    N_("Reported deaths: %(range)s"),
    N_("%(type)s: %(num)s"),
)
MAP_PLURALS = (
    N2_("%(num)s town", "%(num)s towns"),
    N2_("%(num)s incident, %(first)s to %(last)s", "%(num)s incidents, %(first)s to %(last)s"),
    N2_(
        "%(num)s incident of %(total)s here matches the filters",
        "%(num)s incidents of %(total)s here match the filters",
    ),
)


def _map(index: Index, page: Page, site) -> dict:
    """The map's words, with the type names, and the groups' names in an edition's language
    where a group has one (the map's data, shared by every edition, has the records' own)."""
    words = site.words
    return {
        "tile_url": site.tile_url,
        "tile_attribution": site.tile_attribution,
        "map_words": script_words(words, MAP_MESSAGES, MAP_PLURALS) | {"types": type_names(words)},
        "group_names": {
            group.id: group.name
            for group in index.dataset.groups.values()
            if not words.untranslated(group, "name")
        }
        if not words.native
        else {},
    }


MAP = Kind("map", _map)
NEW = Kind("new", _new)
TOWNS = Kind("towns_index", _towns_index)
GROUPS = Kind("groups_index", _nothing)
PROVINCE = Kind("province", _towns_index, template="towns_index.html")
TOWN = Kind("town", _town, searchable=True, feed=True, fingerprint=_by_context)
GROUP = Kind("group", _group, searchable=True, feed=True, fingerprint=_by_context)
MORE = Kind("more", _more, fingerprint=_by_context)
INCIDENT = Kind("incident", _incident, searchable=True, dated=True, article=True, fingerprint=_by_context)
REDIRECT = Kind("redirect", _incident, standalone=True, fingerprint=_by_context)
UNTRANSLATED = Kind(  # in each edition but the records' own language
    "untranslated",
    _untranslated,
    fingerprint=lambda index, page, site: _by_part(_untranslated(index, page, site), index),
)
KINDS = (
    HOME,
    TIMELINE,
    TIMELINE_YEAR,
    MAP,
    NEW,
    TOWNS,
    GROUPS,
    PROVINCE,
    TOWN,
    GROUP,
    MORE,
    INCIDENT,
    REDIRECT,
)
KINDS += (UNTRANSLATED,)


def plan(index: Index, words: Words | None = None):
    """Every page the dataset makes, in the order the site lists them; `words`: the edition's
    language (English by default)."""
    data, w = index.dataset, words or Words()
    _ = w._
    yield Page("", _("Home"), HOME)
    yield Page("timeline/", _("Timeline"), TIMELINE)
    for year in sorted(index.by_year):
        for chunk in range(len(index.timeline_chunks(year))):
            title = _("Timeline: %(year)s", year=w.number(year))
            yield Page(timeline_url(year, chunk), title, TIMELINE_YEAR, Chunk(year, chunk))
    yield Page("map/", _("Map"), MAP, description=_("Incidents on a map, by town"))
    yield Page("new/", _("Add an incident"), NEW, description=_("A form that writes an incident record"))
    yield Page("towns/", _("Towns"), TOWNS)
    yield Page("groups/", _("Groups"), GROUPS)
    if len(data.towns) > pages.PROVINCE_SPLIT:
        for key, province in index.provinces.items():
            yield Page(f"provinces/{key}/", _("Towns in %(province)s", province=province), PROVINCE, key)
    for town in data.towns.values():
        about = _("Incidents in %(town)s, %(province)s", town=town.name, province=town.province)
        yield Page(town.url, town.name, TOWN, town.id, about)
        yield from _parts("towns", town, index.by_town[town.id], w)
    for group in data.groups.values():
        about = _("Incidents involving %(group)s", group=group.name)
        yield Page(group.url, group.name, GROUP, group.id, about)
        yield from _parts("groups", group, index.by_group[group.id], w)
    for incident in data.incidents:
        places = ", ".join(data.towns[t].name for t in incident.towns)
        description = f"{w.long_label(incident.date)}, {places}: {incident.title}"
        yield Page(incident.url, incident.title, INCIDENT, incident.id, description)
        for old in incident.redirect_from:
            yield Page(f"incidents/{old}/", incident.title, REDIRECT, incident.id)
    if not w.native:
        for part in range(parts(untranslated(index, w))):
            title = _("Not translated yet") + (f" ({w.number(part + 1)})" if part else "")
            yield Page(part_url(TRANSLATORS, part), title, UNTRANSLATED, part)


def _parts(registry: str, about, incidents: list, w: Words):
    """The numbered pages after a town's or group's first page of incidents."""
    for part in range(1, parts(incidents)):
        title = w._("%(name)s: incidents, part %(part)s", name=about.name, part=w.number(part + 1))
        yield Page(part_url(about.url, part), title, MORE, Part(registry, about.id, part))


def context(index: Index, page: Page, site) -> dict:
    """What a page's template needs, besides the page and its root."""
    common = {"data": index.dataset, "index": index, "figures": figures, "total": total}
    return common | page.kind.context(index, page, site)


def fingerprint(index: Index, page: Page, site) -> int | None:
    """A number that changes whenever the page's HTML would (within one process), from what its
    template reads: a live preview compares it instead of rendering every page. None for the
    kinds that read the whole dataset (home, indexes, map): those are always rebuilt."""
    if page.kind.fingerprint is None:
        return None
    inputs = page.kind.fingerprint(index, page, site)
    return hash(
        (
            page,
            index.registries_key,
            site.name,
            site.url,
            site.tile_url,
            site.tile_attribution,
            site.words,
            inputs,
        )
    )
