"""The Content-Security-Policy: theme scripts allowed by hash, anything in the content never."""

from __future__ import annotations

import re

from generator.csp import script_hash, with_policy

THEME = "<script>var palette=1</script>"
PAGE = (
    "<!doctype html><html><head><title>t</title></head><body>{content}"
    + THEME
    + '<script type="application/json">{{"a": 1}}</script><script src="x.js"></script></body></html>'
)


def policy_of(html: str) -> str:
    return re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)[1]


def test_theme_scripts_are_allowed_by_hash_and_nothing_else_inline():
    content = "<p>hello</p>"
    policy = policy_of(with_policy(PAGE.format(content=content), content))
    scripts = re.search(r"script-src ([^;]+)", policy)[1].split()
    assert scripts == ["'self'", "'wasm-unsafe-eval'", script_hash("var palette=1")]
    assert "'unsafe-inline'" not in scripts and "object-src 'none'" in policy


def test_a_script_in_the_content_is_never_allowed():
    content = "<p>x</p><script>alert(1)</script>"
    policy = policy_of(with_policy(PAGE.format(content=content), content))
    assert script_hash("alert(1)") not in policy
    assert script_hash("var palette=1") in policy


def test_the_policy_is_the_first_thing_in_head():
    html = with_policy(PAGE.format(content=""))
    assert html.index("Content-Security-Policy") < html.index("<title>")
