"""The search index that Pagefind writes (fed by indexer.py) into `site_dir/pagefind/`, in chunks so
a query fetches few files. Pagefind 1.5.2 writes filter values in hash-map order, new each run (issue #638
of Pagefind/pagefind): we rewrite them sorted and named by content, so a site always gives the same
bytes. Values stay as written (the search page shows them as text, never as HTML), as in the
fragments, so a value the page reads from a fragment or the address finds its filter."""

import gzip
import hashlib
import itertools
import json
import re
import shutil
from pathlib import Path

SIGNATURE = b"pagefind_dcd"  # how every Pagefind index file starts, once unzipped
ROUTE = "pagefind-route"  # the folder of the index of which shards hold which words
ROUTE_CHUNK = 16000  # bytes of words and their shards per chunk of that index, before gzip


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why."""


def canonicalise(out: Path) -> None:
    """Meta: [version, pages, chunks, [[filter, file], ...], ...]; a file: [filter, [[value, pages]]]."""
    entry = json.loads((out / "pagefind-entry.json").read_text(encoding="utf-8"))
    for about in entry["languages"].values():
        meta = _load(out / f"pagefind.{about['hash']}.pf_meta")
        files = {file: _load(out / "filter" / f"{file}.pf_filter") for _, file in meta[3]}
        for pair in meta[3]:
            name, values = files[pair[1]]
            values = sorted([value, pages] for value, pages in values)
            pair[1] = _save(out / "filter" / "{}.pf_filter", pair[1], [name, values])
        meta[3].sort()
        about["hash"] = _save(out / "pagefind.{}.pf_meta", about["hash"], meta)
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    (out / "pagefind-entry.json").write_text(text, encoding="utf-8")


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    value, end = _decode(data, len(SIGNATURE))
    if not data.startswith(SIGNATURE) or end != len(data) or SIGNATURE + _encode(value) != data:
        raise ValueError(f"{path.name} is not the CBOR that Pagefind 1.5.2 writes")
    return value


def _load(path: Path):
    value = _read(path)
    path.unlink()  # written again, under a new name
    return value


def _save(pattern: Path, old: str, value) -> str:
    return _store(pattern, old.split("_")[0], len(old), value)


def _store(pattern: Path, prefix: str, length: int, value) -> str:
    """`value` written gzipped at `pattern` with its name: `prefix`, _, its hash, `length` in all."""
    data = _encode(value)
    name = f"{prefix}_{hashlib.sha256(data).hexdigest()}"[:length]
    path = Path(str(pattern).format(name))
    if path.exists():
        raise ValueError(f"two index files would be named {path.name}")
    path.write_bytes(gzip.compress(SIGNATURE + data, compresslevel=9, mtime=0))
    return name


def _decode(data: bytes, at: int):
    """The CBOR Pagefind writes: integers, text strings and arrays of definite length."""
    major, info = data[at] >> 5, data[at] & 31
    if major not in (0, 1, 3, 4) or (size := 0 if info < 24 else 1 << (info - 24)) > 8:
        raise ValueError(f"unexpected CBOR item at byte {at}")
    argument, at = info if info < 24 else int.from_bytes(data[at + 1 : at + 1 + size], "big"), at + 1 + size
    if major == 3:
        return data[at : at + argument].decode("utf-8"), at + argument
    items = []
    for _ in range(argument if major == 4 else 0):
        item, at = _decode(data, at)
        items.append(item)
    return (items if major == 4 else -1 - argument if major == 1 else argument), at


def _encode(value) -> bytes:
    """Shortest-form CBOR, as Pagefind (minicbor) writes it."""
    if isinstance(value, list):
        major, argument, body = 4, len(value), b"".join(_encode(item) for item in value)
    else:
        body = value.encode("utf-8") if isinstance(value, str) else b""
        major, argument = (
            (3, len(body)) if isinstance(value, str) else (0, value) if value >= 0 else (1, -1 - value)
        )
    if argument < 24:
        return bytes([major << 5 | argument]) + body
    size = next(size for size in (1, 2, 4, 8) if argument < 1 << (8 * size))
    return bytes([major << 5 | (23 + size.bit_length())]) + argument.to_bytes(size, "big") + body


# A run of CBOR items that are not text: integers and array headers (Pagefind writes no other kind).
_NOT_TEXT = re.compile(
    rb"(?:[\x00-\x17\x20-\x37\x80-\x97]|[\x18\x38\x98][\s\S]|[\x19\x39\x99][\s\S]{2}|[\x1a\x3a\x9a][\s\S]{4})*"
)


def chunk_words(data: bytes) -> list[str]:
    """The words of a Pagefind word chunk (unzipped, signature off): [[word, pages, variants], ...].
    Its postings are skipped by a regular expression, not decoded: a shard's chunks hold every
    position of every word. A text item follows an array header: 0x83 opens a word, [word, pages,
    variants]; 0x82 a variant, [form, pages], whose form is not a word of the index."""
    words, at = [], 0
    while (end := _NOT_TEXT.match(data, at).end()) < len(data):
        header, info = data[end - 1], data[end] & 31
        size = 0 if info < 24 else 1 << (info - 24)
        length = info if info < 24 else int.from_bytes(data[end + 1 : end + 1 + size], "big")
        at = end + 1 + size + length
        if data[end] >> 5 != 3 or header not in (0x82, 0x83) or at > len(data):
            raise ValueError(f"unexpected CBOR item at byte {end} of a word chunk")
        if header == 0x83:
            words.append(data[end + 1 + size : at].decode("utf-8"))
    return words


def shard_words(out: Path) -> set[str]:
    """Every word of the index in `out` (as Pagefind keeps it: stemmed, without diacritics)."""
    words = set()
    for about in json.loads((out / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"].values():
        for _, _, name in _read(out / f"pagefind.{about['hash']}.pf_meta")[2]:
            data = gzip.decompress((out / "index" / f"{name}.pf_index").read_bytes())
            words.update(chunk_words(data[len(SIGNATURE) :]))
    return words


def weight(out: Path) -> dict[str, int]:
    """Bytes a search fetches from the index in `out` besides fragments: its metadata (`meta`),
    and for each word a word chunk (`chunk`: the mean of its chunks'). They come gzipped."""
    entry = json.loads((out / "pagefind-entry.json").read_text(encoding="utf-8"))
    metas = [out / f"pagefind.{about['hash']}.pf_meta" for about in entry["languages"].values()]
    chunks = [path.stat().st_size for path in (out / "index").glob("*.pf_index")]
    return {"meta": sum(path.stat().st_size for path in metas), "chunk": sum(chunks) // max(1, len(chunks))}


def write_route(out: Path, shards: list[Path], words: list[set[str]]) -> None:
    """The index of which shards hold which words, in Pagefind's own format, so the search page
    asks it with Pagefind's own stemming and prefix rules: its pages are the shards (page n is
    named n, from 1, the shard's place in shards.json), its words every word of every shard
    (`words`, in the same order), each on the pages of the shards that hold it. Pagefind's runtime
    moves beside it (its worker and WebAssembly, loaded with the first index a page asks): the
    shards keep none, as the search page merges them, but for the script in the first shard's
    folder, pagefind/pagefind.js, which the page imports."""
    shutil.rmtree(out, ignore_errors=True)
    (out / "index").mkdir(parents=True)
    entry = json.loads((shards[0] / "pagefind-entry.json").read_text(encoding="utf-8"))
    ((language, about),) = entry["languages"].items()  # one language per edition
    holders: dict[str, list[int]] = {}
    for place, held in enumerate(words):
        for word in held:
            holders.setdefault(word, []).append(place)
    chunks = _route_chunks(holders)
    index = [
        [*ends, _store(out / "index" / "{}.pf_index", language, len(language) + 8, [chunk])]
        for ends, chunk in zip(_ranges(chunks), chunks, strict=True)
    ]
    pages = [[str(place), 1] for place in range(1, len(shards) + 1)]
    meta = [entry["version"], pages, index, [], [], []]
    name = _store(out / "pagefind.{}.pf_meta", language, len(language) + 11, meta)
    entry["languages"] = {language: {**about, "hash": name, "page_count": len(pages)}}
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    (out / "pagefind-entry.json").write_text(text, encoding="utf-8")
    for runtime in ("pagefind-worker.js", f"wasm.{about['wasm']}.pagefind"):
        shutil.copyfile(shards[0] / runtime, out / runtime)
    for place, shard in enumerate(shards):
        unused = [*shard.glob("wasm.*.pagefind"), shard / "pagefind-worker.js"]
        if place:  # the page imports the first shard's pagefind/pagefind.js
            unused.append(shard / "pagefind.js")
        for path in unused:
            path.unlink(missing_ok=True)


def _route_chunks(holders: dict[str, list[int]]) -> list[list]:
    """Word chunks of ROUTE_CHUNK bytes or so, in word order: [[word, pages, variants], ...], each
    page [number after the previous one, locations, field locations], as Pagefind writes them."""
    chunks, chunk, size = [], [], 0
    for word in sorted(holders):
        places = holders[word]
        pages = [[place - (places[k - 1] if k else 0), [0], []] for k, place in enumerate(places)]
        chunk.append([word, pages, []])
        size += len(_encode(chunk[-1]))
        if size >= ROUTE_CHUNK:
            chunks.append(chunk)
            chunk, size = [], 0
    return [*chunks, chunk] if chunk or not chunks else chunks


def _ranges(chunks: list[list]) -> list[list[str]]:
    """Each chunk's first and last word, cut to the shortest prefixes that tell neighbours apart,
    as Pagefind's chunk_meta cuts them (its search asks for the chunks whose range holds a word)."""
    ranges = [[chunk[0][0] if chunk else "", chunk[-1][0] if chunk else ""] for chunk in chunks]
    for before, after in itertools.pairwise(ranges):
        common = 0
        while common < min(len(before[1]), len(after[0])) and before[1][common] == after[0][common]:
            common += 1
        if before[1][: common + 1] >= before[0]:
            before[1] = before[1][: common + 1]
        after[0] = after[0][: common + 1]
    return ranges
