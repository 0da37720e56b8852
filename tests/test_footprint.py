"""Publishing knows its limits (issue 22): `build` prints the site's size and file count, and
the deploy workflow stops before uploading a site GitHub Pages would refuse, saying the size,
the limit and what to do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sites
import yaml
from conftest import ROOT

from generator import footprint

DEPLOY = ROOT / ".github" / "workflows" / "deploy.yml"


def site_size(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "generator", "site-size", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


def small_site(folder: Path) -> Path:
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "index.html").write_bytes(b"x" * 1500)
    (folder / "feed.xml").write_bytes(b"y" * 500)
    return folder


def test_a_site_under_the_limit_passes_with_its_size(tmp_path):
    done = site_size(str(small_site(tmp_path / "site")), "--limit", "1GB")
    assert done.returncode == 0, done.stderr
    assert "2.0 KB in 2 files (2,000 bytes)" in done.stdout and "1.0 GB" in done.stdout


def test_a_site_over_the_limit_fails_saying_size_limit_and_what_to_do(tmp_path):
    site = small_site(tmp_path / "site")
    done = site_size(str(site), "--limit", "1KB")
    assert done.returncode == 1
    message = done.stderr
    assert "2.0 KB in 2 files (2,000 bytes)" in message, message
    assert "over the limit of 1.0 KB (1,000 bytes)" in message
    assert "object store behind a CDN" in message and footprint.PUBLISHING_DOCS in message
    assert (ROOT / footprint.PUBLISHING_DOCS).is_file(), "the message points at a page that exists"
    annotated = site_size(str(site), "--limit", "1KB", env={"GITHUB_ACTIONS": "true"})
    assert annotated.stdout.splitlines()[-1].startswith("::error title=")


@pytest.mark.parametrize(
    ("text", "size"), [("1GB", 10**9), ("500 MB", 5 * 10**8), ("2GiB", 2 << 30), ("123", 123)]
)
def test_limits_read_as_people_write_them(text, size):
    assert footprint.parse_size(text) == size


def test_a_limit_that_is_not_a_size_is_refused(tmp_path):
    done = site_size(str(small_site(tmp_path / "site")), "--limit", "a lot")
    assert done.returncode == 2 and "not a size" in done.stderr


def test_the_deploy_workflow_checks_the_size_before_uploading():
    jobs = yaml.safe_load(DEPLOY.read_text(encoding="utf-8"))["jobs"]
    build = jobs["build"]["steps"]
    runs = [step.get("run", "") + step.get("uses", "") for step in build]
    check = next(n for n, text in enumerate(runs) if "python -m generator site-size site --limit 1GB" in text)
    upload = next(n for n, text in enumerate(runs) if text.startswith("actions/upload-pages-artifact"))
    built = next(n for n, text in enumerate(runs) if "python -m generator build" in text)
    assert built < check < upload


def test_build_prints_the_size_and_file_count(tmp_path):
    site = tmp_path / "site"
    done = sites.run_build(ROOT / "incidents", site)
    assert done.returncode == 0, done.stderr[-3000:]
    found = footprint.measure(site)
    assert f"Built the site into {site}: {found.text()}" in done.stdout
    assert found.files == sum(len(files) for _, _, files in os.walk(site))
