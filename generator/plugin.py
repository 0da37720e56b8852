"""The mkdocs plugin `timeline`: the only mkdocs-aware module besides build.py.

    plugins:
      - timeline:
          incidents: incidents
          tile_url: ...

The few generated pages the nav links to (timeline, towns, groups, map) are mkdocs pages made
in memory (`File.generated`) with an empty Markdown source: their HTML comes from `render.py`
in `on_page_content`, so no text from a record passes through the site's Markdown extensions.
The theme's templates do not autoescape, so the title and description we hand them in
`page.meta` are escaped here. Every other page about an incident, town or group is written
after the build by `publish.py`, into the theme's page rendered once per layout; none is in
the navigation, so no page grows with the dataset.

mkdocs keeps a plugin that has `on_startup` from one rebuild of `mkdocs serve` to the next:
what a live preview remembers (`Preview`, the validator's `Memory`) lives on it.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import escape
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel

from . import columns, history, report, sitedir
from .csp import with_policy
from .datafiles import DataFiles, DataFilesError
from .editions import Edition
from .forge import entry_lines, forge_of
from .form import description_json
from .indexer import ShardedSearchIndex
from .languages import LanguagesError, check_languages
from .mkdocs_pages import (
    ASSETS,
    GeneratedPage,
    ThemeEditions,
    nav_sources,
    page_meta,
    render_shell,
    shared_data_links,
    source_of,
    translate_nav,
    translated_docs,
    unused_theme_file,
    with_direction,
)
from .pages import Page
from .preview import CompiledTemplates, Preview, remove_pages
from .publish import Publisher, dated, extend_sitemap
from .reference import field_reference
from .render import Renderer, Site
from .search import SearchIndexError
from .shared_work import ConvertedOnce, ListedOnce
from .shell import layout_of
from .types import close_match
from .validate import Memory, validate_tree

log = logging.getLogger("mkdocs.plugins.timeline")


class TimelineConfig(base.Config):
    """`plugins: - timeline:` in mkdocs.yml; docs/preview.md lists the options."""

    incidents = c.Type(str, default="incidents")
    tile_url = c.Type(str, default="")  # map tiles; empty: markers on a plain background
    tile_attribution = c.Type(str, default="")
    history = c.Type(bool, default=True)  # each incident's revisions, from git
    search_shard = c.Type(int, default=5000)  # pages per Pagefind index (its memory grows with them)
    forge = c.Type(str, default="")  # the forge's kind when its host doesn't say (GitHub Enterprise: github)
    # the site's editions: the first at the root (the records' own language), each other under /<code>/
    languages = c.ListOfItems(c.Type(str), default=["en"])
    # an edition's CLDR locale for dates and numbers where it is not the language's own (ar: ar_SY)
    locales = c.DictOfItems(c.Type(str), default={})
    # languages whose edition is not built (as mkdocs-static-i18n's `build: false`): their
    # translations are still checked; a quicker build of the others
    skip_editions = c.ListOfItems(c.Type(str), default=[])


@dataclass
class Build:
    """One build's renderer, planned pages and the HTML rendered ahead."""

    renderer: Renderer
    search_shard: int
    pages: dict[str, Page] = field(default_factory=dict)  # by source path
    published: dict[str, Page] = field(default_factory=dict)  # written by publish.py, not mkdocs
    html: dict[str, str] = field(default_factory=dict)
    full: bool = True  # data files and search index written (not only the pages an edit changed)
    gone: set[str] | None = None  # pages of the previous preview build that this one has not
    data: DataFiles | None = None
    nav: object = None
    files: object = None
    env: object = None


@dataclass
class Shared:
    """What every edition of one build shares: the checked records and their history."""

    dataset: object
    revisions: dict
    site_url: str
    compiled: CompiledTemplates = field(default_factory=CompiledTemplates.kept_on_disk)  # the theme's, ours
    converted: ConvertedOnce = field(default_factory=ConvertedOnce)  # the docs pages' Markdown


