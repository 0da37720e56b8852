"""Helpers shared by the end-to-end tests: build a site with the real command line, serve it
over HTTP, read its HTML, and start headless Chromium.

Nothing here is mocked: `build` runs `python -m generator build` in a subprocess (so mkdocs,
the hooks and the theme run exactly as for a contributor), `Server` is a plain static file
server on 127.0.0.1, and `launch_chromium` starts a real browser or fails the test run.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

ROOT = Path(__file__).parent.parent
TESTS = Path(__file__).parent
AXE = TESTS / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


# ------------------------------------------------------------------ building


def run_build(
    incidents: Path, site_dir: Path, env: dict | None = None, timeout: float = 600, config: Path | None = None
) -> subprocess.CompletedProcess:
    """`python -m generator build` exactly as a contributor runs it, from the repository root.

    SOURCE_DATE_EPOCH is removed from the environment: the build must pin its own dates.
    `env` adds or overrides variables (PYTHONHASHSEED, TZ, ...)."""
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment.update(env or {})
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--incidents",
            str(incidents),
            "--site-dir",
            str(site_dir),
            *(["--config", str(config)] if config else []),
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def build(incidents: Path, site_dir: Path, env: dict | None = None, config: Path | None = None) -> Path:
    """Build a site and return its folder; fail the test with the build's output if it fails."""
    done = run_build(incidents, site_dir, env, config=config)
    if done.returncode != 0:
        pytest.fail(
            f"building {incidents} failed with exit code {done.returncode}:\n"
            f"--- stdout\n{done.stdout[-4000:]}\n--- stderr\n{done.stderr[-4000:]}",
            pytrace=False,
        )
    assert (site_dir / "index.html").is_file(), f"no index.html in {site_dir}"
    return site_dir


def copy_tree_reversed(source: Path, target: Path) -> Path:
    """Copy a folder of records creating files (and folders) in reverse name order, so a build
    that depends on the order the file system lists them in gives a different site."""
    target.mkdir(parents=True)
    for path in sorted(source.rglob("*"), reverse=True):
        relative = path.relative_to(source)
        if path.is_dir():
            (target / relative).mkdir(parents=True, exist_ok=True)
        else:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a folder, by relative path, with its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# ------------------------------------------------------------------ the records


@dataclass
class Contents:
    """What a folder of records holds, read with plain YAML (not with the generator's loader):
    the test's own view of what the site must show."""

    root: Path
    incidents: dict[str, dict] = field(default_factory=dict)  # id -> the record
    towns: dict[str, dict] = field(default_factory=dict)
    groups: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path) -> Contents:
        records = cls(root)
        records.towns = yaml.safe_load((root / "towns.yaml").read_text(encoding="utf-8")) or {}
        records.groups = yaml.safe_load((root / "groups.yaml").read_text(encoding="utf-8")) or {}
        for path in sorted(root.glob("*/*.yaml")):
            records.incidents[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))
        return records

    def year(self, incident_id: str) -> int:
        return int(str(self.incidents[incident_id]["date"])[:4])

    @property
    def redirects(self) -> dict[str, str]:
        """Old id -> current id."""
        return {
            old: incident_id
            for incident_id, record in self.incidents.items()
            for old in record.get("redirect_from") or ()
        }


# ------------------------------------------------------------------ reading HTML


class Html(HTMLParser):
    """The parts of a page the tests look at, parsed with the standard library."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []  # (tag, attributes), in order
        self.ids: set[str] = set()
        self.title = ""
        self.h1 = ""
        self.text_parts: list[str] = []
        self._in: list[str] = []
        self.feed(text)
        self.close()
        self.text = " ".join(" ".join(self.text_parts).split())

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        for key in ("id", "name"):
            if attributes.get(key) and (key == "id" or tag == "a"):
                self.ids.add(attributes[key])
        if tag not in self.VOID:
            self._in.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_endtag(self, tag):
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data):
        if "title" in self._in and "svg" not in self._in:
            self.title += data
        if "h1" in self._in:
            self.h1 += data
        if not {"script", "style", "title"} & set(self._in):
            self.text_parts.append(data)

    def find(self, tag: str, **attributes) -> list[dict[str, str | None]]:
        return [
            attrs
            for name, attrs in self.elements
            if name == tag and all(attrs.get(key) == value for key, value in attributes.items())
        ]

    def links(self) -> list[str]:
        """Every address the page points at: href, src, and a meta refresh's url."""
        found = []
        for tag, attrs in self.elements:
            for key in ("href", "src"):
                if attrs.get(key) is not None:
                    found.append(attrs[key])
            if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
                found.append(refresh_target(attrs.get("content") or ""))
        return found


def refresh_target(content: str) -> str:
    match = re.match(r"\s*\d+\s*;\s*url\s*=\s*['\"]?([^'\"]*)", content, re.IGNORECASE)
    return match.group(1).strip() if match else ""


@functools.lru_cache(maxsize=4096)
def _parse(path: str, mtime_ns: int, size: int) -> Html:
    return Html(Path(path).read_text(encoding="utf-8"))


def parse(path: Path) -> Html:
    """A page's parsed HTML (cached while the file does not change)."""
    stat = path.stat()
    return _parse(str(path), stat.st_mtime_ns, stat.st_size)


