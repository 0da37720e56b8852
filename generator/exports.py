"""Open data: the dataset as JSON (the record format), CSV (ACLED's column names) and GeoJSON.

`export_files` returns {site path: text, or the bytes of a zip archive}, each made only when
it is read, so a large dataset's files never all sit in memory. Addresses are absolute when a
site_url is given, else relative to the site root. Nothing here writes a file.

A large dataset (more than SPLIT_OVER incidents) has its files split by year and each one
zipped: a town's or group's CSV slice repeats the rows of the year files, and the three
formats repeat each other, so plain files would be a third of the site's size. A reader's
browser would have downloaded them compressed anyway (static hosts gzip text); stored
zipped, the site stays within what a static host allows (GitHub Pages: 1 GB) for longer.
"""

from __future__ import annotations

import csv
import html
import io
import json
import zipfile
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import fields
from functools import cache, partial

import nh3

from . import schema
from .columns import COLUMNS, NAMES, Row
from .lookups import figures
from .markup import summary_html
from .model import CIVILIANS, Dataset, PartialDate
from .schema import RENAMED, group_from, incident_from, town_from

SPLIT_OVER = 5000  # more incidents than this: the data files are split by year and zipped
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no clock in the archive
CSV_COLUMNS = NAMES
UNSAFE_START = ("=", "+", "-", "@", "\t", "\r", "\n")  # OWASP CSV injection


@cache
def _names(cls) -> tuple:
    return tuple((f.name, RENAMED.get(f.name, f.name)) for f in fields(cls))


def plain(value, drop_id: bool = False):
    """A model value as JSON values: dates as written ("2015-08"), empty fields left out."""
    if isinstance(value, PartialDate):
        return value.iso
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    if not hasattr(value, "__dataclass_fields__"):
        return value
    items = (
        (key, getattr(value, name))
        for name, key in _names(type(value))
        if not (drop_id and name == "id") and name != "translations"
    )
    found = {key: plain(v) for key, v in items if v is not None and v != ()}
    if not getattr(value, "translations", ()):
        return found
    # each translation after its field, as the record has it (title, title_ar, date, ...)
    after: dict[str, list] = defaultdict(list)
    for key, text in value.translations:
        after[key.rsplit("_", 1)[0]].append((key, text))
    return {key: v for base, text in found.items() for key, v in [(base, text), *after[base]]}


def _date(text) -> PartialDate | None:
    return PartialDate(*(int(part) for part in str(text).split("-"))) if text else None


def read_json(text: str) -> Dataset:
    """A Dataset from data/incidents.json (or any slice of it): the inverse of the JSON export."""
    data, incidents = json.loads(text), []
    for record in data["incidents"]:
        values = dict(record, date=_date(record["date"]), end_date=_date(record.get("end_date")))
        values["sources"] = [dict(s, published=_date(s.get("published"))) for s in record["sources"]]
        incidents.append(incident_from(record["id"], {k: v for k, v in values.items() if v is not None}))
    towns = {k: town_from(k, v) for k, v in data["towns"].items()}
    return Dataset(towns, {k: group_from(k, v) for k, v in data["groups"].items()}, tuple(incidents))


def json_schema(schema_url: str) -> dict:
    """A JSON Schema of the JSON export: the record formats, each incident with its id."""
    incident = schema.FILES["incident"].json_schema()
    incident["properties"] = {"id": schema.Slug().json_schema(), **incident["properties"]}
    incident["required"] = ["id", *incident["required"]]
    parts = {"incidents": {"type": "array", "items": incident}, "towns": schema.TOWNS.json_schema()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_url,
        "title": "Incident timeline data export",
        "type": "object",
        "required": ["schema", "incidents", "towns", "groups"],
        "additionalProperties": False,
        "properties": {"schema": {"type": "string"}, **parts, "groups": schema.GROUPS.json_schema()},
    }


def safe_cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula: a leading ' when it could."""
    text = "" if value is None else str(value)
    text = "'" + text if text.startswith(UNSAFE_START) else text
    return text.replace("\r\n", "\n").replace("\r", "\n")  # a bare CR would not be quoted


def fatalities(incident) -> tuple[int, int] | None:
    """Lowest and highest total killed: each side's range summed, sources never added up."""
    killed = [f.killed for f in figures(incident) if f.killed]
    return (sum(k[0] for k in killed), sum(k[1] for k in killed)) if killed else None


