"""The site's languages (editions) as mkdocs.yml's timeline plugin lists them, for the commands
that run without mkdocs (`validate`, the build's early check): read from the file's YAML, not
through mkdocs, so the core stays free of it."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

DEFAULT = ("en",)
CODE = re.compile(r"^[a-z]{2,3}$")


class LanguagesError(ValueError):
    """The configuration's languages cannot be read or are not language codes."""


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may hold tags for mkdocs (!ENV, !!python/name:...): read them as nothing."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def configured_languages(config: Path) -> tuple[str, ...]:
    """The timeline plugin's `languages` in an mkdocs.yml; () when the file does not exist (any
    language code is then taken), ("en",) when the plugin lists none."""
    if not config.is_file():
        return ()
    try:
        data = yaml.load(config.read_text("utf-8"), Loader=_Loader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise LanguagesError(f"{config}: cannot read the languages: {error}") from None
    plugins = data.get("plugins") if isinstance(data, dict) else None
    for item in plugins or ():
        options = item.get("timeline") if isinstance(item, dict) else None
        if item == "timeline" or options is not None:
            return check_languages((options or {}).get("languages") or list(DEFAULT), str(config))
    return ()


def check_languages(languages, where: str = "languages") -> tuple[str, ...]:
    """Language codes, each once (ISO 639: en, ar, ku, ckb)."""
    if not isinstance(languages, list) or not languages:
        raise LanguagesError(f"{where}: `languages` must be a list of language codes, such as [en, ar]")
    for code in languages:
        if not isinstance(code, str) or not CODE.match(code):
            raise LanguagesError(f"{where}: '{code}' is not a language code (two or three lowercase letters)")
    if len(set(languages)) != len(languages):
        raise LanguagesError(f"{where}: a language is listed twice")
    return tuple(languages)
