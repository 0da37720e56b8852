"""End-to-end checks of built sites: real `python -m generator build` runs (mkdocs, the hooks,
Material), then the files on disk are read back.

Sites built once per session: the shipped records, a synthetic dataset of 300 incidents, a
small set of hand-written cases (date precision, conflicting figures) and, for the
"pages stay small" checks, a synthetic dataset of 1,500 incidents.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from statistics import median
from urllib.parse import urlsplit

import pytest
import sites
import yaml
from conftest import BASE, CASES, ROOT

from generator.synthetic import write_dataset

SEED = 2015
SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
INCIDENT_LINK = re.compile(r'href="(?:[./]*|/[^"]*?)incidents/([a-z0-9-]+)/(?:index\.html)?(?:#[^"]*)?"')


@dataclass(frozen=True)
class Built:
    records: sites.Contents
    site: Path


def synthetic(tmp_path_factory, name: str, count: int) -> Path:
    root = tmp_path_factory.mktemp(name) / "incidents"
    write_dataset(root, count, SEED)
    return root


@pytest.fixture(scope="session")
def synthetic_records(tmp_path_factory) -> Path:
    return synthetic(tmp_path_factory, "synthetic300", 300)


@pytest.fixture(scope="session")
def synthetic_site(synthetic_records, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site300") / "site"
    return sites.build(synthetic_records, site, env={"PYTHONHASHSEED": "1", "TZ": "UTC"})


@pytest.fixture(scope="session")
def big_site(tmp_path_factory) -> Path:
    records = synthetic(tmp_path_factory, "synthetic1500", 1500)
    return sites.build(records, tmp_path_factory.mktemp("site1500") / "site")


# ------------------------------------------------------------------ hand-written cases

MONTH_ID = "2015-08-umm-housh-known-to-the-month"
YEAR_ID = "2014-marea-known-to-the-year"
CONFLICT_ID = "2015-08-10-conflicting-figures-for-marea"
CONFLICT = """\
title: Conflicting figures for the attack on Marea
date: "2015-08-10"
type: battle
towns: [marea]
groups: [islamic-state, syrian-opposition]
summary: |
  Islamic State fighters attacked Marea; the two sources give different tolls.
casualties:
  - group: syrian-opposition
    killed: 37
    according_to: Syrian Observatory for Human Rights
  - group: syrian-opposition
    killed: 25
    according_to: The New Arab
sources:
  - publisher: Syrian Observatory for Human Rights
    url: https://www.syriahr.com/en/
  - publisher: The New Arab
    url: https://www.newarab.com/news/fighters-attack-rebel-held-syrian-town-killing-25
