"""Summaries: the fast path (plain paragraphs, bold and emphasised words, plain links) gives
exactly what Markdown and nh3 give."""

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


def test_markup_still_goes_through_markdown_and_the_sanitiser():
    html = summary_html(
        "Shelling of *Marea*.\n\n- one\n- two\n\n<script>alert(1)</script> & [x](javascript:alert(1))"
    )
    assert "<em>Marea</em>" in html and "<li>one</li>" in html
    assert "<script" not in html and "javascript:" not in html and "&amp;" in html


WORDS = st.sampled_from(["a", "Marea", "al-Bab", "9", "(IS)", "é", "ش", "'x'", '"q"', ".", ","])
BREAKS = st.sampled_from([" ", " ", "\n", "\n\n", "\n- ", "\n1. ", " \n", "\n===", "\n "])
SPAN = st.lists(st.one_of(WORDS, BREAKS), min_size=1, max_size=8).map("".join)
ADDRESS = st.sampled_from(["https://example.org/a", "http://x.example/p-1/2.html", "https://a.b:8080/~c"])
CONSTRUCTS = st.one_of(
    SPAN.map(lambda words: f"**{words}**"),
    SPAN.map(lambda words: f"*{words}*"),
    st.tuples(SPAN, ADDRESS).map(lambda pair: f"[{pair[0]}]({pair[1]})"),
    st.sampled_from(["**", "*", "[", "](", ")", "** ", " **", "**\n", "[a](https://x.org", '"t")']),
)
WITH_CONSTRUCTS = st.lists(st.one_of(PIECES, CONSTRUCTS), max_size=30).map("".join)


@settings(max_examples=5000, deadline=None)
@given(st.one_of(TEXT, WITH_CONSTRUCTS))
def test_plain_text_bold_and_emphasised_words_and_links_render_as_markdown_would(text):
    summary_html.cache_clear()
    assert summary_html(text) == through_markdown(text)


def test_the_fast_path_takes_bold_and_emphasised_words_and_links():
    text = "Shelling of **Marea**; see [the report](https://example.org/r) and **al-Bab**."
    assert markup._simple(text) == through_markdown(text)
    assert markup._simple("Shelling of *Marea* and **al-Bab**.") == through_markdown(
        "Shelling of *Marea* and **al-Bab**."
    )
    assert markup._simple("Shelling of _Marea_.") is None  # underscores: Markdown's, not ours