class TimelinePlugin(BasePlugin[TimelineConfig]):
    def __init__(self):
        self.preview = Preview()
        self.previews: dict[str, Preview] = {}  # a further edition's own, by language
        self.memory = Memory()
        self.build: Build | None = None
        self.edition: Edition | None = None  # the edition being built
        self.shared: Shared | None = None  # what the editions of one build share
        self.forge, self.lines = None, {}  # where the records live on their forge (forge.py)

    def load_config(self, options: dict, config_file_path: str | None = None):
        """A misspelt option (`tile_ulr:`) fails the build, naming the option it resembles:
        mkdocs only warns about unknown options, and a warning is lost outside strict mode."""
        errors, warnings = super().load_config(options, config_file_path)
        known = [name for name, _ in self.config_class._schema]
        for key in [key for key, _ in warnings if key not in known]:
            near = close_match(key, known) or "the options are: " + ", ".join(known)
            errors.append((key, f"unknown option of the timeline plugin; {near}"))
        return errors, [(key, text) for key, text in warnings if key in known]

    def on_startup(self, *, command, dirty):
        self.preview, self.previews = Preview(dirty), {}
        self.memory = Memory()

    def on_config(self, config):
        if self.edition is not None and not self.edition.root and self.shared is not None:
            return self._edition_config(config)  # a further edition, built from on_post_build
        root = Path(config.config_file_path or ".").parent / self.config.incidents
        _check_site_dir(config, root)
        # a full build checks the records on every core; a live preview re-checks only edited files
        workers, memory = (1, self.memory) if self.preview.dirty else (os.cpu_count() or 1, None)
        revisions = self._revisions(root) if self.config.history else {}  # read while records are checked
        try:
            languages = check_languages(list(self.config.languages))
        except LanguagesError as error:
            raise PluginError(f"timeline plugin: {error}") from None
        result = validate_tree(root, workers=workers, memory=memory, languages=languages)
        if result.errors:
            text = report.text(result.problems, result.counts)
            raise PluginError(f"the incident records have errors, nothing was built:\n{text}")
        for problem in result.problems:  # warnings (possible duplicates) must not fail a strict build
            log.info("%s:%d:%d: %s", problem.path, problem.line, problem.col, problem.text())
        site_url = (config.site_url or "").rstrip("/") + "/" if config.site_url else ""
        locales = tuple(sorted(self.config.locales.items()))
        skipped = set(self.config.skip_editions)
        if languages[0] in skipped or not skipped <= set(languages):
            raise PluginError(
                "timeline plugin: skip_editions names the first language or one not in languages"
            )
        built = tuple(code for code in languages if code not in skipped)
        self.edition = edition = Edition(languages[0], built, locales, site_url)
        self.forge = forge_of(
            config.repo_url, config.edit_uri, _in_repository(root, config), self.config.forge
        )
        self.lines = (
            {kind: entry_lines(root / f"{kind}.yaml") for kind in ("towns", "groups")} if self.forge else {}
        )
        self.shared = Shared(result.dataset, revisions, site_url)
        self.build = Build(Renderer(result.dataset, self._site(config, edition)), self.config.search_shard)
        self.preview.templates(self.build.renderer.env)
        if not self.preview.dirty:  # compiled once for every edition
            self.build.renderer.env.bytecode_cache = self.shared.compiled
        _pin_build_date(result.dataset)
        config.extra_css.append("assets/timeline.css")
        config.extra_javascript.append("assets/timeline.js")
        if len(built) > 1:
            config.extra["alternate"] = ThemeEditions(edition)
        if not isinstance(config.theme.get_env, ListedOnce):
            config.theme.get_env = ListedOnce(config.theme.get_env)
        return config

    def _site(self, config, edition: Edition) -> Site:
        return Site(
            name=config.site_name,
            url=edition.url,
            tile_url=self.config.tile_url,
            tile_attribution=self.config.tile_attribution,
            revisions=self.shared.revisions,
            data_root=edition.up,
            words=edition.words,
            edition=edition,
            forge=self.forge,
            lines=self.lines,
        )

    def _edition_config(self, config):
        """A further edition's build: the records were checked, and their history read, for
        the first; only its pages are made again, in its language."""
        edition = self.edition
        self.build = Build(
            Renderer(self.shared.dataset, self._site(config, edition)), self.config.search_shard
        )
        env = self.build.renderer.env
        if self.preview.dirty:
            self.preview.templates(env)  # compiled once per preview, as the first edition's
        else:
            env.bytecode_cache = self.shared.compiled
        config.extra["alternate"] = ThemeEditions(edition)
        return config

    def _revisions(self, root: Path):
        """Each record's git history, read by a process of its own (history.start); a preview
        reads it once (it shows commits, not edits)."""
        if self.preview.dirty:
            return self.preview.once(("revisions", str(root)), lambda: history.start(root, Path(".")))
        return history.start(root, Path("."))

    def on_serve(self, server, config, builder):
        """The first build is done: its pages and renderer are let go, what the preview keeps of
        it is set aside from the collector (Preview.settle)."""
        self.build = None
        self.preview.settle()
        return server

    def on_files(self, files, config):
        """The generated pages the nav links to become mkdocs pages (the theme marks their tab);
        all the others are written by `publish.py` after the build (see on_post_build)."""
        build, preview, in_nav = self.build, self.preview, nav_sources(config.nav or [])
        first = preview.first_build() if preview.dirty else True
        # a record deleted or renamed in a preview: its pages go, and the feeds, exports and
        # search index are written again, as a full build would have them
        pages = {source_of(page): page for page in build.renderer.plan()} if preview.dirty else None
        build.gone = preview.moved({page.url for page in pages.values()}) if pages else None
        build.full = first or build.gone is not None
        if build.full:
            build.data = _start_data_files(config, build.renderer, exports=self.edition.root)
        # planned once the data files process runs beside it, in a full build
        build.pages = pages or {source_of(page): page for page in build.renderer.plan()}
        build.published = dict(build.pages)
        for source, page in build.pages.items():
            if source not in in_nav:
                continue
            build.published.pop(source)
            if page.url == "":
                continue  # the home page is docs/index.md, with the latest incidents appended
            file = GeneratedPage.generated(config, source, content="", inclusion=InclusionLevel.NOT_IN_NAV)
            if preview.dirty:
                build.html[source] = html = build.renderer.render(page)
                file.modified = preview.changed(source, html)
            files.append(file)
        home = files.get_file_from_path("index.md")
        if preview.dirty and home is not None:
            home.is_modified = lambda: True  # it lists the latest incidents, which its source doesn't show
        for file in [f for f in files if unused_theme_file(f, config)]:
            files.remove(file)
        for asset in sorted(path for path in ASSETS.rglob("*") if path.is_file()):
            source = f"assets/{asset.relative_to(ASSETS).as_posix()}"
            files.append(File.generated(config, source, abs_src_path=str(asset)))
        files.append(File.generated(config, "reference.md", content=field_reference()))
        # what the form at /new/ builds its fields from (generator/form.py), loaded by that page only
        form = description_json(
            build.renderer.dataset,
            build.renderer.site.forge,
            tuple(self.config.languages),
            self.edition.words,
        )
        files.append(File.generated(config, "assets/record-form.json", content=form))
        return translated_docs(files, config, self.edition)

    def on_nav(self, nav, config, files):
        self.build.nav, self.build.files = nav, files
        if not self.edition.root:
            translate_nav(nav.items, self.edition.words)
        return nav

    def on_env(self, env, config, files):
        self.build.env = self.preview.templates(env)
        if not self.preview.dirty:  # each further edition loads the theme as the first compiled it
            env.bytecode_cache = self.shared.compiled
        return env

    def on_page_markdown(self, markdown, page, config, files):
        if not self.edition.root:
            self.shared.converted.reuse(page)
        generated = self.build.pages.get(page.file.src_uri)
        if generated is None:
            return markdown.replace(columns.MARKER, columns.column_table())  # docs/data.md's table
        title, description = escape(generated.title), escape(generated.description)
        meta = page_meta(generated.kind, title, description, self.build.renderer.words)
        if generated.url == "":  # the home page keeps its hand-written Markdown and title
            page.meta.update({key: meta[key] for key in ("kind", "og_type", "feed", "feed_title")})
            return markdown
        page.meta = meta
        return ""

    def on_page_content(self, html, page, config, files):
        build = self.build
        if self.edition.root and len(self.edition.languages) > 1:
            self.shared.converted.keep(page, files)
        if page.is_homepage:
            return html + build.renderer.render(build.pages["index.md"])
        source = page.file.src_uri
        if source in build.html:
            return build.html.pop(source)
        generated = build.pages.get(source)
        if generated is None and not self.edition.root:
            return shared_data_links(html, page.url, self.edition.up)
        return build.renderer.render(generated) if generated else html

    def on_post_page(self, output, page, config):
        output = with_direction(output, self.edition)
        return output if _serving(config) else with_policy(output, page.content or "")

    def on_post_template(self, output_content, template_name, config):
        if template_name.endswith(".html") and not _serving(config):
            return with_policy(with_direction(output_content, self.edition))
        return output_content

    def on_build_error(self, error):
        self.preview.forget()
        if self.build is not None and self.build.data is not None:
            self.build.data.stop()

    def on_post_build(self, config):
        """The generated pages, each filled into its theme shell and handed to Pagefind, which
        indexes them on another core; the data exports and feeds are being written meanwhile,
        in a process of their own (where processes can fork) started by on_files."""
        build, site_dir = self.build, Path(config.site_dir)
        sitedir.mark(site_dir)
        publisher = Publisher(build.renderer, lambda layout: render_shell(layout, config, build), site_dir)
        pages = list(build.published.values())
        unchanged = self._unchanged_in(publisher)
        publishing = contextlib.nullcontext()
        if not build.full:
            written = publisher.publish(pages, keep=unchanged)
            log.info("live preview: %d generated page(s) rewritten; data files, feeds and the search "
                     "index are refreshed by a full build", written)  # fmt: skip
        else:
            if build.gone:
                remove_pages(site_dir, build.gone)
            publishing = self._publish_all(publisher, pages, config, unchanged)
        # The further editions are built while this one's search index and data files are
        # finished on the other core: this process would only wait for them.
        with publishing:
            if self.edition.root:  # a live preview too: each edition rewrites the pages an edit changed
                for code in self.edition.languages[1:]:
                    self._build_edition(config, code)

    def _build_edition(self, config, code: str) -> None:
        """A further edition, as mkdocs-static-i18n builds one: mkdocs' build run again on the
        same configuration, reconfigured for the language (its folder and address under the
        root's, the theme's language), and put back as it was after."""
        root, saved = self.edition, (config.site_dir, config.site_url, config.theme["language"])
        serve_url = config.site_url if _serving(config) else None
        root_preview = self.preview  # a live preview remembers each edition's pages apart
        self.preview = self.previews.setdefault(code, Preview(root_preview.dirty))
        self.edition = root.other(code)
        config.site_dir = str(Path(config.site_dir) / code)
        config.site_url = self.edition.url or config.site_url
        config.theme["language"] = code
        try:
            mkdocs_build(config, serve_url=serve_url, dirty=self.preview.dirty)
        finally:
            config.site_dir, config.site_url, config.theme["language"] = saved
            self.edition, self.preview = root, root_preview
            config.extra["alternate"] = ThemeEditions(root)

    @contextlib.contextmanager
    def _publish_all(self, publisher: Publisher, pages: list[Page], config, unchanged):
        """Publishes the pages on entry; on exit waits for the search index and the data files."""
        build, search = self.build, None
        try:
            language = config.theme.get("language") or "en"
            search = ShardedSearchIndex(
                publisher.site_dir, language, build.search_shard, sum(map(dated, pages))
            )
            publisher.publish(pages, keep=lambda page: self.preview.dirty and unchanged(page), search=search)
            search.seal()  # Pagefind writes the last shard while the sitemap and data files are written
            extend_sitemap(
                publisher.site_dir,
                config.site_url,
                (page.url for page in pages if not page.standalone),
                int(os.environ.get("SOURCE_DATE_EPOCH", "0")),
                alternates=self.edition.alternates if len(self.edition.languages) > 1 else None,
            )
            yield
            build.data.finish()
            search.finish()
        except SearchIndexError as error:
            raise PluginError(f"search index: {error}") from error
        except DataFilesError as error:
            raise PluginError(str(error)) from error
        finally:
            if search is not None:
                search.close()
            build.data.stop()

    def _unchanged_in(self, publisher: Publisher):
        def unchanged(page: Page) -> bool:
            """Whether a page is as the previous build of this preview wrote it."""
            key = publisher.renderer.fingerprint(page)
            if key is None:
                return False
            layout = "" if page.standalone else publisher.shell(layout_of(page)).key
            return not self.preview.changed(source_of(page), f"{layout}:{key}")

        return unchanged


