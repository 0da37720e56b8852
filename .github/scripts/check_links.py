"""Dead sources: request every source address the incident records cite, report those that fail.

    python .github/scripts/check_links.py [--incidents DIR] [--format text|github|markdown]
        [--summary FILE] [--limit N] [--timeout S] [--jobs N] [--strict]

Reads the records as the validator does (`validate_tree`; the line and column of each `url`
come from `check_file`'s marks) and asks each distinct address once: HEAD first, then GET
when HEAD fails (many servers refuse HEAD). HTTP 400 and above, or no answer at all, is a
dead source, reported as a warning on the line of its `url`, with what to do about it:

    incidents/2015/ID.yaml:31:10: warning: source is unreachable (HTTP 404); add archive_url (...)

Requests are few at a time (--jobs in all, two per host), identify the checker in their
User-Agent, and stop after --limit addresses. The exit status is 0 whatever was found
(a site can be down for a day), unless --strict: then 1 when a source is unreachable.
Records with errors are skipped: `make validate` reports them.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import socket
import ssl
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from generator.report import _escape_data, _escape_property
from generator.validate import check_file, find_incident_files, validate_tree

USER_AGENT = (
    "incident-timeline-link-check/1.0 (weekly check that the sources cited by incident records are online)"
)
PER_HOST = 2  # requests at once to one server
SAFE = "/:?#[]@!$&'()*+,;=%~-._"  # characters of a URL that quote() must keep as they are
ARCHIVED = "readers are pointed to the archived copy"
NOT_ARCHIVED = "add archive_url (e.g. a Wayback Machine copy)"


@dataclass(frozen=True)
class Source:
    """One cited address, where it is written."""

    path: str
    line: int
    col: int
    incident: str
    url: str
    archive_url: str | None


@dataclass(frozen=True)
class Dead:
    source: Source
    reason: str  # "HTTP 404", "connection refused", ...

    @property
    def message(self) -> str:
        return f"source is unreachable ({self.reason})"

    @property
    def hint(self) -> str:
        return ARCHIVED if self.source.archive_url else NOT_ARCHIVED

    def text(self) -> str:
        return f"{self.message}; {self.hint}"


def sources(root: Path) -> tuple[list[Source], int]:
    """Every source of every valid incident, in file order, and how many files were skipped."""
    result = validate_tree(root)
    valid = {incident.id for incident in result.dataset.incidents}
    paths, _ = find_incident_files(root)
    found, skipped = [], 0
    for path in paths:
        if path.stem not in valid:
            skipped += 1
            continue
        checked, _ = check_file(path, "incident")  # remembered from validate_tree: not read again
        if checked is None:
            skipped += 1
            continue
        for i, source in enumerate(checked.values.get("sources", ())):
            line, col = checked.marks.get(("sources", i, "url"), checked.marks.get(("sources", i), (1, 1)))
            url, archive = source.get("url"), source.get("archive_url")
            if isinstance(url, str):
                found.append(Source(checked.path, line, col, path.stem, url, archive))
    return found, skipped


def ascii_url(url: str) -> str:
    """The address as HTTP sends it: the host in IDNA, other non-ASCII percent-encoded, no fragment."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    with contextlib.suppress(UnicodeError):  # else left as written: the request fails and says why
        host = host.encode("idna").decode("ascii")
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    if parts.username:
        netloc = quote(parts.username, safe=SAFE) + "@" + netloc
    path, query = quote(parts.path, safe=SAFE), quote(parts.query, safe=SAFE)
    return urlunsplit((parts.scheme, netloc, path or "/", query, ""))


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) only, and keeps a HEAD a HEAD."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, f"redirect to {newurl}", headers, fp)
        new = super().redirect_request(req, fp, code, msg, headers, ascii_url(newurl))
        if new is not None:
            new.method = req.get_method()
        return new


def _reason(error: BaseException) -> str:
    """A short, one-line reason for a failed request."""
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}"
    if isinstance(error, urllib.error.URLError) and isinstance(error.reason, BaseException):
        error = error.reason
    if isinstance(error, socket.gaierror):
        return "host not found"
    if isinstance(error, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError):
        return "connection reset"
    if isinstance(error, ssl.SSLError):
        return "TLS error: " + " ".join(str(getattr(error, "reason", None) or error).split())[:80]
    if isinstance(error, http.client.HTTPException):
        return "bad HTTP answer"
    text = " ".join(str(getattr(error, "reason", error)).split())[:80]
    return text or type(error).__name__


