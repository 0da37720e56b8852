"""The form at /new/ in a real headless Chromium: its fields come from the schema, what it writes
is read back by the project's own loader value for value (hostile text included), passes the
validator and `generator fmt --check` unchanged, its messages are the validator's, and it works
with the keyboard, on a phone, without JavaScript and under axe-core.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import sites
import yaml
from conftest import ROOT, TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.fmt import format_file, format_text
from generator.form import LEFT_OUT, URL_LIMIT
from generator.load import Document, load_document
from generator.model import PartialDate
from generator.schema import INCIDENT, SOURCE, check_node
from generator.types import Checker
from generator.validate import validate_tree

pytestmark = pytest.mark.browser
REAL = ROOT / "incidents"
TODAY_KEY = {"key": TODAY.year * 10000 + TODAY.month * 100 + TODAY.day}


def open_form(chromium, server, **options):
    context = chromium.new_context(**options)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(server.url + "new/")
    if options.get("java_script_enabled", True):
        page.locator("form.tl-new[data-ready]").wait_for(timeout=10000)
    return context, page, errors


@pytest.fixture
def form(chromium, server):
    context, page, errors = open_form(chromium, server)
    yield page
    context.close()
    assert not errors, errors


@pytest.fixture(scope="module")
def shared_form(chromium, server):
    """One page for the property tests (hypothesis runs many examples on it)."""
    context, page, errors = open_form(chromium, server)
    yield page
    context.close()
    assert not errors, errors


def records_with_real_registries(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name in ("towns.yaml", "groups.yaml"):
        shutil.copy(REAL / name, root / name)
    return root


def loaded_values(text: str) -> dict:
    """What the project's loader and schema read in a record's text."""
    loaded = load_document("form.yaml", text.encode("utf-8"))
    assert isinstance(loaded, Document), loaded
    checker = Checker("form.yaml")
    values = check_node("incident", loaded.root, checker)
    assert not checker.problems, [p.text() for p in checker.problems]
    return values


def make(page, raw: dict) -> dict:
    """The form's own checks and writer on raw values, as its fields hold them."""
    return page.evaluate("([raw, today]) => tlNewRecord.make(tlNewRecord.data, raw, today)", [raw, TODAY_KEY])


# ------------------------------------------------------------------ fields from the one definition


def test_every_field_is_labelled_with_the_reference_name(form):
    for field in INCIDENT.fields:
        if field.name in LEFT_OUT:
            continue
        name = re.compile(rf"^{re.escape(field.label)}$")
        found = form.get_by_role("combobox", name=name).or_(form.get_by_role("textbox", name=name))
        found = found.or_(form.get_by_role("group", name=name)).or_(form.get_by_role("radiogroup", name=name))
        assert found.count() >= 1, f"no control labelled {field.label!r}"
    source = form.locator(".tl-field--sources fieldset").first
    for field in SOURCE.fields:
        assert source.get_by_label(field.label, exact=True).count() == 1
    assert form.get_by_role("combobox", name="Towns").count() == 1
    assert form.get_by_role("combobox", name="Groups").count() == 1
    assert form.get_by_label("YAML", exact=True).count() == 1


def test_the_description_follows_the_published_json_schema(form):
    data = form.evaluate("() => tlNewRecord.data")
    published = json.loads((ROOT / "docs" / "schema" / "incident.schema.json").read_text("utf-8"))
    fields = {f["name"]: f for f in data["incident"]["fields"] if "translates" not in f}
    assert list(fields) == [name for name in published["properties"] if name not in LEFT_OUT]
    translations = [(f["name"], f["translates"]) for f in data["incident"]["fields"] if "translates" in f]
    translatable = [f.name for f in INCIDENT.translatable]
    assert translations == [(f"{name}_ar", name) for name in translatable]  # mkdocs.yml: [en, ar]
    for name, _field in translations:
        assert re.fullmatch(
            next(iter(published["patternProperties"])).replace("title", "(title|summary)"), name
        )
    assert {n for n, f in fields.items() if f["required"]} == set(published["required"])
    assert fields["type"]["type"]["choices"] == published["properties"]["type"]["enum"]
    assert set(data["types"]) == set(published["properties"]["type"]["enum"])
    for name, field in fields.items():
        schema = published["properties"][name]
        assert field["doc"] == schema["description"]
        if "maxLength" in schema:
            assert field["type"]["max"] == schema["maxLength"], name
    towns = yaml.safe_load((REAL / "towns.yaml").read_text("utf-8"))
    assert [t[0] for t in data["towns"]] == sorted(towns)
    # each type's radio button shows what the type covers
    for name, doc in data["types"].items():
        assert form.locator(".tl-choice", has_text=doc).count() == 1, name


