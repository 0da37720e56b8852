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


def test_a_comparison_runs_in_pairs_until_its_budget_is_spent(run, tmp_path):
    log = tmp_path / "log"
    ours, floor = ([sys.executable, "-c", f"open({str(log)!r}, 'a').write({side!r})"] for side in "OF")

    fastest, _, runs = run.best_side_by_side(ours, floor, repeat=2)
    assert (log.read_text(), runs) == ("OFOF", 2)
    assert fastest.code == 0

    log.unlink()
    _, _, runs = run.best_side_by_side(ours, floor, repeat=1, budget=3600)
    assert (log.read_text(), runs) == ("OF" * run.MAX_RUNS, run.MAX_RUNS)


def test_a_failing_run_stops_the_comparison_at_once(run, tmp_path):
    fails, log = [sys.executable, "-c", "raise SystemExit(3)"], tmp_path / "log"
    floor = [sys.executable, "-c", f"open({str(log)!r}, 'a').write('F')"]
    with pytest.raises(RuntimeError, match="exited 3"):
        run.best_side_by_side(fails, floor, repeat=1, budget=3600)
    assert not log.exists()
