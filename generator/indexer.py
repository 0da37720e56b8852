"""The search index, built while the pages are written: each searchable page's HTML goes to a
Pagefind process (`pagefind --service`) as soon as it is rendered, so Pagefind indexes on the
second core while Python renders, and never re-reads the whole site from disk.

Pagefind's own Python client waits a tenth of a second per page; this one writes requests
without waiting and collects the answers on a thread. Requests and answers are base64 JSON,
each followed by a comma (pagefind/service in Pagefind 1.5.2).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import threading
import weakref
from html import escape
from pathlib import Path

from pagefind.service import get_executable

from .output import Folders
from .search import ROUTE, SearchIndexError, canonicalise, shard_words, weight, write_route

# Pagefind's own search interfaces: the search page has its own (docs/javascripts/search.js).
UNUSED = [
    f"pagefind-{name}"
    for name in (
        "ui.js",
        "ui.css",
        "modular-ui.js",
        "modular-ui.css",
        "component-ui.js",
        "component-ui.css",
        "highlight.js",
    )
]


# Every Pagefind process this process writes to. A forked helper (the data files of an edition
# built while another's index is finished) would hold a copy of its input open: Pagefind would
# not see the end of its input, and exit, until that helper did; and a helper flushing the copy
# of a half-written request would send it twice. So a forked process closes them at once.
_WRITING: weakref.WeakSet[SearchIndexer] = weakref.WeakSet()


def _not_in_fork() -> None:
    for indexer in list(_WRITING):
        with contextlib.suppress(OSError, ValueError):
            os.close(indexer._process.stdin.fileno())


os.register_at_fork(after_in_child=_not_in_fork)


class SearchIndexer:
    def __init__(self, language: str = "en"):
        binary = get_executable()
        if binary is None or not binary.is_file():
            raise SearchIndexError("the Pagefind binary is missing: pip install 'pagefind[bin]==1.5.2'")
        self.language, self.sent, self._answers, self._errors = language, 0, {}, []
        self.words: set[str] = set()  # the words of the index, once written
        self._done = threading.Condition()
        self._process = subprocess.Popen(
            [str(binary), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        _WRITING.add(self)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._index = self._ask({"type": "NewIndex", "config": {"force_language": language}})["index_id"]

    def add_page(self, url: str, content: str) -> None:
        """A page's own HTML (the element with data-pagefind-body in it), at its address."""
        html = f'<html lang="{escape(self.language)}"><body>{content}</body></html>'
        self._send({"type": "AddFile", "index_id": self._index, "url": "/" + url, "file_contents": html})

    def write(self, out: Path) -> None:
        """Asks Pagefind for the index once every page is in; `finish` writes it into `out`."""
        self._out = Path(out)
        self._writing = self._send({"type": "GetFiles", "index_id": self._index}, flush=True)

    def finish(self) -> None:
        """Writes the index into the folder `write` named, from Pagefind's answer. Not Pagefind's
        own WriteFiles: it answers before its last files are on disk, and a file could be cut
        short as it exits."""
        out = self._out
        try:
            files = self._wait(self._writing)["files"]
        finally:
            self.close()
        if self._errors:
            raise SearchIndexError(f"Pagefind could not index {len(self._errors)} page(s): {self._errors[0]}")
        shutil.rmtree(out, ignore_errors=True)
        folders = Folders()
        for file in files:
            if file["path"] not in UNUSED:
                folders.write(out / file["path"], base64.b64decode(file["content"]))
        try:
            canonicalise(out)
            self.words = shard_words(out)
        except (OSError, ValueError, KeyError, IndexError, TypeError) as error:
            raise SearchIndexError(f"Pagefind's index in {out} is not as expected: {error}") from error

    def close(self) -> None:
        """Pagefind exits once its input ends; stopped sooner, it may leave files half written."""
        with contextlib.suppress(BrokenPipeError):
            self._process.stdin.close()
        try:
            self._process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def _send(self, payload: dict, flush: bool = False) -> int:
        self.sent += 1
        message = json.dumps({"message_id": self.sent, "payload": payload}).encode("utf-8")
        try:
            self._process.stdin.write(base64.b64encode(message) + b",")
            if flush:
                self._process.stdin.flush()
        except (BrokenPipeError, ValueError) as error:
            raise SearchIndexError(f"Pagefind stopped: {self._errors or error}") from error
        return self.sent

    def _ask(self, payload: dict) -> dict:
        """Sends a request and waits for its answer."""
        return self._wait(self._send(payload, flush=True))

    def _wait(self, number: int) -> dict:
        with self._done:
            self._done.wait_for(lambda: number in self._answers or not self._reader.is_alive())
        answer = self._answers.pop(number, {"type": "Error", "message": "Pagefind stopped before answering"})
        if answer["type"] == "Error":
            raise SearchIndexError(f"Pagefind: {answer.get('message')}")
        return answer

    def _read(self) -> None:
        stream, pending = self._process.stdout, []
        while chunk := stream.read1(1 << 20):
            *ends, rest = chunk.split(b",")
            for end in ends:  # a message is complete at each comma
                self._receive(json.loads(base64.b64decode(b"".join([*pending, end]))))
                pending = []
            pending.append(rest)
        with self._done:
            self._done.notify_all()

    def _receive(self, answer: dict) -> None:
        payload = answer.get("payload") or {}
        if payload.get("type") == "Error":
            self._errors.append(payload.get("message", "unknown error"))
        if payload.get("type") in ("NewIndex", "GetFiles", "Error"):
            with self._done:
                self._answers[answer.get("message_id")] = payload
                self._done.notify_all()