def test_only_the_form_page_loads_the_forms_files(sample_site):
    """The form's page of each edition (new/, ar/new/), and no other page."""
    for page in sites.html_files(sample_site):
        html = page.read_text("utf-8")
        loads = any(name in html for name in ("assets/new.js", "assets/new.css"))
        parts = page.relative_to(sample_site).parts
        assert loads == (parts[-2:] == ("new", "index.html") and len(parts) <= 3), page


# ------------------------------------------------------------------ filling it in


def fill_valid(page, title="IS shells the market in Marea"):
    page.get_by_label("Title", exact=True).first.fill(title)
    page.get_by_label("Date", exact=True).fill("2015-08-12")
    page.get_by_role("radio", name=re.compile("^explosion")).check()
    towns = page.get_by_role("combobox", name="Towns")
    towns.fill("مارع")  # Marea's Arabic name
    towns.press("Enter")
    groups = page.get_by_role("combobox", name="Groups")
    groups.fill("daesh")  # an alias of islamic-state
    groups.press("Enter")
    page.get_by_label("Summary", exact=True).fill("Shells hit the market in Marea on Wednesday morning.")
    source = page.locator(".tl-field--sources fieldset").first
    source.get_by_label("Publisher", exact=True).fill("Agence France-Presse")
    source.get_by_label("URL", exact=True).fill("https://www.afp.com/en/news/1")


def yaml_of(page) -> str:
    return page.get_by_label("YAML", exact=True).input_value()


def test_a_filled_form_writes_a_record_that_validates_and_is_formatted(form, tmp_path):
    fill_valid(form)
    text = yaml_of(form)
    where = form.locator(".tl-new-path").inner_text()
    assert "incidents/2015/" in where and "2015-08-12-is-shells-the-market-in-marea.yaml" in where
    values = loaded_values(text)
    assert values["towns"] == ["marea"] and values["groups"] == ["islamic-state"]
    assert values["date"] == PartialDate(2015, 8, 12) and values["type"] == "explosion"
    root = records_with_real_registries(tmp_path / "incidents")
    path = root / "2015" / "2015-08-12-is-shells-the-market-in-marea.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8", newline="\n")
    assert [p.text() for p in validate_tree(root, today=TODAY).problems] == []
    for command in (["validate", str(root)], ["fmt", "--check", str(root)]):
        done = subprocess.run([sys.executable, "-m", "generator", *command], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    link = form.get_by_role("link", name="Propose on GitHub")
    assert link.get_attribute("aria-disabled") is None
    query = parse_qs(urlsplit(link.get_attribute("href")).query)
    assert query == {"filename": [f"incidents/2015/{path.name}"], "value": [text]}
    assert link.get_attribute("href").startswith("https://github.com/example/incident-timeline/new/main?")


def test_translations_have_fields_in_their_language_written_where_fmt_puts_them(form, tmp_path):
    """Each translatable field is followed by its translation into each further language of the
    site (mkdocs.yml's languages: title_ar, summary_ar), written right to left, and the record
    keeps them in fmt's order."""
    fill_valid(form)
    title_ar = form.get_by_label("Title in Arabic", exact=True)
    summary_ar = form.get_by_label("Summary in Arabic", exact=True)
    for control in (title_ar, summary_ar):
        assert (control.get_attribute("lang"), control.get_attribute("dir")) == ("ar", "rtl")
        assert control.evaluate("e => getComputedStyle(e).direction") == "rtl"
    title_ar.fill("تنظيم الدولة يقصف سوق مارع")
    summary_ar.fill("سقطت قذائف على سوق مارع صباح الأربعاء.")
    assert form.locator(".tl-field--summary_ar .tl-preview").get_attribute("dir") == "rtl"
    text = yaml_of(form)
    keys = list(yaml.safe_load(text))
    assert keys[keys.index("title") + 1] == "title_ar" and keys[keys.index("summary") + 1] == "summary_ar"
    assert format_text(text) == text
    root = records_with_real_registries(tmp_path / "incidents")
    path = root / "2015" / "2015-08-12-is-shells-the-market-in-marea.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8", newline="\n")
    result = validate_tree(root, today=TODAY, languages=("en", "ar"))
    assert [p.text() for p in result.problems] == []
    assert result.dataset.incidents[0].translated("title", "ar") == "تنظيم الدولة يقصف سوق مارع"


