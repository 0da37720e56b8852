"""Record history from a real temporary git repository, with pinned commit dates: read in
the build's process (`revisions`) and by a forked process beside it (`start`), and the sites
built with it."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sites
from conftest import ROOT

from generator import synthetic
from generator.history import MAX_REVISIONS, Revision, latest_dates, revisions, start

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
    assert dict(latest_dates(history)) == {"2015-08-24-b": "2024-03-05", "towns": "2024-03-01"}
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
    assert dict(latest_dates(revisions(tmp_path, Path("incidents")))) == {}
    assert revisions(tmp_path, Path("missing")) == {}  # no such folder
    repo = Repo(tmp_path / "repo")
    repo.write("incidents/2015/2015-08-24-a.yaml", record())
    repo.commit("Add")
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # git is not installed
    assert shutil.which("git") is None
    assert revisions(repo.root, Path("incidents")) == {}
    assert dict(latest_dates(revisions(repo.root, Path("incidents")))) == {}


def test_uncommitted_changes_are_not_history(repo):
    repo.write("incidents/2015/2015-08-24-a.yaml", record())
    repo.commit("Add")
    repo.write("incidents/2015/2015-08-24-a.yaml", record(killed=99))
    repo.write("incidents/2015/2015-08-24-new.yaml", record())
    history = revisions(repo.root, Path("incidents"))
    assert list(history) == ["2015-08-24-a"] and len(history["2015-08-24-a"]) == 1


def edited(repo: Repo) -> Repo:
    """A record added, edited twice, and a second record: history worth reading."""
    repo.write("incidents/towns.yaml", "umm-housh:\n  name: Umm Housh\n")
    repo.write("incidents/2015/2015-08-24-a.yaml", record())
    repo.commit("Add Umm Housh")
    repo.write("incidents/2015/2015-08-24-a.yaml", record(killed=5))
    repo.commit("Correct the death toll")
    repo.write("incidents/2015/2015-08-25-b.yaml", record(title="Another one"))
    repo.write("incidents/2015/2015-08-24-a.yaml", record(summary="New words.", killed=5))
    repo.commit("Reword a, add b")
    return repo


def test_history_read_by_a_process_of_its_own_is_the_same(repo):
    edited(repo)
    expected = revisions(repo.root, Path("incidents"))
    found = start(repo.root, Path("incidents"))
    assert dict(found) == expected and list(found) == list(expected)
    assert expected["2015-08-24-a"][0].changed == ("summary",)  # compared, not only listed
    assert dict(latest_dates(found)) == {key: entries[0].date for key, entries in expected.items()}


def _look(found, answer) -> None:
    answer.send(dict(found))


def test_a_process_forked_after_the_start_reads_the_same_history(repo):
    """The data files' process is forked before the build looks at the history, and reads it
    itself (the feeds' dates); the build reads it after."""
    edited(repo)
    found = start(repo.root, Path("incidents"))
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_look, args=(found, send))
    child.start()
    in_child = receive.recv()
    child.join()
    assert in_child == dict(found) == revisions(repo.root, Path("incidents"))


FAKE_GIT = {
    "killed": "kill -9 $PPID\n",  # the history process is killed (the OOM killer, a stray kill)
    "failing": "printf '\\036broken'\n",  # output no git writes: the history process fails
}


def fake_git(folder: Path, behaviour: str) -> Path:
    folder.mkdir()
    (folder / "git").write_text("#!/bin/sh\n" + FAKE_GIT[behaviour])
    (folder / "git").chmod(0o755)
    return folder


@pytest.mark.parametrize("behaviour", sorted(FAKE_GIT))
def test_a_history_process_that_fails_or_is_killed_gives_no_history_quietly(
    repo, tmp_path, monkeypatch, capfd, behaviour
):
    edited(repo)
    monkeypatch.setenv("PATH", f"{fake_git(tmp_path / 'bin', behaviour)}{os.pathsep}{os.environ['PATH']}")
    found = start(repo.root, Path("incidents"))
    assert dict(found) == {} and dict(latest_dates(found)) == {}
    assert "Traceback" not in capfd.readouterr().err


