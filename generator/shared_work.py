"""The work each edition of a build would do again, done once for every edition: the theme's
files listed (`ListedOnce`) and the docs pages' Markdown converted (`ConvertedOnce`). Each
gives a further edition what the first one made, only where that is what it would make."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial

from jinja2 import FileSystemLoader
from mkdocs.structure.pages import Page as MkdocsPage


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