"""


def write_cases(root: Path) -> Path:
    """tests/cases/registry plus variants of tests/cases/base.yaml."""
    root.mkdir(parents=True)
    for name in ("towns.yaml", "groups.yaml"):
        shutil.copy(CASES / "registry" / name, root / name)
    (root / "2015").mkdir()
    (root / "2014").mkdir()
    (root / "2015" / "2015-08-24-case.yaml").write_text(BASE, encoding="utf-8")
    month = BASE.replace("date: 2015-08-24", 'date: "2015-08"').replace(
        "title: IS captures the village of Umm Housh", "title: Umm Housh changes hands, day not known"
    )
    assert month != BASE and "2015-08" in month
    (root / "2015" / f"{MONTH_ID}.yaml").write_text(month, encoding="utf-8")
    year = (
        BASE.replace("date: 2015-08-24", 'date: "2014"')
        .replace(
            "title: IS captures the village of Umm Housh", "title: Fighting near Umm Housh, month not known"
        )
        .split("control:")[0]
        + "sources:\n  - publisher: Syrian Observatory for Human Rights\n    url: https://www.syriahr.com/en/\n"
    )
    (root / "2014" / f"{YEAR_ID}.yaml").write_text(year, encoding="utf-8")
    (root / "2015" / f"{CONFLICT_ID}.yaml").write_text(CONFLICT, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def cases_records(tmp_path_factory) -> Path:
    return write_cases(tmp_path_factory.mktemp("cases") / "incidents")


@pytest.fixture(scope="session")
def cases_site(cases_records, tmp_path_factory) -> Path:
    return sites.build(cases_records, tmp_path_factory.mktemp("cases-site") / "site")


@pytest.fixture(scope="session", params=["sample", "synthetic-300"])
def built(request) -> Built:
    if request.param == "sample":
        return Built(sites.Contents.read(ROOT / "incidents"), request.getfixturevalue("sample_site"))
    return Built(
        sites.Contents.read(request.getfixturevalue("synthetic_records")),
        request.getfixturevalue("synthetic_site"),
    )


# ------------------------------------------------------------------ helpers


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def chunks(html: str, tag: str) -> list[str]:
    """The HTML of every <tag ...>...</tag> (not nested in one another), for list items and rows."""
    return re.findall(rf"<{tag}\b[^>]*>.*?</{tag}>", html, re.DOTALL)


def item_for(html: str, incident_id: str) -> str:
    """The timeline list item (an <li> of ol.tl-list, _item.html: its date first) that links to an incident."""
    found = [li for li in chunks(html, "li") if f"incidents/{incident_id}/" in li and "<time " in li]
    assert len(found) == 1, f"expected one list item for {incident_id}, found {len(found)}"
    return found[0]


def incident_links(html: str) -> list[str]:
    return INCIDENT_LINK.findall(html)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# ------------------------------------------------------------------ pages and titles


def test_every_incident_has_one_page_with_its_title(built):
    records, site = built.records, built.site
    expected = set(records.incidents) | set(records.redirects)
    pages = {p.parent.name for p in (site / "incidents").glob("*/index.html")}
    assert pages == expected, (
        f"missing: {sorted(expected - pages)[:10]}, unexpected: {sorted(pages - expected)[:10]}"
    )
    assert not [
        p
        for p in (site / "incidents").rglob("*.html")
        if p.name != "index.html" or p.parent.parent != site / "incidents"
    ]
    for incident_id, record in records.incidents.items():
        doc = sites.parse(site / "incidents" / incident_id / "index.html")
        title = record["title"].strip()
        assert " ".join(doc.h1.split()) == " ".join(title.split()), incident_id
        assert doc.title.strip().startswith(title), (incident_id, doc.title)
        assert not doc.find("meta", **{"http-equiv": "refresh"}), f"{incident_id} is a redirect"


def test_every_town_and_group_has_a_page(built):
    records, site = built.records, built.site
    for kind, registry in (("towns", records.towns), ("groups", records.groups)):
        pages = {p.parent.name for p in (site / kind).glob("*/index.html")}
        assert pages == set(registry), f"{kind}: missing {sorted(set(registry) - pages)[:10]}"
        for entry_id, entry in registry.items():
            doc = sites.parse(site / kind / entry_id / "index.html")
            assert " ".join(doc.h1.split()).startswith(entry["name"].strip()), (kind, entry_id, doc.h1)
            assert doc.title.strip().startswith(entry["name"].strip())
        index = read(site / kind / "index.html")
        for entry_id in registry:
            assert f'href="../{kind}/{entry_id}/"' in index or f'href="{entry_id}/"' in index, (
                f"{kind}/index.html does not link to {entry_id}"
            )


def test_timeline_lists_every_incident_exactly_once(built):
    records, site = built.records, built.site
    years = sorted({records.year(i) for i in records.incidents})
    index = sites.parse(site / "timeline" / "index.html")
    for year in years:
        assert (site / "timeline" / str(year) / "index.html").is_file(), f"no timeline/{year}/"
        assert any(
            sites.resolve(site, "/timeline/", link) == (site / "timeline" / str(year) / "index.html", "")
            for link in index.links()
        ), f"timeline/ does not link to timeline/{year}/"
    seen: Counter[str] = Counter()
    where: dict[str, set[int]] = {}
    for path in (site / "timeline").rglob("index.html"):
        if path.parent == site / "timeline":
            continue
        year = int(path.relative_to(site / "timeline").parts[0])
        for incident_id in incident_links(read(path)):
            seen[incident_id] += 1
            where.setdefault(incident_id, set()).add(year)
    assert set(seen) == set(records.incidents), (
        f"not listed: {sorted(set(records.incidents) - set(seen))[:10]}, "
        f"unknown: {sorted(set(seen) - set(records.incidents))[:10]}"
    )
    twice = {i: n for i, n in seen.items() if n != 1}
    assert not twice, f"listed more than once: {dict(list(twice.items())[:10])}"
    wrong_year = {i: y for i, y in where.items() if y != {records.year(i)}}
    assert not wrong_year, f"listed under the wrong year: {dict(list(wrong_year.items())[:10])}"


def test_redirects_point_to_the_current_page(built):
    records, site = built.records, built.site
    if built.records.root == ROOT / "incidents":
        assert records.redirects, "the sample data should keep at least one redirect_from"
    for old, current in records.redirects.items():
        path = site / "incidents" / old / "index.html"
        doc = sites.parse(path)
        target = site / "incidents" / current / "index.html"
        assert target.is_file()
        refresh = doc.find("meta", **{"http-equiv": "refresh"})
        assert len(refresh) == 1, f"incidents/{old}/ has no meta refresh"
        link = sites.refresh_target(refresh[0]["content"] or "")
        assert sites.resolve(site, f"/incidents/{old}/", link) == (target, ""), link
        canonical = doc.find("link", rel="canonical")
        assert len(canonical) == 1, f"incidents/{old}/ has no canonical link"
        href = canonical[0]["href"] or ""
        if href.startswith(("http://", "https://")):
            assert href == SITE_URL + f"incidents/{current}/", href
        else:
            assert sites.resolve(site, f"/incidents/{old}/", href) == (target, ""), href
        assert any(
            sites.resolve(site, f"/incidents/{old}/", a["href"] or "") == (target, "") for a in doc.find("a")
        ), "a redirect page should also have a plain link for browsers that ignore meta refresh"


# ------------------------------------------------------------------ what the pages say


def test_month_precision_shows_the_month_and_never_invents_a_day(cases_site):
    page = read(cases_site / "incidents" / MONTH_ID / "index.html")
    article = text_of(page.split("<article", 1)[1].split("</article>", 1)[0])
    assert "August 2015" in article and "day unknown" in article, article[:300]
    assert '<time datetime="2015-08">' in page
    invented = re.compile(r"\b\d{1,2} August 2015|August \d{1,2},? 2015|2015-08-\d\d")
    assert not invented.search(article), invented.search(article)
    description = sites.parse(cases_site / "incidents" / MONTH_ID / "index.html").find(
        "meta", name="description"
    )
    assert not invented.search(description[0]["content"]), description
    for listing in ("timeline/2015/index.html", "towns/umm-housh/index.html", "index.html"):
        item = text_of(item_for(read(cases_site / listing), MONTH_ID))
        assert "August 2015" in item and "day unknown" in item, (listing, item)
        assert not invented.search(item), (listing, item)
    town = text_of(read(cases_site / "towns" / "umm-housh" / "index.html"))
    assert "August 2015, day unknown" in town  # the control history


def test_year_precision_shows_the_year_and_never_invents_a_month(cases_site):
    page = read(cases_site / "incidents" / YEAR_ID / "index.html")
    article = text_of(page.split("<article", 1)[1].split("</article>", 1)[0])
    assert "2014" in article and "month unknown" in article, article[:300]
    assert '<time datetime="2014">' in page
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    assert not re.search(rf"\b({months}) 2014|2014-\d\d", article)
    item = text_of(item_for(read(cases_site / "timeline" / "2014" / "index.html"), YEAR_ID))
    assert "2014" in item and "month unknown" in item and not re.search(months, item), item


def test_conflicting_figures_keep_both_reports_and_show_a_range(cases_site):
    page = read(cases_site / "incidents" / CONFLICT_ID / "index.html")
    rows = [text_of(row) for row in chunks(page, "tr")]
    assert "Syrian opposition 37 — Syrian Observatory for Human Rights" in rows, rows
    assert "Syrian opposition 25 — The New Arab" in rows, rows
    ranges = [row for row in rows if "25–37" in row]
    assert len(ranges) == 1 and ranges[0].startswith("Syrian opposition"), rows
    sources = text_of(page.split('class="tl-sources"', 1)[1].split("</ol>", 1)[0])
    assert "Syrian Observatory for Human Rights" in sources and "The New Arab" in sources
    # totals over a town count each side of each incident once, as a range, never a sum of sources
    town = text_of(read(cases_site / "towns" / "marea" / "index.html"))
    assert "Reported deaths 25–37" in town, town[:500]
    assert "62" not in town


# ------------------------------------------------------------------ links


def broken_links(site: Path) -> list[str]:
    """Every internal link (relative, site-absolute or under site_url) that leads nowhere,
    including #fragments that name no id on the target page."""
    prefix = urlsplit(SITE_URL).path  # the site is served under this path
    problems = []
    for path in sites.html_files(site):
        doc = sites.parse(path)
        url = sites.page_url(site, path)
        for link in doc.links():
            if link.startswith(SITE_URL):
                link = "/" + link[len(SITE_URL) :]
            elif link.startswith("/") and not link.startswith("//"):
                if not link.startswith(prefix):
                    problems.append(f"{url}: {link} is outside the site ({prefix})")
                    continue
                link = "/" + link[len(prefix) :]
            if link in ("", "#"):
                continue
            resolved = sites.resolve(site, url, link)
            if resolved is None:
                continue  # external
            target, fragment = resolved
            if not target.is_file():
                problems.append(f"{url}: {link} -> {target.relative_to(site)} does not exist")
            elif fragment and target.suffix == ".html" and fragment not in sites.parse(target).ids:
                problems.append(f"{url}: {link} -> no id '{fragment}' in {target.relative_to(site)}")
    return problems