def page_url(site: Path, path: Path) -> str:
    """The site-absolute URL a file is served at: /incidents/x/ for incidents/x/index.html."""
    relative = path.relative_to(site).as_posix()
    if relative == "index.html":
        return "/"
    if relative.endswith("/index.html"):
        return "/" + relative[: -len("index.html")]
    return "/" + relative


def resolve(site: Path, from_url: str, link: str) -> tuple[Path, str] | None:
    """The file an internal link points at, and its #fragment; None for external links."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:  # "#fragment" or "?query": this page
        target = from_url
    else:
        base = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
        target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
        if parts.path.endswith("/") and not target.endswith("/"):
            target += "/"
    path = site / target.lstrip("/")
    if target.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, unquote(parts.fragment)


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# ------------------------------------------------------------------ the search index


def fragments(site: Path, shards: str = "pagefind*", field: str = "content") -> dict[str, str]:
    """Each indexed page's text as Pagefind keeps it for excerpts (or its `meta` fields), by
    the page's address."""
    found = {}
    for path in site.glob(f"{shards}/fragment/*.pf_fragment"):
        fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[fragment["url"]] = fragment[field]
    return found


# ------------------------------------------------------------------ serving


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class Server:
    """A static HTTP server for one folder on 127.0.0.1, on a free port, in a thread."""

    def __init__(self, folder: Path):
        handler = functools.partial(_Quiet, directory=str(folder))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# ------------------------------------------------------------------ the browser


def chromium_path() -> str | None:
    """A system Chromium on PATH (Debian's package), if any."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def launch_chromium(playwright):
    """Headless Chromium: the system one if there is one, else Playwright's own download.

    Fails (never skips) when neither is installed: the browser tests are part of the suite."""
    executable = chromium_path()
    try:
        if executable:
            return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        return playwright.chromium.launch(args=CHROMIUM_ARGS)
    except Exception as error:  # Playwright raises its own Error when the executable is missing
        pytest.fail(
            "No usable Chromium for the browser tests "
            f"({executable or 'none on PATH; tried Playwright’s own'}): {error}\n"
            "Install one with `make browser` (scripts/install-browser.sh).",
            pytrace=False,
        )


@dataclass
class Tab:
    """A page in its own browser context, with what went wrong while it ran."""

    page: object
    context: object = None
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    external: list[str] = field(default_factory=list)  # requests to other hosts (answered empty or aborted)
    missing: list[str] = field(default_factory=list)  # requests the site answered with an error


class Tabs:
    """The one way the browser tests open pages: each in a context of its own whose requests to
    other hosts are recorded and answered empty (or aborted, with `abort`), so nothing leaves
    the machine and a missing network cannot slow or break a test; `close` closes them all.
    `expected_error(message)` tells a console error the test expects (a tile that failed)."""

    def __init__(self, chromium, abort: bool = False, expected_error=lambda message: False):
        self.chromium, self.abort, self.expected_error = chromium, abort, expected_error
        self.opened: list[Tab] = []

    def context(self, tab: Tab, **options):
        context = self.chromium.new_context(**options)

        def route(route):
            if urlsplit(route.request.url).hostname in ("127.0.0.1", None):
                route.continue_()
            else:
                tab.external.append(route.request.url)
                route.abort() if self.abort else route.fulfill(status=200, body="")

        context.route("**/*", route)
        tab.context = context
        self.opened.append(tab)
        return context

    def open(self, url: str | None, wait: str = "load", **options) -> Tab:
        """A new tab, with `url` loaded if given."""
        tab = Tab(None)
        page = tab.page = self.context(tab, **options).new_page()
        page.on("console", lambda m: self._console(tab, m))
        page.on("pageerror", lambda e: tab.errors.append(f"pageerror: {e}"))
        page.on("dialog", lambda d: (tab.errors.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("response", lambda r: r.status >= 400 and tab.missing.append(f"{r.status} {r.url}"))
        if url is not None:
            page.goto(url, wait_until=wait)
        return tab

    def _console(self, tab: Tab, message) -> None:
        if message.type == "error" and not self.expected_error(message):
            tab.errors.append(f"console: {message.text} {message.location}")

    def close(self) -> None:
        for tab in self.opened:
            with contextlib.suppress(Exception):  # a test may have closed it already
                tab.context.close()
        self.opened.clear()


def ensure_axe() -> Path:
    """axe-core from tests/package-lock.json, installed with npm on first use."""
    if not AXE.is_file():
        npm = shutil.which("npm")
        if not npm:
            pytest.fail("npm is needed to install axe-core for the accessibility tests", pytrace=False)
        command = "ci" if (TESTS / "package-lock.json").is_file() else "install"
        done = subprocess.run(
            [npm, command, "--prefix", str(TESTS), "--no-audit", "--no-fund"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0 or not AXE.is_file():
            pytest.fail(
                f"`npm {command} --prefix tests` failed:\n{done.stdout}\n{done.stderr}", pytrace=False
            )
    return AXE


def wait_for(page, script: str, arg=None, timeout: float = 5.0):
    """Poll `script` (a JavaScript function) until it returns a truthy value.

    Playwright's wait_for_function evaluates its predicate with eval(), which the site's
    Content-Security-Policy forbids; page.evaluate does not."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(script, arg)
        if value or time.monotonic() > deadline:
            assert value, f"timed out after {timeout}s waiting for {script}"
            return value
        page.wait_for_timeout(50)
