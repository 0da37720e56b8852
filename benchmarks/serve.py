"""Live preview: `mkdocs serve` on a dataset, one incident file edited, and the seconds until
the served page shows the edit, in the first edition and in every edition.

`python -m benchmarks.serve 1000` measures it alone, beside its floor (the full build of the
same records, in the same run): what `make bench` measures at 10,000 incidents."""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .run import OUT, PYTHON, ROOT, _Loader, best, dataset, set_aside, site_config


def serve_flags() -> list[str]:
    """The flags `make serve` gives `mkdocs serve`, less its address (we pick a free port)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = re.search(r"mkdocs serve([^\n]*)", makefile)
    words = shlex.split(found[1]) if found else []
    flags, skip = [], False
    for word in words:
        if skip or word in ("--dev-addr", "-a"):
            skip = not skip
            continue
        if not word.startswith("--dev-addr=") and word.startswith("-"):
            flags.append(word)
    return flags


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def _wait(until, timeout: float, server: subprocess.Popen, log: Path):
    """Poll `until` until it gives something; fail early when the server exits or logs an error
    (a build that failed leaves the old page up, and waiting longer would time the fix)."""
    deadline, seen = time.monotonic() + timeout, log.stat().st_size
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"mkdocs serve exited with {server.returncode}")
        new = log.read_bytes()[seen:].decode("utf-8", "replace")
        errors = [line for line in new.splitlines() if line.startswith("ERROR")]
        if errors:
            raise RuntimeError(f"the build under mkdocs serve failed: {errors[0][:300]}")
        result = until()
        if result:
            return result
        time.sleep(0.1)
    raise TimeoutError(f"nothing after {timeout:.0f} s")


@dataclass(frozen=True)
class Preview:
    ready: float  # seconds to the first served page
    edit: float  # from an edit to the first edition's page showing it
    every: float | None  # to the page of every edition showing it; None: an edition is not served
    flags: list[str]


def edit_to_page(config: Path, data: Path, timeout: float) -> Preview:
    """How long the live preview takes (Preview). The edited incident has no translation, so its
    page in every edition shows the edited title. The file is put back; the server is stopped."""
    incident = next(p for p in sorted(data.glob("*/*.yaml")))
    original = incident.read_bytes()
    edited = f"Edited for the benchmark at {int(time.time())}"  # plain ASCII: no escaping
    flags = serve_flags()
    port = _free_port()
    config_text = yaml.load(config.read_text(encoding="utf-8"), Loader=_Loader)
    mount = urlsplit(config_text.get("site_url") or "/").path.strip("/")  # serve mounts the site here
    url = f"http://127.0.0.1:{port}/" + (f"{mount}/" if mount else "")
    page = f"{url}incidents/{incident.stem}/"
    languages = (_timeline_options(config_text).get("languages") or ["en"])[1:]
    others = [f"{url}{code}/incidents/{incident.stem}/" for code in languages]
    log_path = ROOT / "bench-out" / "serve.log"
    log = open(log_path, "wb")  # noqa: SIM115 - closed in finally
    argv = [PYTHON, "-m", "mkdocs", "serve", "-f", str(config), "--dev-addr", f"127.0.0.1:{port}", *flags]
    # mkdocs serve builds into a temporary folder and leaves it behind when stopped: ours, set aside
    temporary = OUT / "serve-tmp"
    temporary.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TMPDIR": str(temporary)}
    start = time.monotonic()
    server = subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        before = _wait(lambda: _get(page), timeout, server, log_path)
        ready = time.monotonic() - start
        served = all(_get(other) for other in others)  # before the preview served every edition: 404
        if edited in before:
            raise RuntimeError("the page shows the edit before it was made")
        time.sleep(1.0)  # let the watcher settle after the first build
        text = original.decode("utf-8").replace(
            next(line for line in original.decode("utf-8").splitlines() if line.startswith("title:")),
            f"title: {json.dumps(edited, ensure_ascii=False)}",
            1,
        )
        edit = time.monotonic()
        incident.write_text(text, encoding="utf-8")
        _wait(lambda: edited in (_get(page) or ""), timeout, server, log_path)
        first = time.monotonic() - edit
        if not served:
            return Preview(ready, first, None, flags)
        _wait(lambda: all(edited in (_get(other) or "") for other in others), timeout, server, log_path)
        return Preview(ready, first, time.monotonic() - edit, flags)
    finally:
        incident.write_bytes(original)
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        set_aside(temporary)


def _timeline_options(config: dict) -> dict:
    found = [
        item["timeline"]
        for item in config.get("plugins") or []
        if isinstance(item, dict) and "timeline" in item
    ]
    return (found[0] or {}) if found else {}


def main(argv=None) -> None:
    """The live preview alone at one size, beside the full build of the same records."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.serve", description=main.__doc__)
    parser.add_argument("incidents", type=int, help="number of synthetic incidents")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2, help="full builds timed; the best counts")
    args = parser.parse_args(argv)
    data = dataset(args.incidents, args.seed)
    config, out = site_config(data, f"{args.incidents}-serve", watch_code=False), OUT / "serve-floor-site"
    command = [PYTHON, "-m", "generator", "build", "--incidents", data, "--site-dir", out, "--config", config]
    build = best(command, args.repeat).wall
    set_aside(out)
    found = edit_to_page(config, data, timeout=max(600.0, 5 * build))
    print(f"{args.incidents:,} incidents; full build (the floor): {build:.2f} s")
    print(f"first page served: {found.ready:.2f} s ({found.ready / build:.2f}x)")
    print(f"one edit, the first edition's page: {found.edit:.2f} s ({found.edit / build:.2f}x)")
    every = "not served" if found.every is None else f"{found.every:.2f} s ({found.every / build:.2f}x)"
    print(f"one edit, its page in every edition: {every}")


if __name__ == "__main__":
    main()
