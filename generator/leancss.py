"""Material's stylesheet without the rules no generated page uses: generator/assets/lean.css.

Material's main stylesheet (134 KB, 22 KB gzipped) styles every feature of the theme: search,
blog, tags, code annotations, content tabs, admonitions, versions, cookie consent... The
generated pages (incident, town, group, timeline, ...; the pages that load assets/lean.js)
use a few of them. `purge` keeps a rule's selector unless it names a class no such page has
(outside parentheses: `:not(.x)` or `:is(.x, .y)` keep theirs), and every at-rule that is not
a list of rules (fonts, keyframes) as it is; what is left is the same rules in the same order.

`python -m generator.leancss SITE` writes generator/assets/lean.css from a built site's
generated pages (the classes in their HTML) and the classes our scripts add; tests check that
the file is what it makes of the sample site, so a template that starts using a class of
Material's fails a test until the file is made again.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

ASSETS = Path(__file__).parent / "assets"
OUTPUT = ASSETS / "lean.css"
SCRIPTS = (
    "lean.js",
    "scheme.js",
    "timeline.js",
    "map.js",
)  # generated pages' scripts, beside docs/javascripts
NESTED = ("@media", "@supports", "@layer", "@container", "@document")
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_CLASS_ATTRIBUTE = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_SCRIPT_CLASS = re.compile(r"\bmd-[a-z0-9_-]+|\b(?:no-)?js\b")
# Classes of Material's that generated pages leave out of their markup, and where those elements
# are instead: the tabs (partials/tabs.html: eight on every page), the header's titles
# (partials/header.html), the drawer's checkbox and the content (lean-base.html) and the language
# menu (partials/alternate.html). Each stands for its class with the class's specificity, so that
# Material's rules override each other, and ours theirs, as before: :where() counts nothing, and
# the one pseudo-class or attribute beside it, true of those elements, one class. A class that
# other elements of these pages still carry (the table of contents' .md-ellipsis) is kept in :is().
BY_PLACE = {
    "md-tabs__item": ".md-tabs__list>:where(li)",
    "md-tabs__link": ":where(.md-tabs__list>li>a):first-child",
    "md-toggle": "[data-md-toggle]",
    "md-header__ellipsis": ":where(.md-header__title>div):first-child",
    "md-header__topic": ":where(.md-header__title>div>div):nth-child(n)",
    "md-ellipsis": ":is(.md-ellipsis,:where(.md-header__title span))",
    "md-content__inner": ":where(.md-content>article):first-child",
    "md-select__list": ":where(.md-select__inner>ul):first-child",
    "md-select__item": ":where(.md-select__inner li):nth-child(n)",
    "md-select__link": ":where(.md-select__inner a):first-child",
}
# What generated pages leave out of their frame, drawn as Material's rules draw it (the same
# pixels, tests/test_lean.py): the two empty sidebars, sticky boxes beside the content, as the
# main grid's ::after (the navigation's, first in flex order, hidden below 76.25em as
# timeline.css hides it) and ::before (the table of contents', last, none where a page has one);
# the secondary's stand-in is ::before because, as its sidebar did, it must come before the
# content in the tree: Chromium rasterises some edges of the content otherwise. Then the
# content's margin beside them, and the empty footer's band over the footer's own colour.
STAND_INS = (
    "@media screen{.md-main__inner:after,.md-main__inner:before{position:sticky;top:2.4rem;"
    'flex-shrink:0;align-self:flex-start;width:12.1rem;padding:1.2rem 0;content:""}'
    ".md-main__inner:after{order:-1}.md-main__inner:before{order:2}"
    ".md-main__inner:has(>.md-sidebar--secondary):before{content:none}}"
    "@media screen and (max-width:76.234375em){.md-main__inner:after{display:none}}"
    "@media screen and (max-width:59.984375em){.md-main__inner:before{display:none}}"
    "@media screen and (min-width:76.25em){:where(.md-content>article):first-child{margin-left:1.2rem;"
    "margin-right:1.2rem}}"
    '.md-footer:empty:before{display:block;height:1.2rem;content:"";background-color:var(--md-footer-bg-color--dark)}'
)

_BY_PLACE = re.compile(r"\.(" + "|".join(map(re.escape, BY_PLACE)) + r")(?![\w-])")


def material_css() -> Path:
    import material

    found = sorted((Path(material.__file__).parent / "templates/assets/stylesheets").glob("main.*.min.css"))
    if len(found) != 1:
        raise FileNotFoundError(f"Material's main stylesheet: found {found}")
    return found[0]


def _skip_string(css: str, i: int) -> int:
    quote, i = css[i], i + 1
    while i < len(css) and css[i] != quote:
        i += 2 if css[i] == "\\" else 1
    return i + 1


def _block_end(css: str, start: int) -> int:
    """The index just past the } that closes the { at `start`."""
    depth, i = 0, start
    while i < len(css):
        c = css[i]
        if c in "\"'":
            i = _skip_string(css, i)
            continue
        if css.startswith("/*", i):
            i = css.index("*/", i) + 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced braces")


def _split_top(text: str, separator: str = ",") -> list[str]:
    """`text` split at `separator` outside parentheses, brackets and strings."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        c = text[i]
        if c in "\"'":
            i = _skip_string(text, i)
            continue
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    return [*parts, text[start:]]


def _outside_parentheses(selector: str) -> str:
    out, depth = [], 0
    for c in re.sub(r"\[[^\]]*\]", "", selector):  # attribute values can hold dots
        depth += c == "("
        if depth == 0:
            out.append(c)
        depth -= c == ")"
    return "".join(out)


def keeps(selector: str, classes: set[str]) -> bool:
    return all(name in classes for name in _CLASS.findall(_outside_parentheses(selector)))


def purge(css: str, classes: set[str]) -> str:
    """`css` with only the selectors that name no class outside `classes`."""
    out, i = [], 0
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    while i < len(css):
        brace, semicolon = css.find("{", i), css.find(";", i)
        if brace < 0:
            break
        if 0 <= semicolon < brace:  # @charset, @import, @layer a, b;
            out.append(css[i : semicolon + 1])
            i = semicolon + 1
            continue
        end = _block_end(css, brace)
        prelude, body = css[i:brace].strip(), css[brace + 1 : end - 1]
        if prelude.startswith(NESTED):
            inner = purge(body, classes)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(css[i:end].strip())
        else:
            kept = [s for s in _split_top(prelude) if keeps(s, classes)]
            if kept:
                out.append(f"{','.join(kept)}{{{body}}}")
        i = end
    return "".join(out)


def by_place(css: str) -> str:
    """`css` with each class of BY_PLACE named by its place (`.md-tabs__item--active` stays)."""
    return _BY_PLACE.sub(lambda match: BY_PLACE[match[1]], css)


def lean_css(classes: set[str]) -> str:
    """Material's stylesheet as generated pages, which have `classes`, use it."""
    return purge(by_place(material_css().read_text("utf-8")), classes) + STAND_INS


def page_classes(html: str) -> set[str]:
    found = set()
    for match in _CLASS_ATTRIBUTE.finditer(html):
        found.update((match[1] or match[2] or match[3] or "").split())
    return found


def script_classes(texts: Iterable[str]) -> set[str]:
    return {name for text in texts for name in _SCRIPT_CLASS.findall(text)}


_LEAN_SCRIPT = re.compile(r"""<script src=["']?[^"'>]*assets/lean\.js["'>\s]""")


def lean_pages(site: Path) -> list[Path]:
    """The pages that load assets/lean.js (not those that only name it, as the docs do)."""
    return sorted(p for p in site.rglob("*.html") if _LEAN_SCRIPT.search(p.read_text("utf-8", "replace")))


def classes_of(site: Path, scripts: Iterable[Path]) -> set[str]:
    found = set()
    for page in lean_pages(site):
        found |= page_classes(page.read_text("utf-8", "replace"))
    return found | script_classes(p.read_text("utf-8") for p in scripts)


def our_scripts(root: Path) -> list[Path]:
    return [ASSETS / name for name in SCRIPTS] + sorted((root / "docs" / "javascripts").glob("*.js"))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(
            "usage: python -m generator.leancss SITE (a site built from the shipped records)", file=sys.stderr
        )
        return 2
    root = Path(__file__).resolve().parent.parent
    classes = classes_of(Path(args[0]), our_scripts(root))
    text = lean_css(classes)
    OUTPUT.write_text(f"/* {HEADER} */\n{text}\n", encoding="utf-8")
    print(f"wrote {OUTPUT}: {len(text):,} bytes of {material_css().stat().st_size:,}")
    return 0


HEADER = "Material's main stylesheet, only the rules generated pages use: python -m generator.leancss SITE"

if __name__ == "__main__":
    sys.exit(main())