def town_points(data: Dataset, site_url: str = "") -> list[dict]:
    """One point per town with incidents, with what the map filters on: `facets` counts the
    town's incidents by (year, type, groups), each with its summed death range or nulls."""
    by_town = defaultdict(list)
    for incident in data.incidents:
        for town in incident.towns:
            by_town[town].append(incident)
    points = []
    for town_id in sorted(by_town):
        town, incidents, facets = data.towns[town_id], by_town[town_id], {}
        for i in incidents:
            key, killed = (i.date.year, i.type, tuple(sorted(i.groups))), fatalities(i)
            n, low, high = facets.get(key, (0, None, None))
            if killed:
                low, high = (low or 0) + killed[0], (high or 0) + killed[1]
            facets[key] = (n + 1, low, high)
        groups, types = Counter(g for i in incidents for g in i.groups), Counter(i.type for i in incidents)
        point = dict(id=town_id, name=town.name, province=town.province, lat=town.lat, lon=town.lon)
        point |= dict(url=site_url + town.url, count=len(incidents), types=dict(sorted(types.items())))
        point |= dict(first=incidents[0].date.iso, last=incidents[-1].date.iso)
        point["groups"] = sorted(groups, key=lambda g: (-groups[g], g))
        point["facets"] = [[year, kind, list(g), *v] for (year, kind, g), v in sorted(facets.items())]
        point |= {
            key: text for key, text in town.translations if key.startswith("name_")
        }  # each edition's map
        points.append(point)
    return points


def csv_row(i, data: Dataset, url: str, notes: str) -> dict:
    """One incident as a CSV row; every text cell made formula-safe (the numbers are ours)."""
    row = Row(i, data.towns[i.towns[0]], [data.groups[g].name for g in i.groups], fatalities(i), url, notes)
    return {c.name: safe_cell(c.value(row)) if c.text else c.value(row) for c in COLUMNS}


def zipped(name: str, text: str) -> bytes:
    """`text` as the one file `name` of a zip archive: the same bytes for the same text."""
    member = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    member.compress_type, member.create_system, member.external_attr = zipfile.ZIP_DEFLATED, 3, 0o644 << 16
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(member, text.encode("utf-8"), compresslevel=6)
    return out.getvalue()


def unzipped(archive: bytes) -> str:
    """The text of a one-file archive made by `zipped`."""
    with zipfile.ZipFile(io.BytesIO(archive)) as files:
        (name,) = files.namelist()
        return files.read(name).decode("utf-8")


def _zip_of(name: str, make) -> bytes:
    return zipped(name, make())


def _stored(path: str, large: bool) -> str:
    """Where a data file is written: zipped (path.zip) in a large dataset's site."""
    return path + ".zip" if large else path


def slice_path(kind: str, key: str, incidents: int) -> str:
    """The site path of a town's ("towns") or group's ("groups") CSV slice, for a dataset of
    `incidents` incidents."""
    return _stored(f"data/{kind}/{key}.csv", incidents > SPLIT_OVER)


def _plain_text(markdown_text: str) -> str:
    return " ".join(html.unescape(nh3.clean(summary_html(markdown_text), tags=set())).split())


def _json_block(items) -> str:
    return (
        "{\n" + ",\n".join(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in items) + "\n}"
    )


def _geojson(features, **members) -> str:
    collection = {"type": "FeatureCollection", **members, "features": list(features)}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"


def _feature(place, **properties) -> dict:
    point = {"type": "Point", "coordinates": [place.lon, place.lat]}
    properties = {k: v for k, v in properties.items() if k not in ("lat", "lon")}
    return {"type": "Feature", "geometry": point, "properties": properties}


class Files(Mapping):
    """{site path: content} from {site path: function making the content (text, or the bytes of
    a zip)}: each is made when it is read and not kept, so a large dataset's files never all
    sit in memory at once."""

    def __init__(self, makers: dict):
        self.makers = dict(sorted(makers.items()))

    def __getitem__(self, path: str) -> str | bytes:
        return self.makers[path]()

    def __iter__(self):
        return iter(self.makers)

    def __len__(self) -> int:
        return len(self.makers)