def test_the_arabic_form_speaks_arabic(chromium, server):
    """/ar/new/: the page, the labels and the script's words in Arabic (the catalogue's); the
    fields' descriptions and the validator's messages, which are English, marked as English."""
    context = chromium.new_context()
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server.url + "ar/new/")
        page.locator("form.tl-new[data-ready]").wait_for(timeout=10000)
        assert page.inner_text("article h1") == "إضافة حادثة"
        assert page.get_by_label("العنوان", exact=True).count() == 2  # the incident's and its source's
        assert page.get_by_label("العنوان (العربية)", exact=True).get_attribute("dir") == "rtl"
        assert page.get_by_role("button", name="انسخ").count() == 1
        assert page.get_by_role("button", name="أضف مصدرًا").count() == 1
        assert page.get_by_role("radio", name=re.compile("^انفجار")).count() == 1
        hint = page.locator(".tl-field--title .tl-hint span").first
        assert (hint.get_attribute("lang"), hint.get_attribute("dir")) == ("en", "ltr")
        status = page.inner_text(".tl-new-status")
        assert status.startswith("في السجل ") and status.endswith(
            "؛ تظهر كل منها بجانب حقلها بعد أن تملأه."
        ), status
        page.get_by_label("التاريخ", exact=True).fill("2015-02-30")
        page.get_by_label("العنوان", exact=True).first.click()
        error = page.locator(".tl-field--date .tl-error")
        assert error.get_attribute("lang") == "en" and "not a day of the calendar" in error.inner_text()
        towns = page.get_by_role("combobox", name="البلدات")
        towns.fill("marea")
        assert page.locator(".tl-listbox .tl-other-name[lang=ar][dir=rtl]").first.inner_text() == "مارع"
        assert not errors, errors
    finally:
        context.close()


def test_the_propose_link_is_disabled_while_a_field_has_an_error(form):
    fill_valid(form)
    form.get_by_label("Date", exact=True).fill("2015-02-30")
    link = form.get_by_role("link", name="Propose on GitHub")
    assert link.get_attribute("aria-disabled") == "true" and link.get_attribute("href") is None
    error = form.locator(".tl-field--date .tl-error")
    assert error.is_visible()
    assert error.inner_text() == "date: '2015-02-30' is not a day of the calendar; check the day of the month"
    assert form.get_by_label("Date", exact=True).get_attribute("aria-invalid") == "true"
    form.get_by_label("Date", exact=True).fill("2015-02-28")
    assert link.get_attribute("aria-disabled") is None and not error.is_visible()


def test_a_record_too_long_for_an_address_offers_copy_and_download(chromium, server):
    context, page, errors = open_form(chromium, server, accept_downloads=True)
    try:
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        fill_valid(page)
        summary = ("A long account of the day, sentence after sentence, as sources told it. " * 80).strip()
        page.get_by_label("Summary", exact=True).fill(summary)
        text = yaml_of(page)
        assert len(text) > URL_LIMIT
        link = page.get_by_role("link", name="Propose on GitHub")
        query = parse_qs(urlsplit(link.get_attribute("href")).query)
        assert query == {"filename": ["incidents/2015/2015-08-12-is-shells-the-market-in-marea.yaml"]}
        note = page.locator(".tl-new-long")
        assert note.is_visible() and "too long to pass in an address" in note.inner_text()
        with page.expect_download() as download:
            page.get_by_role("button", name="Download .yaml").click()
        assert download.value.suggested_filename == "2015-08-12-is-shells-the-market-in-marea.yaml"
        assert Path(download.value.path()).read_text("utf-8") == text
        page.get_by_role("button", name="Copy").click()
        sites.wait_for(page, "() => document.querySelector('.tl-new-copied').textContent === 'Copied.'")
        assert page.evaluate("() => navigator.clipboard.readText()") == text
    finally:
        context.close()
    assert not errors, errors


