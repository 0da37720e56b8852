"""Model to page content: which pages the site has, and each page's HTML.

`plan_pages` lists every page cheaply; `render_page` renders one on demand, so a site
builder holds one page's HTML at a time. Nothing here knows about mkdocs.

Every value from a record is escaped by Jinja2's autoescape; a summary's Markdown is
rendered, then sanitised with nh3 (Ammonia), so its raw HTML and unsafe links never reach
the page.
"""

from __future__ import annotations

import posixpath
from functools import cached_property
from pathlib import Path

import markdown
import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import pages
from .model import Dataset
from .pages import Page

TEMPLATES = Path(__file__).parent / "templates"
SUMMARY_TAGS = {"p", "a", "em", "strong", "code", "ul", "ol", "li", "blockquote", "br"}


def summary_html(text: str) -> str:
    html = markdown.markdown(text, output_format="html")
    return nh3.clean(
        html,
        tags=SUMMARY_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https"},
        link_rel="nofollow noopener noreferrer",
    )


def when(date, end=None) -> Markup:
    """A date as precise as known, machine-readable too: "August 2015 (day unknown)"."""
    html = Markup('<time datetime="{0}">{1}</time>').format(date.iso, date.label)
    if end:
        html += Markup(' – <time datetime="{0}">{1}</time>').format(end.iso, end.label)
    if date.precision != "day":
        unknown = "day" if date.precision == "month" else "month"
        html += Markup(' <span class="tl-precision">({0} unknown)</span>').format(unknown)
    return html


def type_label(kind: str) -> Markup:
    label = kind.replace("-", " ").capitalize()
    return Markup('<span class="tl-type tl-type--{0}">{1}</span>').format(kind, label)


def figure_range(value: tuple[int, int] | None) -> str:
    """25, or 25–37 when the sources disagree; empty when none gives a figure."""
    if not value:
        return ""
    return str(value[0]) if value[0] == value[1] else f"{value[0]}–{value[1]}"


def root_of(url: str) -> str:
    """The relative path from a page back to the site root: "" or "../../"."""
    return "../" * url.count("/")


class Renderer:
    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["summary"] = summary_html
        self.env.globals.update(when=when, type_label=type_label, figure_range=figure_range)
        self.env.filters["relative"] = lambda target, page: (
            posixpath.relpath(target or ".", page.url or ".") + "/"
        )

    @cached_property
    def index(self) -> pages.Index:
        return pages.Index(self.dataset)

    def plan(self) -> list[Page]:
        return list(pages.plan(self.index))

    def render(self, page: Page) -> str:
        context = pages.context(self.index, page)
        return self.env.get_template(page.template).render(page=page, root=root_of(page.url), **context)
