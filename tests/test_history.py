"""Record history from a real temporary git repository, with pinned commit dates."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.history import MAX_REVISIONS, Revision, last_changed, revisions

RECORD = """title: {title}
date: "2015-08-24"
type: battle
towns: [umm-housh]
groups: [islamic-state]
summary: |
  {summary}
casualties:
  - group: civilians
    killed: {killed}
    according_to: Monitor
sources:
  - publisher: Monitor
    url: https://monitor.example/
"""


class Repo:
    def __init__(self, root: Path):
        self.root, self.day = root, 0
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, day: int | None = None) -> str:
        stamp = f"2024-03-{day:02d}T12:00:00+00:00" if day else "2024-01-01T00:00:00+00:00"
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Test",
            "GIT_AUTHOR_EMAIL": "test@example.org",
            "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "test@example.org",
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_DATE": stamp,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def write(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def commit(self, subject: str) -> str:
        self.day += 1
        self.git("add", "-A")
        self.git("commit", "-q", "-m", subject, "-m", "A body line that is not the subject.", day=self.day)
        return self.git("rev-parse", "--short", "HEAD")


def record(title="IS captures Umm Housh", summary="Fighters took the village.", killed=3) -> str:
    return RECORD.format(title=title, summary=summary, killed=killed)


@pytest.fixture
def repo(tmp_path) -> Repo:
    return Repo(tmp_path)


def test_revisions_name_the_fields_each_commit_changed(repo):
    repo.write("incidents/towns.yaml", "umm-housh:\n  name: Umm Housh\n")
    repo.write("incidents/2015/2015-08-24-a.yaml", record())
    added = repo.commit("Add Umm Housh")
    repo.write("incidents/2015/2015-08-24-a.yaml", record(killed=5))
    figures = repo.commit("Correct the death toll")
    repo.write("README.md", "not a record\n")
    repo.commit("Docs")
    repo.write(
        "incidents/2015/2015-08-24-a.yaml",
        record(title="IS takes Umm Housh", summary="New words here.", killed=5),
    )
    words = repo.commit("Reword: title and summary")
    repo.git("mv", "incidents/2015/2015-08-24-a.yaml", "incidents/2015/2015-08-24-b.yaml")
    renamed = repo.commit("Rename the record")

    history = revisions(repo.root, Path("incidents"))
    assert set(history) == {"2015-08-24-b", "towns"}
    assert history["2015-08-24-b"] == [
        Revision("2024-03-05", renamed, "Rename the record", (), path="2015/2015-08-24-b.yaml"),
        Revision(
            "2024-03-04",
            words,
            "Reword: title and summary",
            ("title", "summary"),
            path="2015/2015-08-24-a.yaml",
        ),
        Revision(
            "2024-03-02", figures, "Correct the death toll", ("casualties",), path="2015/2015-08-24-a.yaml"
        ),
        Revision("2024-03-01", added, "Add Umm Housh", (), added=True, path="2015/2015-08-24-a.yaml"),
    ]
    assert history["towns"] == [Revision("2024-03-01", added, "Add Umm Housh", (), True, "towns.yaml")]
    assert last_changed(repo.root, Path("incidents")) == {"2015-08-24-b": "2024-03-05", "towns": "2024-03-01"}
    assert revisions(repo.root, repo.root / "incidents") == history  # an absolute folder too
    assert revisions(repo.root, Path("incidents")) == history  # deterministic


def test_added_and_removed_fields_count_as_changed(repo):
    repo.write("incidents/2015/2015-08-24-a.yaml", record())
    repo.commit("Add")
    repo.write("incidents/2015/2015-08-24-a.yaml", record() + "tags: [car-bomb]\n")
    repo.commit("Tag")
    text = record().replace(
        "casualties:\n  - group: civilians\n    killed: 3\n    according_to: Monitor\n", ""
    )
    repo.write("incidents/2015/2015-08-24-a.yaml", text)
    repo.commit("Drop tags and casualties")
    changed = [r.changed for r in revisions(repo.root, Path("incidents"))["2015-08-24-a"]]
    assert changed == [("casualties", "tags"), ("tags",), ()]


def test_deleted_records_are_left_out_and_a_new_file_at_an_old_path_starts_afresh(repo):
    repo.write("incidents/2015/2015-08-24-a.yaml", record())
    repo.write("incidents/2015/2015-08-24-c.yaml", record(title="Another one"))
    repo.commit("Add two")
    (repo.root / "incidents/2015/2015-08-24-c.yaml").unlink()
    repo.commit("Delete c")
    (repo.root / "incidents/2015/2015-08-24-a.yaml").unlink()
    repo.commit("Delete a")
    repo.write("incidents/2015/2015-08-24-a.yaml", record(title="A different incident"))
    readded = repo.commit("Add a again")
    history = revisions(repo.root, Path("incidents"))
    assert list(history) == ["2015-08-24-a"]
    assert [(r.commit, r.added) for r in history["2015-08-24-a"]] == [(readded, True)]


def test_work_is_bounded_to_the_latest_revisions(repo):
    for n in range(MAX_REVISIONS + 5):
        repo.write("incidents/2015/2015-08-24-a.yaml", record(killed=n))
        repo.commit(f"Edit {n}")
    shown = revisions(repo.root, Path("incidents"))["2015-08-24-a"]
    assert len(shown) == MAX_REVISIONS
    assert [r.subject for r in shown] == [f"Edit {n}" for n in range(MAX_REVISIONS + 4, 4, -1)]
    assert all(r.changed == ("casualties",) for r in shown)  # the oldest shown is compared too


def test_no_git_history_gives_nothing_quietly(tmp_path, monkeypatch):
    (tmp_path / "incidents").mkdir()
    assert revisions(tmp_path, Path("incidents")) == {}  # not a repository
    assert last_changed(tmp_path, Path("incidents")) == {}
    assert revisions(tmp_path, Path("missing")) == {}  # no such folder
    repo = Repo(tmp_path / "repo")
    repo.write("incidents/2015/2015-08-24-a.yaml", record())
    repo.commit("Add")
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # git is not installed
    assert shutil.which("git") is None
    assert revisions(repo.root, Path("incidents")) == {}
    assert last_changed(repo.root, Path("incidents")) == {}


def test_uncommitted_changes_are_not_history(repo):
    repo.write("incidents/2015/2015-08-24-a.yaml", record())
    repo.commit("Add")
    repo.write("incidents/2015/2015-08-24-a.yaml", record(killed=99))
    repo.write("incidents/2015/2015-08-24-new.yaml", record())
    history = revisions(repo.root, Path("incidents"))
    assert list(history) == ["2015-08-24-a"] and len(history["2015-08-24-a"]) == 1
