"""Data exports and feeds, written beside the pages by a process of their own."""

from __future__ import annotations

import json

import pytest

from generator.datafiles import DataFiles, DataFilesError

SITE = "https://example.org/incident-timeline/"


def test_the_exports_and_feeds_are_written(sample_dataset, tmp_path):
    files = DataFiles(tmp_path, sample_dataset, SITE, {}, "Incident timeline")
    files.finish()
    data = json.loads((tmp_path / "data" / "incidents.json").read_text("utf-8"))
    assert [i["id"] for i in data["incidents"]] == [i.id for i in sample_dataset.incidents]
    assert (tmp_path / "feed.xml").is_file() and (tmp_path / "data" / "towns" / "marea.csv").is_file()


def test_a_failure_is_one_line_and_fails_the_build(sample_dataset, tmp_path, capfd):
    blocked = tmp_path / "site"
    blocked.write_text("a file where the site's folder should be")
    files = DataFiles(blocked, sample_dataset, SITE, {}, "Incident timeline")
    with pytest.raises(DataFilesError, match="could not be written"):
        files.finish()
    err = capfd.readouterr().err
    assert "error:" in err and "Traceback" not in err
