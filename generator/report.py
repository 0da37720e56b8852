"""Problems to text: interchangeable reporters over one list, as check-jsonschema does."""

from __future__ import annotations

import json

from .problems import Problem


def _one_line(text: str) -> str:
    """Values quoted in messages come from files; keep each problem on its own line."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def summary(problems: list[Problem], counts: dict[str, int]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    found = ", ".join(f"{n} {name}" for name, n in counts.items())
    if errors:
        return (
            f"{found}: {errors} error(s), {warnings} warning(s) in {len({p.path for p in problems})} file(s)"
        )
    return f"{found}: OK" + (f" ({warnings} warning(s))" if warnings else "")


def text(problems: list[Problem], counts: dict[str, int]) -> str:
    lines = [f"{p.path}:{p.line}:{p.col}: {p.severity}: {_one_line(p.text())}" for p in problems]
    return "\n".join([*lines, summary(problems, counts)])


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(problems: list[Problem], counts: dict[str, int]) -> str:
    """GitHub Actions workflow commands, escaped as @actions/core does, so a value can't forge one."""
    lines = [
        f"::{p.severity} file={_escape_property(p.path)},line={p.line},col={p.col},"
        f"title={_escape_property(p.message[:60])}::{_escape_data(p.text())}"
        for p in problems
    ]
    return "\n".join([*lines, summary(problems, counts)])


def as_json(problems: list[Problem], counts: dict[str, int]) -> str:
    return json.dumps(
        {
            "ok": not any(p.is_error for p in problems),
            "counts": counts,
            "problems": [
                {
                    "path": p.path,
                    "line": p.line,
                    "col": p.col,
                    "severity": p.severity,
                    "message": p.message,
                    "hint": p.hint,
                }
                for p in problems
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


REPORTERS = {"text": text, "github": github, "json": as_json}
