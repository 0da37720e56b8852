"""Property tests: random mutations of a valid record are either accepted, and then render, or
reported with a position and a fix; the validator never crashes. Accepted values stay text."""

from __future__ import annotations

import tempfile
from html.parser import HTMLParser
from pathlib import Path

from conftest import BASE, Records
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from generator import kinds
from generator.render import Renderer

LINES = BASE.splitlines(keepends=True)
HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '"><svg onload=alert(1)>',
        "{{ 7*7 }}",
        "{% raw %}",
        "[x](javascript:alert(1))",
        "&lt;/title&gt;&lt;script&gt;",
        "yes",
        "012",
        "1:30",
        "~",
        "- a",
        "[a, b]",
        "{a: 1}",
        "'",
        '"',
        ": x",
        "#",
        "\u202e",
        "مارع",
        "2015-02-30",
        "../../etc/passwd",
    ]
)
VALUES = st.one_of(HOSTILE, st.text(max_size=40), st.integers(-5, 10**6).map(str))


class ActiveMarkup(HTMLParser):
    """Collects whatever in a page could run: scripts other than JSON data, on* handlers,
    script-bearing URLs, frames and objects."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        ours = (attributes.get("src") or "").split("assets/")[0].strip("./") == ""  # the site's own scripts
        if tag in ("iframe", "object", "embed") or (
            tag == "script"
            and attributes.get("type") != "application/json"
            and not (attributes.get("src") and ours)
        ):
            self.found.append(tag)
        for name, value in attrs:
            url = (value or "").strip().lower()
            if name.startswith("on") or url.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{tag} {name}={value}")


def assert_inert(page_html: str) -> None:
    parser = ActiveMarkup()
    parser.feed(page_html)
    assert parser.found == [], parser.found


@st.composite
def mutated_records(draw) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["value", "delete", "duplicate", "insert"]))
        line = lines[index]
        if action == "value" and ":" in line:
            key = line.split(":", 1)[0]
            lines[index] = f"{key}: {draw(VALUES)}\n"
        elif action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, line)
        else:
            lines.insert(index, f"{draw(VALUES)}\n")
        if not lines:
            break
    return "".join(lines)


def check(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        records = Records(Path(folder))
        records.incident(text)
        result = records.validate()
    for problem in result.problems:
        assert problem.line >= 1 and problem.col >= 1 and problem.hint, problem
    if result.errors:
        assert not result.dataset.incidents, "an incident with errors must not reach the site"
        return
    [incident] = result.dataset.incidents
    renderer = Renderer(result.dataset)
    pages = renderer.plan()
    for page in pages:
        assert_inert(renderer.render(page))
    page = next(p for p in pages if p.key == incident.id and p.kind is kinds.INCIDENT)
    assert str(escape(incident.title)) in renderer.render(page)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_records())
def test_mutated_records_are_accepted_and_render_or_are_reported(text):
    check(text)


@settings(max_examples=150, deadline=None)
@given(
    title=st.text(min_size=5, max_size=60).filter(lambda t: t.strip() and "\n" not in t),
    summary=st.text(min_size=20, max_size=300),
)
def test_any_text_in_title_and_summary_stays_text(title, summary):
    text = BASE.replace(
        "title: IS captures the village of Umm Housh", f"title: {title!r}".replace("\\", "\\\\")
    )
    text = text.replace(
        "  Islamic State fighters took the village after car bombs.\n",
        "".join(f"  {line}\n" for line in summary.splitlines() or ["x"]),
    )
    check(text)
