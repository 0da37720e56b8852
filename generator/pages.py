"""A page of the site, its kind, and the addresses and slices long lists are split into.

Every page lists a bounded slice (one town's, one group's, one year's incidents, split in
chunks), never the whole dataset, so the site grows linearly with it. The kinds of page
themselves are declared once each, in kinds.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .model import MONTHS

LIST_CHUNK = 200  # incidents per town or group page; older ones on numbered pages after it
TOP_TOWNS = 50  # towns listed on a group page
PROVINCE_SPLIT = 300  # more towns than this: the towns index links one page per province
LATEST = 10


@dataclass(frozen=True, eq=False)
class Kind:
    """A kind of page, declared once (kinds.py): its template, what its template is given, and
    how the build treats its pages."""

    name: str  # incident, town, ...: what the theme reads as page.meta.kind
    context: Callable  # (index, page, site) -> what the template reads besides page and root
    template: str = ""  # default: <name>.html
    searchable: bool = False  # has data-pagefind-body: handed to the search index
    dated: bool = False  # an incident's own page: the search index is sharded by these
    feed: bool = False  # links the site's Atom feed in <head>
    article: bool = False  # og:type article, not website
    standalone: bool = False  # a whole HTML document (a redirect), not wrapped in the theme
    # what a live preview compares instead of rendering: None, always rendered (the page reads
    # the whole dataset); else (index, page, site) -> the values its HTML depends on
    fingerprint: Callable | None = None

    def __post_init__(self):
        if not self.template:
            object.__setattr__(self, "template", f"{self.name}.html")

    def __repr__(self) -> str:
        return f"Kind({self.name})"


@dataclass(frozen=True)
class Part:
    """The key of a numbered page of a town's or group's older incidents."""

    registry: str  # towns or groups
    id: str
    part: int  # 1 for the second page


@dataclass(frozen=True)
class Chunk:
    """The key of one page of a year of the timeline."""

    year: int
    chunk: int


@dataclass(frozen=True)
class Page:
    """A page of the site: its address, its title (plain text), and what to render it from."""

    url: str  # "incidents/<id>/", "" for the home page
    title: str
    kind: Kind
    key: str | Part | Chunk = ""  # the incident, town, group, province or part the page is about
    description: str = ""

    @property
    def template(self) -> str:
        return self.kind.template

    @property
    def standalone(self) -> bool:
        return self.kind.standalone


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
