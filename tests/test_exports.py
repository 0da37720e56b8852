"""The open data exports: JSON that reads back to the same dataset and matches its JSON Schema,
ACLED-style CSV that a spreadsheet cannot run, GeoJSON, the map's town points, and the split
by year of a large dataset."""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
import zipfile
from dataclasses import replace

import pytest
from conftest import ROOT
from jsonschema import Draft202012Validator

from generator.exports import (
    CSV_COLUMNS,
    SPLIT_OVER,
    export_files,
    read_json,
    slice_path,
    town_points,
    unzipped,
)
from generator.model import CasualtyReport, Dataset, PartialDate, Source, Town

SITE = "https://example.org/timeline/"


def rows(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == CSV_COLUMNS
    return list(reader)


@pytest.mark.parametrize("name", ["sample_dataset", "synthetic_dataset"])
def test_the_json_export_reads_back_to_the_same_dataset(name, request):
    dataset = request.getfixturevalue(name)
    files = export_files(dataset, SITE)
    assert read_json(files["data/incidents.json"]) == dataset
    assert read_json(export_files(dataset)["data/incidents.json"]) == dataset  # without a site_url too


def test_dates_are_written_as_in_the_records(synthetic_dataset):
    records = {
        r["id"]: r for r in json.loads(export_files(synthetic_dataset)["data/incidents.json"])["incidents"]
    }
    precisions = set()
    for incident in synthetic_dataset.incidents:
        assert records[incident.id]["date"] == incident.date.iso
        precisions.add(len(records[incident.id]["date"]))
    assert precisions == {4, 7, 10}  # "2015", "2015-08" and "2015-08-24" all occur


def test_every_json_file_matches_the_exported_schema(synthetic_dataset):
    files = export_files(synthetic_dataset, SITE)
    schema = json.loads(files["data/schema.json"])
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    for path in ["data/incidents.json"]:
        errors = list(validator.iter_errors(json.loads(files[path])))
        assert not errors, f"{path}: {errors[0].message}"
    broken = json.loads(files["data/incidents.json"])
    broken["incidents"][0]["date"] = "August 2015"
    assert list(validator.iter_errors(broken)), "the schema must reject a date in words"


def test_town_and_group_slices_hold_their_incidents(synthetic_dataset):
    """One CSV per town and group, its rows the whole file's: a JSON copy of every incident per
    town and per group would double the site's size (the whole JSON files have every field)."""
    files = export_files(synthetic_dataset)
    whole = {row["event_id_cnty"]: row for row in rows(files["data/incidents.csv"])}
    for kind, key in [("towns", t) for t in list(synthetic_dataset.towns)[:15]] + [
        ("groups", g) for g in synthetic_dataset.groups
    ]:
        expected = [i.id for i in synthetic_dataset.incidents if key in getattr(i, kind)]
        part = list(rows(files[f"data/{kind}/{key}.csv"]))
        assert [row["event_id_cnty"] for row in part] == expected
        assert all(row == whole[row["event_id_cnty"]] for row in part)
    assert not [
        path for path in files if path.startswith(("data/towns/", "data/groups/")) and path.endswith(".json")
    ]


def test_csv_uses_acled_columns_for_what_they_mean(sample_dataset):
    files = export_files(sample_dataset, SITE)
    text = files["data/incidents.csv"]
    assert "\r" not in text
    by_id = {row["event_id_cnty"]: row for row in rows(text)}
    assert list(by_id) == [i.id for i in sample_dataset.incidents]
    for incident in sample_dataset.incidents:
        row, town = by_id[incident.id], sample_dataset.towns[incident.towns[0]]
        assert row["event_date"] == incident.date.iso and row["year"] == str(incident.date.year)
        assert row["event_type"] == incident.type
        assert row["actor1"] == sample_dataset.groups[incident.groups[0]].name
        assert row["actor2"] == (
            sample_dataset.groups[incident.groups[1]].name if len(incident.groups) > 1 else ""
        )
        assert (row["admin1"], row["location"]) == (town.province, town.name)
        assert (float(row["latitude"]), float(row["longitude"])) == (town.lat, town.lon)
        assert row["source_urls"].split("; ") == [s.url for s in incident.sources]
        assert row["url"] == SITE + incident.url
        assert "**" not in row["notes"] and "\n" not in row["notes"]  # Markdown made plain text
    first = by_id["2015-08-08-is-captures-umm-housh"]
    assert first["notes"].startswith("Islamic State fighters opened an assault on Umm Housh, a village")


def test_fatalities_take_each_sides_lowest_figure_and_never_add_up_sources(sample_dataset):
    incident = sample_dataset.incidents[0]
    reports = (
        CasualtyReport("syrian-opposition", "A", killed=10),
        CasualtyReport("syrian-opposition", "B", killed=12, injured=4),
        CasualtyReport("civilians", "A", killed=3),
        CasualtyReport("islamic-state", "B", injured=7),  # no death figure for this side
    )
    sources = (Source("A", "https://a.example/"), Source("B", "https://b.example/"))
    dataset = Dataset(
        sample_dataset.towns, sample_dataset.groups, (replace(incident, casualties=reports, sources=sources),)
    )
    (row,) = rows(export_files(dataset)["data/incidents.csv"])
    assert (row["fatalities"], row["fatalities_max"]) == ("13", "15")  # 10+3 and 12+3, never 25
    silent = Dataset(sample_dataset.towns, sample_dataset.groups, (replace(incident, casualties=()),))
    (row,) = rows(export_files(silent)["data/incidents.csv"])
    assert (row["fatalities"], row["fatalities_max"]) == ("", "")  # none reported is not zero


def test_csv_cells_cannot_start_a_spreadsheet_formula(sample_dataset):
    incident = sample_dataset.incidents[0]
    town = Town("far-west", '=HYPERLINK("https://evil.example","x")', "+Province", 51.5, -3.25)
    hostile = replace(
        incident,
        title="@SUM(1+1)*cmd|' /C calc'!A0",
        summary="-2+3 said the report, which is long enough to be a summary.",
        towns=("far-west", *incident.towns),
        sources=(Source("\tTab Press", "https://t.example/"), Source("\rCR News", "https://c.example/")),
        tags=("plain",),
    )
    dataset = Dataset(sample_dataset.towns | {"far-west": town}, sample_dataset.groups, (hostile,))
    (row,) = rows(export_files(dataset)["data/incidents.csv"])
    assert row["location"] == "'" + town.name and row["admin1"] == "'+Province"
    assert row["notes"].startswith("'-2+3")
    assert row["source"] == "'\tTab Press; \nCR News"  # a bare CR would break the row
    assert row["longitude"] == "-3.25" and row["latitude"] == "51.5"  # our numbers stay numbers
    assert row["event_id_cnty"] == incident.id  # safe text is left alone
    hostile_title = replace(hostile, title="=1+2 looks like a formula")
    (row,) = rows(export_files(replace(dataset, incidents=(hostile_title,)))["data/incidents.csv"])
    # (the title is not a CSV column; the summary, names and publishers are)
    assert all(
        not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values() if cell != "-3.25"
    )


def test_geojson_has_a_point_per_incident_and_town(synthetic_dataset):
    collection = json.loads(export_files(synthetic_dataset, SITE)["data/incidents.geojson"])
    features = collection["features"]
    assert len(features) == sum(len(i.towns) for i in synthetic_dataset.incidents)
    incidents = {i.id: i for i in synthetic_dataset.incidents}
    for feature in features:
        p = feature["properties"]
        town = synthetic_dataset.towns[p["town"]]
        assert feature["geometry"] == {"type": "Point", "coordinates": [town.lon, town.lat]}
        assert p["town"] in incidents[p["id"]].towns
        assert (p["title"], p["date"], p["type"]) == (
            incidents[p["id"]].title,
            incidents[p["id"]].date.iso,
            incidents[p["id"]].type,
        )
        assert p["url"] == SITE + incidents[p["id"]].url


def test_town_points_count_every_incident_of_each_town(synthetic_dataset):
    points = town_points(synthetic_dataset)
    assert [p["id"] for p in points] == sorted({t for i in synthetic_dataset.incidents for t in i.towns})
    for p in points:
        mine = [i for i in synthetic_dataset.incidents if p["id"] in i.towns]
        assert p["count"] == len(mine) == sum(f[3] for f in p["facets"])
        assert (p["lat"], p["lon"]) == (
            synthetic_dataset.towns[p["id"]].lat,
            synthetic_dataset.towns[p["id"]].lon,
        )
        assert (p["first"], p["last"]) == (mine[0].date.iso, mine[-1].date.iso)
        assert p["types"] == {t: sum(i.type == t for i in mine) for t in sorted({i.type for i in mine})}
        assert set(p["groups"]) == {g for i in mine for g in i.groups}
        for year, kind, groups, count, *_ in p["facets"]:
            same = [i for i in mine if (i.date.year, i.type, sorted(i.groups)) == (year, kind, groups)]
            assert count == len(same)
    collection = json.loads(export_files(synthetic_dataset)["data/towns.geojson"])
    assert len(collection["features"]) == len(points)
    assert set(collection["groups"]) == {g for p in points for g in p["groups"]}


def big(sample_dataset: Dataset, count: int) -> Dataset:
    """`count` incidents over three years, made from the sample_dataset's."""
    incidents = tuple(
        replace(
            sample_dataset.incidents[n % len(sample_dataset.incidents)],
            id=f"{2011 + n % 3}-08-01-copy-{n}",
            date=PartialDate(2011 + n % 3, 8, 1),
            end_date=None,
        )
        for n in range(count)
    )
    return Dataset(sample_dataset.towns, sample_dataset.groups, incidents)


def test_a_large_dataset_is_split_by_year_zipped_with_an_index(sample_dataset):
    dataset = big(sample_dataset, SPLIT_OVER + 1)
    files = export_files(dataset, SITE)
    assert "data/incidents.json" not in files and "data/incidents.csv" not in files
    index = json.loads(files["data/index.json"])
    assert index["split_by_year"] is True and index["zipped"] is True
    assert index["incidents"] == SPLIT_OVER + 1
    assert [f["year"] for f in index["files"]] == [2011, 2012, 2013]
    seen = []
    for entry in index["files"]:
        for ext in ("json", "csv", "geojson"):
            assert entry[ext] == f"{SITE}data/{entry['year']}/incidents.{ext}.zip"
            with zipfile.ZipFile(io.BytesIO(files[entry[ext].removeprefix(SITE)])) as archive:
                assert archive.namelist() == [f"incidents-{entry['year']}.{ext}"]  # unzipped side by side
        part = read_json(unzipped(files[f"data/{entry['year']}/incidents.json.zip"]))
        assert {i.date.year for i in part.incidents} == {entry["year"]}
        assert len(part.incidents) == entry["incidents"]
        seen += part.incidents
    assert sorted(i.id for i in seen) == sorted(i.id for i in dataset.incidents)
    assert files["data/towns.geojson"].startswith("{")  # the map's file stays plain


def test_a_large_dataset_zips_the_slices_as_spreadsheets_read_them(sample_dataset):
    dataset = big(sample_dataset, SPLIT_OVER + 1)
    files = export_files(dataset)
    path = slice_path("towns", "marea", len(dataset.incidents))
    assert path == "data/towns/marea.csv.zip" and "data/towns/marea.csv" not in files
    with zipfile.ZipFile(io.BytesIO(files[path])) as archive:
        (member,) = archive.infolist()
        assert member.filename == "marea.csv" and member.compress_type == zipfile.ZIP_DEFLATED
        assert member.date_time == (1980, 1, 1, 0, 0, 0)  # no clock: the same bytes every build
    marea = [i.id for i in dataset.incidents if "marea" in i.towns]
    assert [row["event_id_cnty"] for row in rows(unzipped(files[path]))] == marea
    assert files[path] == export_files(dataset)[path]


def test_a_dataset_at_the_limit_keeps_whole_files(sample_dataset):
    files = export_files(big(sample_dataset, SPLIT_OVER))
    assert {"data/incidents.json", "data/incidents.csv", "data/incidents.geojson"} <= set(files)
    assert not any(p.startswith("data/2011/") for p in files)
    index = json.loads(files["data/index.json"])
    assert index["split_by_year"] is False and index["zipped"] is False
    assert index["files"] == [
        {"year": None, "incidents": SPLIT_OVER}
        | {ext: f"data/incidents.{ext}" for ext in ("json", "csv", "geojson")}
    ]


def test_exports_are_deterministic(synthetic_dataset):
    first, second = export_files(synthetic_dataset, SITE), export_files(synthetic_dataset, SITE)
    assert list(first) == list(second) == sorted(first)
    for path in ["data/incidents.json", "data/incidents.csv", "data/towns.geojson", "data/index.json"]:
        assert first[path] == second[path]


def test_the_documented_way_to_read_a_zipped_file_works(sample_dataset, tmp_path):
    """docs/data.md shows readers how to open a zipped file in Python: run it on a real one."""
    docs = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    (snippet,) = re.findall(r"In Python without pandas:\n\n  ```python\n(.*?)  ```", docs, re.S)
    path = tmp_path / "incidents.json.zip"
    path.write_bytes(export_files(big(sample_dataset, SPLIT_OVER + 1))["data/2012/incidents.json.zip"])
    namespace = {"address": path.as_uri()}
    exec(textwrap.dedent(snippet), namespace)
    assert {i["date"][:4] for i in namespace["data"]["incidents"]} == {"2012"}
