"""A Content-Security-Policy for every page: a second wall behind escaping and sanitising.

Scripts run only from the site itself, or inline when their exact text is one the theme wrote:
each allowed by its SHA-256 hash, computed from the page as built minus the page's content, so
a script that slipped into the content past the templates and the sanitiser still cannot run.
"""

from __future__ import annotations

import base64
import hashlib
import re

# Inline scripts that execute: no src, and not a data block (type="application/json").
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src|type)=)[^>]*>(.*?)</script>", re.S | re.I)
_HEAD = re.compile(r"<head[^>]*>", re.I)

POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)


def script_hash(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def inline_scripts(html: str) -> set[str]:
    return {script_hash(body) for body in _INLINE_SCRIPT.findall(html)}


def with_policy(html: str, content: str = "") -> str:
    """The page with a CSP <meta> as the first element of its <head>; scripts inside `content`
    (the part of the page that comes from records and docs) are never allowed."""
    head = _HEAD.search(html)
    if head is None:
        return html
    hashes = " ".join(sorted(inline_scripts(html) - inline_scripts(content)))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY.format(hashes=hashes)}">'
    return html[: head.end()] + meta + html[head.end() :]
