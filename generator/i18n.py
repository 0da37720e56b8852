"""The site's own words in an edition's language: gettext catalogues for the labels
(`generator/locale/<code>/LC_MESSAGES/messages.po`, which translators edit without reading
code; `messages.pot` lists every message), and CLDR, through Babel, for dates and numbers in
the edition's locale (`ar_SY` names August آب).

The catalogues are compiled in memory when a build starts: no binary file in the repository,
and the same .po always gives the same pages. The records' own language (English) needs no
catalogue: its words are the messages themselves, and its dates and labels come from the
functions the site has always used, so its pages stay as they were.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass, replace
from functools import cache, cached_property, lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from markupsafe import Markup, escape

from . import markup
from .model import Dataset, PartialDate
from .pages import month_name as english_month_name

LOCALES = Path(__file__).parent / "locale"


@cache
def catalogue(code: str) -> gettext.NullTranslations:
    """The language's messages; without a catalogue, the messages as written (English)."""
    path = LOCALES / code / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        messages = read_po(po, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return Translations(compiled)


@dataclass(frozen=True)
class Words:
    """An edition's language: its messages, its dates and numbers, and how it reads records."""

    code: str = "en"
    locale: str = "en"
    native: bool = True  # the records' own language: their fields need no translation

    @cached_property
    def messages(self) -> gettext.NullTranslations:
        return catalogue(self.code)

    def _(self, message: str, **values) -> str:
        text = self.messages.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values) -> str:
        """The message for `n` things, `%(num)s` filled with n as the edition writes it."""
        return self.messages.ngettext(singular, plural, n) % (values | {"num": self.number(n)})

    @cached_property
    def direction(self) -> str:
        return Locale.parse(self.locale).text_direction

    def number(self, n: int) -> str:
        return str(n) if self.native else _number(self.locale, n)

    def month_name(self, month: int | None) -> str:
        if self.native:
            return english_month_name(month)
        return _month(self.locale, month) if month else self._("Month unknown,")

    def label(self, date: PartialDate) -> str:
        if self.native:
            return date.label
        return _label(self.locale, date)

    def long_label(self, date: PartialDate) -> str:
        if self.native:
            return date.long_label
        unknown = {"day": "", "month": self._(", day unknown"), "year": self._(", month unknown")}
        return self.label(date) + unknown[date.precision]

    def when(self, date: PartialDate, end: PartialDate | None = None) -> Markup:
        if self.native:
            return markup.when(date, end)
        return _when(self, date, end)

    def type_name(self, kind: str) -> str:
        """An incident type's name in this language (markup.type_name, translated)."""
        return markup.type_name(kind) if self.native else self._(markup.type_name(kind))

    def type_label(self, kind: str) -> Markup:
        return markup.type_label(kind, self.type_name(kind))

    def figure_range(self, value) -> str:
        if self.native or not value:
            return markup.figure_range(value)
        low, high = self.number(value[0]), self.number(value[1])
        return low if value[0] == value[1] else f"{low}–{high}"

    def text(self, record, name: str) -> Markup:
        """A record's field in this language; untranslated, the records' own text marked as
        being in their language (lang, dir) with a note that it is not translated yet."""
        value = escape(getattr(record, name))
        if self.native or record.translated(name, self.code) is not None:
            return value
        return _ENGLISH + value + _END

    def untranslated(self, record, name: str = "title") -> bool:
        return not self.native and record.translated(name, self.code) is None


ROOT_LANGUAGE = "en"  # the records' own: an untranslated text is marked as in it
_ENGLISH, _END = Markup(f'<span lang="{ROOT_LANGUAGE}" dir="ltr">'), Markup("</span>")


@lru_cache(maxsize=1 << 12)
def _number(locale: str, n: int) -> str:
    return format_decimal(n, locale=locale, group_separator=False)


@lru_cache(maxsize=64)
def _month(locale: str, month: int) -> str:
    return Locale.parse(locale).months["stand-alone"]["wide"][month]


