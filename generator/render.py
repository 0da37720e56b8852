"""Model to page content: which pages the site has, and each page's HTML.

`Renderer.plan` lists every page cheaply; `Renderer.render` renders one on demand, so a site
builder holds one page's HTML at a time. Nothing here knows about mkdocs.

Every value from a record is escaped by Jinja2's autoescape; summaries go through
markup.summary_html (Markdown, then the nh3 sanitiser).
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from types import CodeType

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
    looks like template syntax is left to `_()`.

    Every edition's labels go into one compiled template: compiled with a mark for each label
    (through the environment's bytecode cache, which the editions of a build share), then given
    the edition's texts in its constants. A template whose labels an edition cannot put there
    as they are (text Jinja would trim or read as syntax) is compiled with its texts in."""

    def __init__(self, path, messages):
        super().__init__(path)
        self.messages = messages

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return _LABEL.sub(self._label, _unindented(source)), filename, uptodate

    def load(self, environment, name, globals=None):
        source, filename, uptodate = super().get_source(environment, name)
        source = _unindented(source)
        msgids = list(dict.fromkeys(_msgid(found) for found in _LABEL.finditer(source)))
        texts = [self.messages.gettext(msgid) for msgid in msgids]
        code = _for_every_edition(environment, name, filename, source, msgids, texts) if msgids else None
        if code is None:  # no labels, or compiled with this edition's texts in
            labelled = _LABEL.sub(self._label, source)
            code = _compiled(environment, name, filename, labelled, key=_edition_key(name, texts))
        return environment.template_class.from_code(environment, code, globals or {}, uptodate)

    def _label(self, found: re.Match) -> str:
        text = self.messages.gettext(_msgid(found))
        return found[0] if any(mark in text for mark in _SYNTAX) else text


# A label's place in a template compiled for every edition: characters of Unicode's private use
# area, which no template holds (one that does is compiled per edition).
_MARK = ("\ue000", "\ue001")
_MARKED = re.compile(f"{_MARK[0]}(\\d+){_MARK[1]}")


def _msgid(found: re.Match) -> str:
    return ast.literal_eval(f'"{found[1]}"')


def _mark(number: int) -> str:
    return f"{_MARK[0]}{number}{_MARK[1]}"


def _plain(text: str) -> bool:
    """Whether a label's text compiles as its mark does: no template syntax, nothing that Jinja's
    whitespace control would trim at its ends (trim_blocks, lstrip_blocks, `-%}`), and no line
    break, which the lexer would rewrite or count."""
    return (
        bool(text)
        and text == text.strip()
        and not any(mark in text for mark in _SYNTAX)
        and not any(end in text for end in "\r\n")
    )


def _for_every_edition(environment, name: str, filename: str, source: str, msgids, texts) -> CodeType | None:
    """The template compiled once with a mark for each label, given this edition's texts; None
    where a text cannot go in as it is, or Jinja changed a mark as it compiled (a filter on a
    constant)."""
    if any(mark in source for mark in _MARK) or not all(map(_plain, texts)):
        return None
    marked = _LABEL.sub(lambda found: _mark(msgids.index(_msgid(found))), source)
    return _with_texts(_compiled(environment, name, filename, marked), texts)


def _edition_key(name: str, texts: list[str]) -> str:
    """Where a template compiled with an edition's texts in is kept in the bytecode cache: apart
    from another edition's, so that neither replaces the other; one without labels, the same in
    every edition, under its name."""
    if not texts:
        return name
    digest = hashlib.sha1("\0".join(texts).encode()).hexdigest()
    return f"{name}\0{digest}"


def _compiled(environment, name: str, filename: str, source: str, key: str | None = None) -> CodeType:
    """As jinja2's BaseLoader.load compiles a template, through the bytecode cache if any, under
    `key` there (by default its name)."""
    cache = environment.bytecode_cache
    bucket = cache.get_bucket(environment, key or name, filename, source) if cache is not None else None
    if bucket is not None and bucket.code is not None:
        return bucket.code
    code = environment.compile(source, name, filename)
    if bucket is not None:
        bucket.code = code
        cache.set_bucket(bucket)
    return code


def _with_texts(code: CodeType, texts: list[str]) -> CodeType | None:
    """The compiled template with each label's mark replaced by its text, in every string
    constant of it and of the functions in it; None unless every mark was found whole."""
    found, broken = set(), []

    def text_of(mark: re.Match) -> str:
        found.add(int(mark[1]))
        return texts[int(mark[1])]

    def constant(value):
        if isinstance(value, str) and _MARK[0] in value:
            value = _MARKED.sub(text_of, value)
            broken.extend(mark for mark in _MARK if mark in value)
        elif isinstance(value, (tuple, frozenset)):
            value = type(value)(map(constant, value))
        elif isinstance(value, CodeType):
            value = value.replace(co_consts=tuple(map(constant, value.co_consts)))
        return value

    labelled = constant(code)
    return labelled if len(found) == len(texts) and not broken else None


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
        # tojson (the timeline's names, the map's and the form's words): no spaces, and letters
        # as UTF-8, not \uXXXX (six bytes for each Arabic letter's two); <, >, & and ' are still
        # escaped, so no name ends its <script> element or attribute
        self.env.policies["json.dumps_kwargs"] = {
            "sort_keys": True,
            "ensure_ascii": False,
            "separators": (",", ":"),
        }
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
