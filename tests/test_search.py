"""Search (Pagefind) end to end: real builds with the command line, a local HTTP server and a
real headless Chromium typing into the search page.

What a reader needs: a word of a summary finds its incident and the result opens it; an alias
finds its group (`Daesh`, the Islamic State); a filter narrows the results; the search lives in
the address (linkable, Back returns to it), also under Material's instant navigation. What the
site needs: the first query of a 2,000-incident site downloads a small part of the index; the
index is byte-identical from one build to the next; hostile text in a record stays text.
"""

from __future__ import annotations

import datetime
import gzip
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sites
import yaml
from playwright.sync_api import expect

from generator.indexer import SearchIndexer
from generator.publish import searchable_part, what_pagefind_reads
from generator.render import Renderer
from generator.search import SIGNATURE, SearchIndexError, _decode

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parent.parent
INCIDENTS = ROOT / "incidents"
HOSTILE = "zqxhostile"  # a word no real record has, to find the hostile incident by
ATTACKS = [
    "<script>alert('title')</script>",
    "<img src=x onerror=alert('img')>",
    "<svg onload=alert('svg')>",
]


# ------------------------------------------------------------------ sites


def build(incidents: Path, site: Path, config: Path | None = None) -> Path:
    sites.build(incidents, site, config=config)
    assert (site / "pagefind" / "pagefind-entry.json").is_file(), "the build wrote no search index"
    return site


def records(incidents: Path) -> dict[str, dict]:
    return {path.stem: yaml.safe_load(path.read_text("utf-8")) for path in sorted(incidents.glob("*/*.yaml"))}


def folder(path: Path) -> dict[str, bytes]:
    return {
        str(file.relative_to(path)): file.read_bytes() for file in sorted(path.rglob("*")) if file.is_file()
    }


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """This module's folder for records and sites."""
    return tmp_path_factory.mktemp("search")


@pytest.fixture(scope="module")
def sample(sample_site) -> Path:
    """The site of the shipped records, built once for the session (conftest.py)."""
    return sample_site


@pytest.fixture(scope="module")
def hostile(scratch) -> tuple[Path, dict]:
    """The sample records with markup in an incident's title and summary, and in the names and
    aliases of its first town and group (which become search filters)."""
    source = shutil.copytree(INCIDENTS, scratch / "hostile-records")
    path = sorted(source.glob("*/*.yaml"))[0]
    record = yaml.safe_load(path.read_text("utf-8"))
    record["title"] = f"{HOSTILE} {ATTACKS[0]} {ATTACKS[1]}"
    record["summary"] = f"{HOSTILE} `{ATTACKS[0]}` {ATTACKS[1]} {ATTACKS[2]} &lt;b&gt;\n\n{record['summary']}"
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), "utf-8")
    names = {}
    for registry, key in (("towns.yaml", "towns"), ("groups.yaml", "groups")):
        entries = yaml.safe_load((source / registry).read_text("utf-8"))
        entry = entries[record[key][0]]
        entry["name"] = names[key] = f"{entry['name']} {ATTACKS[1]}"
        entry["aliases"] = [*entry.get("aliases", []), ATTACKS[2]]
        (source / registry).write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), "utf-8")
    return build(source, scratch / "hostile"), names


@pytest.fixture(scope="module")
def synthetic(scratch) -> tuple[Path, Path]:
    """A seeded synthetic dataset of 2,000 incidents, and its site."""
    source = scratch / "synthetic-records"
    command = [sys.executable, "-m", "generator.synthetic", "2000", str(source)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return build(source, scratch / "synthetic"), source


@pytest.fixture(scope="module")
def instant(scratch, serve) -> str:
    """The sample site with Material's instant navigation on (pages swapped in by XHR), served
    where its site_url says: Material only swaps in pages of its sitemap."""
    site = scratch / "instant"
    url = serve(site)
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    theme = {**config["theme"], "features": [*config["theme"].get("features", []), "navigation.instant"]}
    if "custom_dir" in theme:  # paths in an inherited file are taken from the inheriting one's folder
        theme["custom_dir"] = str(ROOT / theme["custom_dir"])
    child = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "site_url": url + "/",
        "docs_dir": str(ROOT / config.get("docs_dir", "docs")),
        "watch": [str(ROOT / path) for path in config.get("watch", [])],
        "theme": theme,
    }
    (scratch / "instant.yml").write_text(yaml.safe_dump(child), "utf-8")
    build(INCIDENTS, site, config=scratch / "instant.yml")
    return url


