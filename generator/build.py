"""`python -m generator build`: a full build into a fresh folder, swapped in only on success,
so a failed, interrupted or killed build never leaves a half-written site where the old one
was, and never replaces a folder this tool did not build (sitedir.py)."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from . import footprint, signals, sitedir


def build_site(incidents: Path, site_dir: Path, config_file: Path) -> int:
    site_dir = Path(os.path.abspath(site_dir))
    try:
        sitedir.check_replaceable(site_dir, [incidents, config_file, config_file.parent / "docs"])
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with sitedir.locked(site_dir):
            return _build_and_swap(incidents, site_dir, config_file)
    except sitedir.Refused as refused:
        print(f"Build refused: {refused}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"Build failed: {sitedir.describe(error)}. {site_dir} was left as it was.", file=sys.stderr)
        return 1


def _build_and_swap(incidents: Path, site_dir: Path, config_file: Path) -> int:
    sitedir.check_replaceable(site_dir, [])  # again, now that no other build is writing it
    fresh = sitedir.fresh_folder(site_dir)
    _show_mkdocs_warnings()
    try:
        config = load_config(str(config_file), site_dir=str(fresh), strict=True)
        if "timeline" not in config.plugins:
            print(f"Build failed: {config_file} does not use the timeline plugin (plugins: - timeline)")
            return 1
        config.plugins["timeline"].config.incidents = str(incidents.resolve())
        config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does
        build(config)
        signals.check()  # a Ctrl-C that reached the build inside a fork handler was swallowed there
        sitedir.swap(fresh, site_dir)
    except MkDocsException as error:  # PluginError carries the validator's report; Abort a strict warning
        print(f"Build failed, {site_dir} left as it was.\n{error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as interrupt:
        print(f"Build interrupted, {site_dir} left as it was.", file=sys.stderr)
        return signals.exit_code(interrupt)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)  # gone already if the build was swapped in
    print(f"Built the site into {site_dir}: {footprint.measure(site_dir).text()}")
    return 0


def _show_mkdocs_warnings() -> None:
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
