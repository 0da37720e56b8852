"""Live preview: after an edit, a dirty rebuild rewrites the pages it changes and no others."""

from __future__ import annotations

import gc
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from conftest import ROOT
from mkdocs.commands.build import build
from mkdocs.config import load_config

from benchmarks.run import site_config
from benchmarks.serve import serve_flags
from generator.preview import Preview

MAREA = "2015/2015-08-10-is-overnight-attack-on-marea.yaml"


def dirty_build(incidents: Path, site: Path, start: bool = False, serve: bool = False) -> dict[str, int]:
    """One rebuild as `mkdocs serve --dirty` does it: a fresh config, the same site folder and
    the same plugin object (mkdocs keeps it); with `start`, the first build of a preview, and
    with `serve` too, the server starts after it."""
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    config.plugins["timeline"].config.incidents = str(incidents)
    if start:
        config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
    if serve:
        config.plugins.on_serve(object(), config=config, builder=build)
    return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in site.rglob("*.html")}


def test_an_edit_rewrites_only_the_pages_it_changes(tmp_path):
    incidents = tmp_path / "incidents"
    shutil.copytree(ROOT / "incidents", incidents)
    before = dirty_build(incidents, tmp_path / "site", start=True)
    time.sleep(0.02)
    edited = incidents / MAREA
    edited.write_text(edited.read_text().replace("title: ", "title: Edited, ", 1))
    after = dirty_build(incidents, tmp_path / "site")

    rewritten = {page for page, mtime in after.items() if mtime != before.get(page)}
    page = "incidents/2015-08-10-is-overnight-attack-on-marea/index.html"
    assert page in rewritten
    assert "Edited, " in (tmp_path / "site" / page).read_text()
    assert {"timeline/2015/index.html", "towns/marea/index.html", "index.html"} <= rewritten
    assert "towns/al-rai/index.html" not in rewritten
    assert "incidents/2015-08-08-is-captures-umm-housh/index.html" not in rewritten
    assert len(rewritten) < len(after) / 2


def test_templates_are_compiled_once_per_preview_and_again_when_edited():
    import jinja2

    preview = Preview(dirty=True)
    sources, compiled = {"zq-page.html": "<p>{{ title }}</p>"}, []

    class Counting(jinja2.Environment):
        def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
            compiled.append(name)
            return super().compile(source, name, filename, raw, defer_init)

    def render() -> str:  # a new environment for every rebuild, as mkdocs makes
        env = preview.templates(Counting(loader=jinja2.DictLoader(sources), autoescape=True))
        return env.get_template("zq-page.html").render(title="<b>")

    assert render() == render() == "<p>&lt;b&gt;</p>"
    assert compiled == ["zq-page.html"]  # the second rebuild loaded the first one's bytecode
    sources["zq-page.html"] = "<h1>{{ title }}</h1>"
    assert render() == "<h1>&lt;b&gt;</h1>"  # an edited template is compiled again
    assert compiled == ["zq-page.html"] * 2


def test_a_preview_sets_its_first_build_aside_from_the_collector_and_frees_each_edit(tmp_path):
    incidents = tmp_path / "incidents"
    shutil.copytree(ROOT / "incidents", incidents)
    try:
        dirty_build(incidents, tmp_path / "site", start=True, serve=True)
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # the checked records, out of every later collection's scan
        tracked = []
        for n in range(4):
            edited = incidents / MAREA
            edited.write_text(edited.read_text().replace("title: ", f"title: Edit {n}, ", 1))
            dirty_build(incidents, tmp_path / "site")
            gc.collect()
            tracked.append(len(gc.get_objects()) + gc.get_freeze_count())
        assert gc.get_freeze_count() <= frozen  # set aside once, not on every edit
        assert tracked[-1] - tracked[0] < 100  # each edit's build is freed, none kept
    finally:
        gc.unfreeze()


