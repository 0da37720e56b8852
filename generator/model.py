"""The incident data as plain, immutable values: no I/O, no YAML, no HTML.

Towns and groups know their own slug and address (as Pelican's URL wrappers do), so every
template links to them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CIVILIANS = "civilians"
# The site is in English whatever the machine's locale (calendar.month_name follows LC_TIME,
# and formats a date on every lookup).
MONTHS = (
    "", "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date as precise as it is known: a day, a month or only a year."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        parts = [f"{self.year:04d}", self.month and f"{self.month:02d}", self.day and f"{self.day:02d}"]
        return "-".join(p for p in parts if p)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Incidents known only to the month or year sort at the start of it."""
        return (self.year, self.month or 0, self.day or 0)

    @property
    def label(self) -> str:
        if self.day:
            return f"{self.day} {MONTHS[self.month]} {self.year}"
        if self.month:
            return f"{MONTHS[self.month]} {self.year}"
        return str(self.year)

    @property
    def long_label(self) -> str:
        """The label with what is not known said aloud: "August 2015, day unknown"."""
        unknown = {"day": "", "month": ", day unknown", "year": ", month unknown"}[self.precision]
        return self.label + unknown


class Translated:
    """A record with translations: `translations` holds each `<field>_<code>` key of the record
    (`title_ar`, `name_ar`) with its text, in the schema's order (schema.Field.translatable)."""

    translations: tuple[tuple[str, str], ...]

    def translated(self, name: str, code: str) -> str | None:
        """The field's text in the language `code`, None when the record has none."""
        key = f"{name}_{code}"
        for found, text in self.translations:
            if found == key:
                return text
        return None

    def languages(self) -> set[str]:
        return {key.rsplit("_", 1)[1] for key, _ in self.translations}


@dataclass(frozen=True)
class Town(Translated):
    id: str
    name: str
    province: str
    lat: float
    lon: float
    district: str | None = None
    aliases: tuple[str, ...] = ()
    translations: tuple[tuple[str, str], ...] = ()

    @property
    def url(self) -> str:
        return f"towns/{self.id}/"


@dataclass(frozen=True)
class Group(Translated):
    id: str
    name: str
    short: str | None = None
    aliases: tuple[str, ...] = ()
    description: str | None = None
    parent: str | None = None
    translations: tuple[tuple[str, str], ...] = ()

    @property
    def url(self) -> str:
        return f"groups/{self.id}/"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.short})" if self.short else self.name


@dataclass(frozen=True)
class Source:
    publisher: str
    url: str
    title: str | None = None
    published: PartialDate | None = None
    archive_url: str | None = None


@dataclass(frozen=True)
class CasualtyReport:
    """One source's figures for one side; sources disagree, so one incident has many."""

    group: str  # a group id, or CIVILIANS
    according_to: str
    killed: int | None = None
    injured: int | None = None


@dataclass(frozen=True)
class ControlChange:
    town: str
    from_group: str
    to_group: str


@dataclass(frozen=True)
class Incident(Translated):
    id: str
    title: str
    date: PartialDate
    type: str
    towns: tuple[str, ...]
    groups: tuple[str, ...]
    summary: str
    sources: tuple[Source, ...]
    end_date: PartialDate | None = None
    casualties: tuple[CasualtyReport, ...] = ()
    control: ControlChange | None = None
    tags: tuple[str, ...] = ()
    redirect_from: tuple[str, ...] = ()
    translations: tuple[tuple[str, str], ...] = ()

    @property
    def url(self) -> str:
        return f"incidents/{self.id}/"

    @property
    def sort_key(self) -> tuple:
        return (self.date.sort_key, self.id)


@dataclass(frozen=True)
class Dataset:
    """Everything the site is built from, incidents in date order."""

    towns: dict[str, Town]
    groups: dict[str, Group]
    incidents: tuple[Incident, ...] = field(default=())

    def __post_init__(self):
        object.__setattr__(self, "incidents", tuple(sorted(self.incidents, key=lambda i: i.sort_key)))
