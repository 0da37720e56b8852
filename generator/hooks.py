"""The mkdocs layer: a plain module of `on_*` hooks over the generator core.

The few generated pages the nav links to (timeline, towns, groups, map) are mkdocs pages made
in memory (`File.generated`) with an empty Markdown source: their HTML comes from `render.py`
in `on_page_content`, so no text from a record passes through the site's Markdown extensions.
The theme's templates do not autoescape, so the title and description we hand them in
`page.meta` are escaped here. Every other page about an incident, town or group is written
after the build by `publish.py`, into the theme's page rendered once per layout
(`render_shell`); none is in the navigation, so no page grows with the dataset.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timezone
from fnmatch import fnmatch
from html import escape
from pathlib import Path

from mkdocs.commands.build import get_context
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page as MkdocsPage

from generator import history, preview, report, shell
from generator.csp import with_policy
from generator.datafiles import DataFiles, DataFilesError
from generator.forge import entry_lines, forge_of
from generator.form import description_json
from generator.indexer import ShardedSearchIndex
from generator.pages import Page
from generator.publish import Publisher, dated, extend_sitemap
from generator.reference import field_reference
from generator.render import Renderer, Site
from generator.search import SearchIndexError
from generator.shell import Layout, layout_of
from generator.validate import validate_tree

log = logging.getLogger("mkdocs.plugins.timeline")
ASSETS = Path(__file__).parent / "assets"
UNUSED_THEME_FILES = ("assets/javascripts/lunr/*", "assets/javascripts/workers/*", "assets/*.map")
_build: dict = {}  # the current build's renderer and pages, keyed by source path


class TimelineConfig(base.Config):
    """`extra: timeline:` in mkdocs.yml."""

    incidents = c.Type(str, default="incidents")
    tile_url = c.Type(str, default="")  # map tiles; empty: markers on a plain background
    tile_attribution = c.Type(str, default="")
    history = c.Type(bool, default=True)  # each incident's revisions, from git
    search_shard = c.Type(int, default=5000)  # pages per Pagefind index (its memory grows with them)
    forge = c.Type(str, default="")  # the forge's kind when its host doesn't say (GitHub Enterprise: github)


def settings(config) -> TimelineConfig:
    options = TimelineConfig()
    options.load_dict(dict(config.extra.get("timeline") or {}))
    errors, _ = options.validate()
    if errors:
        raise PluginError(f"mkdocs.yml, extra.timeline: {errors[0][0]}: {errors[0][1]}")
    return options


def on_config(config):
    options = settings(config)
    root = Path(config.config_file_path or ".").parent / options.incidents
    # a full build checks the records on every core; a live preview re-checks only edited files
    result = validate_tree(root, workers=1 if preview.dirty else os.cpu_count() or 1)
    counts = {
        "incidents": len(result.dataset.incidents),
        "towns": len(result.dataset.towns),
        "groups": len(result.dataset.groups),
    }
    if result.errors:
        raise PluginError(
            "the incident records have errors, nothing was built:\n" + report.text(result.problems, counts)
        )
    for problem in result.problems:  # warnings (possible duplicates) must not fail a strict build
        log.info("%s:%d:%d: %s", problem.path, problem.line, problem.col, problem.text())
    forge = forge_of(config.repo_url, config.edit_uri, _in_repository(root, config), options.forge)
    site = Site(
        name=config.site_name,
        url=(config.site_url or "").rstrip("/") + "/" if config.site_url else "",
        tile_url=options.tile_url,
        tile_attribution=options.tile_attribution,
        revisions=_revisions(root) if options.history else {},
        forge=forge,
        lines={kind: entry_lines(root / f"{kind}.yaml") for kind in ("towns", "groups")} if forge else {},
    )
    renderer = Renderer(result.dataset, site)
    preview.templates(renderer.env)
    _build.clear()
    _build.update(renderer=renderer, search_shard=options.search_shard)
    _pin_build_date(result.dataset)
    config.extra_css.append("assets/timeline.css")
    config.extra_javascript.append("assets/timeline.js")
    return config


def _in_repository(root: Path, config) -> str:
    """The folder of records as the repository names it: relative to mkdocs.yml's folder, or
    `incidents` for a folder outside it (a build of other records, as the tests make)."""
    base = Path(config.config_file_path or ".").parent.resolve()
    try:
        return root.resolve().relative_to(base).as_posix()
    except ValueError:
        return "incidents"


def _revisions(root: Path) -> dict:
    """Each record's git history; a preview reads it once (it shows commits, not edits)."""
    if preview.dirty:
        return preview.once(("revisions", str(root)), lambda: history.revisions(root, Path(".")))
    return history.revisions(root, Path("."))


