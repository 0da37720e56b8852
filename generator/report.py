"""Problems to text: interchangeable reporters over one list, as check-jsonschema does."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

from .problems import Problem


def _one_line(text: str) -> str:
    """Values quoted in messages come from files; keep each problem on its own line."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


PER_FILE = 50  # problems printed per file; past it, one line says how many more
IN_ALL = 500  # problems printed in all: a CI log stays readable whatever a pull request holds
ALL_FILES = "(more files)"


def capped(problems: list[Problem], per_file: int = PER_FILE, in_all: int = IN_ALL) -> list[Problem]:
    """The problems a person reads: at most `per_file` of each file, then one line saying how
    many more of it there are, and at most `in_all` in all, then one line for the rest."""
    per_path = Counter(problem.path for problem in problems)
    shown: list[Problem] = []
    seen: Counter = Counter()
    for index, problem in enumerate(problems):
        seen[problem.path] += 1
        if seen[problem.path] > per_file:
            continue
        if len(shown) >= in_all:
            files = len({p.path for p in problems[index:]})
            note = f"and {len(problems) - index:,} more problem(s) in {files:,} file(s), not shown"
            shown.append(Problem(ALL_FILES, 0, 0, note, "fix the ones above and run again"))
            break
        shown.append(problem)
        more = per_path[problem.path] - per_file
        if seen[problem.path] == per_file and more > 0:
            note = f"and {more:,} more problem(s) in this file, not shown"
            shown.append(replace(problem, message=note, hint="fix the ones above and run again"))
    return shown


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
    lines = [
        f"{p.path}:{p.line}:{p.col}: {p.severity}: {_one_line(p.text())}" if p.path != ALL_FILES else p.text()
        for p in capped(problems)
    ]
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
        if p.path != ALL_FILES
        else f"::{p.severity}::{_escape_data(p.text())}"
        for p in capped(problems)
    ]
    return "\n".join([*lines, summary(problems, counts)])


def coverage(found: dict[str, dict[str, tuple[int, int]]]) -> str:
    """`validate`'s line per language: how much of the records is translated."""
    return "\n".join(
        f"translated into {code}: "
        + ", ".join(f"{label} {done}/{total}" for label, (done, total) in kinds.items())
        for code, kinds in found.items()
    )


def as_json(problems: list[Problem], counts: dict[str, int], found: dict | None = None) -> str:
    return json.dumps(
        {
            "ok": not any(p.is_error for p in problems),
            "counts": counts,
            "coverage": {
                code: {k: list(v) for k, v in kinds.items()} for code, kinds in (found or {}).items()
            },
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