def test_a_title_without_latin_letters_takes_the_id_words_written_for_it(form, tmp_path):
    fill_valid(form, title="تنظيم الدولة يقصف سوق مارع")
    title_error = form.locator(".tl-field--title .tl-error").first
    assert "the title has no latin letters or digits to make the id from" in title_error.inner_text()
    link = form.get_by_role("link", name="Propose on GitHub")
    assert link.get_attribute("aria-disabled") == "true"
    words = form.get_by_label("Id", exact=True)
    words.fill("Market Shelled")
    assert "'Market Shelled': use lowercase letters, digits and single hyphens, at most 89" in (
        form.locator(".tl-field--id .tl-error").inner_text()
    )
    words.fill("is-shells-marea-market")
    assert not title_error.is_visible() and link.get_attribute("aria-disabled") is None
    path = parse_qs(urlsplit(link.get_attribute("href")).query)["filename"][0]
    assert path == "incidents/2015/2015-08-12-is-shells-marea-market.yaml"
    root = records_with_real_registries(tmp_path / "incidents")
    (root / "2015").mkdir()
    (root / "2015" / Path(path).name).write_text(yaml_of(form), encoding="utf-8")
    assert [p.text() for p in validate_tree(root, today=TODAY).problems] == []
    assert loaded_values(yaml_of(form))["title"] == "تنظيم الدولة يقصف سوق مارع"


def test_comboboxes_find_by_name_alias_or_arabic_and_work_with_the_keyboard(form):
    towns = form.get_by_role("combobox", name="Towns")
    towns.focus()
    form.keyboard.type("cobanbey")  # an alias of al-Ra'i, typed without its cedilla
    assert towns.get_attribute("aria-expanded") == "true"
    options = form.get_by_role("listbox", name="Towns").get_by_role("option")
    assert options.count() >= 1
    form.keyboard.press("ArrowDown")
    active = towns.get_attribute("aria-activedescendant")
    assert active and form.locator(f"#{active}").get_attribute("aria-selected") == "true"
    form.keyboard.press("Enter")
    assert towns.input_value() == "" and towns.get_attribute("aria-expanded") == "false"
    assert form.get_by_role("button", name="Remove al-Ra'i").count() == 1
    groups = form.get_by_role("combobox", name="Groups")
    groups.fill("ISIS")
    groups.press("Enter")
    groups.fill("nowhere-group")
    groups.press("Enter")
    assert "'nowhere-group' is not in groups.yaml" in form.locator(".tl-field--groups .tl-error").inner_text()
    values = loaded_values_partial(yaml_of(form))
    assert values["towns"] == ["al-rai"] and values["groups"] == ["islamic-state"]
    form.get_by_role("button", name="Remove al-Ra'i").click()
    assert "towns" not in loaded_values_partial(yaml_of(form))


def loaded_values_partial(text: str) -> dict:
    return yaml.safe_load(text) or {}


def test_nothing_typed_is_inserted_as_html(form):
    hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
    fill_valid(form, title="Case " + hostile)
    form.get_by_label("Summary", exact=True).fill(
        f"**{hostile}** [link](javascript:alert(1)) {hostile}\n\n- {hostile}"
    )
    source = form.locator(".tl-field--sources fieldset").first
    source.get_by_label("Publisher", exact=True).fill(hostile)
    form.get_by_role("combobox", name="Towns").fill(hostile)
    form.get_by_role("combobox", name="Towns").press("Enter")
    form.wait_for_timeout(200)
    assert form.evaluate("() => window.pwned") is None
    assert form.locator("form.tl-new img, form.tl-new script, .tl-preview a[href^=javascript]").count() == 0
    assert hostile in form.locator(".tl-field--summary .tl-preview").inner_text()
    assert loaded_values_partial(yaml_of(form))["title"] == "Case " + hostile


