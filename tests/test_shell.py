"""The theme shell: rendered once per layout, filled per page with escaped values."""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET

import pytest

from generator import shell
from generator.kinds import INCIDENT, MORE
from generator.pages import Page, Part
from generator.publish import extend_sitemap
from generator.shell import Layout, Shell, ShellError, layout_of

PAGE = Page("incidents/2015-08-10-x/", 'Attack on "Marea" <b>', INCIDENT, "x", "A & B")
LAYOUT = layout_of(PAGE)


def themed(layout: Layout, head: str = "", body: str = "") -> str:
    """A page as a theme would draw it around the markers."""
    return (
        f"<html><head><title>{shell.TITLE} - Site</title>{head}"
        f'<meta name="description" content="{shell.DESCRIPTION}">'
        f'<link rel="canonical" href="https://example.org/{layout.path}">'
        f'<script>var config = {{"base": "../.."}}</script></head>'
        f'<body><a href="../../">Home</a><article>{shell.CONTENT}</article>{body}</body></html>'
    )


def test_layouts_group_pages_by_kind_section_and_depth():
    assert Layout(INCIDENT, "incidents", 2, True) == LAYOUT
    assert LAYOUT.path == "incidents/zqpathzq1/"
    part = Page("towns/marea/2/", "Marea: part 2", MORE, Part("towns", "marea", 1))
    assert layout_of(part) == Layout(MORE, "towns", 3, False)


def test_a_filled_page_has_its_own_values_escaped():
    html = Shell(themed(LAYOUT), LAYOUT).fill(PAGE, "<h1>Marea</h1>")
    assert "<title>Attack on &quot;Marea&quot; &lt;b&gt; - Site</title>" in html
    assert 'content="A &amp; B"' in html
    assert 'href="https://example.org/incidents/2015-08-10-x/"' in html
    assert "<article><h1>Marea</h1></article>" in html
    assert "zq" not in html


def test_every_page_of_a_layout_shares_the_rest_of_the_shell():
    template = Shell(themed(LAYOUT), LAYOUT)
    other = Page("incidents/2016-01-01-y/", "Other", INCIDENT, "y", "Other")
    first, second = template.fill(PAGE, "<h1>a</h1>"), template.fill(other, "<h1>b</h1>")
    strip = re.compile(
        r"<title>.*?</title>|content=\"[^\"]*\"|href=\"https://[^\"]*\"|<article>.*?</article>"
    )
    assert strip.sub("", first) == strip.sub("", second)


def test_the_shell_keeps_no_indentation_and_no_newline_between_two_tags():
    """The theme's indentation and the newlines between its tags (where its elements, blocks,
    flex items or hidden, draw no space) are not in every page; a newline beside text, which
    may be a space a reader sees, and scripts and <pre> as they are (a script's CSP hash)."""
    body = "\n  <div>\n    <span>Back</span>\n    to top\n  </div>\n<pre>\n  a\n</pre>\n<script>\n  x()\n</script>\n"
    html = Shell(themed(LAYOUT, body=body), LAYOUT).fill(PAGE, "<h1>a</h1>")
    assert "<div><span>Back</span>\nto top\n</div><pre>\n  a\n</pre><script>\n  x()\n</script></body>" in html


def test_a_marker_inside_a_script_is_refused():
    with pytest.raises(ShellError, match="script"):
        Shell(themed(LAYOUT, head=f"<script>document.title = '{shell.TITLE}'</script>"), LAYOUT)


def test_content_must_appear_exactly_once():
    with pytest.raises(ShellError):
        Shell(themed(LAYOUT, body=f"<aside>{shell.CONTENT}</aside>"), LAYOUT)


def test_a_page_without_its_own_heading_is_refused():
    """The theme adds a heading only when the content has none; the shell was drawn with one."""
    with pytest.raises(ShellError, match="<h1>"):
        Shell(themed(LAYOUT), LAYOUT).fill(PAGE, "<p>no heading</p>")


def test_sitemap_lists_the_generated_pages_after_the_theme_pages(tmp_path):
    (tmp_path / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://e.org/</loc></url></urlset>"
    )
    extend_sitemap(tmp_path, "https://e.org/", ["incidents/a/", "towns/b&c/"])
    locs = [e.text for e in ET.parse(tmp_path / "sitemap.xml").iter() if e.tag.endswith("loc")]
    assert locs == ["https://e.org/", "https://e.org/incidents/a/", "https://e.org/towns/b&c/"]
    assert (
        gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()) == (tmp_path / "sitemap.xml").read_bytes()
    )


def test_past_the_limit_the_sitemap_becomes_an_index(tmp_path):
    extend_sitemap(tmp_path, "https://e.org/", [f"incidents/{n}/" for n in range(5)], limit=2)
    index = ET.parse(tmp_path / "sitemap.xml").getroot()
    assert index.tag.endswith("sitemapindex")
    parts = [e.text for e in index.iter() if e.tag.endswith("loc")]
    assert parts == [f"https://e.org/sitemap-{n}.xml" for n in (1, 2, 3)]
    counts = [len(ET.parse(tmp_path / f"sitemap-{n}.xml").getroot()) for n in (1, 2, 3)]
    assert counts == [2, 2, 1]
