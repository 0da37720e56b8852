"""Live preview: rebuild only the generated pages whose HTML changed.

A generated page has no file on disk to date, so whether it changed is answered by comparing
a fingerprint of what it shows (kinds.fingerprint) and of its theme shell, or for the few
pages that read the whole dataset a digest of their HTML, with the previous build's: mkdocs
asks the nav pages (`is_modified` under `serve --dirty`), publish.py the others. A `Preview`
lives as long as the plugin object, which mkdocs keeps from one rebuild to the next.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
from pathlib import Path

import jinja2


def digest(html: str) -> str:
    return hashlib.blake2b(html.encode("utf-8"), digest_size=16).hexdigest()


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's and our templates compiled once per preview, not on every rebuild: mkdocs
    makes a new Jinja2 environment each time. Jinja2 compares the source's checksum, so an
    edited template is compiled again. What is compiled is kept on disk too, in Jinja2's own
    folder for it (a private folder of the user's in the temporary directory, which Jinja2
    refuses if another user could write to it), so the next build need not compile it again.
    A cache that cannot be read or written is only a cache: the build compiles instead."""

    def __init__(self, disk: jinja2.BytecodeCache | None = None):
        self.compiled: dict[str, bytes] = {}
        self.disk = disk

    @classmethod
    def kept_on_disk(cls) -> CompiledTemplates:
        try:
            return cls(jinja2.FileSystemBytecodeCache())
        except (OSError, RuntimeError):  # no temporary folder, or one another user could write to
            return cls()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])
        elif self.disk is not None:
            with contextlib.suppress(OSError):
                self.disk.load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()
        if self.disk is not None:
            try:
                self.disk.dump_bytecode(bucket)
            except OSError:  # a full disk: the rest of the build needs the room more
                self.disk = None


class Preview:
    """What one `mkdocs serve --dirty` (or `build --dirty`) remembers from build to build."""

    def __init__(self, dirty: bool = False):
        self.dirty = dirty
        self.digests: dict[str, str] = {}
        self.builds = 0
        self.kept: dict = {}
        self.settled = False
        self.urls: set[str] | None = None  # the generated pages' addresses in the previous build
        self.compiled = CompiledTemplates.kept_on_disk()

    def changed(self, source: str, shown: str) -> bool:
        """Whether a page differs from the previous build; remembers it for the next one."""
        new = digest(shown)
        old, self.digests[source] = self.digests.get(source), new
        return old != new

    def once(self, key, compute):
        """A value computed on the first build of this preview and kept for the next ones."""
        if key not in self.kept:
            self.kept[key] = compute()
        return self.kept[key]

    def templates(self, env: jinja2.Environment) -> jinja2.Environment:
        """`env`, with the compiled templates of earlier rebuilds of this preview."""
        if self.dirty:
            env.bytecode_cache = self.compiled
        return env

    def first_build(self) -> bool:
        """True once per preview: the data files and search index are written by its first
        build (and by every full build), not on each edit."""
        self.builds += 1
        return self.builds == 1

    def settle(self) -> None:
        """Once the first build of a preview is done, what the preview keeps of it (the checked
        records above all: millions of references at 10,000 incidents) is moved out of the
        cyclic collector's sight. Left in, every full collection scanned it again, on about
        every other edit. Each rebuild's own garbage is still collected."""
        if not self.settled:
            self.settled = True
            gc.collect()
            gc.freeze()

    def moved(self, urls: set[str]) -> set[str] | None:
        """The generated pages of the previous build that this one no longer has (a record
        deleted or renamed), or None when the set of pages is the same; remembers `urls`."""
        before, self.urls = self.urls, set(urls)
        return None if before is None or before == self.urls else before - self.urls

    def forget(self) -> None:
        """After a failed build nothing is known to be on disk."""
        self.digests.clear()
        self.builds = 0
        self.urls = None


def remove_pages(site_dir: Path, urls: set[str]) -> None:
    """The files of pages that are gone, so the preview answers 404 as a full build's site
    would; only a page's own index.html, and its folder once empty, are removed."""
    for url in sorted(urls, reverse=True):  # a folder's subfolders (pages 2, 3, ...) first
        page = site_dir / url / "index.html"
        if page.is_file() and not page.is_symlink():
            page.unlink()
        with contextlib.suppress(OSError):  # not empty: other pages or files live there
            page.parent.rmdir()