class Exports:
    def __init__(self, data: Dataset, site_url: str = ""):
        self.data, self.url = data, site_url
        self.rows: dict[str, str] = {}  # each incident's CSV line, made once for all the files it is in
        years, slices = defaultdict(list), defaultdict(list)
        for i in data.incidents:
            years[i.date.year].append(i)
            for key in [("towns", t) for t in i.towns] + [("groups", g) for g in i.groups]:
                slices[key].append(i)
        self.split = len(data.incidents) > SPLIT_OVER
        self.parts = (
            {f"data/{y}/": years[y] for y in sorted(years)} if self.split else {"data/": data.incidents}
        )
        self.makers = {
            "data/index.json": self.index,
            "data/schema.json": self.schema,
            "data/towns.geojson": self.towns,
        }
        for stem, incidents in self.parts.items():
            whole = not self.split  # the whole file has the whole registries
            name = f"incidents-{stem[5:-1]}" if self.split else "incidents"
            self.add(self.file(stem, "json"), name + ".json", partial(self.json, incidents, whole))
            self.add(self.file(stem, "csv"), name + ".csv", partial(self.csv, incidents))
            self.add(self.file(stem, "geojson"), name + ".geojson", partial(self.geojson, incidents))
        for kind in ("towns", "groups"):  # CSV only: a copy of each incident per town and group
            for key in getattr(data, kind):
                path = slice_path(kind, key, len(data.incidents))
                self.add(path, f"{key}.csv", partial(self.csv, slices[kind, key]))

    def file(self, stem: str, ext: str) -> str:
        return _stored(f"{stem}incidents.{ext}", self.split)

    def add(self, path: str, name: str, make) -> None:
        """A data file at `path`: the text `make` returns, or that text zipped as `name`."""
        self.makers[path] = partial(_zip_of, name, make) if path.endswith(".zip") else make

    def json(self, incidents, whole: bool = False) -> str:
        """The incidents, with the towns and groups they refer to (all of them in the whole file)."""
        towns, groups = (set(self.data.towns), set(self.data.groups)) if whole else (set(), set())
        for i in incidents:
            towns.update(i.towns)
            groups.update(i.groups, (r.group for r in i.casualties if r.group != CIVILIANS))
            groups.update((i.control.from_group, i.control.to_group) if i.control else ())
        town_entries = ((k, plain(self.data.towns[k], drop_id=True)) for k in sorted(towns))
        group_entries = ((k, plain(self.data.groups[k], drop_id=True)) for k in sorted(groups))
        records = ",\n".join(json.dumps(plain(i), ensure_ascii=False) for i in incidents)
        return (
            f'{{"schema": {json.dumps(self.url + "data/schema.json")},\n"incidents": [\n{records}\n],\n'
            f'"towns": {_json_block(town_entries)},\n"groups": {_json_block(group_entries)}}}\n'
        )

    def csv(self, incidents) -> str:
        return ",".join(CSV_COLUMNS) + "\n" + "".join(map(self.csv_line, incidents))

    def csv_line(self, incident) -> str:
        if incident.id not in self.rows:
            out = io.StringIO()
            row = csv_row(incident, self.data, self.url + incident.url, _plain_text(incident.summary))
            csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n").writerow(row)
            self.rows[incident.id] = out.getvalue()
        return self.rows[incident.id]

    def geojson(self, incidents) -> str:
        features = []
        for i in incidents:
            props = dict(id=i.id, title=i.title, date=i.date.iso, type=i.type, url=self.url + i.url)
            features += [_feature(self.data.towns[t], **props, town=t) for t in i.towns]
        return _geojson(features)

    def index(self) -> str:
        files = [
            {"year": int(stem[5:-1]) if self.split else None, "incidents": len(incidents)}
            | {ext: self.url + self.file(stem, ext) for ext in ("json", "csv", "geojson")}
            for stem, incidents in self.parts.items()
        ]
        index = {"schema": self.url + "data/schema.json", "incidents": len(self.data.incidents)}
        index |= {"split_by_year": self.split, "zipped": self.split, "files": files}
        index["towns"] = self.url + "data/towns.geojson"
        return json.dumps(index, indent=1) + "\n"

    def schema(self) -> str:
        return json.dumps(json_schema(self.url + "data/schema.json"), ensure_ascii=False, indent=1) + "\n"

    def towns(self) -> str:
        points = town_points(self.data, self.url)
        features = (_feature(self.data.towns[p["id"]], **p) for p in points)
        names = {g: self.data.groups[g].name for p in points for g in p["groups"]}
        return _geojson(features, groups=dict(sorted(names.items())))


def export_files(dataset: Dataset, site_url: str = "") -> Mapping[str, str]:
    """Every data file of the site, by path (see the module docstring)."""
    return Files(Exports(dataset, site_url).makers)