class ShardedSearchIndex:
    """Pagefind's memory grows with the pages of an index while it writes it, so a large site's index
    is written in shards of at most `shard` pages, each by a Pagefind process of its own, on a
    thread while the next one fills. Pages without a date (towns, groups) get shards of their
    own, filled beside those of the incidents, and incidents come in date order, so the search
    page can keep a date order across shards by taking them in turn. pagefind/shards.json lists
    the shards in that order: the undated first (the first in pagefind/, the next in
    pagefind-2/, ...), then the dated, in the order they were filled, whatever the order of the
    pages, each with the bytes a search fetches from it (search.weight); and `route`, the folder of
    the index of which shards hold which words (search.write_route), which the search page asks
    first so that it loads only the shards that can answer.

    Pagefind's last pass over a shard starts when the shard is sealed.
    Given the number of `dated` pages, as many as would fill one shard are split in two (down
    to SMALLEST pages), so that the last one's pass is short; `last_dated` says how many pages
    that last shard of incidents gets, and the last of them seals it."""

    SMALLEST = 250  # pages: a shard this small is indexed in about a tenth of a second

    def __init__(self, site_dir: Path, language: str = "en", shard: int = 5000, dated: int = 0):
        self.site_dir, self.language, self.shard = Path(site_dir), language, max(1, shard)
        halves = min(self.shard, max(self.SMALLEST, -(-dated // 2)))
        self.dated_shard = self.shard if dated > self.shard else halves
        self.last_dated = dated % self.dated_shard or min(dated, self.dated_shard)
        self.dated_left = dated  # the last dated page seals its shard: its last pass starts at once
        self.filling: dict[bool, SearchIndexer] = {}  # the shard being filled, by kind (dated or not)
        self.pages: dict[bool, int] = {}
        self.done, self.kinds, self.writers, self.failures = [], [], [], []

    def add_page(self, url: str, content: str, dated: bool = False) -> None:
        if dated not in self.filling or self.pages[dated] == (self.dated_shard if dated else self.shard):
            self._next(dated)
        self.filling[dated].add_page(url, content)
        self.pages[dated] += 1
        if dated:
            self.dated_left -= 1
            if self.dated_left == 0:
                self._close(True)

    def seal(self) -> None:
        """No more pages: the last shards start writing."""
        if not self.filling and not self.done:
            self._next(False)  # an empty site still gets an (empty) index for the search page
        for dated in sorted(self.filling):
            self._close(dated)

    def finish(self) -> None:
        self.seal()
        for writer in self.writers:
            writer.join()
        if self.failures:
            raise self.failures[0]
        bundles, order = [], sorted(range(len(self.kinds)), key=self.kinds.__getitem__)
        for place, n in enumerate(order, start=1):
            name = "pagefind" if place == 1 else f"pagefind-{place}"
            shutil.rmtree(self.site_dir / name, ignore_errors=True)  # a previous build's
            self._filling(n).rename(self.site_dir / name)
            bundles.append({"path": name + "/", "dated": self.kinds[n], **weight(self.site_dir / name)})
        folders = [self.site_dir / bundle["path"] for bundle in bundles]
        try:
            write_route(self.site_dir / ROUTE, folders, [self.done[n].words for n in order])
        except OSError as error:
            raise SearchIndexError(f"writing the search index: {error}") from error
        text = json.dumps({"route": ROUTE + "/", "shards": bundles}) + "\n"
        (self.site_dir / "pagefind" / "shards.json").write_text(text, encoding="utf-8")

    def _filling(self, n: int) -> Path:
        """Where the n-th shard sealed (from 0) is written, until `finish` gives it its place."""
        return self.site_dir / f"pagefind.shard-{n + 1}"

    def close(self) -> None:
        """After a failure: stops every Pagefind process still running."""
        for indexer in [*self.done, *self.filling.values()]:
            indexer.close()

    def _next(self, dated: bool) -> None:
        self._close(dated)
        self.filling[dated], self.pages[dated] = SearchIndexer(self.language), 0

    def _close(self, dated: bool) -> None:
        indexer = self.filling.pop(dated, None)
        if indexer is None:
            return
        indexer.write(self._filling(len(self.done)))
        self.done.append(indexer)
        self.kinds.append(dated)
        writer = threading.Thread(target=self._finish, args=(indexer,))
        writer.start()
        self.writers.append(writer)

    def _finish(self, indexer: SearchIndexer) -> None:
        try:
            indexer.finish()
        except SearchIndexError as error:
            self.failures.append(error)
        except OSError as error:  # the disk, not Pagefind: still the build's failure, not a thread's
            self.failures.append(SearchIndexError(f"writing the search index: {error}"))
