"""The output folder and the machine's faults (issue 17): a build replaces only a folder it
built, leaves a readable site, survives Ctrl-C, SIGKILL, a full disk and a read-only disk
with one clear message, and leaves the previous site as it was.

Each test works in a throwaway copy of the repository (`checkout`), so a broken guard could
only ever delete that copy."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from generator import synthetic
from generator.sitedir import MARKER
from generator.validate import PARALLEL_FROM

TESTS = Path(__file__).parent


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A copy of what a build reads: mkdocs.yml, docs/, generator/ and the sample records."""
    copy = tmp_path / "checkout"
    copy.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", copy)
    for folder in ("docs", "generator", "incidents"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / ".git").mkdir()
    (copy / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (copy / "notes.txt").write_text("uncommitted work\n")
    return copy


def command(checkout: Path, site_dir: str, incidents: str = "incidents") -> list[str]:
    return [sys.executable, "-m", "generator", "build", "--incidents", incidents, "--site-dir", site_dir]


def build(checkout: Path, site_dir: str, incidents: str = "incidents", umask: int | None = None):
    return subprocess.run(
        command(checkout, site_dir, incidents),
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes() if path.is_file() else b"<dir>"
        for path in sorted(folder.rglob("*"))
        if "__pycache__" not in path.parts
    }


@pytest.mark.parametrize(
    "site_dir, why",
    [
        (".", "holds"),
        ("incidents", "is"),
        ("..", "holds"),
        ("notes.txt", "is a file, not a folder"),
        ("generator", "is not empty and is not a site this tool built"),
        ("incidents/site", "is inside"),
    ],
)
def test_a_folder_the_build_did_not_make_is_never_replaced(checkout, site_dir, why):
    before = tree(checkout.parent)
    done = build(checkout, site_dir)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("Build refused: ") and why in done.stderr
    assert "Traceback" not in done.stderr
    assert tree(checkout.parent) == before


def test_mkdocs_build_through_the_hooks_refuses_too(checkout):
    other = checkout / "other"
    other.mkdir()
    (other / "keep.txt").write_text("not a site\n")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(other)],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    assert "is not a site this tool built" in done.stderr
    assert (other / "keep.txt").read_text() == "not a site\n"


def test_a_built_site_is_replaced_and_readable_by_others(checkout):
    assert build(checkout, "site", umask=0o022).returncode == 0
    site = checkout / "site"
    (site / "stale.html").write_text("from an older build")
    done = build(checkout, "site", umask=0o022)
    assert done.returncode == 0, done.stderr
    assert not (site / "stale.html").exists()
    assert (site / MARKER).is_file()
    modes = {path.stat().st_mode & 0o777 for path in [site, *site.rglob("*")]}
    assert modes == {0o755, 0o644}
    assert build(checkout, "tight", umask=0o027).returncode == 0
    assert (checkout / "tight").stat().st_mode & 0o777 == 0o750  # the umask is respected


def test_a_killed_builds_leftovers_are_removed_by_the_next_build(checkout):
    leftover = checkout / ".site.building-abc123"
    leftover.mkdir()
    (leftover / MARKER).write_text("")
    (leftover / "index.html").write_text("half a site")
    foreign = checkout / ".site.building-mine"  # looks like one, but the build did not make it
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine")
    assert build(checkout, "site").returncode == 0
    assert not leftover.exists()
    assert (foreign / "keep.txt").read_text() == "mine"


def test_two_builds_into_one_folder_at_once_both_succeed(checkout):
    first = subprocess.Popen(command(checkout, "site"), cwd=checkout, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command(checkout, "site"), cwd=checkout, stderr=subprocess.PIPE, text=True)
    errors = [first.communicate(timeout=300)[1], second.communicate(timeout=300)[1]]
    assert (first.returncode, second.returncode) == (0, 0), errors
    assert (checkout / "site" / "index.html").is_file()
    assert sorted(p.name for p in checkout.iterdir() if p.name.startswith(".site")) == [".site.lock"]


def _big_records(checkout: Path) -> str:
    synthetic.write_dataset(checkout / "big", PARALLEL_FROM * 4, seed=5)  # checked on worker processes
    return "big"


def _start(checkout: Path, site_dir: str, incidents: str) -> subprocess.Popen:
    return subprocess.Popen(
        command(checkout, site_dir, incidents),
        cwd=checkout,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a process group of its own, as a terminal's job is
    )


