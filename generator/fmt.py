"""`python -m generator fmt`: one canonical layout for every record file, comments kept.

Each file makes a round trip through ruamel.yaml: fields in the schema's order, 2-space
indentation, block lists with `- ` under their key, dates double-quoted, `|` blocks for
summaries and descriptions, lines of about 100 characters. Nothing else changes: the
validator reads the file before and after, and a file whose values or comments would differ
is left as it is and reported. Files that do not parse are reported and never rewritten.
"""

from __future__ import annotations

import copy
import io
import os
import re
from collections import Counter
from pathlib import Path

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from .files import UNREAD_HINTS, ChangedMeanwhile, Unreadable, fingerprint, read_record, replace_text
from .load import MAX_BYTES, Document, Loader, load_document
from .problems import Problem
from .schema import INCIDENT, ListOf, Record, check_node
from .types import Checker, DateValue, Text
from .validate import REGISTRIES, display_path, find_incident_files

WIDTH = 100
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class _Constructor(RoundTripConstructor):
    """Dates stay the text they are written as: a date object forgets how it was written."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


class _Emitter(Emitter):
    """Folds text at the width, but never puts a long word (an address) on a line of its own."""

    def write_plain(self, text, split=True):
        width, self.best_width = self.best_width, self.best_width if " " in text else 1 << 30
        super().write_plain(text, split)
        self.best_width = width


def _yaml() -> YAML:
    rt = YAML()  # round-trip: comments and quotes kept
    rt.Constructor, rt.Emitter, rt.preserve_quotes, rt.width = _Constructor, _Emitter, True, WIDTH
    rt.indent(mapping=2, sequence=4, offset=2)
    return rt


def _value(value, kind):
    if isinstance(kind, Record) and isinstance(value, CommentedMap):
        for key in kind.order(list(value)):
            value.move_to_end(key)  # the schema's order, translations after their field, then unknown keys
        for key, item in list(value.items()):
            field = kind.field_of(key) if isinstance(key, str) else None
            value[key] = _value(_block(value, key, item), field.type if field else None)
    elif isinstance(kind, ListOf) and isinstance(value, CommentedSeq):
        for index, item in enumerate(value):
            value[index] = _value(_block(value, index, item), kind.item)
    elif isinstance(kind, DateValue) and not isinstance(value, DoubleQuotedScalarString):
        if isinstance(value, str) and _DATE.match(value) or type(value) is int and 1000 <= value <= 9999:
            return DoubleQuotedScalarString(str(value))
    elif isinstance(kind, Text) and not kind.one_line and isinstance(value, str) and _literal_ok(value):
        return value if isinstance(value, LiteralScalarString) else LiteralScalarString(value)
    return value


def _literal_ok(text: str) -> bool:
    """Whether a `|` block can hold the text: YAML reads a block's indentation from its first
    line, which must not start with a tab (the text then keeps the style it was written in)."""
    return not text.startswith("\t")


def _block(parent, key, child):
    """A flow collection in block style; the comment after it goes on its first line."""
    if isinstance(child, (CommentedMap, CommentedSeq)) and child.fa.flow_style():
        child.fa.set_block_style()
        slot, at = parent.ca.items.get(key) or [None] * 4, 0 if isinstance(parent, CommentedSeq) else 2
        if slot[at] is not None and child:
            slot[at].column = 0  # where it stood in the flow line means nothing now
            _keep_lines_below(slot[at], child)
            if at == 0 and isinstance(child, CommentedMap):  # `-  # x` trips ruamel.yaml up
                child.ca.items.setdefault(next(iter(child)), [None] * 4)[2], slot[0] = slot[0], None
    return child


def _keep_lines_below(token, child) -> None:
    """The comment after a flow collection holds the comment lines under it too: once the
    collection is a block, only its first line stays beside it, the others go below it all."""
    first, _, rest = token.value.partition("\n")
    if not rest.strip():
        return
    token.value = first + "\n"
    last, at = (list(child)[-1], 2) if isinstance(child, CommentedMap) else (len(child) - 1, 0)
    slot = child.ca.items.setdefault(last, [None] * 4)
    if slot[at] is None:
        slot[at] = copy.copy(token)
        slot[at].value = "\n" + rest
    else:
        slot[at].value += rest


def _top_level_order(text: str) -> str:
    """Top-level fields in the schema's order, each with the comment lines above it (ruamel.yaml
    would keep them with the field before). Anything but plain `key:` lines is left to ruamel."""
    head, chunks, pending = [], [], []
    for line in (text if text.endswith("\n") else text + "\n").splitlines(keepends=True):
        key = re.match(r"([a-z_]+):(?:\s|$)", line)
        if key and not chunks:  # the file's header stays on top: the comments from the first line,
            # or those above a blank line if a block of comments stands right above the first field
            cut = len(pending) - pending[::-1].index("\n") if "\n" in pending else len(pending)
            head, pending = head + pending[:cut], pending[cut:]
        if key:
            chunks.append((key[1], [*pending, line]))
        elif not line.strip() or line.startswith("#"):
            pending.append(line if line.strip() else "\n")
            continue
        elif not chunks and line.startswith(("---", "%")):
            head.append(line)
        elif line[0] in " \t-" and chunks:
            chunks[-1][1].extend([*pending, line])
        else:
            return text
        pending = []
    order = {key: n for n, key in enumerate(INCIDENT.order([key for key, _ in chunks]))}
    chunks.sort(key=lambda chunk: order[chunk[0]])
    return "".join([*head, *(line for _, lines in chunks for line in lines), *pending])


def format_text(text: str) -> str:
    """An incident file's text in the canonical layout; raises ruamel's YAMLError if it can't parse."""
    rt = _yaml()
    data = rt.load(_top_level_order(text))
    if not isinstance(data, CommentedMap):
        return text
    data.fa.set_block_style()
    _value(data, INCIDENT)
    stream = io.StringIO()
    rt.dump(data, stream)
    return _strip_trailing_spaces(stream.getvalue())