@lru_cache(maxsize=1 << 14)
def _label(locale: str, date: PartialDate) -> str:
    if date.day:
        from datetime import date as Date

        return format_date(Date(date.year, date.month, date.day), "d MMMM y", locale=locale)
    if date.month:
        return (
            f"{_month(locale, date.month)} {format_decimal(date.year, locale=locale, group_separator=False)}"
        )
    return format_decimal(date.year, locale=locale, group_separator=False)


@lru_cache(maxsize=1 << 14)
def _when(words: Words, date: PartialDate, end: PartialDate | None) -> Markup:
    """markup.when in another language: the same markup, the dates in the edition's locale."""
    html = Markup('<time datetime="{0}">{1}</time>').format(date.iso, words.label(date))
    if end:
        html += Markup(' – <time datetime="{0}">{1}</time>').format(end.iso, words.label(end))
    if date.precision != "day":
        unknown = words._("day unknown") if date.precision == "month" else words._("month unknown")
        html += Markup(' <span class="tl-precision">({0})</span>').format(unknown)
    return html


def localised(dataset: Dataset, code: str) -> Dataset:
    """The dataset as an edition shows it: each translatable field in the language `code` where
    a record has it, else as written. The translations stay on each record, so a page can tell
    which of its texts are translated (Words.text)."""

    def local(record):
        values = {}
        for key, text in record.translations:
            name, found = key.rsplit("_", 1)
            if found == code:
                values[name] = text
        return replace(record, **values) if values else record

    return Dataset(
        towns={key: local(town) for key, town in dataset.towns.items()},
        groups={key: local(group) for key, group in dataset.groups.items()},
        incidents=tuple(local(incident) for incident in dataset.incidents),
    )


def N_(message: str) -> str:
    """Marks a message for the catalogue (`make messages`) where it is not translated at once."""
    return message


def N2_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message with a plural (`make messages` extracts it as ngettext's)."""
    return singular, plural


def script_words(words: Words, messages=(), plurals=()) -> dict:
    """An edition's words for a page's script, as data (a JSON `data-` attribute, never script
    text): each message in the edition's language; each plural message by the CLDR plural
    category a number falls in (what the browser's Intl.PluralRules names), `%(num)s` left
    for the script to fill; and how numbers and dates are written (its digits, its month
    names, a date's pattern by precision, with %(d)s, %(m)s, %(y)s)."""
    rules = Locale.parse(words.code)
    found = {message: words._(message) for message in messages}
    for singular, plural in plurals:
        forms = {}
        for n in range(200):  # every category a language has occurs below 200
            forms.setdefault(rules.plural_form(n), words.messages.ngettext(singular, plural, n))
        found[singular] = forms
    sample = PartialDate(1999, 12, 28)

    def pattern(date: PartialDate) -> str:
        text = words.label(date).replace(words.number(1999), "%(y)s")
        return text.replace(words.month_name(12), "%(m)s").replace(words.number(28), "%(d)s")

    return found | {
        "digits": "".join(words.number(n) for n in range(10)),
        "months": [words.month_name(month) for month in range(1, 13)],
        "dates": {
            "day": pattern(sample),
            "month": pattern(PartialDate(1999, 12)),
            "year": pattern(PartialDate(1999)),
        },
        "source_language": ROOT_LANGUAGE,
    }


# Words the catalogue must carry that no template or call names: the incident types
# (Words.type_label) and the titles of mkdocs.yml's navigation (translated per edition).
CATALOGUED = (
    N_("Battle"), N_("Explosion"), N_("Violence against civilians"), N_("Protest"), N_("Riot"),
    N_("Strategic development"),
    N_("Home"), N_("Timeline"), N_("Towns"), N_("Groups"), N_("Map"), N_("Search"), N_("Data"),
    N_("Contributing"), N_("Adding an incident"), N_("Field reference"), N_("Previewing the site"),
    N_("Threat model"), N_("Performance"), N_("Not translated yet"),
)  # fmt: skip
