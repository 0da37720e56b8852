"""Value types of the record format. Each type checks a YAML node, describes itself for the
field reference and writes its JSON Schema, so the three can never disagree.

A check returns the Python value, or INVALID after reporting why through the Checker.
Scalars are read from the node's text and the tag YAML's resolver gave it, never through
PyYAML's constructors, so `yes`, `012` and `1:30` are caught instead of silently becoming
True, 10 and 90.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date as Date

import yaml

from .model import PartialDate
from .problems import Problem

INVALID = object()
TAG = "tag:yaml.org,2002:"
STR, NULL = TAG + "str", TAG + "null"
_READ_AS = {
    "bool": "the boolean",
    "int": "the number",
    "float": "the number",
    "null": "empty",
    "timestamp": "the date",
}
# Control characters (which YAML escapes like "\x07" can produce), and bidirectional overrides
# and isolates, which make text display differently from what it is.
_WEB_ADDRESS = re.compile(r"https?://[^\s/?#]+[^\s]*\Z", re.I)
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_HIDDEN_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class Checker:
    """Collects the problems of one file and the position of every value checked."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self.marks: dict[tuple, tuple[int, int]] = {}

    def at(self, where: tuple, node: yaml.Node) -> None:
        mark = node.start_mark
        self.marks[where] = (mark.line + 1, mark.column + 1)

    def error(self, node: yaml.Node, message: str, hint: str = "") -> object:
        mark = node.start_mark
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, message, hint))
        return INVALID


def kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping (key: value pairs)"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"'{node.value}'"


def field_name(where: tuple) -> str:
    """How a message names the value at `where`, the path of keys and list positions to it:
    `title`, `towns[2]`, `sources[1].url`, `aleppo.lat`; `the record` for the whole file."""
    name = ""
    for part in where:
        name += f"[{part + 1}]" if isinstance(part, int) else f".{part}" if name else str(part)
    return name or "the record"


def is_plain(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and not node.style


def close_match(word: str, choices) -> str:
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{found[0]}'?" if found else ""


class Type:
    label = "value"

    def check(self, node: yaml.Node, cx: Checker, where: tuple):
        raise NotImplementedError

    def describe(self) -> str:
        return self.label

    def json_schema(self) -> dict:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Type):
    min_len: int = 1
    max_len: int = 10_000
    one_line: bool = True
    markdown: bool = False

    def check(self, node, cx, where):
        name = field_name(where)
        if not isinstance(node, yaml.ScalarNode):
            return cx.error(node, f"{name}: expected text, found {kind_of(node)}", "write a single value")
        suffix = "str" if node.tag == STR else node.tag.removeprefix(TAG)
        if suffix != "str" and not node.style:
            if suffix == "null" or node.value == "":
                return cx.error(node, f"{name} is empty", "write the text after the colon")
            return cx.error(
                node,
                f"{name}: '{node.value}' is read by YAML as {_READ_AS.get(suffix, suffix)}, not text",
                f'put it in quotes: "{node.value}"',
            )
        value = node.value.strip()
        if self.one_line and "\n" in value:
            return cx.error(node, f"{name} must fit on one line", "join the lines into one")
        hidden = (_HIDDEN_IN_LINE if self.one_line else _HIDDEN).search(value)
        if hidden:
            return cx.error(
                node,
                f"{name} contains the invisible control character U+{ord(hidden[0]):04X}",
                "delete it; retype the text if you pasted it",
            )
        if len(value) > self.max_len:
            return cx.error(
                node,
                f"{name} is {len(value):,} characters long; the limit is {self.max_len:,} characters",
                "shorten it",
            )
        if len(value) < self.min_len:
            return cx.error(
                node,
                f"{name} is {len(value)} characters long; it needs at least {self.min_len} characters",
                "write more",
            )
        return value

    def describe(self):
        kind = "Markdown text" if self.markdown else "one line of plain text" if self.one_line else "text"
        return f"{kind}, {self.min_len} to {self.max_len:,} characters"

    def json_schema(self):
        schema = {"type": "string", "minLength": self.min_len, "maxLength": self.max_len}
        if self.one_line:
            schema["pattern"] = r"^[^\n]*$"
        return schema


@dataclass(frozen=True)
class Slug(Text):
    max_len: int = 100
    refers_to: str = ""  # the registry a reference points into, checked by the rules
    pattern = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

    def check(self, node, cx, where):
        value = super().check(node, cx, where)
        if value is INVALID or self.pattern.match(value):
            return value
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        return cx.error(
            node,
            f"{field_name(where)}: '{value}' is not a valid id: use lowercase letters, digits and single hyphens",
            f"write '{suggestion}'" if suggestion else "write an id such as 'umm-housh'",
        )

    def describe(self):
        target = f"the id of an entry in `{self.refers_to}.yaml`" if self.refers_to else "an id"
        return f"{target}: lowercase letters, digits and hyphens, at most {self.max_len} characters"

    def json_schema(self):
        return {"type": "string", "pattern": self.pattern.pattern, "maxLength": self.max_len}