def _strip_trailing_spaces(text: str) -> str:
    """Folding leaves a space at the end of a line; outside block scalars, YAML ignores it."""
    blocks = [t for t in pyyaml.scan(text, Loader=Loader) if getattr(t, "style", None) in ("|", ">")]
    keep = {n for t in blocks for n in range(t.start_mark.line, t.end_mark.line + 1)}
    lines = text.split("\n")
    return "\n".join(line if n in keep else line.rstrip(" ") for n, line in enumerate(lines))


def values(text: str):
    """What the validator reads in an incident file's text (None if it doesn't load)."""
    loaded = load_document("", text.encode("utf-8"))
    return check_node("incident", loaded.root, Checker("")) if isinstance(loaded, Document) else None


def comments(text: str) -> Counter:
    """The comments of a YAML text: each '#' outside the scalars, to the end of its line."""
    return Counter(comment for comment, _ in comment_places(text))


def comment_places(text: str) -> list[tuple[str, frozenset]]:
    """Each comment of a YAML text ('#' outside the scalars, to the end of its line) with the
    places it can be said to belong to: the top-level field it is part of or stands above."""
    spans = [(t.start_mark.index, t.end_mark.index) for t in pyyaml.scan(text, Loader=Loader)]
    lines = text.split("\n")
    fields = _fields_of_lines(lines)
    found = []
    for start in (m.start() for m in re.finditer(r"(?:^|(?<=[ \t]))#", text, re.M)):
        if not any(a <= start < b for a, b in spans):
            number, column = text.count("\n", 0, start), start - text.rfind("\n", 0, start) - 1
            comment = text[start:].split("\n", 1)[0].rstrip()
            found.append((comment, _comment_place(lines, fields, number, column)))
    return found


def misplaced(old: str, new: str) -> str | None:
    """The first comment of `old` that `new` does not have in a place it could belong to."""
    left = comment_places(new)
    for comment, places in comment_places(old):
        match = next((i for i, (c, p) in enumerate(left) if c == comment and p & places), None)
        if match is None:
            return comment
        left.pop(match)
    return None


def _fields_of_lines(lines: list[str]) -> list[str]:
    """For each line, the top-level field it is part of ('' above the first)."""
    fields, current = [], ""
    for line in lines:
        if line[:1] not in ("", " ", "\t", "#", "-"):
            current = line.split(":", 1)[0]
        fields.append(current)
    return fields


