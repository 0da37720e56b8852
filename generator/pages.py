"""The site's pages and what each one shows, computed once from the dataset.

Every page lists a bounded slice (one town's, one group's, one year's incidents, split in
chunks), never the whole dataset, so the site grows linearly with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from .exports import slice_path
from .form import template_text
from .lookups import Index, figures, slug, total  # noqa: F401 (slug: province addresses)
from .model import MONTHS, Incident

LIST_CHUNK = 200  # incidents per town or group page; older ones on numbered pages after it
TOP_TOWNS = 50  # towns listed on a group page
PROVINCE_SPLIT = 300  # more towns than this: the towns index links one page per province
LATEST = 10


@dataclass(frozen=True)
class Page:
    """A page of the site: its address, its title (plain text), and what to render it from."""

    url: str  # "incidents/<id>/", "" for the home page
    title: str
    template: str
    key: str = ""  # the incident, town, group or year the page is about
    description: str = ""

    @property
    def standalone(self) -> bool:
        """A complete HTML document (a redirect), not content for the theme to wrap."""
        return self.template == "redirect.html"


def month_name(month: int | None) -> str:
    return MONTHS[month] if month else "Month unknown,"


def parts(incidents: list) -> int:
    return max(1, -(-len(incidents) // LIST_CHUNK))


def part_url(url: str, part: int) -> str:
    return url + (f"{part + 1}/" if part else "")


def newest_first(incidents: list, part: int = 0) -> list:
    """One page's share of a town's or group's incidents, newest first."""
    end = len(incidents) - part * LIST_CHUNK
    return incidents[max(0, end - LIST_CHUNK) : end][::-1]


def timeline_url(year: int, chunk: int) -> str:
    return f"timeline/{year}/" + (f"{chunk + 1}/" if chunk else "")


def plan(index: Index):
    data = index.dataset
    yield Page("", "Home", "home.html")
    yield Page("timeline/", "Timeline", "timeline_index.html")
    for year in sorted(index.by_year):
        for chunk in range(len(index.timeline_chunks(year))):
            yield Page(
                timeline_url(year, chunk), f"Timeline: {year}", "timeline_year.html", f"{year}:{chunk}"
            )
    yield Page("map/", "Map", "map.html", description="Incidents on a map, by town")
    yield Page("new/", "Add an incident", "new.html", description="A form that writes an incident record")
    yield Page("towns/", "Towns", "towns_index.html")
    yield Page("groups/", "Groups", "groups_index.html")
    if len(data.towns) > PROVINCE_SPLIT:
        for slug, province in index.provinces.items():
            yield Page(f"provinces/{slug}/", f"Towns in {province}", "towns_index.html", slug)
    for town in data.towns.values():
        yield Page(town.url, town.name, "town.html", town.id, f"Incidents in {town.name}, {town.province}")
        yield from _parts("towns", town, index.by_town[town.id])
    for group in data.groups.values():
        yield Page(group.url, group.name, "group.html", group.id, f"Incidents involving {group.name}")
        yield from _parts("groups", group, index.by_group[group.id])
    for incident in data.incidents:
        yield Page(
            incident.url,
            incident.title,
            "incident.html",
            incident.id,
            f"{incident.date.long_label}, {', '.join(data.towns[t].name for t in incident.towns)}: "
            f"{incident.title}",
        )
        for old in incident.redirect_from:
            yield Page(f"incidents/{old}/", incident.title, "redirect.html", incident.id)


def _parts(registry: str, about, incidents: list):
    """The numbered pages after a town's or group's first page of incidents."""
    for part in range(1, parts(incidents)):
        title = f"{about.name}: incidents, part {part + 1}"
        yield Page(part_url(about.url, part), title, "more.html", f"{registry}:{about.id}:{part}")


