"""Search quality: does a word that occurs in one incident only find that incident first?

The dataset is the synthetic one with summaries of natural prose (`generator.synthetic
--prose`, the King James Version in corpus/), as real reports have rare words, names and short
words that start longer ones, which a word list has not. The site is built as users get it,
its index in shards (ShardedSearchIndex); its floor is one Pagefind index over the same pages,
written by the same Pagefind's command line (`pagefind --site`) into pagefind-one/. Both are
searched in headless Chromium: the site through its own search page's code
(`tlSearch.search` in docs/javascripts/search.js), the floor through Pagefind's API.

Queries, drawn with the seed from what the dataset has:
- words: a word (5 letters or more) of the title, summary or sources' titles of an incident, such that
  no other incident, town or group has a word whose stem starts with its stem (Pagefind finds
  a word by its stem, Snowball's English, and the words that extend it);
- names: two capitalised words side by side in a title or summary, both written in the corpus
  and never in lower case there (names of its people and places, not the first word of a
  sentence, not the towns and groups the generator invents), that one incident only has both of
  in that sense (a search finds the pages that have every word, side by side or not).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import lzma
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from generator import synthetic

from .run import OUT, PYTHON, _cached, set_aside, site_config

CORPUS = Path(__file__).parent / "corpus" / "kjv.txt.xz"
WORDS, NAMES = 200, 100  # queries of each kind, at most
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
WORD = re.compile(r"[A-Za-z]+")
NAME_PAIR = re.compile(r"(?=\b([A-Z][a-z]{2,}) ([A-Z][a-z]{2,})\b)")


@dataclass
class Result:
    kind: str  # "words" or "names"
    queries: int
    ours: int  # the incident first, by the site's search page
    floor: int  # the incident first, by one index
    ours_ms: float  # per query, in the browser
    floor_ms: float


@functools.cache
def prose() -> tuple[str, ...]:
    return tuple(lzma.decompress(CORPUS.read_bytes()).decode("utf-8").splitlines())


def dataset(n: int, seed: int) -> Path:
    """The prose dataset of n incidents, made again only when the generator or corpus changes."""
    source = hashlib.sha256(Path(synthetic.__file__).read_bytes() + CORPUS.read_bytes()).hexdigest()[:16]
    return _cached(
        OUT / "data" / f"{n}-seed{seed}-prose",
        f"{n} {seed} {source}",
        lambda folder: synthetic.write_dataset(folder, n, seed, list(prose())),
    )


def texts(data: Path) -> tuple[dict[str, list[str]], str]:
    """What search reads of each incident, by its address: its title, its summary (one line) and
    its sources' titles; and the towns' and groups' registries as text."""
    incidents = {}
    for path in sorted(data.glob("*/*.yaml")):
        record = yaml.safe_load(path.read_text("utf-8"))
        titles = [s["title"] for s in record.get("sources", []) if s.get("title")]
        incidents[f"/incidents/{path.stem}/"] = [
            record["title"],
            " ".join(record["summary"].split()),
            *titles,
        ]
    registries = (data / "towns.yaml").read_text("utf-8") + (data / "groups.yaml").read_text("utf-8")
    return incidents, registries


def queries(incidents: dict[str, list[str]], registries: str, seed: int) -> dict[str, list[tuple[str, str]]]:
    """(query, the address of its one incident) of each kind, as the module's text says."""
    import snowballstemmer  # Pagefind stems with Snowball's English stemmer, and so does this

    stem = snowballstemmer.stemmer("english").stemWord
    where = defaultdict(set)  # a stem: the incidents that have it ("" for the registries)
    for url, parts in incidents.items():
        for word in set(WORD.findall(" ".join(parts).lower())):
            where[stem(word)].add(url)
    for word in set(WORD.findall(registries.lower())):
        where[stem(word)].add("")
    stems = sorted(where)

    def found(word: str) -> set[str]:
        """The pages with a word whose stem starts as this word's does: what Pagefind finds."""
        start = stem(word.lower())
        at, pages = bisect.bisect_left(stems, start), set()
        while at < len(stems) and stems[at].startswith(start):
            pages |= where[stems[at]]
            at += 1
        return pages

    words = sorted(
        (word, next(iter(pages)))
        for word in {
            w for parts in incidents.values() for w in WORD.findall(" ".join(parts).lower()) if len(w) >= 5
        }
        if len(pages := found(word)) == 1 and "" not in pages
    )
    written = set(WORD.findall(" ".join(prose())))
    names = set()  # words the corpus writes capitalised only: names, of its passages
    for parts in incidents.values():
        for part in parts:
            for pair in NAME_PAIR.findall(part):
                if all(word in written and word.lower() not in written for word in pair):
                    names.add(" ".join(pair))
    names = sorted(
        (name, next(iter(pages)))
        for name in names
        if len(pages := set.intersection(*(found(word) for word in name.split()))) == 1 and "" not in pages
    )
    draw = random.Random(f"queries {seed}")
    return {
        "words": draw.sample(words, min(WORDS, len(words))),
        "names": draw.sample(names, min(NAMES, len(names))),
    }


