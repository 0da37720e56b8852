"""The site's editions: one per language of the timeline plugin's `languages`, the first at the
site's root, each other under `/<code>/` (`/ar/incidents/<id>/`). Every page exists in every
edition at the same path under its root, so the same page in another edition is a matter of
prefixes: the language switch, the `hreflang` alternates and the sitemap's alternates are
all made here. Nothing here knows about mkdocs, or assumes two editions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from babel import Locale

from .i18n import Words

TRANSLATORS = "untranslated/"  # the translators' to-do list of an edition (kinds.UNTRANSLATED)


@dataclass(frozen=True)
class Edition:
    code: str
    languages: tuple[str, ...]  # every edition's, the root's first
    locales: tuple[tuple[str, str], ...] = ()  # (code, CLDR locale) where it is not the code
    site_url: str = ""  # the root edition's absolute address, with a trailing slash

    @property
    def root(self) -> bool:
        return self.code == self.languages[0]

    @property
    def prefix(self) -> str:
        """Where the edition lives under the site's root: "" or "ar/"."""
        return "" if self.root else f"{self.code}/"

    @cached_property
    def words(self) -> Words:
        return Words(self.code, dict(self.locales).get(self.code, self.code), native=self.root)

    @property
    def url(self) -> str:
        return self.site_url + self.prefix

    @property
    def up(self) -> str:
        """From this edition's root to the site's root: "" or "../"."""
        return "" if self.root else "../"

    def other(self, code: str) -> Edition:
        return Edition(code, self.languages, self.locales, self.site_url)

    @property
    def editions(self) -> list[Edition]:
        return [self.other(code) for code in self.languages]

    def has(self, path: str) -> bool:
        """Whether the edition has the page: all have every page but the list of what is not
        translated into their language, which the first edition has no reason to have."""
        return not (self.root and path.startswith(TRANSLATORS))

    def alternates(self, path: str) -> list[tuple[str, str]]:
        """(hreflang, absolute address) of a page (its path under an edition's root) in every
        edition that has it, and x-default: the root edition's."""
        found = [(edition.code, edition.url + path) for edition in self.editions if edition.has(path)]
        return found + (
            [("x-default", self.site_url + path)] if self.other(self.languages[0]).has(path) else []
        )

    def switch(self, path: str) -> list[Switch]:
        """The links to the same page in the other editions (or to their home page, where they
        have not got it), relative to this edition's root."""
        return [
            Switch(
                edition.code,
                _name(edition),
                self.up + edition.prefix + (path if edition.has(path) else ""),
                edition.words.direction,
            )
            for edition in self.editions
            if edition.code != self.code
        ]


@dataclass(frozen=True)
class Switch:
    code: str
    name: str  # the language's name in itself: العربية, English
    href: str  # relative to the edition's root
    direction: str = "ltr"  # of the language's name


def _name(edition: Edition) -> str:
    return Locale.parse(edition.code).get_display_name(edition.code) or edition.code
