"""Writing the generated pages: each rendered once, put into its layout's shell, written, and
handed to the search index, one page at a time, so memory does not grow with the dataset.

Nothing here knows about mkdocs: the site builder passes `shells`, which renders the theme
around the markers of `shell.py` for a layout, and the pages that are not its own.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from .output import write_file
from .pages import Page
from .render import Renderer
from .shell import Layout, Shell, layout_of

SITEMAP_LIMIT = 50_000  # addresses per sitemap file, by the sitemaps.org protocol


class Publisher:
    def __init__(self, renderer: Renderer, shells: Callable[[Layout], str], site_dir: Path):
        self.renderer, self.render_shell, self.site_dir = renderer, shells, Path(site_dir)
        self._shells: dict[Layout, Shell] = {}

    def shell(self, layout: Layout) -> Shell:
        if layout not in self._shells:
            self._shells[layout] = Shell(self.render_shell(layout), layout)
        return self._shells[layout]

    def html(self, page: Page, content: str) -> str:
        """The page as written: a standalone page (a redirect) as rendered, any other in its shell."""
        return content if page.standalone else self.shell(layout_of(page)).fill(page, content)

    def publish(
        self, pages: Iterable[Page], keep: Callable[[Page], bool] = lambda page: False, search=None
    ) -> int:
        """Writes every page `keep` does not keep as it is on disk; returns how many were written.

        With a search index, pages go in the order `search_order` gives for its last shard of
        incidents."""
        written = 0
        if search is not None:
            pages = search_order(list(pages), search.last_dated)
        for page in pages:
            if keep(page):
                continue
            content = self.renderer.render(page)
            shown = without_search_marks(content) if page.kind.searchable else content
            write(self.site_dir, page.url + "index.html", self.html(page, shown))
            if search is not None and page.kind.searchable:
                search.add_page(page.url, what_pagefind_reads(content), dated=dated(page))
            written += 1
        return written


# Pagefind's last pass over a shard takes about a quarter of the time the build takes to render
# and write as many town or group pages (docs/performance.md).
LAST_PASS_SHARE = 4


def search_order(pages: list[Page], last_dated: int) -> list[Page]:
    """The incident pages in their order, the others spread evenly among them but for the last
    few, which come after them: Pagefind indexes the incidents on another core (most of its
    work) while the towns and groups are rendered too, and its last pass over the last shard
    of incidents, while the build renders those last few. Towns and groups all at the end would
    leave that core idle while they are rendered: half a minute at 100,000 incidents."""
    incidents = [page for page in pages if dated(page)]
    others = [page for page in pages if not dated(page)]
    cut = max(0, len(others) - last_dated // LAST_PASS_SHARE)
    spread, ordered, n = others[:cut], [], 0
    for done, incident in enumerate(incidents, start=1):
        ordered.append(incident)
        while n < len(spread) and n * len(incidents) < done * len(spread):
            ordered.append(spread[n])
            n += 1
    return ordered + spread[n:] + others[cut:]


_BODY = re.compile(r"<(\w+)\b[^>]*\bdata-pagefind-body\b")


def searchable_part(html: str) -> str:
    """The element with data-pagefind-body, all Pagefind reads of a page: a town's chart and
    list of incidents would be parsed for nothing (on a group's page, most of its bytes)."""
    start = _BODY.search(html)
    if start is None:
        return html
    return html[start.start() : _end_of(html, start.start(), start[1])]


def what_pagefind_reads(html: str) -> str:
    """The searchable part without the elements Pagefind skips whole: those it ignores "all"
    of, and those whose text it ignores that hold no filter or metadata. Pagefind indexes the
    rest as it indexes the page (tests/test_search.py), in a tenth less time over incident
    pages (their citation, their casualty table): its time, not the build's, is what each
    edition's pages wait for."""
    body, kept, at = searchable_part(html), [], 0
    found = body.find(" data-pagefind-ignore")
    while found != -1:
        tag = body.rfind("<", at, found)
        after = found + len(" data-pagefind-ignore")
        whole = body.startswith('="all"', after)
        attribute = whole or body[after : after + 1] in (" ", ">")  # not data-pagefind-ignored
        if attribute and tag != -1 and body.find(">", tag, found) == -1:
            name = body[tag + 1 : found].split(None, 1)[0]
            end = _end_of(body, tag, name)
            if whole or body.count("data-pagefind-", tag, end) == 1:
                kept.append(body[at:tag])
                at = after = end
        found = body.find(" data-pagefind-ignore", after)
    return "".join(kept) + body[at:] if kept else body


def _end_of(html: str, start: int, tag: str) -> int:
    """Where the element whose start tag begins at `start` ends, past its end tag."""
    close = html.find(f"</{tag}>", start)
    if close != -1 and html.find(f"<{tag}", start + 1, close) == -1:
        return close + len(tag) + 3  # nothing of its kind inside: the first end tag is its own
    depth = 0
    for match in re.compile(rf"<(/?){tag}\b").finditer(html, start):
        depth += -1 if match[1] else 1
        if depth == 0:
            return html.index(">", match.end()) + 1
    return len(html)


_MARK = re.compile(r'\sdata-pagefind-[a-z-]+(?:="[^"]*")?')


def without_search_marks(html: str) -> str:
    """The page as readers get it: Pagefind's attributes (what to index, the towns' and
    groups' other names as search fields, filters) are for the index, which is handed the
    page as rendered, and are 6 % of an incident page's bytes (840 of 13,700 at 1,000
    synthetic incidents), in every reader's download.

    The marks are found with str.find, and a "<" before one with no ">" between starts its
    tag (in text, "<" is always escaped): a regular expression tried on every tag took 0.87 s
    against 0.54 s for the searchable parts of the 11,050 pages of 10,000 incidents, and most
    tags have no mark (a town's list of incidents, its chart)."""
    pieces, at = [], 0
    found = html.find("data-pagefind-")
    while found != -1:
        tag = html.rfind("<", at, found)
        if tag == -1 or not html[found - 1].isspace() or html.find(">", tag, found) != -1:
            found = html.find("data-pagefind-", found + 1)  # in text, not in a tag
            continue
        close = html.find(">", found)
        close = len(html) - 1 if close == -1 else close
        pieces += [html[at:tag], _MARK.sub("", html[tag : close + 1])]
        at = close + 1
        found = html.find("data-pagefind-", at)
    return "".join(pieces) + html[at:] if pieces else html


def dated(page: Page) -> bool:
    return page.kind.dated


def write(site_dir: Path, path: str, text: str) -> None:
    target = site_dir / path
    target.parent.mkdir(parents=True, exist_ok=True)  # its own folder: one call, mostly new
    write_file(target, text.encode("utf-8", errors="xmlcharrefreplace"))


def extend_sitemap(
    site_dir: Path,
    site_url: str,
    urls: Iterable[str],
    mtime: int = 0,
    limit: int = SITEMAP_LIMIT,
    alternates: Callable[[str], list[tuple[str, str]]] | None = None,
) -> None:
    """Adds the generated pages to the theme's sitemap.xml; past 50,000 addresses, sitemap.xml
    becomes an index of sitemap files of 50,000 each, as the protocol asks. `alternates`: the
    (hreflang, address) of a page (its path under `site_url`) in every edition, listed under
    each address as Google reads them (xhtml:link)."""
    sitemap = site_dir / "sitemap.xml"
    head = sitemap.read_text("utf-8") if sitemap.is_file() else _URLSET.format("", "")
    space = _XHTML if alternates is not None else ""
    known = re.findall(r"<url>.*?</url>", head, re.S)
    entries = known + [f"<url><loc>{xml_escape(site_url + url)}</loc></url>" for url in urls]
    if alternates is not None:
        entries = [_with_alternates(entry, site_url, alternates) for entry in entries]
    if len(entries) <= limit:
        _write_sitemap(sitemap, _URLSET.format(space, "\n".join(entries)), mtime)
        return
    names = []
    for start in range(0, len(entries), limit):
        names.append(f"sitemap-{start // limit + 1}.xml")
        _write_sitemap(
            site_dir / names[-1], _URLSET.format(space, "\n".join(entries[start : start + limit])), mtime
        )
    index = "\n".join(f"<sitemap><loc>{xml_escape(site_url + name)}</loc></sitemap>" for name in names)
    _write_sitemap(sitemap, _INDEX.format(index), mtime)


_URLSET = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{}>\n{}\n</urlset>\n'
_XHTML = ' xmlns:xhtml="http://www.w3.org/1999/xhtml"'
_LOC = re.compile(r"<loc>(.*?)</loc>", re.S)


def _with_alternates(entry: str, site_url: str, alternates) -> str:
    found = _LOC.search(entry)
    address = found and found[1].replace("&amp;", "&")
    if not address or not address.startswith(site_url):
        return entry
    links = "".join(
        f'<xhtml:link rel="alternate" hreflang="{code}" href="{xml_escape(href)}"/>'
        for code, href in alternates(address[len(site_url) :])
    )
    return entry[: found.end()] + links + entry[found.end() :]


_INDEX = '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{}\n</sitemapindex>\n'


def _write_sitemap(path: Path, text: str, mtime: int) -> None:
    data = text.encode("utf-8")
    path.write_bytes(data)
    with (
        path.with_name(path.name + ".gz").open("wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=mtime) as gz,
    ):
        gz.write(data)