def context(index: Index, page, site) -> dict:
    """What a page's template needs, looked up by the page's kind and key."""
    data = index.dataset
    common = {"data": data, "index": index, "figures": figures, "total": total}
    kind = page.template.removesuffix(".html")
    if kind in ("incident", "redirect"):
        incident = index.incidents[page.key]
        previous, following = index.neighbours(incident)
        revisions = site.revisions.get(incident.id, [])
        return common | {
            "incident": incident,
            "previous": previous,
            "next": following,
            "revisions": revisions,
        }
    if kind == "town":
        incidents = index.by_town[page.key]
        return common | {
            "town": data.towns[page.key],
            "incidents": incidents,
            "data_slice": slice_path("towns", page.key, len(data.incidents)),
            "shown": newest_first(incidents),
            "parts": parts(incidents),
            "control": index.control[page.key],
        }
    if kind == "group":
        group, incidents = data.groups[page.key], index.by_group[page.key]
        towns = index.towns_of_group(group.id)
        return common | {
            "group": group,
            "incidents": incidents,
            "data_slice": slice_path("groups", page.key, len(data.incidents)),
            "shown": newest_first(incidents),
            "parts": parts(incidents),
            "children": index.children[group.id],
            "towns": towns[:TOP_TOWNS],
            "more_towns": len(towns) - TOP_TOWNS,
        }
    if kind == "more":
        registry, key, part = page.key.split(":")
        about = getattr(data, registry)[key]
        incidents = getattr(index, "by_town" if registry == "towns" else "by_group")[key]
        return common | {
            "about": about,
            "part": int(part),
            "parts": parts(incidents),
            "shown": newest_first(incidents, int(part)),
            "part_url": part_url,
        }
    if kind == "towns_index":
        towns = sorted(data.towns.values(), key=lambda town: (town.province, town.name))
        split = len(towns) > PROVINCE_SPLIT
        if split and page.key:
            towns = [town for town in towns if town.province == index.provinces[page.key]]
        return common | {
            "towns": towns,
            "split": split and not page.key,
            "province_page": bool(page.key),
            "provinces": index.provinces,
        }
    if kind == "timeline_year":
        year, chunk = (int(part) for part in page.key.split(":"))
        chunks = index.timeline_chunks(year)
        shown = chunks[chunk]
        names = {
            "towns": {t: data.towns[t].name for i in shown for t in i.towns},
            "groups": {g: data.groups[g].name for i in shown for g in i.groups},
        }
        return common | {
            "year": year,
            "chunk": chunk,
            "chunks": len(chunks),
            "names": names,
            "months": groupby(shown, key=lambda i: i.date.month),
            "month_name": month_name,
            "chunk_url": lambda n: timeline_url(year, n),
        }
    if kind == "map":
        return common | {"tile_url": site.tile_url, "tile_attribution": site.tile_attribution}
    if kind == "new":
        return common | {"template_text": template_text(site.forge.incidents if site.forge else "incidents")}
    if kind == "home":
        return common | {"latest": data.incidents[-LATEST:][::-1]}
    return common


_WHOLE = {"data", "index", "figures", "total", "month_name", "chunk_url", "part_url", "months"}


def fingerprint(index: Index, page: Page, site) -> int | None:
    """A number that changes whenever the page's HTML would (within one process), from what its
    template reads: a live preview compares it instead of rendering every page. None for the
    few pages that read the whole dataset (home, indexes, map): those are always rebuilt."""
    kind = page.template.removesuffix(".html")
    if kind not in ("incident", "redirect", "town", "group", "more", "timeline_year"):
        return None
    if kind == "timeline_year":
        year, chunk = (int(part) for part in page.key.split(":"))
        chunks = index.timeline_chunks(year)
        inputs = (_frozen(chunks[chunk], index), len(chunks))
    else:
        values = context(index, page, site)
        inputs = tuple(
            (key, _frozen(value, index)) for key, value in sorted(values.items()) if key not in _WHOLE
        )
    return hash(
        (page, index.registries_key, site.name, site.url, site.tile_url, site.tile_attribution, inputs)
    )


def _frozen(value, index: Index):
    """A context value as something hashable, each incident in it by its (remembered) hash."""
    if isinstance(value, list | tuple):
        if value and isinstance(value[0], Incident):  # a list of incidents, the long kind
            return tuple(map(index.incident_hash, value))
        return tuple(_frozen(item, index) for item in value)
    return index.incident_hash(value) if isinstance(value, Incident) else value