# ------------------------------------------------------------------ hostile text, value for value

HOSTILE = [
    '"',
    "'",
    "\\",
    ": ",
    " #",
    "- ",
    "&",
    "*",
    "!",
    "%",
    "@",
    "`",
    "|",
    ">",
    "{",
    "}",
    "[",
    "]",
    ",",
    "?",
    "\\",
    "yes",
    "null",
    "~",
    "1:30",
    "0x1F",
    "---",
    "...",
    "  ",
    " ",
    "é",
    "مارع الباب",
    "\u00a0",
    "😀",
    "{{ x }}",
    "<b>",
]
piece = st.sampled_from(HOSTILE) | st.text(
    st.characters(codec="utf-8", categories=["L", "N", "P", "S"]), max_size=6
)
line = st.lists(piece, min_size=1, max_size=30).map("".join)


def one_line(lo: int, hi: int):
    """Text for a one-line field: hostile anywhere inside, non-space at both ends, in length."""
    return line.map(lambda text: f"a{text}z").filter(lambda text: lo <= len(text.strip()) <= hi)


summary_text = st.lists(st.one_of(piece, st.just("\n"), st.just("\n\n")), min_size=1, max_size=60).map(
    lambda parts: "A summary of the incident: " + "".join(parts) + " end of it."
)
records = st.fixed_dictionaries(
    {
        "title": one_line(5, 160).map(lambda t: "Case " + t),
        "summary": summary_text,
        "publisher": one_line(1, 200),
        "source_title": one_line(1, 300),
        "tags": st.lists(
            st.sampled_from(["car-bomb", "yes", "2015", "null", "a-1"]), unique=True, max_size=3
        ),
    }
)


def raw_record(drawn: dict) -> dict:
    return {
        "title": drawn["title"],
        "date": "2015-08",
        "type": "battle",
        "towns": ["marea"],
        "groups": ["islamic-state", "syrian-opposition"],
        "summary": drawn["summary"],
        "casualties": [
            {"group": "civilians", "killed": "3", "injured": "", "according_to": drawn["publisher"]},
        ],
        "control": {"town": "marea", "from": "syrian-opposition", "to": "islamic-state"},
        "tags": drawn["tags"],
        "sources": [
            {
                "publisher": drawn["publisher"],
                "url": "https://example.org/a?b=1&c=2#d",
                "title": drawn["source_title"],
                "published": "2015-08-09",
                "archive_url": "",
            }
        ],
    }


def blank_lines(text: str) -> str:
    """A line of only spaces is written empty (see blankLines in new.js)."""
    return "\n".join("" if not line.strip() else line for line in text.split("\n"))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(drawn=records)
def test_hostile_text_round_trips_through_the_writer(shared_form, drawn):
    """The form's writer on many hostile values: the project's loader reads back each value,
    the validator finds nothing, and fmt would change no byte."""
    raw = raw_record(drawn)
    made = make(shared_form, raw)
    text = made["yaml"]
    assert made["problems"] == [], made["problems"]
    values = loaded_values(text)
    assert values["title"] == raw["title"].strip()
    assert values["summary"] == blank_lines(raw["summary"]).strip()
    assert values["sources"][0]["publisher"] == raw["sources"][0]["publisher"].strip()
    assert values["sources"][0]["title"] == raw["sources"][0]["title"].strip()
    assert values["casualties"][0]["according_to"] == raw["sources"][0]["publisher"].strip()
    assert values.get("tags", []) == raw["tags"]
    assert values["date"] == PartialDate(2015, 8) and values["casualties"][0]["killed"] == 3
    assert format_text(text) == text