class Checker:
    """Requests addresses, at most PER_HOST at once to each server."""

    def __init__(self, timeout: float, user_agent: str):
        self.timeout, self.user_agent = timeout, user_agent
        self.opener = urllib.request.build_opener(_Redirects())
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()

    def _host(self, url: str) -> threading.BoundedSemaphore:
        with self._lock:
            return self._hosts.setdefault(urlsplit(url).netloc.lower(), threading.BoundedSemaphore(PER_HOST))

    def _request(self, url: str, method: str) -> None:
        request = urllib.request.Request(url, method=method, headers={"User-Agent": self.user_agent})
        request.add_header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        with self.opener.open(request, timeout=self.timeout) as response:  # raises HTTPError at 400+
            if response.status >= 400:
                raise urllib.error.HTTPError(url, response.status, response.reason, response.headers, None)

    def check(self, url: str) -> str | None:
        """None when the address answers, else why it does not."""
        if urlsplit(url).scheme not in ("http", "https"):
            return "not a web address"
        try:
            address = ascii_url(url)
        except ValueError as error:  # a port out of range, a broken IPv6 address
            return " ".join(str(error).split())[:80]
        with self._host(address):
            try:
                self._request(address, "HEAD")
                return None
            except Exception:  # any failure of HEAD: ask again with GET
                pass
            try:
                self._request(address, "GET")
                return None
            except Exception as error:  # whatever failed, the source is unreachable
                return _reason(error)


def check_all(found: list[Source], check: Callable[[str], str | None], jobs: int, limit: int | None):
    """The dead sources, in file order, and how many distinct addresses were asked."""
    urls = list(dict.fromkeys(source.url for source in found))
    if limit is not None:
        urls = urls[:limit]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        reasons = dict(zip(urls, pool.map(check, urls), strict=True))
    dead = [Dead(s, reasons[s.url]) for s in found if reasons.get(s.url)]
    return dead, len(urls)


def _markdown(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>|#" else c for c in " ".join(text.split()))


def summary_line(dead: list[Dead], asked: int, total: int, skipped: int) -> str:
    line = f"{asked} source address(es) checked"
    if asked < total:
        line += f" of {total} (--limit)"
    line += f": {len(dead)} unreachable" if dead else ": none unreachable"
    if skipped:
        line += f"; {skipped} file(s) with errors skipped (run make validate)"
    return line


def text(dead: list[Dead], line: str) -> str:
    rows = [f"{d.source.path}:{d.source.line}:{d.source.col}: warning: {d.text()}" for d in dead]
    return "\n".join([*rows, line])


def github(dead: list[Dead], line: str) -> str:
    """Annotations, escaped as generator.report escapes the validator's, so a value can't forge one."""
    rows = [
        f"::warning file={_escape_property(d.source.path)},line={d.source.line},col={d.source.col},"
        f"title={_escape_property(d.message)}::{_escape_data(f'{d.text()}: {d.source.url}')}"
        for d in dead
    ]
    return "\n".join([*rows, line])


def markdown(dead: list[Dead], line: str) -> str:
    lines = ["## Dead sources", "", f"{_markdown(line)} ({date.today().isoformat()})."]
    if dead:
        lines += ["", "| where | incident | address | problem |", "|---|---|---|---|"]
        for d in dead:
            where = f"`{d.source.path}:{d.source.line}`".replace("|", "\\|")
            url = "`" + d.source.url.replace("`", "%60").replace("|", "%7C") + "`"
            lines.append(f"| {where} | `{d.source.incident}` | {url} | {_markdown(d.text())} |")
        lines += ["", "Add an `archive_url` to each source that has none (see the contributor guide)."]
    return "\n".join(lines) + "\n"


REPORTERS = {"text": text, "github": github, "markdown": markdown}


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", default="incidents", help="folder of records (default: incidents)")
    parser.add_argument("--format", choices=sorted(REPORTERS), default="text", help="report format")
    parser.add_argument("--summary", metavar="FILE", help="also append a Markdown report to FILE")
    parser.add_argument("--limit", type=_count, metavar="N", help="check at most N distinct addresses")
    parser.add_argument("--timeout", type=float, default=20, help="seconds per request (default: 20)")
    parser.add_argument("--jobs", type=_count, default=8, help="requests at once (default: 8)")
    parser.add_argument("--contact", default="", help="an address to add to the User-Agent")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a source is unreachable")
    args = parser.parse_args(argv)
    root = Path(args.incidents)
    if not root.is_dir():
        print(f"{root}: error: no such folder; give the folder that holds towns.yaml", file=sys.stderr)
        return 2
    found, skipped = sources(root)
    agent = USER_AGENT.replace(")", f"; +{args.contact})") if args.contact else USER_AGENT
    checker = Checker(args.timeout, agent)
    dead, asked = check_all(found, checker.check, args.jobs, args.limit)
    line = summary_line(dead, asked, len({s.url for s in found}), skipped)
    print(REPORTERS[args.format](dead, line))
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as out:
            out.write(markdown(dead, line))
    return 1 if args.strict and dead else 0


if __name__ == "__main__":
    sys.exit(main())