def _pin_build_date(dataset) -> None:
    """mkdocs dates the sitemap by SOURCE_DATE_EPOCH: tie it to the data, not the clock."""
    if "SOURCE_DATE_EPOCH" in os.environ or not dataset.incidents:
        return
    latest = max(i.date.sort_key for i in dataset.incidents)
    day = datetime(latest[0], latest[1] or 1, latest[2] or 1, tzinfo=timezone.utc)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(day.timestamp()))


def source_of(page: Page) -> str:
    return page.url + ("index.html" if page.standalone else "index.md")


def _nav_sources(items) -> set[str]:
    """The Markdown paths mkdocs.yml's nav links to."""
    found = set()
    for item in items if isinstance(items, list) else [items]:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            found |= _nav_sources(value) if isinstance(value, (list, dict)) else {value}
    return found


class GeneratedPage(File):
    """A page that lives only in memory; under a dirty build it says whether its HTML changed."""

    modified = True

    def is_modified(self) -> bool:
        return self.modified


def on_startup(command, dirty):
    preview.dirty = dirty


def on_serve(server, config, builder):
    """The first build is done: its pages and renderer are let go, what the preview keeps of
    it is set aside from the collector (preview.settle)."""
    _build.clear()
    preview.settle()
    return server


def on_files(files, config):
    """The generated pages the nav links to become mkdocs pages (the theme marks their tab);
    all the others are written by `publish.py` after the build (see on_post_build)."""
    renderer, in_nav = _build["renderer"], _nav_sources(config.nav or [])
    _build["full"] = not preview.dirty or preview.first_build()
    if _build["full"]:  # the site's folder is clean by now
        _build["data"] = _start_data_files(config)
    # planned once the data files process runs beside: a second at 100,000 incidents
    pages = {source_of(page): page for page in renderer.plan()}
    _build.update(pages=pages, published=dict(pages), html={})
    for source, page in list(_build["pages"].items()):
        if source not in in_nav:
            continue
        _build["published"].pop(source)
        if page.url == "":
            continue  # the home page is docs/index.md, with the latest incidents appended
        file = GeneratedPage.generated(config, source, content="", inclusion=InclusionLevel.NOT_IN_NAV)
        if preview.dirty:
            _build["html"][source] = html = renderer.render(page)
            file.modified = preview.changed(source, html)
        files.append(file)
    home = files.get_file_from_path("index.md")
    if preview.dirty and home is not None:
        home.is_modified = lambda: True  # it lists the latest incidents, which its source doesn't show
    for file in [f for f in files if _unused_theme_file(f, config)]:
        files.remove(file)
    for asset in sorted(path for path in ASSETS.rglob("*") if path.is_file()):
        source = f"assets/{asset.relative_to(ASSETS).as_posix()}"
        files.append(File.generated(config, source, abs_src_path=str(asset)))
    files.append(File.generated(config, "reference.md", content=field_reference()))
    # what the form at /new/ builds its fields from (generator/form.py), loaded by that page only
    form = description_json(renderer.dataset, renderer.site.forge)
    files.append(File.generated(config, "assets/record-form.json", content=form))
    return files


def _start_data_files(config) -> DataFiles:
    """The data exports and feeds, in a process that runs beside mkdocs building the docs
    pages, then beside the generated pages."""
    if not config.site_url:
        raise PluginError("mkdocs.yml: set site_url, the site's public address: feeds need it")
    renderer = _build["renderer"]
    changed = {key: revisions[0].date for key, revisions in renderer.site.revisions.items()}
    return DataFiles(Path(config.site_dir), renderer.dataset, config.site_url, changed, config.site_name)


def _unused_theme_file(file: File, config) -> bool:
    """Material's own search (lunr and its worker; Pagefind searches this site) and the source
    maps of the theme's scripts and styles: 2.2 MB in every site that no page loads."""
    if not any(fnmatch(file.src_uri, pattern) for pattern in UNUSED_THEME_FILES):
        return False
    return bool(file.abs_src_path) and not Path(file.abs_src_path).is_relative_to(config.docs_dir)


def on_nav(nav, config, files):
    _build.update(nav=nav, files=files)
    return nav


