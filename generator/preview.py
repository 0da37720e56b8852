"""Live preview: rebuild only the generated pages whose HTML changed.

A generated page has no file on disk to date, so whether it changed is answered by comparing
a fingerprint of what it shows (pages.fingerprint) and of its theme shell, or for the few
pages that read the whole dataset a digest of their HTML, with the previous build's: mkdocs
asks the nav pages (`is_modified` under `serve --dirty`), publish.py the others. This module
outlives the hook module, which mkdocs loads afresh for every rebuild, so the digests
survive from one rebuild to the next.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
from pathlib import Path

import jinja2

dirty = False  # set once by the hooks' on_startup: `mkdocs serve --dirty` or `build --dirty`
_digests: dict[str, str] = {}
_builds = 0
_kept: dict = {}
_settled = False
_urls: set[str] | None = None  # the generated pages' addresses in the previous build


def digest(html: str) -> str:
    return hashlib.blake2b(html.encode("utf-8"), digest_size=16).hexdigest()


def changed(source: str, shown: str) -> bool:
    """Whether a page differs from the previous build; remembers it for the next one."""
    new = digest(shown)
    old, _digests[source] = _digests.get(source), new
    return old != new


def once(key, compute):
    """A value computed on the first build of this process and kept for the next ones."""
    if key not in _kept:
        _kept[key] = compute()
    return _kept[key]


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's and our templates compiled once per preview, not on every rebuild: mkdocs
    makes a new Jinja2 environment each time. Jinja2 compares the source's checksum, so an
    edited template is compiled again."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def templates(env: jinja2.Environment) -> jinja2.Environment:
    """`env`, with the compiled templates of earlier rebuilds of this preview."""
    if dirty:
        env.bytecode_cache = once("compiled templates", CompiledTemplates)
    return env


def first_build() -> bool:
    """True once per process: the data files and search index are written by the first build
    of a preview (and by every full build), not on each edit."""
    global _builds
    _builds += 1
    return _builds == 1


def settle() -> None:
    """Once the first build of a preview is done, what the preview keeps of it (the checked
    records above all: millions of references at 10,000 incidents) is moved out of the cyclic
    collector's sight. Left in, every full collection scanned it again: half a second of every
    other edit. Each rebuild's own garbage is still collected."""
    global _settled
    if not _settled:
        _settled = True
        gc.collect()
        gc.freeze()


def moved(urls: set[str]) -> set[str] | None:
    """The generated pages of the previous build that this one no longer has (a record deleted
    or renamed), or None when the set of pages is the same; remembers `urls` for the next."""
    global _urls
    before, _urls = _urls, set(urls)
    return None if before is None or before == _urls else before - _urls


def remove_pages(site_dir: Path, urls: set[str]) -> None:
    """The files of pages that are gone, so the preview answers 404 as a full build's site
    would; only a page's own index.html, and its folder once empty, are removed."""
    for url in sorted(urls, reverse=True):  # a folder's subfolders (pages 2, 3, ...) first
        page = site_dir / url / "index.html"
        if page.is_file() and not page.is_symlink():
            page.unlink()
        with contextlib.suppress(OSError):  # not empty: other pages or files live there
            page.parent.rmdir()


def forget() -> None:
    """After a failed build nothing is known to be on disk."""
    global _builds, _urls
    _digests.clear()
    _builds = 0
    _urls = None
