"""The search index that Pagefind writes (fed by indexer.py) into `site_dir/pagefind/`, in chunks so
a query fetches few files. Pagefind 1.5.2 writes filter values in hash-map order, new each run (issue #638
of Pagefind/pagefind): we rewrite them sorted and named by content, so a site always gives the same
bytes. Values stay as written (the search page shows them as text, never as HTML), as in the
fragments, so a value the page reads from a fragment or the address finds its filter."""

import gzip
import hashlib
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"  # how every Pagefind index file starts, once unzipped


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


def _load(path: Path):
    data = gzip.decompress(path.read_bytes())
    value, end = _decode(data, len(SIGNATURE))
    if not data.startswith(SIGNATURE) or end != len(data) or SIGNATURE + _encode(value) != data:
        raise ValueError(f"{path.name} is not the CBOR that Pagefind 1.5.2 writes")
    path.unlink()  # written again, under a new name
    return value


def _save(pattern: Path, old: str, value) -> str:
    data = _encode(value)
    name = f"{old.split('_')[0]}_{hashlib.sha256(data).hexdigest()}"[: len(old)]
    path = Path(str(pattern).format(name))
    if path.exists():
        raise ValueError(f"two index files would be named {path.name}")
    path.write_bytes(gzip.compress(SIGNATURE + data, compresslevel=9, mtime=0))
    return name


def _decode(data: bytes, at: int):
    """The CBOR Pagefind writes: unsigned integers, text strings and arrays of definite length."""
    major, info = data[at] >> 5, data[at] & 31
    if major not in (0, 3, 4) or (size := 0 if info < 24 else 1 << (info - 24)) > 8:
        raise ValueError(f"unexpected CBOR item at byte {at}")
    argument, at = info if info < 24 else int.from_bytes(data[at + 1 : at + 1 + size], "big"), at + 1 + size
    if major == 3:
        return data[at : at + argument].decode("utf-8"), at + argument
    items = []
    for _ in range(argument if major == 4 else 0):
        item, at = _decode(data, at)
        items.append(item)
    return (items if major == 4 else argument), at


def _encode(value) -> bytes:
    """Shortest-form CBOR, as Pagefind (minicbor) writes it."""
    if isinstance(value, list):
        major, argument, body = 4, len(value), b"".join(_encode(item) for item in value)
    else:
        body = value.encode("utf-8") if isinstance(value, str) else b""
        major, argument = (3, len(body)) if isinstance(value, str) else (0, value)
    if argument < 24:
        return bytes([major << 5 | argument]) + body
    size = next(size for size in (1, 2, 4, 8) if argument < 1 << (8 * size))
    return bytes([major << 5 | (23 + size.bit_length())]) + argument.to_bytes(size, "big") + body
