"""The site grows linearly with the dataset, checked on its shape, never on timings: no page
lists every incident, the largest incident, town and timeline pages stay the same size from
300 to 1,500 incidents, and the timeline is cut in chunks of at most TIMELINE_CHUNK items.

The two sites are built in this process with the timeline chunk made small (so both sizes have
full chunks, as 100,000 incidents would with the real one) and without the search index (which
makes no pages). Self-contained: it writes its own data and docs folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator import lookups, synthetic
from generator.render import Renderer
from generator.validate import validate_tree

ROOT = Path(__file__).parent.parent
SMALL, LARGE = 300, 1500
CHUNK = 20  # timeline items per page in these builds: 300 incidents already fill every chunk
INCIDENT_LINK = re.compile(r'href="[^"]*?incidents/([^/"]+)/"')
# an incident's line in a list (_item.html), its date first
ITEM = re.compile(r"<li\b[^>]*>(?:<span>)?<time ")


def build_site(tmp: Path, count: int) -> Path:
    data, docs, site = tmp / f"data-{count}", tmp / "docs", tmp / f"site-{count}"
    synthetic.write_dataset(data, count, seed=3)
    docs.mkdir(exist_ok=True)
    (docs / "index.md").write_text("# Incident timeline\n", encoding="utf-8")
    # not strict: the nav names docs pages this folder leaves out (tests/test_build.py builds them)
    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(site), strict=False)
    config.plugins["timeline"].config.incidents = str(data)
    config.plugins.on_startup(command="build", dirty=False)  # a full build, as mkdocs build starts one
    build(config)
    return site


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[int, Path]:
    tmp = tmp_path_factory.mktemp("scale")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lookups, "TIMELINE_CHUNK", CHUNK)
        patch.setenv("SOURCE_DATE_EPOCH", "1735603200")  # the build would set it for the process
        return {count: build_site(tmp, count) for count in (SMALL, LARGE)}


def html_pages(site: Path):
    for path in sorted(site.rglob("*.html")):
        yield path.relative_to(site).as_posix(), path.read_text(encoding="utf-8")


def largest(site: Path, kind: str) -> tuple[int, str]:
    """The largest page about one incident, town or year; not the index of them all."""
    found = [
        (p.stat().st_size, p.relative_to(site).as_posix())
        for p in (site / kind).rglob("*.html")
        if p.parent != site / kind
    ]
    assert found, f"no {kind} pages in {site}"
    return max(found)


def test_no_page_lists_every_incident(sites):
    site = sites[LARGE]
    counts = {page: len(set(INCIDENT_LINK.findall(html))) for page, html in html_pages(site)}
    assert counts["index.html"] > 0, "the link pattern finds no incident on the home page"
    page, most = max(counts.items(), key=lambda item: item[1])
    assert most <= LARGE // 2, f"{page} links to {most} of {LARGE} incidents"


@pytest.mark.parametrize("kind", ["incidents", "towns", "timeline"])
def test_largest_page_does_not_grow_with_the_dataset(sites, kind):
    (small, small_page), (large, large_page) = largest(sites[SMALL], kind), largest(sites[LARGE], kind)
    assert abs(large - small) <= 0.10 * small, (
        f"largest {kind} page: {small:,} bytes ({small_page}) at {SMALL} incidents, "
        f"{large:,} bytes ({large_page}) at {LARGE}"
    )


def test_timeline_pages_hold_at_most_one_chunk_and_every_incident_once(sites):
    site = sites[LARGE]
    items = {
        page: len(ITEM.findall(html))
        for page, html in html_pages(site)
        if re.fullmatch(r"timeline/\d{4}/(\d+/)?index\.html", page)
    }
    assert max(items.values()) <= CHUNK, items
    assert sum(items.values()) == LARGE, "the timeline pages together list every incident once"
    years = {page.split("/")[1] for page in items}
    assert len(items) > len(years), "at this size some year must span several pages"


def test_timeline_chunks_cover_each_year_in_order(tmp_path):
    synthetic.write_dataset(tmp_path, 600, seed=3)
    index = Renderer(validate_tree(tmp_path).dataset).index
    for size in (lookups.TIMELINE_CHUNK, 7):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(lookups, "TIMELINE_CHUNK", size)
            for year, incidents in index.by_year.items():
                chunks = index.timeline_chunks(year)
                assert all(0 < len(chunk) <= size for chunk in chunks)
                assert [i for chunk in chunks for i in chunk] == incidents
