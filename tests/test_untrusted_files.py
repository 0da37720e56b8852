"""Records are untrusted files: links, special files, huge files and near-miss names are each
reported at their path, never followed, read whole or silently skipped (issue 17)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest
from conftest import ROOT

from generator import report
from generator.load import MAX_BYTES
from generator.problems import Problem

SECRET = "ci-secret-token-3f9a"


def validate(root, *args):
    return subprocess.run(
        [sys.executable, "-m", "generator", "validate", str(root), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def messages(records) -> dict[str, str]:
    return {os.path.relpath(p.path, records.root): p.message for p in records.validate().problems}


def test_a_linked_record_is_reported_and_never_read_or_printed(records, tmp_path_factory):
    outside = tmp_path_factory.mktemp("ci") / "secrets.yaml"
    outside.write_text(f"title: {SECRET}\ndate: nonsense {SECRET}\n")
    records.incident()
    (records.root / "2015" / "2015-08-25-link.yaml").symlink_to(outside)
    done = validate(records.root)
    assert done.returncode == 1
    assert SECRET not in done.stdout + done.stderr
    assert "2015-08-25-link.yaml:1:1: error: this is a symbolic link" in done.stdout
    assert "git can store a symbolic link" in done.stdout


def test_a_linked_year_folder_is_reported_not_skipped(records, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    records.incident()
    (records.root / "2016").symlink_to(elsewhere, target_is_directory=True)
    assert messages(records)["2016"].startswith("this is a symbolic link")


def test_a_link_to_dev_zero_and_a_fifo_end_at_once(records):
    records.incident()
    (records.root / "2015" / "2015-08-25-zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(records.root / "2015" / "2015-08-26-fifo.yaml")
    started = time.monotonic()
    done = validate(records.root)
    assert time.monotonic() - started < 30
    assert "2015-08-25-zero.yaml:1:1: error: this is a symbolic link" in done.stdout
    assert "2015-08-26-fifo.yaml:1:1: error: the record is a special file" in done.stdout
    assert "1 incidents" in done.stdout  # the good record is still counted


def test_a_huge_sparse_record_is_refused_without_reading_it(records):
    path = records.incident(name="2015/2015-08-25-huge.yaml")
    with path.open("r+b") as handle:
        handle.truncate(3 * 1024**3)  # 3 GB of holes: reading it would take seconds and gigabytes
    started = time.monotonic()
    found = messages(records)
    assert time.monotonic() - started < 5
    assert found["2015/2015-08-25-huge.yaml"] == (
        f"file is {3 * 1024**3:,} bytes, over the limit of {MAX_BYTES:,} bytes"
    )


@pytest.mark.parametrize(
    "name, message",
    [
        ("2015/2015-08-24-case.YAML", "record files end in '.yaml'"),
        ("2015/2015-08-24-case.yml", "record files end in '.yaml'"),
        ("2015-08-24-case.yaml", "incident files live in a folder named after their year"),
        ("2O15/2015-08-24-case.yaml", "incident files live in a folder named after their year"),
        ("2015/2015-08-24-case.yaml.txt", "this file is not a record and is not read"),
    ],
)
def test_near_miss_names_are_reported(records, name, message):
    records.incident(name=name)
    assert messages(records)[name] == message


def test_a_registry_that_does_not_load_is_said_once_first(records):
    (records.root / "towns.yaml").write_text("marea: {name: Marea\n")
    for day in range(10, 20):
        records.incident(name=f"2015/2015-08-{day}-case.yaml")
    problems = records.validate().problems
    assert problems[0].message == "towns.yaml could not be read, so no incident's towns were checked"
    assert problems[1].message.startswith("YAML syntax error")
    assert not [p for p in problems if "not in towns.yaml" in p.message]


def test_a_flood_of_problems_is_capped_per_file_and_in_all():
    many = [Problem(f"f{n // 100}.yaml", n % 100 + 1, 1, f"problem {n}") for n in range(20_000)]
    lines = report.text(many, {"incidents": 1}).splitlines()
    assert len(lines) <= report.IN_ALL + report.IN_ALL // report.PER_FILE + 2
    assert "f0.yaml:50:1: error: problem 49" in lines
    assert "f0.yaml:50:1: error: and 50 more problem(s) in this file, not shown; fix the ones above" in (
        " ".join(lines)
    )
    shown = [line for line in lines if ": error: problem " in line]
    stated = [int(m) for m in re.findall(r"and (\d+) more problem\(s\) in this file", "\n".join(lines))]
    rest = re.match(r"and ([\d,]+) more problem\(s\) in (\d+) file\(s\), not shown", lines[-2])
    assert len(shown) + sum(stated) + int(rest[1].replace(",", "")) == len(many)
    assert int(rest[2]) == 200 - len(stated)
    assert lines[-1].endswith("20000 error(s), 0 warning(s) in 200 file(s)")


def test_a_record_with_a_hundred_thousand_unknown_keys_prints_a_few_lines(records):
    records.incident(BASE_WITH_UNKNOWN_KEYS)
    done = validate(records.root)
    assert done.returncode == 1
    assert len(done.stdout.splitlines()) < report.PER_FILE + 5
    assert "more problem(s) in this file, not shown" in done.stdout


BASE_WITH_UNKNOWN_KEYS = "".join(f"key{n}: {n}\n" for n in range(60_000))