def test_a_shallow_clone_shows_the_history_it_has(repo, tmp_path):
    edited(repo)
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "2", f"file://{repo.root}", str(clone))
    found = revisions(clone, Path("incidents"))
    assert dict(start(clone, Path("incidents"))) == found
    subjects = {key: [(r.subject, r.changed, r.added) for r in entries] for key, entries in found.items()}
    assert subjects == {  # its oldest commit adds every file it has
        "2015-08-24-a": [("Reword a, add b", ("summary",), False), ("Correct the death toll", (), True)],
        "2015-08-25-b": [("Reword a, add b", (), True)],
        "towns": [("Correct the death toll", (), True)],
    }


def test_the_benchmarks_synthetic_history_has_the_shape_asked_for(tmp_path):
    records = tmp_path / "incidents"
    synthetic.write_dataset(records, 30, seed=4)
    synthetic.write_history(records, 12, seed=4)
    git = ["git", "-C", str(records)]
    log = subprocess.run(
        [*git, "log", "--format=%x1e%s", "--name-only"], capture_output=True, text=True
    ).stdout
    commits = [[line for line in block.split("\n") if line] for block in log.split("\x1e")[1:]]
    assert len(commits) == 32 + 12  # a commit per record (and registry) up to 100, then the edits
    assert all(len(files) == 2 for files in commits[:12])  # each edit: its subject, one file
    assert not subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True).stdout
    found = revisions(records, Path("."))
    for subject, path in commits[:12]:
        field, key = subject.removeprefix("Correct the ").split(" of ")
        assert key == Path(path).stem
        assert next(r.changed for r in found[key] if r.subject == subject) == (field,)


# A platform where processes cannot fork: history, data files and checks all in one process.
IN_ONE_PROCESS = """import multiprocessing, sys
multiprocessing.get_all_start_methods = lambda: ["spawn"]
from generator import cli
sys.argv[0] = "generator"
cli.run()
"""


@pytest.fixture(scope="module")
def with_history(tmp_path_factory) -> Path:
    """40 synthetic records in a git repository of their own, 15 of them edited since."""
    records = tmp_path_factory.mktemp("history") / "incidents"
    synthetic.write_dataset(records, 40, seed=5)
    synthetic.write_history(records, 15, seed=5)
    return records


def test_a_build_reading_history_beside_it_writes_what_one_process_writes(with_history, tmp_path):
    forked = sites.build(with_history, tmp_path / "forked")
    command = [sys.executable, "-c", IN_ONE_PROCESS, "build", "--incidents", str(with_history)]
    environment = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    done = subprocess.run(
        [*command, "--site-dir", str(tmp_path / "one")],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert sites.snapshot(forked) == sites.snapshot(tmp_path / "one")
    edits = sum("Correct the " in path.read_text() for path in (forked / "incidents").rglob("index.html"))
    assert edits >= 10  # the edited records' pages show their revisions


@pytest.mark.parametrize("behaviour", [*sorted(FAKE_GIT), "missing"])
def test_a_build_whose_history_cannot_be_read_is_built_without_it(with_history, tmp_path, behaviour):
    plain = tmp_path / "plain" / "incidents"  # the same records outside any repository
    shutil.copytree(with_history, plain, ignore=shutil.ignore_patterns(".git"))
    expected = sites.build(plain, tmp_path / "expected")
    if behaviour == "missing":
        (tmp_path / "empty").mkdir()
        path = str(tmp_path / "empty")
    else:
        path = f"{fake_git(tmp_path / 'bin', behaviour)}{os.pathsep}{os.environ['PATH']}"
    done = sites.run_build(with_history, tmp_path / "site", env={"PATH": path})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert sites.snapshot(tmp_path / "site") == sites.snapshot(expected)
