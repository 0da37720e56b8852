"""The weekly dead-link check (.github/scripts/check_links.py), against a local HTTP server only:
every source of the records it reads points at 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import BASE, ROOT, Records

SCRIPT = ROOT / ".github" / "scripts" / "check_links.py"
ARCHIVE = "https://web.archive.org/web/2015/https://example.org/gone"


class Handler(BaseHTTPRequestHandler):
    """/ok answers, /gone is 404, /no-head refuses HEAD but answers GET, /moved redirects to /ok."""

    seen: list[tuple[str, str, str]] = []

    def answer(self, body: bool) -> None:
        Handler.seen.append((self.command, self.path, self.headers.get("User-Agent", "")))
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/ok" or (self.path == "/no-head" and self.command == "GET"):
            self.send_response(200)
        elif self.path == "/no-head":
            self.send_response(405)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "2" if body else "0")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_sources(day: str, *sources: tuple[str, str | None]) -> str:
    """The base incident of a day with these sources (address, archived copy or None)."""
    head = BASE.split("casualties:")[0].replace("date: 2015-08-24", f'date: "{day}"')
    lines = ["sources:"]
    for i, (url, archive) in enumerate(sources):
        lines += [f"  - publisher: Publisher {i}", f"    url: {url}"]
        lines += [f"    archive_url: {archive}"] if archive else []
    return head + "\n".join(lines) + "\n"


def where(path: Path, url: str) -> tuple[int, int]:
    """The line and column of the value of `url: <url>` in a file."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() == f"url: {url}":
            return number, line.index(url) + 1
    raise AssertionError(f"{url} not in {path}")


@pytest.fixture
def tree(tmp_path, server):
    (tmp_path / "incidents").mkdir()
    records = Records(tmp_path / "incidents")
    files = {
        "archived": records.incident(
            with_sources("2015-08-24", (f"{server}/ok", None), (f"{server}/gone", ARCHIVE)),
            "2015/2015-08-24-archived-source-gone.yaml",
        ),
        "bare": records.incident(
            with_sources(
                "2015-08-25", (f"{server}/moved", None), (f"{server}/no-head", None), (f"{server}/gone", None)
            ),
            "2015/2015-08-25-source-gone.yaml",
        ),
        "fine": records.incident(
            with_sources("2015-08-26", (f"{server}/ok", None)), "2015/2015-08-26-all-fine.yaml"
        ),
    }
    files["broken"] = records.incident("title: [\n", "2015/2015-08-27-broken.yaml")
    return tmp_path, files


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120
    )


def test_reports_dead_sources_at_their_line_with_the_archive_hint(tree, server):
    cwd, files = tree
    Handler.seen.clear()
    done = run(cwd, "--incidents", "incidents", "--timeout", "10")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    archived, bare = (Path("incidents/2015") / files[k].name for k in ("archived", "bare"))
    line, col = where(files["archived"], f"{server}/gone")
    assert (
        f"{archived}:{line}:{col}: warning: source is unreachable (HTTP 404); "
        "readers are pointed to the archived copy"
    ) in lines
    line, col = where(files["bare"], f"{server}/gone")
    assert (
        f"{bare}:{line}:{col}: warning: source is unreachable (HTTP 404); "
        "add archive_url (e.g. a Wayback Machine copy)"
    ) in lines
    assert len([row for row in lines if ": warning: " in row]) == 2  # /ok, /moved and /no-head answered
    assert (
        lines[-1]
        == "4 source address(es) checked: 2 unreachable; 1 file(s) with errors skipped (run make validate)"
    )
    assert "2015-08-26-all-fine" not in done.stdout
    # each address asked once, HEAD first, GET only when HEAD fails, politely named
    assert [(m, p) for m, p, _ in Handler.seen].count(("HEAD", "/ok")) == 2  # /ok, and /moved's target
    assert ("GET", "/no-head") in [(m, p) for m, p, _ in Handler.seen]
    assert ("GET", "/ok") not in [(m, p) for m, p, _ in Handler.seen]
    assert all(agent.startswith("incident-timeline-link-check/") for _, _, agent in Handler.seen)


def test_exit_status_github_annotations_and_job_summary(tree, server):
    cwd, files = tree
    summary = cwd / "summary.md"
    done = run(cwd, "--incidents", "incidents", "--format", "github", "--summary", str(summary), "--strict")
    assert done.returncode == 1, done.stderr  # --strict: a dead source fails
    line, col = where(files["bare"], f"{server}/gone")
    path = f"incidents/2015/{files['bare'].name}"
    annotation = f"::warning file={path},line={line},col={col},title=source is unreachable (HTTP 404)::"
    assert any(row.startswith(annotation) and "add archive_url" in row for row in done.stdout.splitlines())
    report = summary.read_text(encoding="utf-8")
    assert report.startswith("## Dead sources\n")
    assert f"| `{path}:{line}` | `2015-08-25-source-gone` | `{server}/gone` |" in report
    assert "readers are pointed to the archived copy" in report


def test_connection_errors_are_dead_and_limit_bounds_the_requests(tmp_path, server):
    (tmp_path / "incidents").mkdir()
    records = Records(tmp_path / "incidents")
    nobody = f"http://127.0.0.1:{closed_port()}/gone"
    path = records.incident(
        with_sources("2015-08-24", (nobody, None), (f"{server}/gone", None)), "2015/2015-08-24-down.yaml"
    )
    done = run(tmp_path, "--timeout", "10")
    line, col = where(path, nobody)
    dead = f"incidents/2015/{path.name}:{line}:{col}: warning: source is unreachable (connection refused);"
    assert dead in done.stdout
    assert done.returncode == 0
    limited = run(tmp_path, "--limit", "1", "--timeout", "10")
    assert limited.stdout.splitlines()[-1] == "1 source address(es) checked of 2 (--limit): 1 unreachable"
    (warning,) = [row for row in limited.stdout.splitlines() if ": warning: " in row]
    assert warning.startswith(f"incidents/2015/{path.name}:{line}:{col}:")  # the first address only


def test_a_missing_folder_is_an_error(tmp_path):
    done = run(tmp_path, "--incidents", "nowhere")
    assert done.returncode == 2 and "no such folder" in done.stderr
