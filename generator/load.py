"""Bytes to YAML nodes that remember their line and column.

Nothing here constructs Python objects from YAML, so nothing in a file can run: we compose
a node tree (libyaml's C composer where it is installed) and the validator reads the
scalars as text. Constructs records never need (tags, anchors, aliases, deep nesting) are
refused before composing, which also keeps libyaml's recursive composer safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .problems import Problem

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR, _SEQ, _MAP = (
    _SafeLoader.DEFAULT_SCALAR_TAG,
    _SafeLoader.DEFAULT_SEQUENCE_TAG,
    _SafeLoader.DEFAULT_MAPPING_TAG,
)


class Loader(_SafeLoader):
    """PyYAML's safe loader (libyaml's C parser and composer where installed), with the tag
    of each plain scalar remembered: records repeat the same keys, ids and types thousands of
    times, and trying the resolver's regular expressions on each was a large share of it. The
    tags are the ones yaml.resolver.Resolver gives; only composing uses this class."""

    def resolve(self, kind, value, implicit):
        if self.yaml_path_resolvers:  # none unless someone adds them to PyYAML's loaders
            return super().resolve(kind, value, implicit)
        if kind is _SCALAR:
            if not implicit[0]:  # quoted, a block, or tagged '!': text
                return _STR
            tag = _plain_tags.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 100 and len(_plain_tags) < 100_000:
                    _plain_tags[value] = tag
            return tag
        return _SEQ if kind is yaml.SequenceNode else _MAP


_SCALAR = yaml.ScalarNode
_plain_tags: dict[str, str] = {}
MAX_BYTES = 1_000_000  # an incident; the registries grow with the dataset and get more room
REGISTRY_MAX_BYTES = 50_000_000
MAX_DEPTH = 20
# Characters that can start a tag or an anchor (without which no alias resolves); only files
# that contain one are scanned event by event, which keeps the common case on the fast C composer.
_INDENT = " " * 40  # a line indented this deep may be nested deeper than MAX_DEPTH
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
NESTED = f"values are nested more than {MAX_DEPTH} levels deep"
NESTED_HINT = "records are at most a few levels deep; check the indentation"
SECOND_DOCUMENT = "a second YAML document starts here"
SECOND_DOCUMENT_HINT = (
    "one file holds one record: remove the '---' line, or move the record to a file of its own"
)


@dataclass(frozen=True)
class Document:
    path: str
    root: yaml.Node


def load_document(path: str, data: bytes, max_bytes: int = MAX_BYTES) -> Document | list[Problem]:
    """One file's bytes to its root node, or the problems that stop it being read."""
    if len(data) > max_bytes:
        return [
            Problem(
                path,
                1,
                1,
                f"file is {len(data):,} bytes, over the limit of {max_bytes:,}",
                "split it or shorten the summary",
            )
        ]
    text = _decode(path, data)
    if isinstance(text, Problem):
        return [text]
    if not text.strip():
        return [Problem(path, 1, 1, "file is empty", "write the record's fields, or delete the file")]
    if "!" in text or "&" in text or _may_nest_deeply(text):  # an alias (*) needs an anchor (&)
        problems = list(_scan_events(path, text))
        if problems:
            return problems
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        return [_syntax_problem(path, text, error)]
    except yaml.YAMLError as error:  # unmarked errors, e.g. a reader error
        return [Problem(path, 1, 1, f"cannot read YAML: {error}", "check the file's syntax")]
    if root is None:
        return [Problem(path, 1, 1, "file has no content", "write the record's fields")]
    return Document(path, root)


def _decode(path: str, data: bytes) -> str | Problem:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return Problem(
            path, line, col, f"byte 0x{data[error.start]:02x} is not UTF-8", "save the file as UTF-8"
        )
    control = _CONTROL.search(text)
    if control:
        line, col = _position(text, control.start())
        return Problem(
            path,
            line,
            col,
            f"file contains the control character U+{ord(control[0]):04X}",
            "delete it; retype the text around it if you pasted it",
        )
    return text


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _may_nest_deeply(text: str) -> bool:
    """Over-cautious, and fast: plain substring searches rather than a regex over every line."""
    brackets = text.count("[") + text.count("{")
    return brackets > MAX_DEPTH or text.startswith(_INDENT) or "\n" + _INDENT in text


def _scan_events(path: str, text: str):
    """Tags, anchors, aliases and deep nesting, found on the parser's flat event stream."""
    depth = documents = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            line, col = event.start_mark.line + 1, event.start_mark.column + 1
            documents += isinstance(event, yaml.DocumentStartEvent)
            if isinstance(event, yaml.DocumentStartEvent) and documents == 2:
                yield Problem(path, line, col, SECOND_DOCUMENT, SECOND_DOCUMENT_HINT)
            if isinstance(event, yaml.AliasEvent):
                yield Problem(
                    path,
                    line,
                    col,
                    f"alias '*{event.anchor}' refers to another part of the file",
                    "write the value out in full; records do not use anchors or aliases",
                )
                continue
            if getattr(event, "anchor", None):
                yield Problem(
                    path,
                    line,
                    col,
                    f"anchor '&{event.anchor}' is not allowed",
                    "remove it; records do not use anchors or aliases",
                )
            if getattr(event, "tag", None) and event.tag != "!":
                yield Problem(
                    path,
                    line,
                    col,
                    f"YAML tag '{event.tag}' is not allowed",
                    "remove the tag; write plain values, quoted when they are text",
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    yield Problem(path, line, col, NESTED, NESTED_HINT)
                    return
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        yield _syntax_problem(path, text, error)
    except yaml.YAMLError as error:
        yield Problem(path, 1, 1, f"cannot read YAML: {error}", "check the file's syntax")


def _syntax_problem(path: str, text: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = error.problem or "invalid YAML"
    lines = text.splitlines()
    bad_line = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = bad_line[: len(bad_line) - len(bad_line.lstrip())]
    if "\t" in indent or bad_line[col - 1 : col] == "\t":
        return Problem(
            path,
            line,
            col,
            "tab character used for indentation",
            "YAML indents with spaces only: replace the tab with spaces",
        )
    if "nesting depth" in problem:
        return Problem(path, line, col, NESTED, NESTED_HINT)
    if "expected a single document" in (error.context or ""):
        return Problem(path, line, col, SECOND_DOCUMENT, SECOND_DOCUMENT_HINT)
    hints = {
        "could not find expected ':'": "a key needs a colon and a space after it ('key: value')",
        "mapping values are not allowed": "quote a value that contains ': ' (e.g. title: \"A: B\")",
        "found undefined alias": "records do not use aliases; write the value out in full",
    }
    hint = next((h for key, h in hints.items() if key in problem), "check the indentation and quoting here")
    return Problem(path, line, col, f"YAML syntax error: {problem}", hint)