@pytest.mark.parametrize("name", ["sample_site", "synthetic_site", "cases_site"])
def test_no_internal_link_is_broken(name, request):
    site = request.getfixturevalue(name)
    problems = broken_links(site)
    assert not problems, f"{len(problems)} broken links, e.g.:\n" + "\n".join(problems[:30])


# ------------------------------------------------------------------ size


def test_the_site_ships_no_theme_file_that_no_page_loads(sample_site):
    """Material's own search (Pagefind searches here) and source maps: 2.2 MB of every site.
    The browser tests check that no page asks for a file the site lacks."""
    unused = [p for p in sample_site.rglob("*") if p.suffix == ".map" or {"lunr", "workers"} & set(p.parts)]
    assert not unused, unused[:5]
    assert list((sample_site / "assets/javascripts").glob("bundle.*.min.js")), "the theme's script is kept"


@pytest.mark.slow
def test_incident_pages_do_not_grow_with_the_dataset(synthetic_site, big_site):
    def sizes(site):
        return [p.stat().st_size for p in (site / "incidents").glob("*/index.html")]

    small, big = median(sizes(synthetic_site)), median(sizes(big_site))
    assert big <= small * 1.10, (
        f"median incident page: {small:.0f} bytes at 300 incidents, {big:.0f} at 1,500"
    )
    for path in sorted((big_site / "incidents").glob("*/index.html"))[::50]:
        html = read(path)
        outside = html.split("<article", 1)[0] + html.rsplit("</article>", 1)[-1]
        others = set(incident_links(outside)) - {path.parent.name}
        assert len(others) <= 2, f"{path.parent.name}: the page's navigation lists {len(others)} incidents"


