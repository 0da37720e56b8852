"""The search index in shards (generator/indexer.py): how many pages each shard gets, and in
which order shards.json lists them. Real Pagefind processes, no browser."""

from __future__ import annotations

import json

import pytest
import sites

from generator.indexer import ShardedSearchIndex


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
