"""A dataset written by an attacker: every text field that reaches a page carries script,
markup, template syntax or a dangerous link. The validator accepts it (it is valid text), the
site builds, and in Chromium no dialog opens, no element has an event handler or a
javascript:/data: address, and the text shows exactly as written.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import sites
from conftest import CASES

pytestmark = pytest.mark.browser

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG_BREAKOUT = '"><svg onload=alert(1)>'
TITLE_BREAKOUT = "</title><script>alert(1)</script>"
ENTITY_TRAP = "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
TEMPLATE = "{{ 7*7 }}"
RAW = "{% raw %}"
IFRAME = '<iframe src="javascript:alert(1)"></iframe>'
RAW_SVG = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
JS_LINK = "[x](javascript:alert(1))"
DATA_LINK = "[y](data:text/html,<script>alert(1)</script>)"
ATTR_LIST = "## heading {: onfocus=alert(1) autofocus }"

SUMMARY = "\n\n".join(
    [
        f"An attacker wrote this summary. {SCRIPT}",
        IMG,
        SVG_BREAKOUT,
        f"Links: {JS_LINK} and {DATA_LINK}.",
        ATTR_LIST,
        IFRAME,
        RAW_SVG,
        f"Template syntax: {TEMPLATE} and {RAW}.",
        f"Entities: {ENTITY_TRAP}",
        TITLE_BREAKOUT,
    ]
)
PUBLISHER = f"{SCRIPT} News"
OTHER_PUBLISHER = f"{IMG} Agency"

# id -> title: one payload per title, since a title reaches <title>, <h1>, meta tags and lists
TITLES = {
    "2015-08-01-script-title": f"{SCRIPT} attack on Marea",
    "2015-08-02-img-title": f"{IMG} in Marea",
    "2015-08-03-svg-title": f"{SVG_BREAKOUT} near Marea",
    "2015-08-04-title-breakout": TITLE_BREAKOUT,
    "2015-08-05-entity-trap": ENTITY_TRAP,
    "2015-08-06-template-syntax": f"{TEMPLATE} and {RAW} in Marea",
    "2015-08-07-iframe-title": f"{IFRAME} shelling",
}
REDIRECTED = "2015-08-01-script-title"
OLD_ID = "2015-08-01-old-script-title"

TOWN = {
    "name": f"{SCRIPT} Town",
    "province": SVG_BREAKOUT,
    "district": TITLE_BREAKOUT,
    "lat": 36.45,
    "lon": 37.15,
    "name_ar": IMG,
    "aliases": [TEMPLATE, RAW, ENTITY_TRAP, IFRAME],
}
ENTITY_TOWN = {"name": f"{ENTITY_TRAP} Village", "province": "Aleppo", "lat": 36.46, "lon": 37.16}
GROUP = {
    "name": f"{IMG} Brigade",
    "short": SVG_BREAKOUT,
    "name_ar": TITLE_BREAKOUT,
    "aliases": [f"{TEMPLATE} Front", f"{RAW} Front", RAW_SVG, ENTITY_TRAP + " Army"],
    "description": f"{SCRIPT} {IFRAME}\n{RAW_SVG}\n{TEMPLATE} {RAW} {ENTITY_TRAP} {JS_LINK}",
}


def yaml_entry(key: str, fields: dict) -> str:
    """A registry entry; every string JSON-quoted (a valid YAML double-quoted scalar)."""
    lines = [f"{key}:"]
    for name, value in fields.items():
        if isinstance(value, list):
            lines += [f"  {name}:"] + [f"    - {json.dumps(v)}" for v in value]
        else:
            lines.append(f"  {name}: {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def incident(incident_id: str, title: str) -> str:
    record = [
        f"title: {json.dumps(title)}",
        f'date: "{incident_id[:10]}"',
        "type: battle",
        "towns: [hostile-town, entity-town, marea]",
        "groups: [hostile-group, islamic-state]",
        f"summary: {json.dumps(SUMMARY)}",
        "casualties:",
        "  - group: hostile-group",
        "    killed: 2",
        f"    according_to: {json.dumps(PUBLISHER)}",
        "  - group: hostile-group",
        "    killed: 5",
        f"    according_to: {json.dumps(OTHER_PUBLISHER)}",
        "control:",
        "  town: hostile-town",
        "  from: islamic-state",
        "  to: hostile-group",
        "sources:",
        f"  - publisher: {json.dumps(PUBLISHER)}",
        '    url: "https://example.org/report?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"',
        f"    title: {json.dumps(TITLE_BREAKOUT + ' ' + IMG)}",
        f"  - publisher: {json.dumps(OTHER_PUBLISHER)}",
        "    url: 'https://example.org/\"><svg/onload=alert(1)>'",
        f"    title: {json.dumps(IFRAME + ' ' + TEMPLATE + ' ' + ENTITY_TRAP)}",
        "    archive_url: 'https://archive.example.org/\"onmouseover=alert(1)'",
    ]
    if incident_id == REDIRECTED:
        record += ["redirect_from:", f"  - {OLD_ID}"]
    return "\n".join(record) + "\n"


def write_hostile(root: Path) -> Path:
    root.mkdir(parents=True)
    towns = (CASES / "registry" / "towns.yaml").read_text(encoding="utf-8")
    groups = (CASES / "registry" / "groups.yaml").read_text(encoding="utf-8")
    (root / "towns.yaml").write_text(
        towns.rstrip("\n") + "\n" + yaml_entry("hostile-town", TOWN) + yaml_entry("entity-town", ENTITY_TOWN)
    )
    (root / "groups.yaml").write_text(groups.rstrip("\n") + "\n" + yaml_entry("hostile-group", GROUP))
    (root / "2015").mkdir()
    for incident_id, title in TITLES.items():
        (root / "2015" / f"{incident_id}.yaml").write_text(incident(incident_id, title), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    records = write_hostile(tmp_path_factory.mktemp("hostile") / "incidents")
    shutil.copytree(
        records, tmp_path_factory.mktemp("hostile-records-copy") / "incidents"
    )  # for a post-mortem
    return sites.build(records, tmp_path_factory.mktemp("hostile-site") / "site")


PAGES = (
    ["", "timeline/", "timeline/2015/", "towns/", "groups/", "towns/hostile-town/", "groups/hostile-group/"]
    + [f"incidents/{incident_id}/" for incident_id in TITLES]
    + [f"incidents/{OLD_ID}/"]
)


# ------------------------------------------------------------------ the built HTML


RAW_PAYLOADS = [
    SCRIPT,
    "<img src=x",
    "<svg onload",
    "<svg/onload",
    "<iframe",
    '<svg xmlns="http://www.w3.org/2000/svg" onload',
    TITLE_BREAKOUT,
    '"onmouseover=',
]
DANGEROUS_URL = re.compile(r"^\s*(javascript|data|vbscript):", re.IGNORECASE)


def test_payloads_never_appear_unescaped_in_the_html(hostile_site):
    found = []
    for path in sites.html_files(hostile_site):
        html = path.read_text(encoding="utf-8")
        for payload in RAW_PAYLOADS:
            if payload in html:
                at = html.index(payload)
                found.append(f"{path.relative_to(hostile_site)}: {html[max(0, at - 80) : at + 60]!r}")
    assert not found, f"{len(found)} raw payloads in the HTML, e.g.:\n" + "\n".join(found[:15])


def test_no_event_handler_or_script_address_in_the_html(hostile_site):
    found = []
    for path in sites.html_files(hostile_site):
        doc = sites.parse(path)
        where = path.relative_to(hostile_site)
        for tag, attrs in doc.elements:
            for name, value in attrs.items():
                if name.startswith("on"):
                    found.append(f"{where}: <{tag} {name}={value!r}>")
                if name in (
                    "href",
                    "src",
                    "action",
                    "formaction",
                    "xlink:href",
                    "srcdoc",
                ) and DANGEROUS_URL.match(value or ""):
                    found.append(f"{where}: <{tag} {name}={value!r}>")
            if tag in ("iframe", "object", "embed", "frame"):
                found.append(f"{where}: <{tag}>")
    assert not found, f"{len(found)} dangerous elements, e.g.:\n" + "\n".join(found[:15])


def test_page_titles_show_the_record_text_exactly(hostile_site):
    for incident_id, title in TITLES.items():
        doc = sites.parse(hostile_site / "incidents" / incident_id / "index.html")
        assert len(doc.find("title")) == 1, f"{incident_id}: {len(doc.find('title'))} <title> elements"
        assert doc.title == f"{title} - Incident timeline", (incident_id, doc.title)
        assert " ".join(doc.h1.split()) == title, (incident_id, doc.h1)
        assert doc.find("meta", name="description")[0]["content"].endswith(title), incident_id


def test_template_syntax_stays_literal(hostile_site):
    for page in ("incidents/2015-08-06-template-syntax/", "towns/hostile-town/", "groups/hostile-group/"):
        text = sites.parse(hostile_site / page / "index.html").text
        assert TEMPLATE in text and RAW in text, f"{page} lost the literal template syntax"
        assert not re.search(r"\b49\b", text), f"{page} evaluated {TEMPLATE}"


# ------------------------------------------------------------------ in the browser

FIND_DANGER = """() => {
  const found = [];
  const describe = el => '<' + el.tagName.toLowerCase() + (el.className ? ' class=' + el.className : '') + '>';
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const value = attr.value.trim().toLowerCase();
      if (attr.name.startsWith('on')) found.push(describe(el) + ' ' + attr.name + '=' + attr.value);
      const own = el.matches('form.pagefind-ui__form') && attr.name === 'action' && value === 'javascript:void(0);';
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc', 'data'].includes(attr.name)
          && /^(javascript|data|vbscript):/.test(value) && !own)  // Pagefind UI's own form: not from records
        found.push(describe(el) + ' ' + attr.name + '=' + attr.value);
    }
    if (['IFRAME', 'OBJECT', 'EMBED', 'FRAME'].includes(el.tagName)) found.push(describe(el));
    if (el.tagName === 'SCRIPT' && el.type !== 'application/json' && /alert\\(/.test(el.textContent))
      found.push('script: ' + el.textContent.slice(0, 80));
  }
  for (const el of document.querySelectorAll('a[href]')) {
    if (/^(javascript|data|vbscript):/i.test(el.href)) found.push('a.href ' + el.href);
  }
  return found;
}"""


@pytest.fixture(scope="module")
def hostile_server(hostile_site):
    with sites.Server(hostile_site) as running:
        yield running


def test_no_dialog_and_no_handler_in_any_page(chromium, hostile_server):
    dialogs, dangers, errors = [], {}, []
    context = chromium.new_context()
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(hostile_server.url)
            else route.fulfill(status=200, body="")
        ),
    )
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        for path in PAGES:
            page.goto(hostile_server.url + path, wait_until="load")
            if path == f"incidents/{OLD_ID}/":
                page.wait_for_url(hostile_server.url + f"incidents/{REDIRECTED}/", timeout=5000)
            for _ in range(5):  # move the focus around: autofocus/onfocus traps
                page.keyboard.press("Tab")
            page.mouse.move(200, 300)
            page.wait_for_timeout(100)
            found = page.evaluate(FIND_DANGER)
            if found:
                dangers[path] = found
            if path == "incidents/2015-08-06-template-syntax/":
                text = page.inner_text("article")
                assert TEMPLATE in text and RAW in text
            if path == "timeline/2015/":  # the filters build <option>s from record names
                page.select_option(".tl-filters select[name=group]", "hostile-group")
                page.select_option(".tl-filters select[name=town]", "hostile-town")
                found = page.evaluate(FIND_DANGER)
                if found:
                    dangers[path + " (filtered)"] = found
        search = hostile_server.url + "search/"
        page.goto(search, wait_until="load")
        box = page.locator("#tl-search-input")
        box.wait_for(timeout=10000)
        for query in ("alert", "script", "Brigade", "iframe"):
            box.fill(query)
            page.locator(".tl-result").first.wait_for(timeout=10000)
            page.wait_for_timeout(300)
            found = page.evaluate(FIND_DANGER)
            if found:
                dangers[f"search/?q={query}"] = found
        # excerpts show the text as the page does: markup as text, and "&lt;" in a name as "&lt;"
        box.fill("Village")
        page.locator(".tl-search__message", has_text="for Village").wait_for(timeout=10000)
        excerpts = page.eval_on_selector_all(".tl-result__excerpt", "els => els.map(e => e.textContent)")
        village = page.eval_on_selector_all(".tl-result__link", "els => els.map(e => e.textContent.trim())")
        box.fill("iframe")
        page.locator(".tl-result").first.wait_for(timeout=10000)
        # the filters list town and group names: shown as written, neither run nor double-escaped
        for name in ("Town", "Group"):
            page.locator("summary.tl-filter__name", has_text=name).click()
        page.locator(".tl-filter--group .tl-filter__value").first.wait_for(timeout=10000)
        page.locator(".tl-filter--town .tl-filter__value").first.wait_for(timeout=10000)
        found = page.evaluate(FIND_DANGER)
        if found:
            dangers["search/?q=iframe (filters open)"] = found
        labels = page.eval_on_selector_all(".tl-filter__value", "els => els.map(e => e.textContent)")
        results = page.eval_on_selector_all(".tl-result__link", "els => els.map(e => e.textContent.trim())")
        # a filter value with markup, ticked: the search and the address keep it as text
        page.locator(".tl-filter__label", has=page.get_by_text(GROUP["name"], exact=True)).click()
        page.wait_for_url("**group=**", timeout=10000)
        page.reload(wait_until="load")
        page.locator(".tl-result").first.wait_for(timeout=10000)
        page.wait_for_timeout(300)
        found = page.evaluate(FIND_DANGER)
        if found:
            dangers["search/?q=iframe&group=... (reloaded)"] = found
        ticked = page.eval_on_selector_all(".tl-filter__checkbox:checked", "els => els.map(e => e.value)")
    finally:
        context.close()
    assert not dialogs, f"dialogs opened: {dialogs}"
    assert not dangers, "dangerous elements in the DOM:\n" + "\n".join(
        f"{k}: {v[:5]}" for k, v in dangers.items()
    )
    assert not errors, f"script errors: {errors}"
    names = (TOWN["name"], ENTITY_TOWN["name"], GROUP["name"])
    missing = [name for name in names if name not in labels]
    pages = (*TITLES.values(), *names, "Marea", "Islamic State")  # incidents, towns, groups
    wrong = {title for title in results if not title.startswith(pages)}
    assert results and not wrong, f"search results show titles that no record has: {sorted(wrong)}"
    assert not missing, f"search filters do not show {missing} as written; they show {labels}"
    # the town's name is its result's title (an excerpt leaves the title out), shown as written
    assert any(title.startswith(ENTITY_TOWN["name"]) for title in village), (village, excerpts)
    assert ticked == [GROUP["name"]], f"the group ticked in the address is not found again: {ticked}"