@pytest.mark.slow
def test_no_page_lists_every_incident(big_site):
    total = len(list((big_site / "incidents").glob("*/index.html")))
    assert total >= 1500
    most, where = 0, ""
    for path in sites.html_files(big_site):
        count = len(set(incident_links(read(path))))
        if count > most:
            most, where = count, path.relative_to(big_site).as_posix()
    assert most < 1500, f"{where} links to {most} of the 1,500 incidents"


# ------------------------------------------------------------------ determinism


@pytest.mark.parametrize("name", ["sample", "synthetic-300"])
def test_same_records_build_byte_identical_sites(name, request, tmp_path):
    if name == "sample":
        # Outside the repository both copies have the same (no) git history, an input too.
        source = shutil.copytree(ROOT / "incidents", tmp_path / "records")
        first = sites.build(source, tmp_path / "site")
    else:
        source = request.getfixturevalue("synthetic_records")
        first = request.getfixturevalue("synthetic_site")
    copy = sites.copy_tree_reversed(source, tmp_path / "records-copy")
    second = sites.build(
        copy, tmp_path / "other-site", env={"PYTHONHASHSEED": "2", "TZ": "Pacific/Kiritimati"}
    )
    a, b = sites.snapshot(first), sites.snapshot(second)
    assert "sitemap.xml.gz" in a
    assert sorted(a) == sorted(b), (
        f"only in the first: {sorted(set(a) - set(b))[:10]}, only in the second: {sorted(set(b) - set(a))[:10]}"
    )
    different = [path for path in a if a[path] != b[path]]
    assert not different, f"{len(different)} files differ, e.g. {different[:10]}"


