"""Summaries: the fast path for plain paragraphs gives exactly what Markdown and nh3 give."""

from __future__ import annotations

import markdown
import nh3
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import markup
from generator.markup import summary_html

PIECES = st.sampled_from(
    list("abc XYZ09.,;:'\"()/%?-+=>\n\u00a0\u2028éش") + ["1. ", "- ", "  \n", "\n\n", "==="]
)
TEXT = st.lists(PIECES, max_size=60).map("".join)


def through_markdown(text: str) -> str:
    html = markdown.Markdown(output_format="html").convert(text)
    return nh3.clean(
        html,
        tags=markup.SUMMARY_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https"},
        link_rel="nofollow noopener noreferrer",
    )


@settings(max_examples=2000, deadline=None)
@given(TEXT)
def test_plain_text_renders_as_markdown_would(text):
    summary_html.cache_clear()
    assert summary_html(text) == through_markdown(text)


def test_markup_still_goes_through_markdown_and_the_sanitiser():
    html = summary_html(
        "Shelling of *Marea*.\n\n- one\n- two\n\n<script>alert(1)</script> & [x](javascript:alert(1))"
    )
    assert "<em>Marea</em>" in html and "<li>one</li>" in html
    assert "<script" not in html and "javascript:" not in html and "&amp;" in html