def _comment_place(lines: list[str], fields: list[str], number: int, column: int) -> frozenset:
    """A comment of its own line at the margin belongs to what follows it (the field below, or
    the field it sits inside when indented lines follow); any other to its own line's field.
    At the top of the file, one not parted from the first field by a blank line is a header
    or that field's: either will do."""
    if column or lines[number][:column].strip():
        return frozenset([fields[number]])
    below = "(end of file)"
    for line_number in range(number + 1, len(lines)):
        line = lines[line_number]
        if line.strip() and not line.lstrip().startswith("#"):
            below = fields[line_number] if line[:1] not in (" ", "\t", "-") else fields[number]
            break
    if fields[number]:
        return frozenset([below])
    first = next((n for n, field in enumerate(fields) if field), len(lines))
    parted = "" in (line.strip() for line in lines[number:first])
    return frozenset(["(top of file)"] if parted else ["(top of file)", below])


def format_file(path: Path) -> tuple[str | None, list[Problem]]:
    """The file's new text (None to leave it alone) and the problems that stopped it."""
    new, _, problems = _format(path)
    return new, problems


def _format(path: Path) -> tuple[str | None, bytes, list[Problem]]:
    shown = display_path(path)
    try:
        data = read_record(path, shown, MAX_BYTES)
    except Unreadable as unread:
        return None, b"", [unread.problem]
    new, problems = _format_data(shown, data)
    return new, data, problems


def _format_data(shown: str, data: bytes) -> tuple[str | None, list[Problem]]:
    loaded = load_document(shown, data)
    if not isinstance(loaded, Document):
        return None, loaded
    old = data.decode("utf-8-sig")
    try:
        new = format_text(old)
    except YAMLError as error:  # ruamel.yaml's: the file does not parse
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [Problem(shown, line, col, f"cannot read YAML: {getattr(error, 'problem', error)}")]
    except pyyaml.YAMLError:  # PyYAML's, reading what ruamel.yaml wrote: a bug of ours
        new = None
    if new is None or values(old) != values(new):
        return None, [Problem(shown, 1, 1, "formatting would change a value; please report it")]
    lost = next(iter(comments(old) - comments(new)), None) or misplaced(old, new)
    if lost:  # ruamel.yaml drops a comment line between items written `{...}`, or moves one
        at = old.index(lost)
        line, col = old.count("\n", 0, at) + 1, at - old.rfind("\n", 0, at)
        hint = "write the list around it in block style ('- key: value' lines), or move the comment"
        return None, [Problem(shown, line, col, "formatting cannot keep this comment where it is", hint)]
    return new, []


def collect(paths: list[str]) -> tuple[list[Path], list[Problem]]:
    """The incident files named or in the folders named (a year folder too), and the problems of
    files there that are not read (links above all: fmt never writes through one); the
    hand-kept registries are left alone."""
    files, problems = [], []
    for path in map(Path, paths):
        if path.is_dir() and not path.is_symlink():
            root = path.parent if path.name.isdigit() else path
            found, unread = find_incident_files(root)
            files += [file for file in found if path in (root, file.parent)]
            inside = display_path(path) + os.sep
            problems += [p for p in unread if p.hint in UNREAD_HINTS and p.path.startswith(inside)]
        elif path.name not in (f"{kind}.yaml" for kind in REGISTRIES):
            files.append(path)
    return list(dict.fromkeys(files)), problems


def _fingerprint(path: Path) -> tuple | None:
    try:
        return fingerprint(path)
    except OSError:
        return None  # reading it says why


def main(paths: list[str], check: bool, out) -> int:
    changed = 0
    files, unread = collect(paths or ["incidents"])
    for p in unread:
        print(f"{p.path}:{p.line}:{p.col}: error: {p.text()} (skipped)", file=out)
    skipped = len(unread)
    for path in files:
        read_as = _fingerprint(path)
        new, data, problems = _format(path)
        for p in problems:
            print(f"{p.path}:{p.line}:{p.col}: error: {p.text()} (skipped)", file=out)
        skipped += bool(problems)
        if new is None or new.encode() == data:
            continue
        if not check:
            try:
                replace_text(path, new, read_as)
            except ChangedMeanwhile:
                print(
                    f"{display_path(path)}: changed while it was formatted; left as it is (skipped)", file=out
                )
                skipped += 1
                continue
            except OSError as error:
                print(
                    f"{display_path(path)}: cannot write it: {error.strerror}; left as it was (skipped)",
                    file=out,
                )
                skipped += 1
                continue
        changed += 1
        print(f"{display_path(path)}: {'would reformat' if check else 'reformatted'}", file=out)
    verb = "would be reformatted" if check else "reformatted"
    print(f"{changed} of {len(files)} file(s) {verb}" + (f", {skipped} skipped" if skipped else ""), file=out)
    return 1 if skipped or (check and changed) else 0
