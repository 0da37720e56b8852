"""What the editions of one build share instead of making it again: our templates compiled once
(render.LabelledLoader), the docs pages' Markdown converted once (shared_work.ConvertedOnce)
and the theme's files listed once (shared_work.ListedOnce). Each is checked to be what the
edition would have made itself; whole sites are compared byte for byte by test_golden.py."""

from __future__ import annotations

from mkdocs.config import load_config
from mkdocs.structure.files import Files, get_files
from mkdocs.structure.pages import Page

from generator.i18n import Words
from generator.model import Dataset
from generator.preview import CompiledTemplates
from generator.render import _LABEL, TEMPLATES, Renderer, Site, _msgid, _plain
from generator.shared_work import ConvertedOnce, ListedOnce

EDITIONS = (Words("en", "en", native=True), Words("ar", "ar_SY", native=False))
NAMES = sorted(path.name for path in TEMPLATES.iterdir())


def renderers(cache=None) -> list[Renderer]:
    found = [Renderer(Dataset({}, {}), Site(words=words)) for words in EDITIONS]
    for renderer in found:
        renderer.env.bytecode_cache = cache
    return found


def same_code(one, other) -> bool:
    """Instruction for instruction and constant for constant (the column table aside: a label's
    text is longer or shorter than its mark in the Python source Jinja writes)."""
    fields = ("co_code", "co_names", "co_varnames", "co_freevars", "co_cellvars", "co_flags", "co_argcount")
    if any(getattr(one, name) != getattr(other, name) for name in fields):
        return False
    return len(one.co_consts) == len(other.co_consts) and all(
        same_code(a, b) if hasattr(a, "co_code") and hasattr(b, "co_code") else type(a) is type(b) and a == b
        for a, b in zip(one.co_consts, other.co_consts, strict=True)
    )


def functions(template) -> dict:
    return {"root": template.root_render_func, **template.blocks}


def test_a_template_compiled_once_is_what_its_editions_labelled_source_compiles_to():
    for renderer in renderers():
        env = renderer.env
        for name in NAMES:
            source, filename, _ = env.loader.get_source(env, name)  # the labels' texts in the source
            labelled = env.template_class.from_code(env, env.compile(source, name, filename), {}, None)
            loaded = functions(env.get_template(name))
            assert loaded.keys() == functions(labelled).keys()
            for part, function in functions(labelled).items():
                assert same_code(loaded[part].__code__, function.__code__), (renderer.words.code, name, part)


def test_every_editions_labels_go_into_one_compiled_template():
    cache = CompiledTemplates()
    english, arabic = renderers(cache)
    for name in NAMES:
        english.env.get_template(name)
    compiled = dict(cache.compiled)
    for name in NAMES:
        arabic.env.get_template(name)
    shared = [name for name in NAMES if plainly_labelled(name)]
    assert {"incident.html", "town.html", "group.html", "home.html"} <= set(shared)
    for name in shared:
        filename = str(TEMPLATES / name)
        key = cache.get_cache_key(name, filename)
        assert cache.compiled[key] == compiled[key], f"{name} was compiled again for the Arabic edition"


def plainly_labelled(name: str) -> bool:
    """Whether a template's labels go into it as they are in every edition: one with a line
    break, say, is compiled into each edition's template apart (LabelledLoader)."""
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    return all(
        _plain(words.messages.gettext(_msgid(found)))
        for found in _LABEL.finditer(source)
        for words in EDITIONS
    )


def project(tmp_path, pages: dict[str, str]):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\ntheme:\n  name: material\n", encoding="utf-8")
    return load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))


def edition(config):
    """An edition's files and docs pages, read as mkdocs' build reads them."""
    files = get_files(config)
    pages = {file.src_uri: Page(None, file, config) for file in files.documentation_pages()}
    for page in pages.values():
        page.read_source(config)
    return files, pages


PAGES = {
    "index.md": "# Home\n\n## Where\n\nSee [the part](other.md#part) and [here](#where).\n",
    "other.md": "# Other\n\n## Part\n",
}


def first_edition(config) -> tuple[dict, ConvertedOnce]:
    """The first edition's pages, converted by mkdocs and kept."""
    converted = ConvertedOnce()
    files, first = edition(config)
    for page in first.values():
        page.render(config, files)
        converted.keep(page, files)
    return first, converted


def rendered(pages: dict, files, config, converted: ConvertedOnce) -> None:
    for page in pages.values():
        converted.reuse(page)
        page.render(config, files)


def test_a_further_editions_page_of_the_same_markdown_is_what_the_first_editions_conversion_made(tmp_path):
    config = project(tmp_path, PAGES)
    first, converted = first_edition(config)
    files_again, again = edition(config)
    rendered(again, files_again, config, converted)
    page, made = again["index.md"], first["index.md"]
    assert page.toc is made.toc  # given, not converted again
    assert (page.content, page.title, page.present_anchor_ids) == (
        made.content,
        made.title,
        made.present_anchor_ids,
    )
    other, itself = files_again.get_file_from_path("other.md"), files_again.get_file_from_path("index.md")
    assert page.links_to_anchors == {other: {"part": "other.md#part"}, itself: {"where": "#where"}}
    for file in files_again.documentation_pages():  # mkdocs' check of the links to anchors
        file.page.validate_anchor_links(files=files_again, log_level=30)


def test_a_page_of_other_markdown_or_among_other_files_is_converted(tmp_path):
    config = project(tmp_path, PAGES)
    first, converted = first_edition(config)
    files_again, again = edition(config)
    again["index.md"].markdown = "# Accueil\n"
    files_again.remove(files_again.get_file_from_path("other.md"))  # a link the first edition resolved
    rendered(again, files_again, config, converted)
    assert again["index.md"].content == '<h1 id="accueil">Accueil</h1>'
    assert again["other.md"].toc is not first["other.md"].toc


def test_the_themes_files_are_listed_once_for_every_edition(tmp_path):
    config = project(tmp_path, PAGES)
    expected = Files([])
    expected.add_files_from_theme(config.theme.get_env(), config)
    listing = ListedOnce(config.theme.get_env)
    listed = [Files([]) for _ in EDITIONS]
    for files in listed:
        files.add_files_from_theme(listing(), config)
    assert len(listing.listed) == 1
    assert len(expected) > 20  # Material's scripts and styles
    for files in listed:
        assert [file.src_uri for file in files] == [file.src_uri for file in expected]


def test_the_root_editions_search_index_is_finished_while_the_further_editions_are_built(sample_site):
    """Pagefind's last pass over the root edition's index runs beside the Arabic edition's build,
    where the build would otherwise wait for it."""
    index = (sample_site / "pagefind" / "shards.json").stat().st_mtime_ns
    arabic = max(path.stat().st_mtime_ns for path in (sample_site / "ar").rglob("*.html"))
    assert index > arabic
