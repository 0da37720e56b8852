"""Live preview: rebuild only the generated pages whose HTML changed.

`mkdocs serve --dirty` asks each file whether it was modified; a generated page has no file
on disk, so we answer by comparing a digest of its HTML with the one from the previous build
of this process. This module outlives the hook module, which mkdocs loads afresh for every
rebuild, so the digests survive from one rebuild to the next.
"""

from __future__ import annotations

import hashlib

dirty = False  # set once by the hooks' on_startup: `mkdocs serve --dirty` or `build --dirty`
_digests: dict[str, str] = {}


def digest(html: str) -> str:
    return hashlib.blake2b(html.encode("utf-8"), digest_size=16).hexdigest()


def changed(source: str, html: str) -> bool:
    """Whether a page differs from the previous build; remembers it for the next one."""
    new = digest(html)
    old, _digests[source] = _digests.get(source), new
    return old != new


def forget() -> None:
    """After a failed build nothing is known to be on disk."""
    _digests.clear()