def test_a_deleted_or_renamed_record_leaves_the_preview_as_a_full_build_would(tmp_path):
    incidents, site = tmp_path / "incidents", tmp_path / "site"
    shutil.copytree(ROOT / "incidents", incidents)
    dirty_build(incidents, site, start=True)
    page = site / "incidents" / "2015-08-10-is-overnight-attack-on-marea" / "index.html"
    assert page.is_file() and "2015-08-10-is-overnight-attack-on-marea" in (site / "feed.xml").read_text()

    (incidents / MAREA).unlink()
    dirty_build(incidents, site)
    assert not page.exists() and not page.parent.exists()
    assert "2015-08-10-is-overnight-attack-on-marea" not in (site / "feed.xml").read_text()
    assert "2015-08-10-is-overnight-attack-on-marea" not in (site / "data" / "incidents.json").read_text()

    umm_housh = incidents / "2015" / "2015-08-08-is-captures-umm-housh.yaml"
    renamed = umm_housh.with_name("2015-08-08-is-takes-umm-housh.yaml")
    text = umm_housh.read_text()
    renamed.write_text(text + "  - 2015-08-08-is-captures-umm-housh\n")
    umm_housh.unlink()
    dirty_build(incidents, site)
    old = (site / "incidents" / "2015-08-08-is-captures-umm-housh" / "index.html").read_text()
    assert "2015-08-08-is-takes-umm-housh" in old and 'http-equiv="refresh"' in old


AR_MAREA = "ar/incidents/2015-08-10-is-overnight-attack-on-marea/index.html"


def test_a_preview_rebuilds_every_edition_and_in_each_only_what_an_edit_changes(tmp_path):
    incidents, site = tmp_path / "incidents", tmp_path / "site"
    shutil.copytree(ROOT / "incidents", incidents)
    before = dirty_build(incidents, site, start=True)
    assert AR_MAREA in before and "ar/index.html" in before and (site / "ar" / "feed.xml").is_file()
    time.sleep(0.02)
    edited = incidents / MAREA
    edited.write_text(edited.read_text().replace("title_ar: ", "title_ar: معدّل، ", 1))
    after = dirty_build(incidents, site)
    rewritten = {page for page, mtime in after.items() if mtime != before.get(page)}
    assert AR_MAREA in rewritten and "معدّل، " in (site / AR_MAREA).read_text()
    assert "ar/towns/marea/index.html" in rewritten
    assert "ar/towns/al-rai/index.html" not in rewritten
    assert "ar/incidents/2015-08-08-is-captures-umm-housh/index.html" not in rewritten
    assert "incidents/2015-08-08-is-captures-umm-housh/index.html" not in rewritten
    assert "ar/untranslated/index.html" not in rewritten  # the translators' list is as it was
    ar_pages = [page for page in after if page.startswith("ar/")]
    assert len([page for page in rewritten if page.startswith("ar/")]) < len(ar_pages) / 2


def _served(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def _until(found, server: subprocess.Popen, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "mkdocs serve stopped"
        if result := found():
            return result
        time.sleep(0.2)
    raise AssertionError(f"nothing after {seconds} s")


def test_make_serve_serves_the_arabic_edition_and_updates_it_after_an_edit(tmp_path):
    """`mkdocs serve` with make serve's flags: /ar/incidents/<id>/ is served, and shows an edit
    of the record's Arabic title."""
    incidents = tmp_path / "incidents"
    shutil.copytree(ROOT / "incidents", incidents)
    config = site_config(incidents, "serve", watch_code=False, folder=tmp_path)
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    mount = urlsplit(load_config(str(ROOT / "mkdocs.yml")).site_url).path  # where serve puts the site
    url = f"http://127.0.0.1:{port}{mount}{AR_MAREA.removesuffix('index.html')}"
    argv = [sys.executable, "-m", "mkdocs", "serve", "-f", config, "--dev-addr", f"127.0.0.1:{port}"]
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen([*argv, *serve_flags()], cwd=ROOT, stdout=out, stderr=out, env=env)
    try:
        page = _until(lambda: _served(url), server)
        assert 'lang="ar"' in page and "معدّل" not in page
        edited = incidents / MAREA
        edited.write_text(edited.read_text().replace("title_ar: ", "title_ar: معدّل، ", 1))
        _until(lambda: "معدّل، " in (_served(url) or ""), server)
    except AssertionError:
        raise AssertionError(log.read_text("utf-8", "replace")[-3000:]) from None
    finally:
        server.terminate()
        server.wait(timeout=30)
