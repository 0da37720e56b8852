"""The command line as a contributor and CI run it: exit codes, output, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import BASE, ROOT


def run(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_shipped_dataset_is_valid():
    done = run("validate")
    assert done.returncode == 0, done.stdout
    summary, *coverage = done.stdout.strip().splitlines()
    assert summary.endswith(": OK")
    assert coverage and all(
        line.startswith("translated into ") for line in coverage
    )  # mkdocs.yml's languages
    assert done.stdout.startswith(tuple(f"{n} incidents" for n in range(3, 100)))


def test_errors_exit_1_with_file_line_and_column(records):
    path = records.incident(BASE.replace("killed: 37", "killed: 037"))
    done = run("validate", str(records.root))
    assert done.returncode == 1
    assert f"{path}:12:13: error: casualties[1].killed: '037' has a leading zero" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_github_and_json_formats(records):
    records.incident(BASE.replace("type: battle", "type: batle"))
    github = run("validate", str(records.root), "--format", "github")
    assert github.returncode == 1 and github.stdout.startswith("::error file=")
    data = json.loads(run("validate", str(records.root), "--format", "json").stdout)
    assert data["problems"][0]["line"] == 3


def test_wrong_command_line_exits_2():
    assert run("validate", "--format", "xml").returncode == 2
    assert run("no-such-command").returncode == 2
    missing = run("validate", "/no/such/folder")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_schema_command_writes_json_schemas(tmp_path):
    assert run("schema", "--out", str(tmp_path)).returncode == 0
    incident = json.loads((tmp_path / "incident.schema.json").read_text())
    assert incident["required"][:2] == ["title", "date"]


def test_published_schemas_are_up_to_date(tmp_path):
    """docs/schema/ is committed for editors; it must be exactly what the schema generates."""
    run("schema", "--out", str(tmp_path))
    for generated in tmp_path.iterdir():
        committed = ROOT / "docs" / "schema" / generated.name
        assert committed.read_text() == generated.read_text(), f"run `make schema`: {committed} is stale"


def test_validate_changed_files_only(records):
    good = records.incident()
    bad = records.incident(BASE.replace("killed: 37", "killed: 037"), name="2015/2015-08-24-other.yaml")
    done = run("validate", str(records.root), "--changed", str(good))
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip().endswith("1 changed incident(s), 2 incident files, 2 towns, 3 groups: OK")
    done = run("validate", str(records.root), "--changed", str(good), str(bad), "--format", "github")
    assert done.returncode == 1 and f"::error file={bad},line=12,col=13," in done.stdout
    missing = run("validate", str(records.root), "--changed", str(records.root / "2015" / "nope.yaml"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    assert "Traceback" not in missing.stderr
    nothing = run("validate", str(records.root), "--changed")
    assert nothing.returncode == 0 and nothing.stdout.startswith("0 changed incident(s), 2 incident files")


def test_a_build_that_fails_before_its_validation_leaves_no_worker_behind(tmp_path):
    """The build begins checking the records on worker processes before it reads mkdocs.yml;
    when that fails, the workers end with it."""
    from generator import synthetic
    from generator.validate import PARALLEL_FROM

    synthetic.write_dataset(tmp_path / "records", PARALLEL_FROM + 10, seed=3)
    marker = str(tmp_path / "never-built")
    done = run(
        "build", "--incidents", str(tmp_path / "records"), "--config", "missing.yml", "--site-dir", marker
    )
    assert done.returncode == 1 and "missing.yml" in done.stderr and "Traceback" not in done.stderr

    def left() -> list[str]:
        found = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if marker.encode() in cmdline.read_bytes():
                    found.append(cmdline.parent.name)
            except OSError:  # a process that ended meanwhile
                continue
        return found

    assert left() == []


def test_schema_replaces_a_link_instead_of_writing_through_it(tmp_path):
    outside = tmp_path / "outside.json"
    outside.write_text("keep me\n")
    out = tmp_path / "schemas"
    out.mkdir()
    (out / "incident.schema.json").symlink_to(outside)
    done = run("schema", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert outside.read_text() == "keep me\n"
    assert not (out / "incident.schema.json").is_symlink()
    assert (out / "incident.schema.json").stat().st_mode & 0o777 == 0o644
