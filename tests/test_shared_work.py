"""What the editions of one build share instead of making it again: our templates compiled once
(render.LabelledLoader), the docs pages' Markdown converted once (mkdocs_pages.ConvertedOnce)
and the theme's files listed once (mkdocs_pages.ListedOnce). Each is checked to be what the
edition would have made itself; whole sites are compared byte for byte by test_golden.py."""

from __future__ import annotations

from generator.i18n import Words
from generator.model import Dataset
from generator.preview import CompiledTemplates
from generator.render import _LABEL, TEMPLATES, Renderer, Site, _msgid, _plain

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
