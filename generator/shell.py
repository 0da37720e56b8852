"""The theme's page around a generated page, rendered once per layout instead of once per page.

The theme draws the same header, navigation and footer around every page: only the title,
description, address and content differ. Rendering it for each of 10,000 incidents was the
largest cost of a build, so the site builder renders it once per `Layout` (page kind and
folder depth, which fixes every relative link) with markers where those four values go, and
`Shell.fill` puts each page's values in their place.

Values are escaped here, and a marker inside a <script> is refused: a record's text can only
ever land in HTML text or an attribute value.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from .pages import Kind, Page

TITLE = "zqtitlezq"
DESCRIPTION = "zqdescriptionzq"
PATH = "zqpathzq"  # the page's folders are PATH0/PATH1/...
# A comment that contains "<h1": the theme adds its own heading only when the content has none.
CONTENT = "<!--zqcontentzq<h1-->"
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)
_VERBATIM = re.compile(r"(<(script|pre|textarea)\b.*?</\2>)", re.S | re.I)  # whitespace that counts
_INDENT = re.compile(r"[ \t\r]*\n\s*")
_BETWEEN_TAGS = re.compile(r"(>|^)\n(?=<|$)")  # a piece's ends touch a verbatim element's tags


class ShellError(Exception):
    """The theme used a marker where a value cannot safely be put."""


@dataclass(frozen=True)
class Layout:
    kind: Kind  # incident, town, more, ...
    folder: str  # the first folder of its address, so links to its section stay as short
    depth: int  # folders from the site root, which fixes every relative link: incidents/<id>/ is 2
    described: bool  # the theme falls back to the site's description when a page has none

    @property
    def path(self) -> str:
        return f"{self.folder}/" + "".join(f"{PATH}{n}/" for n in range(1, self.depth))


def layout_of(page: Page) -> Layout:
    return Layout(page.kind, page.url.split("/")[0], page.url.count("/"), bool(page.description))


class Shell:
    """A rendered theme page, split at its markers."""

    def __init__(self, html: str, layout: Layout):
        for script in _SCRIPT.findall(html):
            if PATH in script or TITLE in script or DESCRIPTION in script:
                raise ShellError(f"the theme writes a page's title or address into a script: {script[:200]}")
        self.layout = layout
        html = _compact(html)
        self.key = hashlib.blake2b(html.encode("utf-8"), digest_size=16).hexdigest()
        pattern = "|".join(
            re.escape(marker) for marker in (CONTENT, TITLE, DESCRIPTION, layout.path or CONTENT)
        )
        self.pieces = re.split(f"({pattern})", html)
        leftover = [piece for piece in self.pieces[::2] if PATH in piece]
        if self.pieces.count(CONTENT) != 1 or leftover:
            raise ShellError("the theme did not show a page's content exactly once, or split its address")

    def fill(self, page: Page, content: str) -> str:
        if "<h1" not in content:
            raise ShellError(f"{page.url}: a generated page must have its own <h1>")
        values = {
            CONTENT: content,
            TITLE: escape(page.title),
            DESCRIPTION: escape(page.description),
            self.layout.path: escape(page.url),
        }
        return "".join(values.get(piece, piece) if n % 2 else piece for n, piece in enumerate(self.pieces))


def _compact(html: str) -> str:
    """The theme's indentation, a large share of every page, as single newlines (which a browser
    reads as the same space), and none between two tags: the theme's elements there are blocks,
    flex items or hidden, where a space draws nothing (tests/test_lean.py screenshots it); scripts
    (their CSP hashes), <pre> and <textarea> untouched."""
    return outside_verbatim(html, lambda text: _BETWEEN_TAGS.sub(r"\1", _INDENT.sub("\n", text)))


def outside_verbatim(html: str, change: Callable[[str], str]) -> str:
    """`html` with `change` made to its text outside <script>, <pre> and <textarea>, whose
    whitespace counts (a script's, for its CSP hash)."""
    pieces = _VERBATIM.split(html)  # [text, verbatim, tag name, text, ...]
    return "".join(change(piece) if n % 3 == 0 else piece for n, piece in enumerate(pieces) if n % 3 != 2)
