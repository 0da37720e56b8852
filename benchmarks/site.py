"""What a built site weighs: on disk, per page, and what a browser downloads to show a page."""

from __future__ import annotations

import gzip
import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

_TAG = re.compile(r"<(link|script|img|use)\b([^>]*)>", re.I)  # <use href>: an icon file
_ATTR = re.compile(r"""\b(rel|href|src)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")
_FETCHED_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "manifest"}
FONTS = (".woff2", ".woff", ".ttf", ".otf", ".eot")
QUERY = "shelling"  # a word every synthetic dataset uses; its index chunk is what a search fetches
SHOWN_RESULTS = 5  # the search page shows five results at a time, each fetching its fragment
SEARCH_STYLESHEET = "stylesheets/search.css"  # added to the search page by its script
SEARCH_BUDGET = 250_000  # bytes of shards a first search loads (docs/javascripts/search.js's budget)


@dataclass(frozen=True)
class Sizes:
    total: int  # bytes of every file
    html_pages: int
    largest: tuple[int, str]  # bytes, path of the largest HTML page
    largest_of: dict  # kind ("incidents", "towns", "groups", "timeline") -> (bytes, path)
    parts: dict  # what the bytes are for (part) -> bytes
    # edition (its language code) -> {part: bytes}; the first holds what they share
    editions: dict = field(default_factory=dict)

    def edition(self, code: str) -> int:
        return sum(self.editions.get(code, {}).values())


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


def search_files(site: Path, page: str = "search/index.html", query: str = QUERY) -> list[Path] | None:
    """The files a browser fetches for a first plain query (words, no filter) on the search page
    (docs/javascripts/search.js, over Pagefind's JavaScript API): the page and what it
    references, the stylesheet its script adds, Pagefind's script, pagefind/shards.json, the
    index of which shards hold which words (its entry, metadata, word chunk, and Pagefind's
    worker and WebAssembly beside it), then the first shards that hold QUERY, as many as the
    search page's budget of bytes allows (each its entry, metadata and word chunk), and as many
    fragments of theirs as results shown, the largest (an upper bound). No filter file: the page
    fetches one only when the reader opens that filter or the search uses it. None when the site
    has no Pagefind index. `query`: one word of English, in lower case."""
    index = site / "pagefind"
    manifest = index / "shards.json"
    if not manifest.is_file():
        return None
    listed = json.loads(manifest.read_text("utf-8"))
    files = {site / f for f in {page, *references(site, page)}} if (site / page).is_file() else set()
    files |= {site / SEARCH_STYLESHEET, index / "pagefind.js", manifest}
    route = site / listed["route"]
    files |= {route / "pagefind-worker.js", *_index_files(route, query, wasm=True)}
    shards = [(site / shard["path"], shard) for shard in listed["shards"]]
    holding = _holding(route, query)
    wanted = [pair for n, pair in enumerate(shards, start=1) if n in holding]
    wanted = [pair for pair in wanted if not pair[1]["dated"]] + [
        pair for pair in wanted if pair[1]["dated"]
    ][::-1]
    loaded = wanted[:1]
    spent = sum(shard["meta"] + shard["chunk"] for _, shard in loaded)  # one word: one chunk
    for folder, shard in wanted[1:]:
        if spent + shard["meta"] + shard["chunk"] > listed.get("budget", SEARCH_BUDGET):
            break
        loaded.append((folder, shard))
        spent += shard["meta"] + shard["chunk"]
    for folder, _ in loaded:
        files |= set(_index_files(folder, query))
    fragments = sorted(
        (f for folder, _ in loaded for f in folder.glob("fragment/*")),
        key=lambda f: f.stat().st_size,
        reverse=True,
    )
    return sorted(f for f in files if f.is_file()) + fragments[:SHOWN_RESULTS]


def _terms(query: str) -> list[str]:
    """A word as Pagefind looks it up: as typed, and its stem (Snowball's English, as Pagefind's)."""
    import snowballstemmer

    stem = snowballstemmer.stemmer("english").stemWord(query)
    return [query] if stem == query else [query, stem]


def _meta(index: Path, wasm: bool = False) -> tuple[list[Path], list]:
    """The entry and metadata of the Pagefind index in `index` (and its WebAssembly), and the
    metadata's list of word chunks: [[from, to, name], ...]."""
    from generator.search import _read

    files, chunks = [index / "pagefind-entry.json"], []
    for language in json.loads((index / "pagefind-entry.json").read_text("utf-8"))["languages"].values():
        files.append(index / f"pagefind.{language['hash']}.pf_meta")
        files += [index / f"wasm.{language['wasm']}.pagefind"] if wasm else []
        chunks += _read(files[-1 - wasm])[2]
    return files, chunks


def _index_files(index: Path, query: str, wasm: bool = False) -> list[Path]:
    """What a search for `query` fetches from the Pagefind index in `index`: its entry, metadata
    (WebAssembly) and the word chunks Pagefind asks for (request_indexes in pagefind_web)."""
    files, chunks = _meta(index, wasm)
    for term in _terms(query):
        strict = [name for first, last, name in chunks if first <= term <= last]
        files += [index / "index" / f"{name}.pf_index" for name in strict or _loose(chunks, term)]
    return files


def _loose(chunks: list, term: str) -> list[str]:
    """The chunks Pagefind asks for when no chunk's range holds `term`: those whose ends, cut to
    its length, hold it."""
    return [
        name
        for first, last, name in chunks
        if term[: len(first)] >= first[: len(term)] and term[: len(last)] <= last[: len(term)]
    ]


def _holding(route: Path, query: str) -> set[int]:
    """The shards (their places in shards.json, from 1) that have a word starting with the stem of
    `query`, as the index of words in `route` says: those the search page searches."""
    from generator.search import _read

    stem, held = _terms(query)[-1], set()
    for path in _index_files(route, query):
        if path.suffix == ".pf_index":
            for word, pages, _ in _read(path)[0]:
                if word.startswith(stem):
                    held |= {sum(page[0] for page in pages[: k + 1]) + 1 for k in range(len(pages))}
    return held


def search_weight(site: Path, page: str = "search/index.html") -> tuple[int, int] | None:
    """What a browser downloads for a first search query (search_files): (bytes as stored,
    gzipped). None when the site has no Pagefind index."""
    files = search_files(site, page)
    return None if files is None else _weight(files)
