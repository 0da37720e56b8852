"""What a built site weighs: on disk, per page, and what a browser downloads to show a page."""

from __future__ import annotations

import gzip
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

_TAG = re.compile(r"<(link|script|img|use)\b([^>]*)>", re.I)  # <use href>: an icon file
_ATTR = re.compile(r"""\b(rel|href|src)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")
_FETCHED_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "manifest"}
FONTS = (".woff2", ".woff", ".ttf", ".otf", ".eot")
QUERY = "shelling"  # a word every synthetic dataset uses; its index chunk is what a search fetches
SHOWN_RESULTS = 5  # the search page shows five results at a time, each fetching its fragment
SEARCH_STYLESHEET = "stylesheets/search.css"  # added to the search page by its script


@dataclass(frozen=True)
class Sizes:
    total: int  # bytes of every file
    html_pages: int
    largest: tuple[int, str]  # bytes, path of the largest HTML page
    largest_of: dict  # kind ("incidents", "towns", "groups", "timeline") -> (bytes, path)
    parts: dict  # what the bytes are for (part) -> bytes
    editions: dict = None  # edition (its language code) -> {part: bytes}; the first holds what they share

    def edition(self, code: str) -> int:
        return sum((self.editions or {}).get(code, {}).values())


PAGES = {"incidents": "incident pages", "towns": "town and group pages", "groups": "town and group pages"}


def part(relative: str) -> str:
    """What a file of the site is for: incident pages, town and group pages, other pages, the
    search index, open data, feeds, or the theme and the rest."""
    top, name = relative.split("/")[0], relative.rsplit("/", 1)[-1]
    if name.endswith(".xml") and name.startswith("feed"):
        return "feeds"
    if top.startswith("pagefind"):
        return "search index"
    if top == "data" and not name.endswith(".html"):
        return "open data"
    if name.endswith(".html"):
        return PAGES.get(top, "other pages")
    return "theme and the rest"


def sizes(site: Path, languages: tuple[str, ...] = ("en",)) -> Sizes:
    """What the site weighs, in all and by part; by edition too, where `languages` (mkdocs.yml's
    editions, the first at the root, each other under /<code>/) has more than one."""
    total, pages, largest, of, parts = 0, 0, (0, ""), {}, {}
    editions = {code: {} for code in languages}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size, relative = path.stat().st_size, path.relative_to(site).as_posix()
        total += size
        code, within = languages[0], relative
        if relative.split("/")[0] in languages[1:]:
            code, within = relative.split("/", 1)
        kind = part(within)
        parts[kind] = parts.get(kind, 0) + size
        editions[code][kind] = editions[code].get(kind, 0) + size
        if path.suffix == ".html":
            pages += 1
            largest = max(largest, (size, relative))
            top = within.split("/")[0]
            of[top] = max(of.get(top, (0, "")), (size, relative))
    return Sizes(total, pages, largest, of, parts, editions)


def _local(base: str, url: str) -> str | None:
    """A URL of the page or stylesheet at `base` (site-relative) as a site-relative path."""
    url = url.split("#")[0].split("?")[0].strip()
    if not url or re.match(r"^[a-z][a-z0-9+.-]*:|^//", url, re.I):
        return None  # another origin, data: or javascript:
    joined = url.lstrip("/") if url.startswith("/") else posixpath.join(posixpath.dirname(base), url)
    return posixpath.normpath(joined)


def references(site: Path, page: str) -> set[str]:
    """Stylesheets, scripts, icons and images the page loads, and the fonts those stylesheets
    name (all of them: an upper bound of what a browser fetches)."""
    html = (site / page).read_text(encoding="utf-8", errors="replace")
    found = set()
    for tag, attrs in _TAG.findall(html):
        values = {k.lower(): v.strip("\"'") for k, v in _ATTR.findall(attrs)}
        url = values.get("href") if tag.lower() in ("link", "use") else values.get("src")
        if tag.lower() == "link" and not _FETCHED_LINKS & set(values.get("rel", "").lower().split()):
            continue
        target = url and _local(page, url)
        if target and (site / target).is_file():
            found.add(target)
    for sheet in [f for f in found if f.endswith(".css")]:
        css = (site / sheet).read_text(encoding="utf-8", errors="replace")
        for _, url in _CSS_URL.findall(css):
            target = _local(sheet, url)
            if target and target.endswith(FONTS) and (site / target).is_file():
                found.add(target)
    return found


def _weight(files) -> tuple[int, int]:
    """Bytes as stored, and gzipped as a server would send them."""
    data = [Path(f).read_bytes() for f in files]
    return sum(map(len, data)), sum(len(gzip.compress(d, 6, mtime=0)) for d in data)


def page_weight(site: Path, page: str) -> tuple[int, int]:
    """The page and everything it references: (bytes as stored, gzipped)."""
    return _weight(site / f for f in {page, *references(site, page)})


def search_files(site: Path, page: str = "search/index.html") -> list[Path] | None:
    """The files a browser fetches for a first plain query (words, no filter) on the search page
    (docs/javascripts/search.js, over Pagefind's JavaScript API): the page and what it
    references, the stylesheet its script adds, Pagefind's entry, script, web worker, WebAssembly
    and metadata, the index chunk that holds QUERY, and as many fragments as results shown, the
    largest (an upper bound). No filter file: the page fetches one only when the reader opens
    that filter or the search uses it. None when the site has no Pagefind index."""
    index = site / "pagefind"
    entry = index / "pagefind-entry.json"
    if not entry.is_file():
        return None
    files = {site / f for f in {page, *references(site, page)}} if (site / page).is_file() else set()
    files |= {site / SEARCH_STYLESHEET, index / "pagefind.js", index / "pagefind-worker.js"}
    manifest = index / "shards.json"  # the index's shards, merged in: each its entry, metadata, chunk
    shards = [index]
    if manifest.is_file():
        files.add(manifest)
        shards = [site / shard["path"] for shard in json.loads(manifest.read_text("utf-8"))["shards"]]
    for n, shard in enumerate(shards):
        files.add(shard / "pagefind-entry.json")
        for language in json.loads((shard / "pagefind-entry.json").read_text("utf-8"))["languages"].values():
            files.add(shard / f"pagefind.{language['hash']}.pf_meta")
            if n == 0:  # merged shards use the first one's WebAssembly
                files.add(shard / f"wasm.{language['wasm']}.pagefind")
        chunks = sorted(shard.glob("index/*.pf_index"))
        files |= {_chunk_for(shard, chunks)} if chunks else set()
    fragments = sorted(
        (f for shard in shards for f in shard.glob("fragment/*")),
        key=lambda f: f.stat().st_size,
        reverse=True,
    )
    return sorted(f for f in files if f.is_file()) + fragments[:SHOWN_RESULTS]


def search_weight(site: Path, page: str = "search/index.html") -> tuple[int, int] | None:
    """What a browser downloads for a first search query (search_files): (bytes as stored,
    gzipped). None when the site has no Pagefind index."""
    files = search_files(site, page)
    return None if files is None else _weight(files)


def _chunk_for(index: Path, chunks: list[Path]) -> Path:
    """The word chunk whose range holds QUERY, read from the metadata; the largest if the
    metadata cannot be read. A range's ends are the shortest prefixes that tell chunks apart
    (`sharqi` to `she` holds `shelling`), so QUERY is compared with `last` over its length."""
    largest = max(chunks, key=lambda c: c.stat().st_size)
    try:
        from generator.search import SIGNATURE, _decode

        meta = next(index.glob("*.pf_meta"))
        data = gzip.decompress(meta.read_bytes())
        value, _ = _decode(data, len(SIGNATURE))
        for first, last, name in value[2]:
            if (
                first <= QUERY
                and QUERY[: len(last)] <= last
                and (index / "index" / f"{name}.pf_index").is_file()
            ):
                return index / "index" / f"{name}.pf_index"
    except (ImportError, StopIteration, OSError, ValueError, TypeError, IndexError):
        pass
    return largest