def on_env(env, config, files):
    _build["env"] = preview.templates(env)
    return env


def page_meta(kind: str, title: str, description: str) -> dict:
    """What the theme (generator/theme/main.html) reads of a generated page; values escaped."""
    meta = {"kind": kind, "title": title, "description": description}
    if kind in ("home", "town", "group"):
        meta |= {"feed": "feed.xml", "feed_title": f"{title}: latest incidents"}
    return meta


def render_shell(layout: Layout, config) -> str:
    """The theme's page for a layout, with markers for the values `Shell.fill` puts in."""
    nav, env = _build["nav"], _build["env"]
    file = File.generated(config, f"{layout.path}index.md", content="", inclusion=InclusionLevel.NOT_IN_NAV)
    page = MkdocsPage(shell.TITLE, file, config)
    page.meta = page_meta(layout.kind, shell.TITLE, shell.DESCRIPTION if layout.described else "")
    page.content, page.active = shell.CONTENT, True
    context = get_context(nav, _build["files"], config, page)
    context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
    html = env.get_template(page.meta.get("template", "main.html")).render(context)
    return config.plugins.on_post_page(html, page=page, config=config)


def on_page_markdown(markdown, page, config, files):
    generated = _build["pages"].get(page.file.src_uri)
    if generated is None:
        return markdown
    meta = page_meta(
        generated.template.removesuffix(".html"), escape(generated.title), escape(generated.description)
    )
    if generated.url == "":  # the home page keeps its hand-written Markdown and title
        page.meta.update({key: meta[key] for key in ("kind", "feed", "feed_title")})
        return markdown
    page.meta = meta
    return ""


def _serving(config) -> bool:
    """`mkdocs serve` points site_url at its dev server and injects an inline live-reload
    script the policy would block; the preview goes without the policy."""
    host, port = config.dev_addr
    return (config.site_url or "").startswith(f"http://{host}:{port}/")


def on_post_page(output, page, config):
    return output if _serving(config) else with_policy(output, page.content or "")


def on_post_template(output_content, template_name, config):
    if template_name.endswith(".html") and not _serving(config):
        return with_policy(output_content)
    return output_content


def on_page_content(html, page, config, files):
    renderer = _build["renderer"]
    if page.is_homepage:
        return html + renderer.render(_build["pages"]["index.md"])
    source = page.file.src_uri
    if source in _build["html"]:
        return _build["html"].pop(source)
    generated = _build["pages"].get(source)
    return renderer.render(generated) if generated else html


def on_build_error(error):
    preview.forget()
    if _build.get("data") is not None:
        _build["data"].stop()


def on_post_build(config):
    """The generated pages, each filled into its theme shell and handed to Pagefind, which
    indexes them on another core; the data exports and feeds are being written meanwhile, in a
    process of their own (where processes can fork) started by on_files."""
    renderer, site_dir = _build["renderer"], Path(config.site_dir)
    publisher = Publisher(renderer, lambda layout: render_shell(layout, config), site_dir)
    pages = list(_build["published"].values())
    if not _build["full"]:
        written = publisher.publish(pages, keep=lambda page: _unchanged(publisher, page))
        log.info("live preview: %d generated page(s) rewritten; data files, feeds and the search "
                 "index are refreshed by a full build", written)  # fmt: skip
        return
    data, search = _build["data"], None
    try:
        language, shard = config.theme.get("language") or "en", _build["search_shard"]
        search = ShardedSearchIndex(site_dir, language, shard, dated=sum(map(dated, pages)))
        publisher.publish(
            pages, keep=lambda page: preview.dirty and _unchanged(publisher, page), search=search
        )
        search.seal()  # Pagefind writes the last shard while the sitemap and data files are written
        extend_sitemap(
            site_dir, config.site_url, (page.url for page in pages if not page.standalone), _build_epoch()
        )
        data.finish()
        search.finish()
    except SearchIndexError as error:
        raise PluginError(f"search index: {error}") from error
    except DataFilesError as error:
        raise PluginError(str(error)) from error
    finally:
        if search is not None:
            search.close()
        data.stop()


def _unchanged(publisher: Publisher, page: Page) -> bool:
    """Whether a page is as the previous build of this preview wrote it."""
    key = publisher.renderer.fingerprint(page)
    if key is None:
        return False
    layout = "" if page.standalone else publisher.shell(layout_of(page)).key
    return not preview.changed(source_of(page), f"{layout}:{key}")


def _build_epoch() -> int:
    return int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
