"""Lookups over the dataset that pages, charts, feeds and exports share: casualty figures as
ranges, and an Index of incidents by town, group and year built in one pass.

Conflicting reports for one side of one incident count as a range (lowest to highest), and
totals add ranges per incident, never the figures of several sources.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from .model import CIVILIANS, Dataset, Incident

TIMELINE_CHUNK = 250  # incidents per timeline page; a busy year spans several pages
_hashes: dict[int, tuple[Incident, int]] = {}  # id(incident) -> (incident, hash): Index.incident_hash


@dataclass(frozen=True)
class Figure:
    """What the sources say for one side of one incident: a range when they disagree."""

    side: str
    killed: tuple[int, int] | None
    injured: tuple[int, int] | None
    reports: tuple


def span(values: list[int]) -> tuple[int, int] | None:
    return (min(values), max(values)) if values else None


def figures(incident: Incident) -> list[Figure]:
    by_side = defaultdict(list)
    for report in incident.casualties:
        by_side[report.group].append(report)
    killed = _killed(incident)
    return [
        Figure(
            side,
            killed.get(side),
            span([r.injured for r in reports if r.injured is not None]),
            tuple(reports),
        )
        for side, reports in sorted(by_side.items())
    ]


def total(incidents, side: str | None = None) -> tuple[int, int] | None:
    """Deaths over many incidents, as a range: each incident counts each side once, never a sum of sources."""
    low = high = 0
    counted = False
    for incident in incidents:
        for group, (least, most) in _killed(incident).items():
            if side is None or group == side:
                low, high, counted = low + least, high + most, True
    return (low, high) if counted else None


def _killed(incident: Incident) -> dict[str, tuple[int, int]]:
    """Each side's killed as a range (lowest to highest report), without the rest of its
    figures: the charts add these up for every month of every town and group (a sixtieth of a
    build), and `figures` gives them."""
    by_side: dict[str, tuple[int, int]] = {}
    for report in incident.casualties:
        if report.killed is not None:
            least, most = by_side.get(report.group, (report.killed, report.killed))
            by_side[report.group] = (min(least, report.killed), max(most, report.killed))
    return by_side


class Index:
    """Lookups every page needs, built in one pass over the incidents."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.incidents = {i.id: i for i in dataset.incidents}
        self.position = {i.id: n for n, i in enumerate(dataset.incidents)}
        self.by_town, self.by_group, self.by_year = defaultdict(list), defaultdict(list), defaultdict(list)
        self.control = defaultdict(list)
        for incident in dataset.incidents:
            self.by_year[incident.date.year].append(incident)
            for town in incident.towns:
                self.by_town[town].append(incident)
            for group in incident.groups:
                self.by_group[group].append(incident)
            if incident.control:
                self.control[incident.control.town].append(incident)
        self.provinces: dict[str, str] = {}  # slug -> province, slugs made unique in name order
        for province in sorted({town.province for town in dataset.towns.values()}):
            key, n = slug(province), 1
            while key in self.provinces:
                n, key = n + 1, f"{slug(province)}-{n + 1}"
            self.provinces[key] = province
        if len(_hashes) > 2 * len(dataset.incidents) + 1000:  # forget incidents edited away
            kept = {id(i) for i in dataset.incidents}
            for key in [key for key in _hashes if key not in kept]:
                del _hashes[key]
        self.children = defaultdict(list)
        for group in dataset.groups.values():
            if group.parent:
                self.children[group.parent].append(group)

    @staticmethod
    def incident_hash(incident) -> int:
        """hash(incident), made once: a live preview fingerprints every page, and an incident
        is on its own page, its towns', its groups' and its year's. Kept from one Index to the
        next, since a preview's rebuild reuses the Incident of every record not edited."""
        found = _hashes.get(id(incident))
        if found is None:  # the incident is kept with its hash, so its id() stays its own
            found = _hashes[id(incident)] = (incident, hash(incident))
        return found[1]

    @cached_property
    def registries_key(self) -> int:
        """Changes with any town or group: every page may show their names."""
        return hash((tuple(self.dataset.towns.values()), tuple(self.dataset.groups.values())))

    def name_of(self, side: str) -> str:
        return "Civilians" if side == CIVILIANS else self.dataset.groups[side].name

    def neighbours(self, incident: Incident) -> tuple[Incident | None, Incident | None]:
        n, ordered = self.position[incident.id], self.dataset.incidents
        return (ordered[n - 1] if n else None), (ordered[n + 1] if n + 1 < len(ordered) else None)

    def timeline_chunks(self, year: int) -> list[list[Incident]]:
        incidents = self.by_year[year]
        return [incidents[n : n + TIMELINE_CHUNK] for n in range(0, len(incidents), TIMELINE_CHUNK)]

    def towns_of_group(self, group_id: str) -> list[tuple[str, int]]:
        counts = defaultdict(int)
        for incident in self.by_group[group_id]:
            for town in incident.towns:
                counts[town] += 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def slug(text: str) -> str:
    return (
        re.sub(
            r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
        ).strip("-")
        or "province"
    )