def test_templates_compiled_by_an_earlier_build_give_the_same_site(tmp_path):
    """Jinja2's cache of compiled templates, in its own folder of the temporary directory:
    cold, warm, garbled or refused, the site is the same, and a warm build compiles nothing."""
    source = shutil.copytree(ROOT / "incidents", tmp_path / "records")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {"TMPDIR": str(temporary)}
    cold = sites.snapshot(sites.build(source, tmp_path / "cold", env))
    cache = temporary / f"_jinja2-cache-{os.getuid()}"
    kept = {path: path.stat().st_mtime_ns for path in cache.iterdir()}
    assert len(kept) >= 20, sorted(kept)  # Material's templates and ours
    assert sites.snapshot(sites.build(source, tmp_path / "warm", env)) == cold
    assert {path: path.stat().st_mtime_ns for path in cache.iterdir()} == kept  # none compiled again
    for path in kept:
        path.write_bytes(b"j2 not what Jinja2 wrote")
    assert sites.snapshot(sites.build(source, tmp_path / "garbled", env)) == cold
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(cache)
    cache.symlink_to(elsewhere)  # not Jinja2's own folder: it refuses it, the build compiles
    done = sites.run_build(source, tmp_path / "refused", env)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert sites.snapshot(tmp_path / "refused") == cold
    assert not any(elsewhere.iterdir())


# ------------------------------------------------------------------ a failed build


def test_invalid_record_fails_the_build_and_keeps_the_old_site(tmp_path):
    records = tmp_path / "incidents"
    records.mkdir()
    for name in ("towns.yaml", "groups.yaml"):
        shutil.copy(CASES / "registry" / name, records / name)
    (records / "2015").mkdir()
    (records / "2015" / "2015-08-24-case.yaml").write_text(BASE, encoding="utf-8")
    site = tmp_path / "out" / "site"
    sites.build(records, site)
    before = sites.snapshot(site)
    neighbours = sorted(p.name for p in site.parent.iterdir())

    bad = records / "2015" / "2015-08-25-bad.yaml"
    bad.write_text(
        BASE.replace("date: 2015-08-24", "date: 2015-08-25")
        .replace("type: battle", "type: batle")
        .replace("killed: 37", "killed: 037"),
        encoding="utf-8",
    )
    done = sites.run_build(records, site)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    errors = re.findall(r"^(.+?):(\d+):(\d+): error: .+$", output, re.MULTILINE)
    assert errors, output
    assert {(Path(p).name, int(line), int(col)) for p, line, col in errors} >= {
        ("2015-08-25-bad.yaml", 3, 7),
        ("2015-08-25-bad.yaml", 12, 13),
    }, output
    assert all(Path(p).name == "2015-08-25-bad.yaml" for p, _, _ in errors), output
    assert "Traceback" not in output
    assert sites.snapshot(site) == before, "the failed build changed the previous site"
    assert sorted(p.name for p in site.parent.iterdir()) == neighbours, "the failed build left files behind"
