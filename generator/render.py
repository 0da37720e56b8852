"""Model to page content: which pages the site has, and each page's HTML.

`Renderer.plan` lists every page cheaply; `Renderer.render` renders one on demand, so a site
builder holds one page's HTML at a time. Nothing here knows about mkdocs.

Every value from a record is escaped by Jinja2's autoescape; summaries go through
markup.summary_html (Markdown, then the nh3 sanitiser).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import kinds
from .charts import monthly_chart
from .forge import Forge
from .i18n import Words, localised
from .lookups import Index
from .markup import bibtex, figure_range, search_names, summary_html, type_label, when
from .model import Dataset, Incident
from .pages import Page
from .shell import outside_verbatim

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATES_VERSION = max(path.stat().st_mtime_ns for path in TEMPLATES.iterdir())


# A label with no value in it, `{{ _("Towns") }}`: the same in every page of an edition.
_LABEL = re.compile(r'\{\{ _\("((?:[^"\\]|\\.)*)"\) \}\}')
_SYNTAX = ("{{", "}}", "{%", "%}", "{#", "#}", "%")
_INDENT = re.compile(r"\n[ \t]+")


class LabelledLoader(FileSystemLoader):
    """Our templates with each label that holds no value already in the edition's language, as
    if it were written so: looked up once when the template is compiled, not on each of the
    pages. A label's text is trusted as the template's own (as `_()` marks it safe); one that
    looks like template syntax is left to `_()`."""

    def __init__(self, path, messages):
        super().__init__(path)
        self.messages = messages

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return _LABEL.sub(self._label, _unindented(source)), filename, uptodate

    def _label(self, found: re.Match) -> str:
        text = self.messages.gettext(ast.literal_eval(f'"{found[1]}"'))
        return found[0] if any(mark in text for mark in _SYNTAX) else text


def _unindented(source: str) -> str:
    """A template without its lines' indentation, which would be in every page it renders (a
    browser reads a newline as the same space); <pre>, <textarea> and <script> as they are."""
    return outside_verbatim(source, lambda text: _INDENT.sub("\n", text))


def root_of(url: str) -> str:
    """The relative path from a page back to the site root: "" or "../../"."""
    return "../" * url.count("/")


@dataclass(frozen=True)
class Site:
    """What pages need to know about the site beyond the records."""

    name: str = "Incident timeline"
    url: str = ""  # absolute, with a trailing slash: permanent addresses in citations
    tile_url: str = ""
    tile_attribution: str = ""
    revisions: Mapping[str, list] = field(default_factory=dict)  # incident id -> history.Revision list
    forge: Forge | None = None  # where the records live: edit and correction links (forge.py)
    lines: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # registry -> id -> line
    data_root: str = ""  # from an edition's root to the data files, shared by every edition ("../")
    words: Words = field(default_factory=Words)  # the edition's language
    edition: object = None  # editions.Edition: the addresses of the same page in the other editions


class Renderer:
    """The pages of one edition, in its language (site.words; English by default)."""

    def __init__(self, dataset: Dataset, site: Site | None = None):
        self.site = site or Site()
        self.words = words = self.site.words
        self.dataset = dataset if words.native else localised(dataset, words.code)
        self.env = Environment(
            extensions=["jinja2.ext.i18n"],
            loader=LabelledLoader(TEMPLATES, words.messages),
            autoescape=select_autoescape(default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # a new Renderer per build: no need to stat each template per page
        )
        self.env.install_gettext_translations(words.messages, newstyle=True)
        self.env.filters["summary"] = summary_html
        self.env.filters["bibtex"] = bibtex
        self.env.globals.update(
            when=when if words.native else words.when,
            type_label=type_label if words.native else words.type_label,
            figure_range=figure_range if words.native else words.figure_range,
            search_names=search_names,
            words=words,
            text=words.text,
            data_root=self.site.data_root,
            # text that may be in another script than the page's (Latin aliases on an Arabic
            # page) is isolated in the editions but the records' own
            auto=Markup("") if words.native else Markup(' dir="auto"'),
            monthly_chart=monthly_chart if words.native else partial(monthly_chart, words=words),
            list_item=self.list_item,
            site=self.site,
        )
        self._items: dict[tuple, Markup] = {}

    @cached_property
    def index(self) -> Index:
        return Index(self.dataset)

    def plan(self) -> list[Page]:
        return list(kinds.plan(self.index, self.words))

    def fingerprint(self, page: Page) -> str | None:
        """Changes when the page's HTML would; None: render to know (see kinds.fingerprint)."""
        number = kinds.fingerprint(self.index, page, self.site)
        return None if number is None else f"{TEMPLATES_VERSION}:{number}"

    def list_item(self, incident: Incident, root: str) -> Markup:
        """An incident's line in a list. It is in several lists (its towns', its groups', its
        year's, the home page's), mostly at the same depth: rendered once per depth, not once
        per list."""
        key = (incident.id, root)
        if key not in self._items:
            template = self.env.get_template("_item.html")
            self._items[key] = Markup(
                template.render(incident=incident, data=self.dataset, root=root, words=self.words)
            )
        return self._items[key]

    def render(self, page: Page) -> str:
        context = kinds.context(self.index, page, self.site)
        return self.env.get_template(page.template).render(page=page, root=root_of(page.url), **context)
