"""Golden files: one incident page's <article>, its CSV row and its feed entry, as the shipped
records build them (outside git, so without a history). A change in what the site writes shows
up as a reviewable diff of tests/golden/; `make golden` writes them anew after a change that is
meant (as Pelican's functional tests do)."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil

import pytest
import sites
from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
INCIDENT = "2015-08-08-is-captures-umm-housh"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    records = shutil.copytree(ROOT / "incidents", tmp_path_factory.mktemp("golden") / "incidents")
    return sites.build(records, records.parent / "site")


def article(site) -> str:
    html = (site / "incidents" / INCIDENT / "index.html").read_text(encoding="utf-8")
    start = html.index("<article")
    return html[start : html.index("</article>", start) + len("</article>")] + "\n"


def csv_row(site) -> str:
    text = (site / "data" / "incidents.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    (row,) = [row for row in rows if row[0] == INCIDENT]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([rows[0], row])
    return out.getvalue()


def feed_entry(site) -> str:
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    (entry,) = [e for e in re.findall(r"<entry>.*?</entry>", feed, re.S) if f"/{INCIDENT}/" in e]
    return entry + "\n"


@pytest.mark.parametrize(
    "name, part",
    [("incident-article.html", article), ("incident-row.csv", csv_row), ("incident-entry.xml", feed_entry)],
)
def test_output_is_as_the_golden_file_says(site, name, part):
    made, golden = part(site), GOLDEN / name
    if UPDATE:
        golden.write_text(made, encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == made, (
        f"{name} changed: run `make golden` and review the diff"
    )
