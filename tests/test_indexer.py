"""The search index in shards (generator/indexer.py): how many pages each shard gets, and in
which order shards.json lists them. Real Pagefind processes, no browser."""

from __future__ import annotations

import itertools
import json

import pytest
import sites

from generator.indexer import ShardedSearchIndex
from generator.search import _read, shard_words


@pytest.mark.parametrize(
    ("dated", "shard", "sizes"),
    [
        (1000, 5000, [500, 500]),  # what would fill one shard: split in two
        (300, 5000, [250, 50]),  # not below SMALLEST pages
        (200, 5000, [200]),
        (12000, 5000, [5000, 5000, 2000]),
        (1000, 300, [300, 300, 300, 100]),
    ],
)
def test_the_dated_pages_are_split_so_the_last_shard_is_indexed_beside_the_rest(
    dated, shard, sizes, tmp_path
):
    """The sizes of the shards of `dated` incident pages, then one town's page."""
    index = ShardedSearchIndex(tmp_path, shard=shard, dated=dated)
    try:
        for n in range(dated):
            index.add_page(
                f"incidents/{n}/", f"<main data-pagefind-body><h1>Incident {n}</h1></main>", dated=True
            )
        index.add_page("towns/t/", "<main data-pagefind-body><h1>Town</h1></main>")
        index.finish()
    finally:
        index.close()
    shards = json.loads((tmp_path / "pagefind" / "shards.json").read_text())["shards"]
    assert [s["dated"] for s in shards] == [False] + [True] * len(sizes)
    pages = [len(list((tmp_path / s["path"] / "fragment").iterdir())) for s in shards if s["dated"]]
    assert pages == sizes
    assert index.last_dated == sizes[-1]


def test_towns_and_incidents_fill_shards_of_their_own_side_by_side(tmp_path):
    """Pages of both kinds in turn: each kind's shards are full but for its last, and
    shards.json lists the undated first, then the incidents' in the order they were filled."""
    index = ShardedSearchIndex(tmp_path, shard=40, dated=100)
    try:
        for n in range(100):
            index.add_page(f"incidents/{n}/", f"<main data-pagefind-body><h1>Incident {n}</h1></main>", True)
            if n % 2:
                index.add_page(f"towns/{n}/", f"<main data-pagefind-body><h1>Town {n}</h1></main>")
        assert list(index.filling) == [False], "the last incident sealed its shard, which is written"
        index.finish()
    finally:
        index.close()
    shards = json.loads((tmp_path / "pagefind" / "shards.json").read_text())["shards"]
    assert [s["dated"] for s in shards] == [False, False, True, True, True]

    found = [list(sites.fragments(tmp_path, shard["path"].rstrip("/"))) for shard in shards]
    assert [len(urls) for urls in found] == [40, 10, 40, 40, 20]
    assert all(url.startswith("/towns/") for urls in found[:2] for url in urls)
    first = [min(int(url.split("/")[2]) for url in urls) for urls in found[2:]]
    assert first == [0, 40, 80], "the incidents' shards in the order they were filled"


def test_the_index_of_words_names_the_shards_that_hold_each_word_arabic_too(tmp_path):
    """pagefind-route/ (generator/search.py): each word of each shard, as Pagefind keeps it, on
    the pages of the shards that hold it (page n: the n-th shard of shards.json), in the chunk
    whose range holds it, so Pagefind's search finds it."""
    titles = ["أم حوش", "حوشة الكبرى", "مارع الشمالي", "Marea", "أُمّ حوش"]
    index = ShardedSearchIndex(tmp_path, language="ar", shard=2, dated=len(titles))
    try:
        for n, title in enumerate(titles):
            index.add_page(f"incidents/{n}/", f"<main data-pagefind-body><h1>{title}</h1></main>", dated=True)
        index.add_page("towns/t/", "<main data-pagefind-body><h1>مارع</h1></main>")
        index.finish()
    finally:
        index.close()
    manifest = json.loads((tmp_path / "pagefind" / "shards.json").read_text())
    folders = [tmp_path / shard["path"] for shard in manifest["shards"]]
    assert len(folders) == 4 and all(shard["meta"] > 0 < shard["chunk"] for shard in manifest["shards"])
    route = tmp_path / manifest["route"]
    entry = json.loads((route / "pagefind-entry.json").read_text())
    (language,) = entry["languages"]
    assert language == "ar" and entry["languages"]["ar"]["page_count"] == len(folders)
    meta = _read(route / f"pagefind.{entry['languages']['ar']['hash']}.pf_meta")
    assert [page for page, _ in meta[1]] == ["1", "2", "3", "4"]
    held: dict[str, set[int]] = {}
    for first, last, name in meta[2]:
        for word, pages, _ in _read(route / "index" / f"{name}.pf_index")[0]:
            assert first <= word and word[: len(last)] <= last, (word, first, last)
            places = list(itertools.accumulate(page[0] for page in pages))
            held[word] = {place + 1 for place in places}
    expected: dict[str, set[int]] = {}
    for place, folder in enumerate(folders, start=1):
        for word in shard_words(folder):
            expected.setdefault(word, set()).add(place)
    assert held == expected
    assert any(word.startswith("حوش") for word in held), sorted(held)
    assert {"1"} <= {str(p) for w, places in held.items() if w.startswith("مار") for p in places}


def test_a_forked_helper_does_not_keep_pagefind_running(tmp_path):
    """A process forked while Pagefind indexes (an edition's data files) closes its copy of
    Pagefind's input: Pagefind ends when the build closes it, not when the helper ends."""
    import multiprocessing
    import time

    from generator.indexer import SearchIndexer

    indexer = SearchIndexer()
    indexer.add_page("a/", "<main data-pagefind-body><h1>A page</h1></main>")
    helper = multiprocessing.get_context("fork").Process(target=time.sleep, args=(60,))
    helper.start()
    try:
        indexer.close()  # Pagefind exits once its input ends
        assert indexer._process.returncode is not None
        assert helper.is_alive(), "Pagefind ended while the helper still ran"
    finally:
        helper.kill()
        helper.join()
