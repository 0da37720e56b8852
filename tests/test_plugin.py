"""The mkdocs plugin `timeline` (generator/plugin.py): its options are typed, and a misspelt
one fails the build with the name it resembles instead of being ignored."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml
from conftest import ROOT


def config_with(tmp_path, **options):
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    theme = {**config["theme"], "custom_dir": str(ROOT / config["theme"]["custom_dir"])}
    (current,) = [plugin["timeline"] for plugin in config["plugins"] if "timeline" in plugin]
    child = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "docs_dir": str(ROOT / "docs"),
        "watch": [str(ROOT / path) for path in config["watch"]],
        "theme": theme,
        "plugins": [{"timeline": {**current, **options}}],
    }
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(child), "utf-8")
    return path


def build(tmp_path, config):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--config",
            str(config),
            "--site-dir",
            str(tmp_path / "site"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_misspelt_option_fails_the_build_and_names_the_option_it_resembles(tmp_path):
    done = build(tmp_path, config_with(tmp_path, tile_ulr="https://tiles.example/{z}/{x}/{y}.png"))
    assert done.returncode == 1
    assert "tile_ulr" in done.stderr and "did you mean 'tile_url'?" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "site").exists()


def test_an_option_of_the_wrong_type_fails_the_build(tmp_path):
    done = build(tmp_path, config_with(tmp_path, search_shard="many"))
    assert done.returncode == 1
    assert "search_shard" in done.stderr


def test_the_plugin_is_registered_under_its_name():
    from importlib.metadata import entry_points

    (found,) = [e for e in entry_points(group="mkdocs.plugins") if e.name == "timeline"]
    assert found.value == "generator.plugin:TimelinePlugin"


def test_a_third_edition_is_a_line_of_configuration(tmp_path):
    """Nothing assumes two editions: French, without a catalogue, is the English words in a
    French theme, under /fr/, and every page links to both other editions."""
    done = build(tmp_path, config_with(tmp_path, languages=["en", "ar", "fr"], locales={"ar": "ar_SY"}))
    assert done.returncode == 0, done.stderr[-3000:]
    site = tmp_path / "site"
    page = (site / "fr" / "incidents" / "2015-08-08-is-captures-umm-housh" / "index.html").read_text("utf-8")
    assert '<html lang="fr" class="no-js">' in page and "Towns</dt>" in page
    switch = re.findall(r'<li><a href="([^"]+)" hreflang="(\w+)" lang=', page)  # the language menu's
    assert [code for _, code in switch] == ["en", "ar"]
    assert switch[1][0].endswith("/../ar/incidents/2015-08-08-is-captures-umm-housh/")
    hreflang = re.findall(r'<link rel=" alternate" hreflang="([\w-]+)"', page)
    assert hreflang == ["en", "ar", "fr", "x-default"]
    for edition in ("", "ar/", "fr/"):
        assert (site / edition / "feed.xml").is_file() and (site / edition / "pagefind").is_dir()
    assert (
        not (site / "fr" / "data" / "incidents.json").exists()
        and (site / "data" / "incidents.json").is_file()
    )


def test_skipped_editions_are_not_built_but_their_translations_still_count(tmp_path):
    done = build(tmp_path, config_with(tmp_path, skip_editions=["ar"]))
    assert done.returncode == 0, done.stderr[-3000:]
    assert not (tmp_path / "site" / "ar").exists()
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert 'class="md-select"' not in home and 'hreflang="ar"' not in home


def test_a_language_that_is_no_code_fails_the_build(tmp_path):
    done = build(tmp_path, config_with(tmp_path, languages=["en", "Arabic"]))
    assert done.returncode == 1 and "'Arabic' is not a language code" in done.stderr
