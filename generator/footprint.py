"""What a built site weighs, and whether the place it is published will take it.

`build` prints the size and the file count of every site it writes; `python -m generator
site-size SITE --limit 1GB` (the deploy workflow's step before uploading) fails, naming the
size, the limit and what to do, when the site is over the limit.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

# GitHub Pages: "Published GitHub Pages sites may be no larger than 1 GB." Read as 10^9 bytes,
# the smaller of the two readings of "GB", so a site this lets through is never refused.
GITHUB_PAGES_LIMIT = 1_000_000_000
_UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "KIB": 2**10, "MIB": 2**20, "GIB": 2**30}
PUBLISHING_DOCS = "docs/publishing.md"


@dataclass(frozen=True)
class Footprint:
    bytes: int
    files: int

    def text(self) -> str:
        return f"{human(self.bytes)} in {self.files:,} files"


def measure(site: Path) -> Footprint:
    """The bytes of every file under `site` (as stored: what an upload carries) and their count;
    links are not followed (the build writes none)."""
    total = files = 0
    for folder, _, names in os.walk(site):
        for name in names:
            info = os.lstat(os.path.join(folder, name))
            total += info.st_size
            files += 1
    return Footprint(total, files)


def human(size: float) -> str:
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size:.0f} B"


def parse_size(text: str) -> int:
    """'1GB', '500 MB', '2GiB', '1000000' -> bytes."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", text)
    if not found or found[2].upper() not in _UNITS:
        raise ValueError(f"not a size: {text!r} (say 1GB, 500MB or a number of bytes)")
    return int(float(found[1]) * _UNITS[found[2].upper()])


def over_limit(site: Path, found: Footprint, limit: int) -> str | None:
    """None when the site fits; else the message that says by how much and what to do."""
    if found.bytes <= limit:
        return None
    return (
        f"{site} is {found.text()} ({found.bytes:,} bytes), over the limit of {human(limit)}"
        f" ({limit:,} bytes) by {human(found.bytes - limit)}. Do not upload it: the host refuses"
        " a site this large (GitHub Pages takes up to 1 GB). Publish it to an object store behind"
        f" a CDN instead, uploading only the files that changed ({PUBLISHING_DOCS} says how), or"
        " split the records into smaller sites."
    )
