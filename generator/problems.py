"""The one thing every stage can produce: a problem at a place in a file."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """A mistake (or a doubt, for warnings) at ``path:line:col``; lines and columns count from 1."""

    path: str
    line: int
    col: int
    message: str
    hint: str = ""
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def text(self) -> str:
        """The sentence a contributor reads: what is wrong, then how to fix it."""
        return f"{self.message}; {self.hint}" if self.hint else self.message


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems))