def test_an_escape_where_fmt_wraps_the_line_is_never_written_wrong(shared_form):
    """ruamel.yaml (and so `generator fmt`) can wrap a double-quoted line right after an escaped
    character without the continuation mark, which reads back with a space added. The form
    writes a backslash between single quotes instead, and flags the rest (U+FEFF) as a mistake."""
    flagged = 0
    for odd in ("\\", "\ufeff"):
        for shift in range(40):
            title = "y" * shift + '"quoted" and more words abababababababababababababab' + odd + "~~ rest"
            made = make(shared_form, BASE | {"title": "Case " + title})
            if made["problems"]:
                assert odd == "\ufeff" and [p["where"] for p in made["problems"]] == ["title"]
                assert "would add a space after the character U+FEFF" in made["problems"][0]["text"]
                flagged += 1
                continue
            assert loaded_values(made["yaml"])["title"] == "Case " + title
            assert format_text(made["yaml"]) == made["yaml"]
    assert flagged, "some shift should put the escape where the line wraps"


HOSTILE_TYPED = [
    'He said: "no" # really',
    "- starts like a list item & has *stars* and !bangs, %percent and @at",
    "'single' and \"double\" quotes, back\\slash, {braces} [brackets]",
    "yes",
    "مارع: قصف السوق",
    "Two  spaces  between words, quoted and folded: " + "word " * 20,
]


@pytest.mark.parametrize("text", HOSTILE_TYPED, ids=range(len(HOSTILE_TYPED)))
def test_hostile_text_typed_into_the_form_is_read_back_by_the_loader(form, tmp_path, text):
    """Through the page's own controls: typed, written, saved, validated and formatted."""
    fill_valid(form, title="Case " + text)
    form.get_by_label("Summary", exact=True).fill(f"{text}\n\n{text}\n- {text}\n  # {text}")
    source = form.locator(".tl-field--sources fieldset").first
    source.get_by_label("Publisher", exact=True).fill(text)
    source.get_by_label("Title", exact=True).fill(text)
    text_written = yaml_of(form)
    values = loaded_values(text_written)
    assert values["title"] == ("Case " + text).strip()
    assert values["summary"] == f"{text}\n\n{text}\n- {text}\n  # {text}".strip()
    assert values["sources"][0]["publisher"] == text.strip() == values["sources"][0]["title"]
    root = records_with_real_registries(tmp_path / "incidents")
    name = re.search(r"File name: (\S+)", form.locator(".tl-new-path").inner_text())[1]
    path = root / "2015" / name
    path.parent.mkdir()
    path.write_text(text_written, encoding="utf-8", newline="\n")
    assert [p.text() for p in validate_tree(root, today=TODAY).problems] == []
    assert format_file(path) == (text_written, [])
    assert form.get_by_role("link", name="Propose on GitHub").get_attribute("aria-disabled") is None


# ------------------------------------------------------------------ the validator's messages

BASE = {
    "title": "IS shells the market in Marea",
    "date": "2015-08-12",
    "type": "explosion",
    "towns": ["marea"],
    "groups": ["islamic-state", "syrian-opposition"],
    "summary": "Shells hit the market in Marea on Wednesday morning.",
    "sources": [{"publisher": "AFP", "url": "https://www.afp.com/x"}],
}
FAULTS = {
    "short title": {"title": "Hi"},
    "bidi title": {"title": "IS shells \u202emarket"},
    "not a date": {"date": "August 2015"},
    "no month 13": {"date": "2015-13"},
    "not a calendar day": {"date": "2015-02-30"},
    "future": {"date": "2999-01-01"},
    "end before": {"end_date": "2015-08-01"},
    "end same day": {"end_date": "2015-08-12"},
    "end without day": {"end_date": "2015-09"},
    "no summary": {"summary": ""},
    "short summary": {"summary": "Too short."},
    "control character in summary": {"summary": "Shells hit the market\x07 in Marea on Wednesday."},
    "bad url": {"sources": [{"publisher": "AFP", "url": "ftp://example.org/file"}]},
    "bad archive url": {
        "sources": [{"publisher": "AFP", "url": "https://a.org/x", "archive_url": "www.a.org"}]
    },
    "source without url": {"sources": [{"publisher": "AFP", "url": ""}]},
    "no source": {"sources": [{"publisher": "", "url": ""}]},
    "no figure": {"casualties": [{"group": "civilians", "according_to": "AFP"}]},
    "leading zero": {"casualties": [{"group": "civilians", "killed": "037", "according_to": "AFP"}]},
    "base 60": {"casualties": [{"group": "civilians", "killed": "1:30", "according_to": "AFP"}]},
    "words": {"casualties": [{"group": "civilians", "killed": "dozens", "according_to": "AFP"}]},
    "negative": {"casualties": [{"group": "civilians", "killed": "-5", "according_to": "AFP"}]},
    "not a publisher": {"casualties": [{"group": "civilians", "killed": "3", "according_to": "SOHR"}]},
    "group not listed": {"casualties": [{"group": "levant-front", "killed": "3", "according_to": "AFP"}]},
    "same hands": {"control": {"town": "marea", "from": "islamic-state", "to": "islamic-state"}},
    "control without to": {"control": {"town": "marea", "from": "islamic-state", "to": ""}},
    "town not listed": {"control": {"town": "umm-housh", "from": "islamic-state", "to": "syrian-opposition"}},
    "tag not an id": {"tags": ["Car Bomb"]},
    "tag twice": {"tags": ["car-bomb", "car-bomb"]},
    "tag too long": {"tags": ["a" * 41]},
    "no towns": {"towns": []},
}


