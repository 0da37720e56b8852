"""benchmarks/run.py: runs leave earlier sites for later deletion, never delete them just before
a timed run (see RECENT_DELETIONS)."""

import importlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def run(tmp_path, monkeypatch):
    if str(ROOT) not in sys.path:
        sys.path.append(str(ROOT))
    module = importlib.import_module("benchmarks.run")
    monkeypatch.setattr(module, "TRASH", tmp_path / "trash")
    monkeypatch.setattr(module, "RECENT_DELETIONS", 0)
    return module


def site(folder: Path, text: str) -> Path:
    (folder / "page").mkdir(parents=True)
    (folder / "page" / "index.html").write_text(text)
    return folder


def test_a_site_set_aside_keeps_its_files_until_the_trash_is_emptied(run, tmp_path):
    first = site(tmp_path / "site", "first")
    run.set_aside(first)
    run.set_aside(site(tmp_path / "site", "second"))  # the same name twice: both kept

    assert not first.exists()
    kept = sorted(p.read_text() for p in (tmp_path / "trash").rglob("index.html"))
    assert kept == ["first", "second"]
    run.empty_trash()
    assert not (tmp_path / "trash").exists()


def test_setting_aside_a_missing_folder_does_nothing(run, tmp_path):
    run.set_aside(tmp_path / "never-built")
    assert not (tmp_path / "trash").exists()


def test_a_settled_run_starts_without_the_previous_site(run, tmp_path):
    out = site(tmp_path / "out", "previous")
    check = f"import pathlib, sys; sys.exit(pathlib.Path({str(out)!r}).exists())"

    assert run.settled_run([sys.executable, "-c", check], out).code == 0
    assert [p.read_text() for p in (tmp_path / "trash").rglob("index.html")] == ["previous"]
