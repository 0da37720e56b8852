"""The CSV export's columns, each declared once: its name (ACLED's where it means the same),
what it holds, and how to get its value. The export writes them in this order and
docs/data.md's table of columns is made from them (`column_table`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .model import Incident, Town


@dataclass(frozen=True)
class Row:
    """What an incident's cells are read from."""

    incident: Incident
    town: Town  # the first town: ACLED's columns describe one place
    actors: list[str]  # the names of the incident's groups
    killed: tuple[int, int] | None  # lowest and highest total killed, if any source gives one
    url: str
    notes: str  # the summary as plain text


@dataclass(frozen=True)
class Column:
    name: str
    doc: str  # Markdown, for docs/data.md
    value: Callable[[Row], object]
    text: bool = True  # text from the records: made formula-safe; False for our own numbers


def _joined(values) -> str:
    return "; ".join(values)


def _date_or_empty(date) -> str:
    return date.iso if date else ""


COLUMNS = (
    Column("event_id_cnty", "the incident's id", lambda r: r.incident.id),
    Column(
        "event_date",
        "`date`, as precise as known: `2015-08-08`, `2015-08` or `2015`",
        lambda r: r.incident.date.iso,
    ),
    Column("year", "the year of `date`", lambda r: r.incident.date.year, text=False),
    Column(
        "event_type",
        "`type`: one of the [incident types](reference.md#incident-types), which follow ACLED's "
        "event types (`battle` for Battles, `explosion` for Explosions/Remote violence, and so on)",
        lambda r: r.incident.type,
    ),
    Column(
        "actor1",
        "the name of the first group of `groups` (all of them are in `groups`)",
        lambda r: r.actors[0],
    ),
    Column(
        "actor2",
        "the name of the second group of `groups`, if there is one",
        lambda r: r.actors[1] if len(r.actors) > 1 else "",
    ),
    Column("admin1", "the province of the first town", lambda r: r.town.province),
    Column("location", "the name of the first town (all of them are in `towns`)", lambda r: r.town.name),
    Column(
        "latitude", "the latitude of the first town's centre, in decimal degrees", lambda r: r.town.lat, False
    ),
    Column(
        "longitude",
        "the longitude of the first town's centre, in decimal degrees",
        lambda r: r.town.lon,
        False,
    ),
    Column(
        "fatalities",
        "the lowest total of people killed the sources report (see below); empty when no source gives a figure",
        lambda r: r.killed[0] if r.killed else "",
        text=False,
    ),
    Column(
        "fatalities_max",
        "the highest total of people killed the sources report; empty when no source gives a figure",
        lambda r: r.killed[1] if r.killed else "",
        text=False,
    ),
    Column(
        "end_date",
        "`end_date`, when the incident lasted several days",
        lambda r: _date_or_empty(r.incident.end_date),
    ),
    Column(
        "date_precision",
        "`day`, `month` or `year`: how precise `event_date` is",
        lambda r: r.incident.date.precision,
    ),
    Column("towns", "every town id, separated by `; `", lambda r: _joined(r.incident.towns)),
    Column("groups", "every group id, separated by `; `", lambda r: _joined(r.incident.groups)),
    Column(
        "source",
        "the publishers of the sources, separated by `; `",
        lambda r: _joined(dict.fromkeys(s.publisher for s in r.incident.sources)),
    ),
    Column(
        "source_urls",
        "the addresses of the sources, separated by `; `",
        lambda r: _joined(s.url for s in r.incident.sources),
    ),
    Column("notes", "the summary, as plain text", lambda r: r.notes),
    Column("tags", "the tags, separated by `; `", lambda r: _joined(r.incident.tags)),
    Column("url", "the address of the incident's page", lambda r: r.url),
)
NAMES = [column.name for column in COLUMNS]
MARKER = "<!-- csv columns: generated from generator/columns.py -->"


def column_table() -> str:
    """The Markdown table of the columns, for docs/data.md (where MARKER stands)."""
    lines = ["| column | what it holds |", "|---|---|"]
    lines += [f"| `{column.name}` | {column.doc} |" for column in COLUMNS]
    return "\n".join(lines)
