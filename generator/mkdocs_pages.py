"""mkdocs' side of the generated pages: their files, their metadata for the theme, and the
theme's page for each layout (which publish.py fills in for every incident, town and group)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import partial
from pathlib import Path

from jinja2 import FileSystemLoader
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


class ListedOnce:
    """The theme's `get_env` (put in its place for one build), whose environments list the
    theme's files once for every edition: mkdocs lists them for each edition's build
    (`Files.add_files_from_theme`: 14,500 of Material's files, each tried against a dozen
    patterns), 0.05 s each time. The list of a filter is kept, keyed by the filter's code and
    what it closes over: mkdocs' filter reads the configuration, which every edition shares.
    That filter refuses every path with a part that starts with a dot ('.*', '*/.*'), so the
    folders that do (Material's `.icons`: 14,300 of the files) are not walked at all."""

    def __init__(self, get_env):
        self.get_env, self.listed = get_env, {}

    def __call__(self):
        env = self.get_env()
        env.list_templates = partial(self.list_templates, env)
        return env

    def list_templates(self, env, extensions=None, filter_func=None) -> list[str]:
        key = (None if extensions is None else tuple(extensions), _function_key(filter_func))
        if key not in self.listed:
            self.listed[key] = _listed(env, extensions, filter_func)
        return list(self.listed[key])


def _function_key(function) -> tuple:
    closure = getattr(function, "__closure__", None) or ()
    return (getattr(function, "__code__", function), *(id(cell.cell_contents) for cell in closure))


MKDOCS_THEME_FILTER = "Files.add_files_from_theme.<locals>.filter"


def _listed(env, extensions, filter_func) -> list[str]:
    mkdocs_filter = getattr(filter_func, "__qualname__", "") == MKDOCS_THEME_FILTER
    if extensions is None and mkdocs_filter and isinstance(env.loader, FileSystemLoader):
        return [name for name in _without_dot_folders(env.loader) if filter_func(name)]
    return type(env).list_templates(env, extensions, filter_func)


def _without_dot_folders(loader: FileSystemLoader) -> list[str]:
    """`FileSystemLoader.list_templates`, not walking into folders whose names start with a dot."""
    found = set()
    for searchpath in loader.searchpath:
        for folder, subfolders, names in os.walk(searchpath, followlinks=loader.followlinks):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            for name in names:
                path = os.path.join(folder, name)[len(searchpath) :].strip(os.path.sep)
                path = path.replace(os.path.sep, "/")
                found.add(path[2:] if path[:2] == "./" else path)
    return sorted(found)


@dataclass(frozen=True)
class Converted:
    """What mkdocs' `Page.render` made of a page's Markdown, among which files."""

    markdown: str
    files: frozenset
    content: str
    toc: object
    title: str | None
    anchors: frozenset[str]
    links: dict[str, dict[str, str]] | None  # links to anchors, by the linked file's source path


class ConvertedOnce:
    """The docs pages' Markdown converted once for every edition: mkdocs converts each page in
    each edition's build, and most are the same Markdown in every edition (0.08 s of each
    edition's build). A further edition's page whose Markdown and files (their addresses) are
    what the first edition's were is given what the conversion made there; any other is
    converted. Broken links are reported by the first edition's conversion."""

    def __init__(self):
        self.pages: dict[str, Converted] = {}

    def keep(self, page, files) -> None:
        """A page of the first edition, just converted."""
        links = page.links_to_anchors
        self.pages[page.file.src_uri] = Converted(
            page.markdown,
            _addresses(files),
            page.content,
            page.toc,
            page._title_from_render,
            frozenset(page.present_anchor_ids or ()),
            None if links is None else {file.src_uri: dict(anchors) for file, anchors in links.items()},
        )

    def reuse(self, page) -> None:
        """A page of a further edition: converted as the first edition's was, if it can be."""
        page.render = partial(self._render, page)

    def _render(self, page, config, files) -> None:
        kept = self.pages.get(page.file.src_uri)
        if kept is None or kept.markdown != page.markdown or kept.files != _addresses(files):
            return MkdocsPage.render(page, config, files)
        page.content, page.toc, page._title_from_render = kept.content, kept.toc, kept.title
        page.present_anchor_ids = set(kept.anchors)
        if kept.links is not None:
            page.links_to_anchors = {
                files.get_file_from_path(uri): dict(anchors) for uri, anchors in kept.links.items()
            }


def _addresses(files) -> frozenset:
    """What a page's links are resolved against: each file's source path, address and inclusion."""
    return frozenset((file.src_uri, file.url, file.inclusion) for file in files)


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
