"""The mkdocs plugin `timeline` (generator/plugin.py): its options are typed, and a misspelt
one fails the build with the name it resembles instead of being ignored."""

from __future__ import annotations

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
