"""The mkdocs layer: a plain module of `on_*` hooks over the generator core.

Pages about incidents, towns and groups are generated in memory (`File.generated`) and kept
out of the navigation, so no page grows with the dataset. Their Markdown source is empty:
the HTML comes from `render.py` in `on_page_content`, so no text from a record ever passes
through the site's Markdown extensions. The theme's templates do not autoescape, so the
title and description we hand them in `page.meta` are escaped here.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timezone
from html import escape
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from generator import history, preview, report
from generator.csp import with_policy
from generator.exports import export_files
from generator.feeds import feed_files
from generator.pages import Page
from generator.reference import field_reference
from generator.render import Renderer, Site
from generator.validate import validate_tree

log = logging.getLogger("mkdocs.plugins.timeline")
ASSETS = Path(__file__).parent / "assets"
_build: dict = {}  # the current build's renderer and pages, keyed by source path


class TimelineConfig(base.Config):
    """`extra: timeline:` in mkdocs.yml."""

    incidents = c.Type(str, default="incidents")
    tile_url = c.Type(str, default="")  # map tiles; empty: markers on a plain background
    tile_attribution = c.Type(str, default="")
    history = c.Type(bool, default=True)  # each incident's revisions, from git


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
    result = validate_tree(root)
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
    site = Site(
        name=config.site_name,
        url=(config.site_url or "").rstrip("/") + "/" if config.site_url else "",
        tile_url=options.tile_url,
        tile_attribution=options.tile_attribution,
        revisions=_revisions(root) if options.history else {},
    )
    renderer = Renderer(result.dataset, site)
    _build.clear()
    _build.update(renderer=renderer, pages={source_of(page): page for page in renderer.plan()}, html={})
    _pin_build_date(result.dataset)
    config.extra_css.append("assets/timeline.css")
    config.extra_javascript.append("assets/timeline.js")
    return config


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


class GeneratedPage(File):
    """A page that lives only in memory; under a dirty build it says whether its HTML changed."""

    modified = True

    def is_modified(self) -> bool:
        return self.modified


def on_startup(command, dirty):
    preview.dirty = dirty


def on_files(files, config):
    renderer = _build["renderer"]
    for source, page in _build["pages"].items():
        if page.url == "":
            continue  # the home page is docs/index.md, with the latest incidents appended
        content = renderer.render(page) if page.standalone else ""
        file = GeneratedPage.generated(config, source, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
        if preview.dirty:
            key = renderer.fingerprint(page)
            if key is None:
                key = _build["html"][source] = content or renderer.render(page)
            file.modified = preview.changed(source, key)
        files.append(file)
    home = files.get_file_from_path("index.md")
    if preview.dirty and home is not None:
        home.is_modified = lambda: True  # it lists the latest incidents, which its source doesn't show
    for asset in sorted(path for path in ASSETS.rglob("*") if path.is_file()):
        source = f"assets/{asset.relative_to(ASSETS).as_posix()}"
        files.append(File.generated(config, source, abs_src_path=str(asset)))
    files.append(File.generated(config, "reference.md", content=field_reference()))
    return files


def on_page_markdown(markdown, page, config, files):
    generated = _build["pages"].get(page.file.src_uri)
    if generated is None:
        return markdown
    meta = {"kind": generated.template.removesuffix(".html")}
    if meta["kind"] in ("home", "town", "group"):
        meta |= {"feed": "feed.xml", "feed_title": escape(f"{generated.title}: latest incidents")}
    if generated.url == "":  # the home page keeps its hand-written Markdown
        page.meta.update(meta)
        return markdown
    page.meta = meta | {"title": escape(generated.title), "description": escape(generated.description)}
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


def on_post_build(config):
    """Data exports and feeds, then the search index over the whole built site."""
    from generator.search import SearchIndexError, index_site

    dataset, site_dir = _build["renderer"].dataset, Path(config.site_dir)
    if preview.dirty and not preview.first_build():
        log.info("live preview: data files, feeds and the search index are refreshed by a full build")
        return
    if not config.site_url:
        raise PluginError("mkdocs.yml: set site_url, the site's public address: feeds need it")
    _write(site_dir, export_files(dataset, config.site_url))
    changed = {key: revisions[0].date for key, revisions in _build["renderer"].site.revisions.items()}
    _write(site_dir, feed_files(dataset, config.site_url, changed=changed, site_title=config.site_name))

    try:
        index_site(Path(config.site_dir))
    except SearchIndexError as error:
        raise PluginError(f"search index: {error}") from error


def _write(site_dir: Path, files) -> None:
    """Files made one at a time (exports and feeds), so they are never all in memory at once."""
    for path, content in files.items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
