"""mkdocs' side of the generated pages: their files, their metadata for the theme, and the
theme's page for each layout (which publish.py fills in for every incident, town and group)."""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

from mkdocs.commands.build import get_context
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page as MkdocsPage

from . import shell
from .i18n import Words
from .pages import Kind, Page
from .shell import Layout

ASSETS = Path(__file__).parent / "assets"
UNUSED_THEME_FILES = ("assets/javascripts/lunr/*", "assets/javascripts/workers/*", "assets/*.map")


class GeneratedPage(File):
    """A page that lives only in memory; under a dirty build it says whether its HTML changed."""

    modified = True

    def is_modified(self) -> bool:
        return self.modified


def source_of(page: Page) -> str:
    return page.url + ("index.html" if page.standalone else "index.md")


def nav_sources(items) -> set[str]:
    """The Markdown paths mkdocs.yml's nav links to."""
    found = set()
    for item in items if isinstance(items, list) else [items]:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            found |= nav_sources(value) if isinstance(value, (list, dict)) else {value}
    return found


def unused_theme_file(file: File, config) -> bool:
    """Material's own search (lunr and its worker; Pagefind searches this site) and the source
    maps of the theme's scripts and styles: megabytes in every site that no page loads."""
    if not any(fnmatch(file.src_uri, pattern) for pattern in UNUSED_THEME_FILES):
        return False
    return bool(file.abs_src_path) and not Path(file.abs_src_path).is_relative_to(config.docs_dir)


def page_meta(kind: Kind, title: str, description: str, words: Words | None = None) -> dict:
    """What the theme (generator/theme/main.html) reads of a generated page; values escaped."""
    meta = {"kind": kind.name, "title": title, "description": description}
    meta["og_type"] = "article" if kind.article else "website"
    if kind.feed:
        feed_title = (words or Words())._("%(title)s: latest incidents", title=title)
        meta |= {"feed": "feed.xml", "feed_title": feed_title}
    return meta


def render_shell(layout: Layout, config, build) -> str:
    """The theme's page for a layout, with markers for the values `Shell.fill` puts in; `build`
    holds the build's nav, files and Jinja2 environment."""
    file = File.generated(config, f"{layout.path}index.md", content="", inclusion=InclusionLevel.NOT_IN_NAV)
    page = MkdocsPage(shell.TITLE, file, config)
    described = shell.DESCRIPTION if layout.described else ""
    page.meta = page_meta(layout.kind, shell.TITLE, described, build.renderer.words)
    page.content, page.active = shell.CONTENT, True
    context = get_context(build.nav, build.files, config, page)
    context = config.plugins.on_page_context(context, page=page, config=config, nav=build.nav)
    html = build.env.get_template(page.meta.get("template", "main.html")).render(context)
    return config.plugins.on_post_page(html, page=page, config=config)


class ThemeEditions:
    """The editions, as the theme reads them from `config.extra.alternate`: Material shows its
    language menu (partials/alternate.html, ours, which links to the same page in each other
    edition) when that is set. It is not iterable on purpose: base.html then writes no
    `<link rel="alternate">` of its own for it, which Material's script would follow to fetch
    a sitemap.xml on every page; partials/hreflang.html writes ours."""

    def __init__(self, edition):
        self.edition = edition

    def __bool__(self) -> bool:
        return len(self.edition.languages) > 1

    def switch(self, path: str):
        return self.edition.switch(path)

    def alternates(self, path: str):
        return self.edition.alternates(path)


def translated_docs(files, config, edition):
    """The docs pages of an edition: `docs/<page>.<code>.md` stands in for `docs/<page>.md` in
    the edition of that language (mkdocs-static-i18n's suffix convention), the English page
    where there is none; no edition publishes another's `.<code>.md` files as pages."""
    codes = edition.languages
    for file in list(files):
        stem, _, ext = file.src_uri.rpartition(".")
        base, _, code = stem.rpartition(".")
        if ext != "md" or not base or code not in codes:
            continue
        files.remove(file)
        if code != edition.code:
            continue
        original = files.get_file_from_path(f"{base}.md")
        if original is not None:
            files.remove(original)
        files.append(File.generated(config, f"{base}.md", abs_src_path=file.abs_src_path))
    return files


def translate_nav(items, words) -> None:
    """The navigation's titles (mkdocs.yml's nav) in the edition's language."""
    for item in items:
        if getattr(item, "title", None):
            item.title = words._(item.title)
        if getattr(item, "children", None):
            translate_nav(item.children, words)


def with_direction(html: str, edition) -> str:
    """`<html lang="ar" dir="rtl">`: Material sets the direction on <body> only."""
    if edition is None or edition.words.direction != "rtl":
        return html
    return html.replace(
        f'<html lang="{edition.code}" class="no-js">',
        f'<html lang="{edition.code}" dir="rtl" class="no-js">',
        1,
    )


def shared_data_links(html: str, url: str, up: str) -> str:
    """A docs page's links to the data files (data.md's), in an edition under `/<code>/`: the
    data files are the first edition's, at the site's root, one folder up (`up`)."""
    root = "../" * url.count("/")
    return html.replace(f'href="{root}data/', f'href="{root}{up}data/')
