"""Reporters: the same problems as text, GitHub annotations and JSON; CI output cannot be forged."""

from __future__ import annotations

import json

from generator import report
from generator.problems import Problem

COUNTS = {"incidents": 3, "towns": 2, "groups": 1}


def test_text_is_one_line_per_problem_and_a_summary():
    forged = Problem("a.yaml", 3, 5, "'x\n::error file=b.yaml::forged' is bad", "fix it")
    out = report.text([forged], COUNTS).splitlines()
    assert out == [
        "a.yaml:3:5: error: 'x\\n::error file=b.yaml::forged' is bad; fix it",
        "3 incidents, 2 towns, 1 groups: 1 error(s), 0 warning(s) in 1 file(s)",
    ]


def test_github_annotations_escape_newlines_so_no_command_is_forged():
    forged = Problem("a,b:c.yaml", 3, 5, "bad 100%\n::error file=x::forged", "fix\r\nit")
    first, summary = report.github([forged], COUNTS).splitlines()
    assert first.startswith("::error file=a%2Cb%3Ac.yaml,line=3,col=5,title=")
    assert "%0A::error file=x::forged" in first and "100%25" in first and "fix%0D%0Ait" in first
    assert not summary.startswith("::")


def test_json_round_trips():
    problems = [Problem("a.yaml", 1, 2, "m", "h"), Problem("b.yaml", 3, 4, "w", "h", "warning")]
    data = json.loads(report.as_json(problems, COUNTS))
    assert data["ok"] is False and data["counts"] == COUNTS
    assert [(p["path"], p["line"], p["severity"]) for p in data["problems"]] == [
        ("a.yaml", 1, "error"),
        ("b.yaml", 3, "warning"),
    ]


def test_ok_summary():
    assert report.text([], COUNTS) == "3 incidents, 2 towns, 1 groups: OK"