def build(data: Path, n: int) -> Path:
    """The site as users get it (its index in shards), and one Pagefind index of its pages."""
    out = OUT / f"quality-site-{n}"
    set_aside(out)
    config = site_config(data, f"{n}-quality")
    command = [PYTHON, "-m", "generator", "build", "--incidents", data, "--site-dir", out, "--config", config]
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the build exited {done.returncode}:\n{done.stderr[-3000:]}")
    one = [PYTHON, "-m", "pagefind", "--site", str(out), "--output-subdir", "pagefind-one", "--quiet"]
    done = subprocess.run(one, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"pagefind --site exited {done.returncode}:\n{done.stderr[-3000:]}")
    return out


FIRST = """async ({queries, floor}) => {
  let search = (term) => window.tlSearch.search(term);
  if (floor) {
    const one = await import("/pagefind-one/pagefind.js");
    await one.options({ baseUrl: "/" });
    search = (term) => one.search(term);
  }
  const first = [];
  const start = performance.now();
  for (const term of queries) {
    const found = await search(term);
    first.push(found.results.length ? (await found.results[0].data()).url : null);
  }
  return { first, ms: (performance.now() - start) / Math.max(1, queries.length) };
}"""


def first_results(site: Path, asked: list[str]) -> tuple[dict[bool, list], dict[bool, float]]:
    """The address of the first result of each query, by the site's search and by one index."""
    from playwright.sync_api import sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    first, ms = {}, {}
    try:
        with sync_playwright() as playwright:
            executable = shutil.which("chromium") or shutil.which("chromium-browser")
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            for floor in (False, True):
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/")
                page.wait_for_function("window.tlSearch && window.tlSearch.search")
                answer = page.evaluate(FIRST, {"queries": asked, "floor": floor})
                first[floor], ms[floor] = answer["first"], answer["ms"]
                page.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return first, ms


def measure(n: int, seed: int, say=lambda text: print(text, file=sys.stderr)) -> list[Result]:
    say(f"[{n:,}] search quality: dataset of natural prose, site, one index")
    data = dataset(n, seed)
    drawn = queries(*texts(data), seed)
    site = build(data, n)
    say(f"[{n:,}] search quality: {sum(map(len, drawn.values()))} queries in Chromium")
    results = []
    try:
        for kind, pairs in drawn.items():
            start = time.perf_counter()
            first, ms = first_results(site, [query for query, _ in pairs])
            hits = {
                floor: sum(got == url for got, (_, url) in zip(first[floor], pairs, strict=True))
                for floor in first
            }
            results.append(Result(kind, len(pairs), hits[False], hits[True], ms[False], ms[True]))
            say(f"[{n:,}] {kind}: {hits[False]}/{len(pairs)} first, one index {hits[True]}/{len(pairs)}"
                f" ({time.perf_counter() - start:.0f} s)")  # fmt: skip
    finally:
        set_aside(site)
    return results


def main(argv: list[str] | None = None) -> int:
    """`python -m benchmarks.quality [N ...]`: the figures alone, without the rest of the bench."""
    sizes = [int(a.replace(",", "").replace("_", "")) for a in (argv or sys.argv[1:])] or [1000]
    for n in sizes:
        for result in measure(n, 1):
            print(n, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