def _in_repository(root: Path, config) -> str:
    """The folder of records as the repository names it: relative to mkdocs.yml's folder, or
    `incidents` for a folder outside it (a build of other records, as the tests make)."""
    base = Path(config.config_file_path or ".").parent.resolve()
    try:
        return root.resolve().relative_to(base).as_posix()
    except ValueError:
        return "incidents"


def _check_site_dir(config, root: Path) -> None:
    """`mkdocs build` replaces its site_dir: only a site this tool built, or an empty folder."""
    keep = [root, Path(config.docs_dir), Path(config.config_file_path or "mkdocs.yml")]
    try:
        sitedir.check_replaceable(Path(config.site_dir), keep)
    except sitedir.Refused as refused:
        raise PluginError(f"site_dir: {refused}") from None


def _start_data_files(config, renderer: Renderer, exports: bool = True) -> DataFiles:
    """The data exports and feeds, in a process that runs beside mkdocs building the docs
    pages, then beside the generated pages. The exports are the first edition's (every
    edition links to them); each edition has its feeds, in its language."""
    if not config.site_url:
        raise PluginError("mkdocs.yml: set site_url, the site's public address: feeds need it")
    changed = history.latest_dates(renderer.site.revisions)  # looked at by the data files' process
    site_dir, url = Path(config.site_dir), config.site_url
    language = renderer.words.code
    return DataFiles(site_dir, renderer.dataset, url, changed, config.site_name, exports, language)


def _pin_build_date(dataset) -> None:
    """mkdocs dates the sitemap by SOURCE_DATE_EPOCH: tie it to the data, not the clock."""
    if "SOURCE_DATE_EPOCH" in os.environ or not dataset.incidents:
        return
    latest = max(i.date.sort_key for i in dataset.incidents)
    day = datetime(latest[0], latest[1] or 1, latest[2] or 1, tzinfo=timezone.utc)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(day.timestamp()))


def _serving(config) -> bool:
    """`mkdocs serve` points site_url at its dev server and injects an inline live-reload
    script the policy would block; the preview goes without the policy."""
    host, port = config.dev_addr
    return (config.site_url or "").startswith(f"http://{host}:{port}/")