@dataclass(frozen=True)
class Url(Text):
    max_len: int = 2000

    def check(self, node, cx, where):
        value = super().check(node, cx, where)
        if value is INVALID:
            return value
        if not _WEB_ADDRESS.match(value):
            return cx.error(
                node,
                f"{field_name(where)}: '{value[:80]}' is not a web address",
                "write a full http:// or https:// address",
            )
        return value

    def describe(self):
        return "a web address starting with `http://` or `https://`"

    def json_schema(self):
        return {"type": "string", "format": "uri", "pattern": "^https?://[^\\s]+$", "maxLength": self.max_len}


@dataclass(frozen=True)
class Choice(Text):
    choices: tuple[str, ...] = ()

    def check(self, node, cx, where):
        value = super().check(node, cx, where)
        if value is INVALID or value in self.choices:
            return value
        hint = close_match(value, self.choices) or "use one of: " + ", ".join(self.choices)
        return cx.error(node, f"{field_name(where)}: '{value}' is not one of the allowed values", hint)

    def describe(self):
        return "one of " + ", ".join(f"`{c}`" for c in self.choices)

    def json_schema(self):
        return {"type": "string", "enum": list(self.choices)}


_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")  # not \d, which takes ٢٠١٥ too


@dataclass(frozen=True)
class DateValue(Type):
    day_only: bool = False  # end dates and publication dates need the day

    def check(self, node, cx, where):
        name = field_name(where)
        if not isinstance(node, yaml.ScalarNode) or (node.style and node.tag != STR):
            return cx.error(node, f"{name}: expected a date, found {kind_of(node)}", "write YYYY-MM-DD")
        match = _DATE.match(node.value.strip())
        if not match or (self.day_only and not match[3]):
            form = "YYYY-MM-DD" if self.day_only else "YYYY-MM-DD, or YYYY-MM or YYYY when the day is unknown"
            return cx.error(node, f"{name}: '{node.value}' is not a date", f"write {form}")
        year, month, day = (int(g) if g else None for g in match.groups())
        if month is not None and not 1 <= month <= 12:
            return cx.error(node, f"{name}: '{node.value}' has no month {month}", "months run from 01 to 12")
        if day is not None:
            try:
                Date(year, month, day)
            except ValueError:
                return cx.error(
                    node, f"{name}: '{node.value}' is not a day of the calendar", "check the day of the month"
                )
        return PartialDate(year, month, day)

    def describe(self):
        if self.day_only:
            return "a date, `YYYY-MM-DD`"
        return "a date, `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when only the month or year is known"

    def json_schema(self):
        if self.day_only:
            return {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
        return {"anyOf": [{"type": "string", "pattern": _DATE.pattern}, {"type": "integer"}]}


@dataclass(frozen=True)
class Count(Type):
    """A whole number of people, written in plain decimal digits."""

    def check(self, node, cx, where):
        value = node.value if isinstance(node, yaml.ScalarNode) else ""
        if is_plain(node) and node.tag == TAG + "int" and re.fullmatch(r"0|[1-9][0-9]*", value):
            return int(value)
        name = field_name(where)
        if re.fullmatch(r"[+-]?0[0-9_]+", value):
            return cx.error(
                node,
                f"{name}: '{value}' has a leading zero, which YAML reads as an octal number",
                f"write {value.lstrip('+-0') or '0'}",
            )
        if re.fullmatch(r"[0-9]+(:[0-9]+)+", value):
            return cx.error(
                node,
                f"{name}: '{value}' is read by YAML as a base-60 number",
                "write the count as plain digits",
            )
        if isinstance(node, yaml.ScalarNode) and node.style and re.fullmatch(r"[0-9]+", value):
            return cx.error(node, f"{name}: '{value}' is in quotes, so it is text", "remove the quotes")
        return cx.error(
            node,
            f"{name}: expected a whole number of people, found {kind_of(node)}",
            "write plain digits, like 12 (no signs, separators or words)",
        )

    def describe(self):
        return "a whole number ≥ 0, in plain digits"

    def json_schema(self):
        return {"type": "integer", "minimum": 0}


@dataclass(frozen=True)
class Degrees(Type):
    limit: float = 90.0

    def check(self, node, cx, where):
        value = node.value if isinstance(node, yaml.ScalarNode) else ""
        if not (
            is_plain(node)
            and node.tag in (TAG + "int", TAG + "float")
            and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value)
        ):
            return cx.error(
                node,
                f"{field_name(where)}: expected decimal degrees, found {kind_of(node)}",
                "write a number such as 36.48, without quotes",
            )
        if abs(float(value)) > self.limit:
            return cx.error(
                node,
                f"{field_name(where)}: {value} is out of range",
                f"use a value from -{self.limit:g} to {self.limit:g}",
            )
        return float(value)

    def describe(self):
        return f"decimal degrees, from -{self.limit:g} to {self.limit:g}"

    def json_schema(self):
        return {"type": "number", "minimum": -self.limit, "maximum": self.limit}
