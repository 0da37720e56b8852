"""The order pages are published in (generator/publish.py): towns and groups among the
incidents, so Pagefind indexes on the other core while they render. Pure functions."""

from __future__ import annotations

import pytest

from generator.kinds import INCIDENT, TOWN
from generator.pages import Page
from generator.publish import LAST_PASS_SHARE, dated, search_order, without_search_marks


def order_of(incidents: int, others: int, last_dated: int) -> str:
    pages = [Page(f"towns/{n}/", "Town", TOWN) for n in range(others)]
    pages += [Page(f"incidents/{n}/", "Incident", INCIDENT) for n in range(incidents)]
    ordered = search_order(pages, last_dated)
    assert sorted(ordered, key=lambda page: (not dated(page), int(page.url.split("/")[1]))) == [
        *pages[others:],
        *pages[:others],
    ], "every page once"
    for kind in (True, False):
        assert [p for p in ordered if dated(p) == kind] == [p for p in pages if dated(p) == kind]
    return "".join("i" if dated(page) else "t" for page in ordered)


@pytest.mark.parametrize(
    ("incidents", "others", "last_dated", "expected"),
    [
        # towns and groups spread among the incidents, but for the last few, rendered while
        # Pagefind makes its last pass over the last shard of incidents
        (10, 7, 2 * LAST_PASS_SHARE, "iti" * 5 + "tt"),
        (6, 3, 0, "iti" * 3),
        (4, 5, 100 * LAST_PASS_SHARE, "iiiittttt"),  # few towns: all after the incidents
        (0, 3, 0, "ttt"),
        (3, 0, 0, "iii"),
    ],
)
def test_towns_and_groups_are_rendered_among_the_incidents(incidents, others, last_dated, expected):
    assert order_of(incidents, others, last_dated) == expected


def test_only_a_few_towns_wait_for_the_last_incident_whatever_the_number_of_incidents():
    """What comes after the last incident page is bounded by the last shard, not the site."""
    for incidents in (1_000, 10_000, 100_000):
        order = order_of(incidents, incidents // 9, last_dated=5000)
        after = len(order) - order.rindex("i") - 1
        assert after == min(incidents // 9, 5000 // LAST_PASS_SHARE)
        run = max(len(towns) for towns in order[: order.rindex("i")].split("i"))
        assert run <= 1, "never two town pages in a row among the incidents"


def test_readers_get_pages_without_the_search_index_marks():
    rendered = (
        '<article class="tl-incident" data-pagefind-body>\n'
        '<h1 data-pagefind-meta="title">A &lt;b data-pagefind-body&gt; title</h1>'
        '<dd data-pagefind-meta="towns:Umm Housh, أم حوش"><a href="../t/" data-pagefind-filter="town:Umm Housh">Umm '
        'Housh</a></dd><p data-pagefind-ignore>It said data-pagefind-meta="x" in "quotes"</p>'
        '<p class="tl-meta" data-pagefind-ignore data-pagefind-filter="year:2011">'
        '<span\ndata-pagefind-sort="date:2011">2011</span> data-pagefind-ignore</p></article>'
    )
    assert without_search_marks(rendered) == (
        '<article class="tl-incident">\n'
        "<h1>A &lt;b data-pagefind-body&gt; title</h1>"
        '<dd><a href="../t/">Umm Housh</a></dd><p>It said data-pagefind-meta="x" in "quotes"</p>'
        '<p class="tl-meta"><span>2011</span> data-pagefind-ignore</p></article>'
    )
    text = "no marks, data-pagefind-body as text"
    assert without_search_marks(text) == text
