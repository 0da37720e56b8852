"""Why two incident records look alike, for the validator's possible-duplicate warning.

Real data has many distinct incidents in one town on one day, so the same date, town and group
alone say little. Two such records are warned about only when something they say is the same
too: a source's address, a title, or a summary (nearly). The warning says which.

The validator works out a record's `Likeness` only when another record has its date, a town
and a group (most have none). Summaries are compared by a bottom-k sketch: the 32 smallest
CRC-32 hashes of their three-word shingles (CRC-32, not Python's hash, which differs in each
process); of the 32 smallest hashes of both sets together, the share found in both estimates
the Jaccard similarity of the two sets of shingles.
"""

from __future__ import annotations

import heapq
import re
import zlib
from dataclasses import dataclass
from difflib import SequenceMatcher

TITLES_ALIKE = 0.9  # SequenceMatcher's ratio of the two titles' words, lower-cased
SUMMARIES_ALIKE = 0.8  # estimated share of three-word shingles in common
HASHES = 32
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Likeness:
    title: str  # its words, lower-cased, one space apart
    urls: tuple[str, ...]  # its sources' addresses, as `address` writes them
    summary: frozenset[int]  # the smallest HASHES hashes of its three-word shingles


def likeness(values: dict) -> Likeness:
    """The likeness of an incident record's checked values."""
    title = " ".join(_WORD.findall(str(values.get("title", "")).lower()))
    urls = {address(source.get("url", "")) for source in values.get("sources", ()) if source.get("url")}
    words = _WORD.findall(str(values.get("summary", "")).lower())
    shingles = {zlib.crc32(" ".join(words[i : i + 3]).encode()) for i in range(max(1, len(words) - 2))}
    return Likeness(title, tuple(sorted(urls)), frozenset(heapq.nsmallest(HASHES, shingles) if words else ()))


def address(url: str) -> str:
    """A source's address as two records would share it: no scheme, no "www.", no fragment, no
    trailing slash, the host in lower case."""
    url = url.strip().split("#", 1)[0]
    url = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", url)
    host, _, rest = url.partition("/")
    host = host.lower().removeprefix("www.")
    return f"{host}/{rest}".rstrip("/")


def reasons(one: Likeness, other: Likeness) -> list[str]:
    """What the two records say alike, in words for the warning; empty if nothing."""
    found = []
    shared = sorted(set(one.urls) & set(other.urls))
    if shared:
        found.append(
            f"the same source {shared[0]}" + (f" and {len(shared) - 1} more" if len(shared) > 1 else "")
        )
    if one.title and other.title:
        if one.title == other.title:
            found.append("the same title")
        else:
            matcher = SequenceMatcher(None, one.title, other.title, autojunk=False)
            if matcher.real_quick_ratio() >= TITLES_ALIKE and matcher.quick_ratio() >= TITLES_ALIKE:
                ratio = matcher.ratio()
                if ratio >= TITLES_ALIKE:
                    found.append(f"titles {ratio:.0%} alike")
    if one.summary and other.summary:
        smallest = heapq.nsmallest(HASHES, one.summary | other.summary)
        same = sum(h in one.summary and h in other.summary for h in smallest) / len(smallest)
        if same >= SUMMARIES_ALIKE:
            found.append(f"summaries {same:.0%} alike")
    return found