def in_shards(scratch: Path, incidents: Path, name: str, pages: int) -> Path:
    """The site of `incidents` with its index split in shards of `pages` pages (the timeline
    plugin's search_shard), as a large site's is in shards of 5,000."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    theme = {**config["theme"], "custom_dir": str(ROOT / config["theme"]["custom_dir"])}
    (options,) = [plugin["timeline"] for plugin in config["plugins"] if "timeline" in plugin]
    child = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "docs_dir": str(ROOT / config.get("docs_dir", "docs")),
        "watch": [str(ROOT / path) for path in config.get("watch", [])],
        "theme": theme,
        "plugins": [{"timeline": {**options, "search_shard": pages}}],
    }
    (scratch / f"{name}.yml").write_text(yaml.safe_dump(child), "utf-8")
    return build(incidents, scratch / name, config=scratch / f"{name}.yml")


@pytest.fixture(scope="module")
def sharded(scratch) -> Path:
    """The sample site with its index split in shards of three pages: the search page merges them."""
    return in_shards(scratch, INCIDENTS, "sharded", 3)


def rare_word_records(root: Path, count: int = 8) -> Path:
    """Eight incidents (or `count`), in two shards of four: "Forensic" is in the summary of the
    third only, and the second shard has no word starting with "forens" but "for" in a title,
    which Pagefind takes for "forensic" in a shard that lacks it and ranks high (a title, a rare
    word there). Every title ends "near the hill"."""
    (root / "2020").mkdir(parents=True)
    for name in ("towns.yaml", "groups.yaml"):
        shutil.copyfile(INCIDENTS / name, root / name)
    filler = [
        "Shelling hit the market in the morning and again at night.",
        "Fighters advanced towards the hill before dawn.",
        "Residents fled as the town was shelled again.",
    ]
    for n in range(count):
        day = (datetime.date(2020, 1, 1) + datetime.timedelta(days=n)).isoformat()
        summary = filler[n % 3] + (" Forensic teams examined the site afterwards." if n == 2 else "")
        record = {
            "title": "Shelling for a week near the hill" if n == 5 else f"Clash number {n} near the hill",
            "date": day,
            "type": "battle",
            "towns": ["aleppo"],
            "groups": ["islamic-state"],
            "summary": summary,
            "sources": [{"publisher": "Example News", "url": f"https://news.example/{n}"}],
        }
        text = yaml.safe_dump(record, sort_keys=False, allow_unicode=True)
        (root / "2020" / f"{day}-incident-{n}.yaml").write_text(text, "utf-8")
    return root


@pytest.fixture(scope="module")
def rare_word(scratch) -> tuple[Path, Path]:
    """The rare-word records as one index and as an index in shards of four pages."""
    source = rare_word_records(scratch / "rare-word-records")
    return build(source, scratch / "rare-word-one"), in_shards(scratch, source, "rare-word-shards", 4)


@pytest.fixture(scope="module")
def many_shards(scratch) -> tuple[Path, Path]:
    """Forty rare-word incidents as one index, and in shards of four pages whose search loads one
    shard at a time for a word (shards.json's budget: the bytes of the largest)."""
    source = rare_word_records(scratch / "many-shards-records", 40)
    site = in_shards(scratch, source, "many-shards", 4)
    manifest = json.loads((site / "pagefind" / "shards.json").read_text("utf-8"))
    manifest["budget"] = max(shard["meta"] + shard["chunk"] for shard in manifest["shards"])
    (site / "pagefind" / "shards.json").write_text(json.dumps(manifest), "utf-8")
    return build(source, scratch / "many-shards-one"), site


@pytest.fixture(scope="module")
def serve():
    """serve(site) -> its address (no trailing slash), one shared static server per site."""
    servers: dict[Path, sites.Server] = {}

    def start(site: Path) -> str:
        if site not in servers:
            servers[site] = sites.Server(site)
        return servers[site].url.rstrip("/")

    yield start
    for server in servers.values():
        server.close()


@pytest.fixture
def tab(tabs):
    """A fresh page (sites.Tabs) that fails the test if it logged an error, threw or opened a dialog."""
    opened = tabs.open(None)
    yield opened.page
    assert opened.errors == []


def search(page, query: str):
    page.locator("#tl-search-input").fill(query)
    searched(page, query)


def searched(page, query: str, results: int | None = None):
    """Wait for the results of `query` (their message is written once they have loaded),
    `results` of them if given."""
    number = r"\d[\d,]* results?" if results is None else f"{results} results?"
    expect(page.locator(".tl-search__message")).to_have_text(
        re.compile(rf"^({number}|No results) for {re.escape(query)}$")
    )


def count(page) -> int:
    text = page.locator(".tl-search__message").inner_text()
    found = re.match(r"([\d,]+) results?", text)
    assert found, f"no result count in {text!r}"
    return int(found.group(1).replace(",", ""))


def result_paths(page) -> list[str]:
    """The addresses of the results shown (the first five), once they have all loaded."""
    links = page.locator(".tl-result__link")
    expect(links).to_have_count(min(count(page), 5))
    return [link.get_attribute("href") for link in links.all()]


def open_filter(page, name: str):
    page.locator("summary.tl-filter__name", has_text=name).click()


def filter_block(page, name: str):
    return page.locator(".tl-filter", has=page.locator("summary", has_text=name))


def filter_label(page, name: str, value: str):
    """The label of a filter's value, its text exactly `value`."""
    value_text = page.locator(".tl-filter__value").get_by_text(value, exact=True)
    return filter_block(page, name).locator(".tl-filter__label", has=value_text)


def shard_folders(site: Path) -> list[Path]:
    """The search index's folders: pagefind/, then its shards (pagefind/shards.json)."""
    manifest = json.loads((site / "pagefind" / "shards.json").read_text("utf-8"))
    return [site / shard["path"] for shard in manifest["shards"]]


def pagefind_files(site: Path) -> dict[str, list[str]]:
    """Filter name -> its files, one per shard that has the filter, from their metadata."""
    files: dict[str, list[str]] = {}
    for folder in shard_folders(site):
        data = gzip.decompress(next(folder.glob("*.pf_meta")).read_bytes())
        meta, _ = _decode(data, len(SIGNATURE))
        for name, file in meta[3]:
            files.setdefault(name, []).append(
                f"{folder.relative_to(site).as_posix()}/filter/{file}.pf_filter"
            )
    return files


def index_files(paths) -> list[str]:
    return [path for path in paths if re.match(r"pagefind(-\d+)?/", path)]


def benchmark():
    """benchmarks/site.py (the benchmarks are not an installed package)."""
    if str(ROOT) not in sys.path:
        sys.path.append(str(ROOT))
    return importlib.import_module("benchmarks.site")


def fetched_from(page, site_url: str) -> list[str]:
    """Record the site-relative paths (no query string) of the requests `page` makes."""
    paths: list[str] = []
    page.on("request", lambda request: paths.append(request.url.split("?")[0].removeprefix(site_url + "/")))
    return paths


# ------------------------------------------------------------------ tests


def test_a_word_of_a_summary_finds_its_incident_which_opens(sample, serve, tab):
    data = records(INCIDENTS)
    registries = (INCIDENTS / "towns.yaml").read_text("utf-8") + (INCIDENTS / "groups.yaml").read_text(
        "utf-8"
    )
    texts = {key: yaml.safe_dump(record).lower() for key, record in data.items()}
    word, key = next(
        (word, key)
        for key, record in data.items()
        for word in sorted(set(re.findall(r"[A-Za-z]{7,}", record["summary"])))
        if sum(word.lower() in text for text in texts.values()) == 1
        and word.lower() not in registries.lower()
    )
    tab.goto(serve(sample) + "/search/")
    search(tab, word)
    assert f"/incidents/{key}/" in result_paths(tab)
    tab.locator(f".tl-result__link[href='/incidents/{key}/']").click()
    tab.wait_for_url(f"**/incidents/{key}/")
    expect(tab.locator("h1")).to_have_text(data[key]["title"])


def test_an_alias_finds_the_group_and_its_incidents(sample, serve, tab):
    groups = yaml.safe_load((INCIDENTS / "groups.yaml").read_text("utf-8"))
    assert "Daesh" in groups["islamic-state"]["aliases"]
    involved = {
        f"/incidents/{key}/"
        for key, record in records(INCIDENTS).items()
        if "islamic-state" in record["groups"]
    }
    tab.goto(serve(sample) + "/search/")
    search(tab, "Daesh")
    found = result_paths(tab)
    assert "/groups/islamic-state/" in found
    assert involved & set(found), f"no incident of the Islamic State among {found}"


def test_a_filter_narrows_and_the_search_is_kept_in_the_address(sample, serve, tab):
    data = records(INCIDENTS)
    types = sorted({record["type"] for record in data.values() if "islamic-state" in record["groups"]})
    kind = types[0]
    label = kind.replace("-", " ").capitalize()
    expected = {
        f"/incidents/{k}/" for k, r in data.items() if "islamic-state" in r["groups"] and r["type"] == kind
    }
    tab.goto(serve(sample) + "/search/")
    search(tab, "Daesh")
    before = count(tab)
    open_filter(tab, "Type")
    filter_label(tab, "Type", label).click()
    searched(tab, "Daesh", len(expected))
    assert len(expected) < before
    assert set(result_paths(tab)) == expected
    expect(tab).to_have_url(re.compile(r"/search/\?q=Daesh&type=" + re.escape(label.replace(" ", "+")) + "$"))
    linked = tab.url

    tab.locator(".tl-result__link").first.click()
    tab.wait_for_url("**/incidents/**")
    tab.go_back()
    expect(tab.locator("#tl-search-input")).to_have_value("Daesh")
    searched(tab, "Daesh", len(expected))

    tab.goto(linked)  # a link to the search shows the same results, the filter ticked
    searched(tab, "Daesh", len(expected))
    expect(tab.locator(f".tl-filter__checkbox[value='{label}']")).to_be_checked()
    assert set(result_paths(tab)) == expected


def test_more_results_by_keyboard_and_the_focus_moves_to_them(sample, serve, tab):
    tab.goto(serve(sample) + "/search/")
    search(tab, "Aleppo")
    total = count(tab)
    assert total > 5, "the sample has more than five results for Aleppo"
    first = result_paths(tab)
    tab.locator(".tl-search__more").focus()
    tab.keyboard.press("Enter")
    links = tab.locator(".tl-result__link")
    expect(links).to_have_count(min(total, 10))
    assert [link.get_attribute("href") for link in links.all()][:5] == first
    assert tab.evaluate("document.activeElement.getAttribute('href')") == links.nth(5).get_attribute("href")
    more = expect(tab.locator(".tl-search__more"))
    more.to_be_visible() if total > 10 else more.to_be_hidden()


def test_the_newest_first_order_lists_incidents_by_date(sample, serve, tab):
    data = records(INCIDENTS)
    tab.goto(serve(sample) + "/search/?q=Daesh&order=newest")
    searched(tab, "Daesh")
    found = [path.split("/")[2] for path in result_paths(tab)]
    assert found and all(key in data for key in found), "town and group pages have no date"
    dates = [str(data[key]["date"]) for key in found]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.slow
def test_from_and_to_years_narrow_to_a_date_range(synthetic, serve, tab):
    site, source = synthetic
    years = sorted({str(record["date"])[:4] for record in records(source).values()})
    low, high = years[len(years) // 3], years[len(years) // 3 + 1]
    tab.goto(serve(site) + "/search/?q=town")
    searched(tab, "town")
    everything = count(tab)
    tab.goto(serve(site) + f"/search/?q=town&from={low}&to={high}")
    message = tab.locator(".tl-search__message")
    expect(message).to_have_text(re.compile(rf"^\d+ results? for town in {low}–{high}$"))
    within = count(tab)
    assert 0 < within < everything
    links = result_paths(tab)
    assert links and all(low <= href.split("/")[2][:4] <= high for href in links), links
    expect(tab.locator(".tl-search__from select")).to_be_visible()  # the Year filter is open

    tab.locator(".tl-search__to select").select_option("")  # an open range: from `low` on
    expect(message).to_have_text(re.compile(rf" in {low}–…$"))
    expect(tab).to_have_url(re.compile(rf"/search/\?q=town&from={low}$"))
    assert count(tab) > within
    tab.locator(".tl-search__from select").select_option("")  # no range: every year again
    searched(tab, "town")
    assert count(tab) == everything
    expect(tab).to_have_url(re.compile(r"/search/\?q=town$"))


def test_a_first_query_fetches_no_default_ui_and_no_filter_file(sample, serve, tab):
    """Pagefind's default UI (its script and stylesheet) is gone, and a filter's file, which
    grows with the site, is fetched only when the reader opens that filter."""
    url = serve(sample)
    fetched = fetched_from(tab, url)
    tab.goto(url + "/search/")
    search(tab, "Daesh")
    result_paths(tab)
    tab.wait_for_load_state("networkidle")
    assert not [path for path in fetched if "pagefind-ui" in path or "pagefind-component-ui" in path]
    assert not [path for path in index_files(fetched) if "/filter/" in path], fetched
    files = pagefind_files(sample)
    open_filter(tab, "Town")
    expect(filter_block(tab, "Town").locator(".tl-filter__label").first).to_be_visible()
    tab.wait_for_load_state("networkidle")
    assert sorted(path for path in index_files(fetched) if "/filter/" in path) == sorted(files["town"])
    filter_block(tab, "Town").locator(".tl-filter__label").first.click()  # the Group filter stays closed
    expect(tab).to_have_url(re.compile(r"&town="))
    searched(tab, "Daesh")
    assert not set(files["group"]) & set(fetched)


@pytest.mark.slow
def test_the_first_query_downloads_what_the_benchmark_counts_and_a_small_part(synthetic, serve, tab):
    """The files make bench counts for the first search query are the ones Chromium fetches
    (fragments: the benchmark counts the largest, as many as the page shows)."""
    site, _ = synthetic
    bench = benchmark()
    url = serve(site)
    fetched = fetched_from(tab, url)
    sizes = {}
    tab.on("response", lambda response: sizes.update({response.url: len(response.body())}))
    tab.goto(url + "/search/")
    search(tab, bench.QUERY)
    result_paths(tab)
    tab.wait_for_load_state("networkidle")
    counted = {path.relative_to(site).as_posix() for path in bench.search_files(site)}
    index = set(index_files(fetched))
    assert {path for path in index if "/fragment/" not in path} == {
        path for path in index_files(counted) if "/fragment/" not in path
    }
    assert {"search/", "javascripts/search.js", "stylesheets/search.css"} <= set(fetched)
    assert {"javascripts/search.js", "stylesheets/search.css"} <= counted
    fragments = sum(len(list((shard / "fragment").iterdir())) for shard in shard_folders(site))
    assert sum("/fragment/" in path for path in index) <= bench.SHOWN_RESULTS < fragments
    downloaded = sum(size for address, size in sizes.items() if re.search(r"/pagefind(-\d+)?/", address))
    total = sum(len(data) for shard in shard_folders(site) for data in folder(shard).values())
    print(
        f"first query {bench.QUERY!r}: {downloaded:,} of {total:,} bytes ({downloaded / total:.1%}), {len(index)} files"
    )
    assert downloaded < 0.25 * total


def test_the_index_is_byte_identical_from_one_build_to_the_next(sample, scratch):
    again = build(INCIDENTS, scratch / "sample-again")
    for name in ("pagefind", "pagefind-route"):  # the index, and the index of which shards hold which words
        first, second = folder(sample / name), folder(again / name)
        assert first and sorted(first) == sorted(second)
        assert [name for name in first if first[name] != second[name]] == []


def every_result(page) -> list[str]:
    """The addresses of all the results, More results pressed until they are all shown."""
    links, total = page.locator(".tl-result__link"), count(page)
    expect(links).to_have_count(min(total, 5))
    while links.count() < total:
        shown = links.count()
        page.locator(".tl-search__more").click()
        expect(links).to_have_count(min(total, shown + 5))
    return [link.get_attribute("href") for link in links.all()]


def test_an_index_in_shards_finds_what_one_index_finds(sample, sharded, serve, tab):
    shards = json.loads((sharded / "pagefind" / "shards.json").read_text("utf-8"))["shards"]
    assert shards[0]["path"] == "pagefind/" and not shards[0]["dated"]  # towns and groups first
    dated = [shard["dated"] for shard in shards]
    assert dated == sorted(dated) and dated.count(True) >= 2, "the incidents in two shards or more"
    assert all((sharded / shard["path"] / "pagefind-entry.json").is_file() for shard in shards)
    listed = [s["path"].strip("/") for s in shards] + ["pagefind-route"]  # with the index of their words
    assert sorted(p.name for p in sharded.glob("pagefind*")) == sorted(listed)
    found = {}
    for site in (sample, sharded):
        tab.goto(serve(site) + "/search/?q=Aleppo")
        searched(tab, "Aleppo")
        found[site] = sorted(every_result(tab))
    # Each shard ranks and expands word prefixes on its own words, so a shard may also find a
    # page by a longer word the single index passes over; it never misses one.
    assert set(found[sample]) <= set(found[sharded])

    data = records(INCIDENTS)
    for order, newest in (("newest", True), ("oldest", False)):
        tab.goto(serve(sharded) + f"/search/?q=Aleppo&order={order}")
        searched(tab, "Aleppo")
        paths = every_result(tab)
        assert sorted(paths) == [path for path in found[sharded] if path.startswith("/incidents/")]
        keys = [path.split("/")[2] for path in paths]
        assert all(key in data for key in keys), "a date order lists incidents only, as Pagefind does"
        dates = [str(data[key]["date"]) for key in keys]
        assert len(dates) > 1 and dates == sorted(dates, reverse=newest)


def test_a_word_of_one_incident_finds_it_alone_in_an_index_in_shards_as_in_one_index(rare_word, serve, tab):
    """A shard without the word must not answer with its shorter words ("for" for "Forensic")."""
    one, sharded = rare_word
    dated = [
        s["dated"] for s in json.loads((sharded / "pagefind" / "shards.json").read_text("utf-8"))["shards"]
    ]
    assert dated.count(True) == 2, "the incidents in two shards"
    wanted = ["/incidents/2020-01-03-incident-2/"]
    for site in (one, sharded):
        for query in ("Forensic", "forensic teams", "Forensic&order=newest", "Forensic&order=oldest"):
            tab.goto(serve(site) + f"/search/?q={query}")
            words = query.split("&")[0]
            searched(tab, words)
            assert every_result(tab) == wanted, f"{words!r} in {site.name}"
    # A word every shard has is still searched in all of them.
    for site in (one, sharded):
        tab.goto(serve(site) + "/search/?q=hill")
        searched(tab, "hill", results=8)


def shown_all(page) -> list[str]:
    """The addresses of all the results, once their message is shown, More results pressed while
    it is there (in any edition's words)."""
    links, more = page.locator(".tl-result__link"), page.locator(".tl-search__more")
    while more.is_visible():
        shown = links.count()
        more.click()
        expect(links).not_to_have_count(shown)
    return [link.get_attribute("href") for link in links.all()]


def content_shards(paths: list[str]) -> set[str]:
    """The shards (folders) of the search index whose metadata a page fetched."""
    return {path.split("/")[0] for path in index_files(paths) if ".pf_meta" in path} - {"pagefind-route"}


def test_a_search_loads_only_the_shards_that_hold_its_words_and_the_next_on_more(many_shards, serve, tab):
    """Ten shards of incidents: a word of the oldest incident's shard fetches that shard alone, as
    benchmarks.site.search_files predicts, and finds its incident; a word of every incident loads
    the shards a batch at a time (the newest first), says "at least" until More results has
    loaded the last, and then lists what one index lists."""
    one, sharded = many_shards
    shards = shard_folders(sharded)
    assert sum(1 for folder in shards if (folder / "filter").is_dir()) >= 10
    bench = benchmark()
    url = serve(sharded)
    fetched = fetched_from(tab, url)
    tab.goto(url + "/search/")
    search(tab, "forensic")
    assert every_result(tab) == ["/incidents/2020-01-03-incident-2/"]
    tab.wait_for_load_state("networkidle")
    predicted = {
        path.relative_to(sharded).as_posix() for path in bench.search_files(sharded, query="forensic")
    }
    no_fragments = lambda paths: {path for path in index_files(paths) if "/fragment/" not in path}  # noqa: E731
    assert no_fragments(fetched) == no_fragments(predicted)
    assert content_shards(fetched) == {"pagefind-" + str(len(shards) - 9)}, "the oldest incidents' shard"

    tab.goto(serve(one) + "/search/?q=hill")
    searched(tab, "hill", results=40)
    everything = every_result(tab)

    fetched.clear()
    tab.goto(url + "/search/?q=hill")
    message = tab.locator(".tl-search__message")
    expect(message).to_have_text(re.compile(r"^At least \d+ results for hill$"))
    first = content_shards(fetched)
    assert 1 <= len(first) < 10, first
    assert "pagefind-" + str(len(shards)) in first, "the newest incidents first"
    expect(tab.locator(".tl-result__link")).to_have_count(5)
    listed = shown_all(tab)
    expect(message).to_have_text("40 results for hill")
    assert sorted(listed) == sorted(everything)
    assert len(content_shards(fetched)) == 10


@pytest.mark.parametrize("query", ["أم حوش", "ام حوش", "أُمّ حوش", "حو", "مار"])
def test_an_arabic_word_or_prefix_loads_the_shards_that_hold_it_and_finds_what_one_index_finds(
    sample, sharded, serve, tab, query
):
    """The Arabic edition's index in shards of three pages: its words are routed as Pagefind's
    Arabic stemmer reads them (hamza forms, diacritics, a word's first letters)."""
    found, fetched = {}, []
    for site in (sample, sharded):
        url = serve(site)
        tab.on("request", lambda request, url=url: fetched.append(request.url.removeprefix(url + "/")))
        tab.goto(url + "/ar/search/")
        tab.locator("#tl-search-input").fill(query)
        expect(tab.locator(".tl-search__message")).to_have_text(re.compile(r"\S"))
        found[site] = sorted(shown_all(tab))
        tab.wait_for_load_state("networkidle")
    assert found[sample] and found[sharded] == found[sample]
    loaded = {path.split("/")[1] for path in fetched if re.match(r"ar/pagefind-\d+/.*\.pf_meta", path)}
    assert 0 < len(loaded) < len(shard_folders(sharded / "ar")), loaded


def test_hostile_text_in_records_stays_text(hostile, serve, tab):
    site, names = hostile
    tab.goto(serve(site) + "/search/")
    search(tab, HOSTILE)
    expect(tab.locator(".tl-result__link").first).to_contain_text(ATTACKS[1])
    for name in ("Town", "Group"):
        open_filter(tab, name)
    expect(filter_label(tab, "Town", names["towns"])).to_be_visible()  # as written: not run, not escaped
    filter_label(tab, "Group", names["groups"]).click()
    expect(tab).to_have_url(re.compile(r"group="))
    searched(tab, HOSTILE)
    expect(filter_label(tab, "Group", names["groups"]).locator("input")).to_be_checked()
    tab.reload()  # the value, from the address, still finds its filter
    searched(tab, HOSTILE)
    expect(filter_label(tab, "Group", names["groups"]).locator("input")).to_be_checked()
    assert count(tab) >= 1
    search(tab, "onerror")
    expect(tab.locator(".tl-result mark").first).to_be_visible()  # highlights are built, not parsed
    tab.wait_for_timeout(500)  # time for an error handler to fire, if any element had one
    assert tab.locator("#tl-search img, #tl-search svg, #tl-search script").count() == 0
    assert tab.locator("#tl-search [onerror], #tl-search [onload]").count() == 0


def test_results_link_under_the_sub_path_of_the_site(sample, scratch, serve, tab):
    """Deployed at https://example.org/incident-timeline/: result links keep that path."""
    parent = scratch / "sub-path"
    parent.mkdir(exist_ok=True)
    if not (parent / "incident-timeline").exists():
        (parent / "incident-timeline").symlink_to(sample, target_is_directory=True)
    url = serve(parent) + "/incident-timeline"
    tab.goto(url + "/search/?q=Daesh")
    searched(tab, "Daesh")
    paths = result_paths(tab)
    assert paths and all(path.startswith("/incident-timeline/") for path in paths), paths
    tab.locator(".tl-result__link").first.click()
    tab.wait_for_url(re.compile(r"/incident-timeline/(groups|incidents)/"))
    expect(tab.locator("h1")).to_be_visible()


def test_search_survives_material_instant_navigation(instant, tab):
    tab.goto(instant + "/")
    tab.evaluate("window.notReloaded = true")  # gone if a click loads a page the classic way
    for _ in range(2):  # there and back twice: one search box each time, no error
        tab.locator(".md-tabs__link", has_text="Search").click()
        search(tab, "Daesh")
        assert tab.locator(".tl-search__form").count() == 1
        tab.locator(".md-tabs__link", has_text="Home").click()
        tab.wait_for_url(re.compile(r"/$"))
    assert tab.evaluate("window.notReloaded") is True, "instant navigation was not on"
    tab.go_back()
    expect(tab.locator("#tl-search-input")).to_have_value("Daesh")
    tab.locator(".tl-result__link").first.click()
    tab.wait_for_url(re.compile(r"/(groups|incidents)/"))
    tab.go_back()
    searched(tab, "Daesh")


def test_without_javascript_the_page_says_where_everything_is(sample, serve, chromium):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(serve(sample) + "/search/")
    note = page.locator(".md-content").inner_text()
    context.close()
    assert "Search needs JavaScript" in note
    html = (sample / "search" / "index.html").read_text("utf-8")
    for link in ("../timeline/", "../towns/", "../groups/"):
        assert f'href="{link}"' in html


def test_a_failure_is_reported_clearly(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")  # a Pagefind that stops at once
    with pytest.raises(SearchIndexError, match="Pagefind stopped"):
        SearchIndexer()
    command = [sys.executable, "-m", "generator", "build", "--site-dir", str(tmp_path / "site")]
    environment = {**os.environ, "PAGEFIND_BINARY_PATH": str(tmp_path / "no-pagefind")}
    done = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1
    assert "search index: the Pagefind binary is missing" in done.stderr
    assert not (tmp_path / "site").exists()  # a failed build leaves no half-built site


def test_pagefind_is_sent_only_what_it_reads_and_indexes_the_same(sample_dataset, tmp_path):
    """A page's data-pagefind-body element gives the index its whole page gives, and so does
    that element without what Pagefind would skip of it (an incident's citation, its table)."""
    renderer = Renderer(sample_dataset)
    wanted = {"towns/marea/", "groups/islamic-state/"}
    pages = [page for page in renderer.plan() if page.url in wanted]
    pages += sorted((page for page in renderer.plan() if page.kind.dated), key=lambda page: page.url)[:3]
    assert len(pages) == 5

    def whole_page(html: str) -> str:
        return html

    for sent in (whole_page, searchable_part, what_pagefind_reads):
        indexer = SearchIndexer()
        for page in pages:
            html = renderer.render(page)
            assert sent is whole_page or len(sent(html)) < len(html), page.url
            indexer.add_page(page.url, sent(html))
        indexer.write(tmp_path / sent.__name__)
        indexer.finish()
    incident = renderer.render(pages[-1])
    assert 'data-pagefind-ignore="all"' in incident and "<table data-pagefind-ignore>" in incident
    left = what_pagefind_reads(incident)
    assert 'data-pagefind-ignore="all"' not in left and "<table" not in left  # they were skipped
    assert 'data-pagefind-filter="year:' in left  # on an element whose text is ignored: kept
    whole = folder(tmp_path / "whole_page")
    assert whole == folder(tmp_path / "searchable_part") == folder(tmp_path / "what_pagefind_reads")


def test_readers_pages_carry_no_search_index_marks_which_the_index_had(sample):
    """Pagefind's attributes are for the index, which gets each page as rendered (the search
    tests above find incidents by the aliases they carry); readers' pages are without them."""
    for path in [*sample.glob("incidents/*/index.html"), *sample.glob("towns/*/index.html")]:
        assert "data-pagefind" not in path.read_text("utf-8"), path
    assert (
        "Daesh"
        in sites.fragments(sample, field="meta")["/incidents/2015-08-08-is-captures-umm-housh/"]["groups"]
    )


LABELS = ["Towns", "Groups", "Tags", "Control", "Summary", "Casualties as reported", "Sources", "Province",
          "Also spelled", "Also known as", "Location", "Incidents", "Reported deaths", "Own losses reported"]  # fmt: skip


def test_search_reads_the_title_summary_and_headlines_and_names_in_fields_of_their_own(sample):
    """What search.md says is searched: an incident's text is its title, its summary and its
    sources' headlines, which its excerpts are made of; the names of its towns and groups, in all
    their spellings, are fields of their own. No label ("Towns", "Sources"), nothing every page
    has (a date, "archived copy") and nothing no one types (an address, a publisher, a figure)."""
    texts, fields = sites.fragments(sample), sites.fragments(sample, field="meta")
    towns = yaml.safe_load((INCIDENTS / "towns.yaml").read_text("utf-8"))
    groups = yaml.safe_load((INCIDENTS / "groups.yaml").read_text("utf-8"))
    for key, record in records(INCIDENTS).items():
        text = texts[f"/incidents/{key}/"]
        summary_words = set(re.findall(r"\w+", record["summary"]))
        assert text.startswith(record["title"])
        assert record["summary"].split()[0] in text.split()
        for source in record["sources"]:
            if source.get("title"):
                assert source["title"] in text
            assert source["url"] not in text
            said = " ".join([record["summary"], *(s.get("title", "") for s in record["sources"])])
            if source["publisher"] not in " ".join(said.replace("*", "").split()):
                assert source["publisher"] not in text, "a publisher is no word to search for"
            if source.get("published"):
                assert str(source["published"]) not in text
        for label in LABELS:
            assert not set(label.split()) <= set(re.findall(r"[\w']+", text)) - summary_words, (key, label)
        assert not re.search(r"(^|\s)[,.;:]", text), f"punctuation left by a skipped word in {key}: {text}"
        assert "archived copy" not in text
        meta = fields[f"/incidents/{key}/"]
        for name, registry in (("towns", towns), ("groups", groups)):
            for ident in record[name]:
                item = registry[ident]
                for spelling in [item["name"], *item.get("aliases", [])]:
                    assert spelling in meta[name], (key, name, spelling)
    for url, text in texts.items():
        if not url.startswith("/incidents/"):
            assert not [label for label in LABELS if re.search(rf"\b{label}\b", text)], (url, text)


def test_a_result_excerpt_is_of_the_summary_with_the_words_found_marked(sample, serve, tab):
    """An alias found in a field, or a word of the title, shows the summary's first words; a word
    of the summary shows where it is, marked."""
    key, record = (
        "2015-08-21-is-mustard-gas-shelling-of-marea",
        records(INCIDENTS)["2015-08-21-is-mustard-gas-shelling-of-marea"],
    )
    summary = " ".join(record["summary"].replace("**", "").split())
    tab.goto(serve(sample) + "/search/")
    for query in ("Daesh", "sulfur"):
        search(tab, query)
        item = tab.locator(".tl-result", has=tab.locator(f".tl-result__link[href='/incidents/{key}/']"))
        excerpt = item.locator(".tl-result__excerpt").inner_text()
        assert not excerpt.startswith(record["title"].split()[0]), excerpt
        if query == "Daesh":
            assert summary.startswith(excerpt), excerpt
        else:
            marked = item.locator(".tl-result__excerpt mark").all_inner_texts()
            assert marked and all(word.lower().startswith("sulfur") for word in marked), marked
            assert excerpt in summary or excerpt.split("sulfur")[0].strip() in summary, excerpt
