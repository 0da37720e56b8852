"""Small pieces of HTML every output shares: pages, feeds, exports and charts.

A summary's Markdown is rendered, then sanitised with nh3 (Ammonia), so its raw HTML and
unsafe links never reach a page or a feed. Everything else is escaped by Markup.format.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import markdown
import nh3
from markupsafe import Markup

SUMMARY_TAGS = {"p", "a", "em", "strong", "code", "ul", "ol", "li", "blockquote", "br"}


_MARKDOWN = markdown.Markdown(output_format="html")  # one instance: building it costs more than a summary


# Text Markdown would leave as it is, bar paragraphs: no markup character, no whitespace but
# spaces and newlines, no line that could start a list, heading, quote or code block or end
# in a line break.
_MARKUP = re.compile(r"[\\`*_\[\]<>&#|~!]|[^\S \n]|^[ \-+=>]|^\d+[.)]| $", re.M)
# The constructs most summaries use, in forms whose HTML is fixed: **bold** and *emphasised*
# words, and [words](https://address) (no title, nothing in the address to escape or to end
# it early). Their words may run onto the next line, as wrapped text does, but not into a new
# paragraph.
_PLAIN = r"[^\s\\`*_\[\]<>&#|~!]"  # a character _MARKUP lets through, but a space
_WORDS = rf"{_PLAIN}(?:(?:{_PLAIN}| |\n(?!\n))*{_PLAIN})?"
_INLINE = re.compile(
    rf"\*\*(?P<strong>{_WORDS})\*\*|(?<!\*)\*(?P<em>{_WORDS})\*(?!\*)"
    rf"|\[(?P<text>{_WORDS})\]\((?P<href>https?://[A-Za-z0-9./:~-]+)\)"
)
_REL = "nofollow noopener noreferrer"


def _inline(match: re.Match) -> str:
    if match["strong"]:
        return f"<strong>{match['strong']}</strong>"
    if match["em"]:
        return f"<em>{match['em']}</em>"
    return f'<a href="{match["href"]}" rel="{_REL}">{match["text"]}</a>'


def _simple(text: str) -> str | None:
    """The HTML of a summary of plain paragraphs, bold or emphasised words and links; None for
    any other."""
    masked = _INLINE.sub(lambda m: f"x{m['strong'] or m['em'] or m['text']}x", text)
    if _MARKUP.search(masked):  # what is left, and the constructs' words, are plain
        return None
    text = _INLINE.sub(_inline, text)
    paragraphs = (part.strip("\n") for part in re.split(r"\n\n+", text.strip("\n")))
    return "\n".join(f"<p>{part}</p>" for part in paragraphs if part)


@cache  # a summary is shown on its page, in up to four feeds and in the CSV export
def summary_html(text: str) -> str:
    simple = _simple(text)  # most summaries: skip Markdown and the sanitiser, same HTML
    if simple is not None:
        return simple
    html = _MARKDOWN.reset().convert(text)
    return nh3.clean(
        html,
        tags=SUMMARY_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https"},
        link_rel=_REL,
    )


@lru_cache(maxsize=1 << 16)  # a date is shown in many lists; a war has a few thousand days
def when(date, end=None) -> Markup:
    """A date as precise as known, machine-readable too: "August 2015 (day unknown)",
    "10–11 August 2015"."""
    if end and (end.year, end.month) == (date.year, date.month):
        start = Markup('<time datetime="{0}">{1}</time>').format(date.iso, date.day)
        html = start + Markup('–<time datetime="{0}">{1}</time>').format(end.iso, end.label)
    else:
        html = Markup('<time datetime="{0}">{1}</time>').format(date.iso, date.label)
        if end:
            html += Markup(' – <time datetime="{0}">{1}</time>').format(end.iso, end.label)
    if date.precision != "day":
        unknown = "day" if date.precision == "month" else "month"
        html += Markup(' <span class="tl-precision">({0} unknown)</span>').format(unknown)
    return html


@cache  # a handful of types, each shown once per incident in every list
def type_name(kind: str) -> str:
    """An incident type's name in the records' language ("violence-against-civilians":
    "Violence against civilians"); the catalogue translates it (i18n.CATALOGUED)."""
    return kind.replace("-", " ").capitalize()


def type_label(kind: str, name: str | None = None) -> Markup:
    """The type as the pages show it; `name` in another edition's language."""
    return Markup('<span class="tl-type">{0}</span>').format(name or type_name(kind))


def figure_range(value: tuple[int, int] | None) -> str:
    """25, or 25–37 when the sources disagree; empty when none gives a figure."""
    if not value:
        return ""
    return str(value[0]) if value[0] == value[1] else f"{value[0]}–{value[1]}"


_BIBTEX = {"\\": "\\textbackslash{}", "{": "\\{", "}": "\\}"}


def bibtex(text: str) -> str:
    """Text safe inside a BibTeX braced value (the page escapes it again for HTML)."""
    return re.sub(r"[\\{}]", lambda match: _BIBTEX[match[0]], text)


def search_names(ids, registry, arabic: bool = True) -> str:
    """The names of the towns or groups `ids` in the registry's spellings (name, short name,
    aliases, and its names in other languages if `arabic`), for a search field of an incident's page: plain
    text, which the template escapes."""
    names = []
    for key in ids:
        item = registry[key]
        translated = (
            [text for field, text in item.translations if field.startswith("name_")] if arabic else []
        )
        names += [item.name, getattr(item, "short", None), *translated, *item.aliases]
    return ", ".join(name for name in names if name)
