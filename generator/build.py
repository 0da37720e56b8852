"""`python -m generator build`: a full build into a fresh folder, swapped in only on success,
so a failed build never leaves a half-written site where the old one was."""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException


def build_site(incidents: Path, site_dir: Path, config_file: Path) -> int:
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-", dir=site_dir.parent))
    _show_mkdocs_warnings()
    try:
        config = load_config(str(config_file), site_dir=str(fresh), strict=True)
        config.extra["timeline"] = {
            **(config.extra.get("timeline") or {}),
            "incidents": str(incidents.resolve()),
        }
        build(config)
    except MkDocsException as error:  # PluginError carries the validator's report; Abort a strict warning
        shutil.rmtree(fresh, ignore_errors=True)
        print(f"Build failed, {site_dir} left as it was.\n{error}", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    _swap(fresh, site_dir)
    print(f"Built the site into {site_dir}")
    return 0


def _swap(fresh: Path, site_dir: Path) -> None:
    old = site_dir.with_name(f".{site_dir.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    fresh.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def _show_mkdocs_warnings() -> None:
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