@pytest.mark.parametrize("fault", FAULTS)
def test_the_forms_messages_are_the_validators(shared_form, tmp_path, fault):
    raw = BASE | FAULTS[fault]
    made = make(shared_form, raw)
    root = records_with_real_registries(tmp_path / "incidents")
    path = (
        root / made["path"].removeprefix("incidents/")
        if made["path"]
        else root / "2015" / "2015-08-12-case.yaml"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(made["yaml"], encoding="utf-8", newline="\n")
    expected = sorted(p.text() for p in validate_tree(root, today=TODAY).problems)
    assert expected, "the case should be a mistake"
    assert sorted(p["text"] for p in made["problems"]) == expected


# ------------------------------------------------------------------ without JavaScript, phone, axe


def test_without_javascript_the_page_shows_a_template_and_the_guide(chromium, server):
    context, page, errors = open_form(chromium, server, java_script_enabled=False)
    try:
        assert not page.locator("form.tl-new").is_visible()
        template = page.locator(".tl-new-template")
        assert template.is_visible()
        text = template.inner_text()
        keys = yaml.safe_load(text).keys()
        assert list(keys) == [f.name for f in INCIDENT.fields if f.required]
        for field in INCIDENT.fields:
            if field.name not in LEFT_OUT:
                assert re.search(rf"^(# )?{field.name}:", text, re.M), field.name
        for name in ("title", "summary"):  # the Arabic edition's translations, after their field
            found = re.search(rf"^(# )?{name}:.*?^# {name}_ar: ", text, re.M | re.S)
            assert found and "\n# sources:" not in found[0] and "\nsources:" not in found[0], name
        assert page.get_by_role("link", name="the contributing guide").first.is_visible()
    finally:
        context.close()


def test_no_horizontal_scrolling_on_a_phone(chromium, server):
    context, page, errors = open_form(
        chromium, server, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    try:
        fill_valid(page, title="A title long enough to wrap " * 5)
        width = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert width[0] <= width[1], width
    finally:
        context.close()
    assert not errors, errors


PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.mark.parametrize("scheme", ["light", "dark", "phone"])
def test_axe_finds_no_serious_violation_on_the_form(chromium, server, scheme):
    axe = sites.ensure_axe()
    options = PHONE if scheme == "phone" else {"color_scheme": scheme}
    context = chromium.new_context(bypass_csp=True, **options)
    try:
        page = context.new_page()
        page.goto(server.url + "new/")
        page.locator("form.tl-new[data-ready]").wait_for(timeout=10000)
        fill_valid(page)
        page.get_by_label("Date", exact=True).fill("2015-02-30")  # an error shown
        page.get_by_role("combobox", name="Towns").fill("a")  # the listbox open
        page.get_by_role("link", name="Propose on GitHub").dispatch_event("click")  # every problem listed
        if scheme == "dark":
            sites.wait_for(page, "() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
        page.add_script_tag(path=str(axe))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => [v.id, v.help, v.nodes.slice(0, 3).map(n => n.target.join(' '))])"""
        )
    finally:
        context.close()
    assert not violations, f"axe on the form ({scheme}): {violations}"


# ------------------------------------------------------------------ the pull request that follows

GIT = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


def git(repo: Path, *args: str) -> str:
    import os

    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=os.environ | GIT)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_record_from_the_form_passes_the_pull_request_checks_first_time(form, tmp_path):
    """What .github/workflows/pr.yml runs, on a branch that adds the file the form wrote."""
    fill_valid(form, title='IS shells the market in Marea: "dozens" hit & 3 killed')
    form.get_by_role("button", name="Add a casualty report").click()
    report = form.locator(".tl-field--casualties fieldset").first
    report.get_by_label("Group", exact=True).select_option("civilians")
    report.get_by_label("Killed", exact=True).fill("3")
    report.get_by_label("According to", exact=True).fill("Agence France-Presse")
    link = form.get_by_role("link", name="Propose on GitHub")
    assert link.get_attribute("aria-disabled") is None, form.locator(".tl-new-status").inner_text()
    query = parse_qs(urlsplit(link.get_attribute("href")).query)
    (path,), (text,) = query["filename"], query["value"]
    repo = tmp_path / "repo"
    shutil.copytree(REAL, repo / "incidents")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "checkout", "-q", "-b", "from-the-form")
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text, encoding="utf-8", newline="\n")  # what GitHub's new-file page commits
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Add an incident")

    def run(*args):
        return subprocess.run([sys.executable, *args], cwd=repo, capture_output=True, text=True, timeout=300)

    checked = run("-m", "generator", "validate", "--format", "github")
    assert checked.returncode == 0 and "::error" not in checked.stdout, checked.stdout + checked.stderr
    formatted = run("-m", "generator", "fmt", "--check")
    assert formatted.returncode == 0, formatted.stdout
    summary = run(str(ROOT / ".github" / "scripts" / "pr_summary.py"), "main", "HEAD")
    assert summary.returncode == 0, summary.stderr
    stem = Path(path).stem
    assert (
        f'### Added (1)\n\n- `{stem}`: IS shells the market in Marea: "dozens" hit & 3 killed\n'
        in summary.stdout
    )
    assert "error(s)" not in summary.stdout and "Validator warnings" not in summary.stdout
    built = sites.run_build(repo / "incidents", tmp_path / "site")
    assert built.returncode == 0, built.stderr[-3000:]
    page = (tmp_path / "site" / "incidents" / stem / "index.html").read_text("utf-8")
    assert "IS shells the market in Marea: &#34;dozens&#34; hit &amp; 3 killed" in page


# ------------------------------------------------------------------ hostile registries


def test_hostile_names_from_the_registries_stay_text_in_the_form(chromium, tmp_path_factory):
    """towns.yaml and groups.yaml reach the form through its JSON: their names (scripts, event
    handlers, template syntax) are shown in the comboboxes and selects as text, never as HTML."""
    from test_hostile_site import FIND_DANGER, write_hostile

    records = write_hostile(tmp_path_factory.mktemp("hostile-form") / "incidents")
    site = sites.build(records, tmp_path_factory.mktemp("hostile-form-site") / "site")
    with sites.Server(site) as hostile:
        context, page, errors = open_form(chromium, hostile)
        try:
            for name, query in (("Towns", "Town"), ("Groups", "Brigade")):
                box = page.get_by_role("combobox", name=name)
                box.fill(query)
                shown = page.get_by_role("listbox", name=name).get_by_role("option").all_inner_texts()
                assert any("<" in text for text in shown), f"hostile names are shown as written: {shown}"
                box.press("Enter")
            page.get_by_role("button", name="Add a casualty report").click()
            page.locator(".tl-field--casualties select").first.select_option("hostile-group")
            for _ in range(8):
                page.keyboard.press("Tab")
            page.wait_for_timeout(200)
            assert page.evaluate(FIND_DANGER) == []
        finally:
            context.close()
    assert not errors, errors