def _wait_for_workers(process: subprocess.Popen) -> None:
    """Until the build has forked its helper processes."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        if children.exists() and len(children.read_text().split()) >= 2:
            return
        time.sleep(0.05)
    pytest.fail("the build never started its worker processes")


def test_a_killed_build_leaves_no_process_holding_its_output(checkout):
    """SIGKILL (a CI timeout): every helper process ends with the build, so `build | cat` ends."""
    incidents = _big_records(checkout)
    process = _start(checkout, "site", incidents)
    _wait_for_workers(process)
    process.kill()
    process.communicate(timeout=30)  # hangs while any child holds the pipes open
    assert build(checkout, "site").returncode == 0
    assert [p.name for p in checkout.iterdir() if p.name.startswith(".site.building")] == []


def test_ctrl_c_ends_with_one_line_and_keeps_the_old_site(checkout):
    assert build(checkout, "site").returncode == 0
    before = tree(checkout / "site")
    incidents = _big_records(checkout)
    process = _start(checkout, "site", incidents)
    _wait_for_workers(process)
    os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C does: the whole job
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.decode().strip() in (
        "Build interrupted, {} left as it was.".format(checkout / "site"),
        "Interrupted.",
    )
    assert tree(checkout / "site") == before
    assert [p.name for p in checkout.iterdir() if p.name.startswith(".site.building")] == []


# ------------------------------------------------------------------ a full or read-only disk


def on_a_small_disk(scenario, checkout: Path) -> None:
    """Runs `scenario(checkout, disk)` in a mount namespace of its own (`unshare`, as root or
    as any user, through a user namespace), where `disk` is a tmpfs of 4 MB: room for one
    sample site, not two. Nothing is mounted on the machine itself."""
    unshare = shutil.which("unshare")
    assert unshare, "the full-disk tests need util-linux's unshare (Debian: apt-get install util-linux)"
    code = (
        "import sys; from pathlib import Path; sys.path[:0] = [sys.argv[1]];"
        "import test_site_dir as t; t.mounted_small_disk(t." + scenario.__name__ + ", Path(sys.argv[2]))"
    )
    command = [unshare, "--mount", "--map-root-user", sys.executable, "-c", code, str(TESTS), str(checkout)]
    done = subprocess.run(command, cwd=checkout, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def mounted_small_disk(scenario, checkout: Path) -> None:
    disk = checkout.parent / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], check=True)
    scenario(checkout, disk)


def full_disk(checkout: Path, disk: Path) -> None:
    site = disk / "site"
    done = build(checkout, str(site))
    assert done.returncode == 0, done.stderr
    before = tree(site)
    with (disk / "filler").open("wb") as handle:  # leave about 300 KB: less than the next site needs
        handle.write(b"\0" * max(0, shutil.disk_usage(disk).free - 300_000))
    done = build(checkout, str(site))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "No space left on device; free some disk space" in done.stderr, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert f"{site} was left as it was" in done.stderr or f"{site} left as it was" in done.stderr
    assert tree(site) == before
    assert sorted(p.name for p in disk.iterdir()) == [".site.lock", "filler", "site"]


def read_only_disk(checkout: Path, disk: Path) -> None:
    site = disk / "site"
    assert build(checkout, str(site)).returncode == 0
    before = tree(site)
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    done = build(checkout, str(site))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Read-only file system; choose a folder you may write to" in done.stderr, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert tree(site) == before


def test_a_full_disk_gives_one_clear_message_and_keeps_the_old_site(checkout):
    on_a_small_disk(full_disk, checkout)


def test_a_read_only_disk_gives_one_clear_message(checkout):
    on_a_small_disk(read_only_disk, checkout)


def test_a_ctrl_c_swallowed_inside_a_fork_handler_is_not_lost():
    """Python swallows an exception raised in its own callbacks (logging's fork handler is one):
    a Ctrl-C that lands there is remembered, raised again before the site is swapped in, and
    the swallowed copy is not printed."""
    script = """
import os, signal
from generator import signals
signals.install()
os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signal.SIGINT))
pid = os.fork()
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
print("went on")
try:
    signals.check()
except KeyboardInterrupt:
    print("stopped before publishing")
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.split("\n")[-2] == "stopped before publishing", done.stdout + done.stderr
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr


def test_a_forked_helper_ignores_ctrl_c_from_its_first_instruction():
    """A Ctrl-C that lands between a helper's fork and its first line of our code (as_child)
    printed multiprocessing's traceback: forks hold Ctrl-C and SIGTERM back, and the child
    starts ignoring Ctrl-C, and dying of SIGTERM, while the parent keeps its handlers."""
    script = """
import os, signal
from generator import signals
signals.install()
pid = os.fork()
if pid == 0:
    ignored = signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    default = signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    unblocked = not signal.pthread_sigmask(signal.SIG_BLOCK, set()) & {signal.SIGINT, signal.SIGTERM}
    os._exit(0 if ignored and default and unblocked else 1)
_, status = os.waitpid(pid, 0)
print("child", os.waitstatus_to_exitcode(status))
print("parent", signal.getsignal(signal.SIGINT) is signals._stop, signal.pthread_sigmask(signal.SIG_BLOCK, set()))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.splitlines() == ["child 0", "parent True set()"], done.stdout + done.stderr
