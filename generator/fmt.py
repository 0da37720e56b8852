"""`python -m generator fmt`: one canonical layout for every record file, comments kept.

Each file makes a round trip through ruamel.yaml: fields in the schema's order, 2-space
indentation, block lists with `- ` under their key, dates double-quoted, `|` blocks for
summaries and descriptions, lines of about 100 characters. Nothing else changes: the
validator reads the file before and after, and a file whose values or comments would differ
is left as it is and reported. Files that do not parse are reported and never rewritten.
"""

from __future__ import annotations

import io
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

from .load import Document, Loader, load_document
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
        fields = {f.name: f.type for f in kind.fields}
        for key in [name for name in fields if name in value] + [k for k in value if k not in fields]:
            value.move_to_end(key)  # the schema's order, then any unknown keys as they were
        for key, item in list(value.items()):
            value[key] = _value(_block(value, key, item), fields.get(key) if isinstance(key, str) else None)
    elif isinstance(kind, ListOf) and isinstance(value, CommentedSeq):
        for index, item in enumerate(value):
            value[index] = _value(_block(value, index, item), kind.item)
    elif isinstance(kind, DateValue) and not isinstance(value, DoubleQuotedScalarString):
        if isinstance(value, str) and _DATE.match(value) or type(value) is int and 1000 <= value <= 9999:
            return DoubleQuotedScalarString(str(value))
    elif isinstance(kind, Text) and not kind.one_line and isinstance(value, str):
        return value if isinstance(value, LiteralScalarString) else LiteralScalarString(value)
    return value


def _block(parent, key, child):
    """A flow collection in block style; the comment after it goes on its first line."""
    if isinstance(child, (CommentedMap, CommentedSeq)) and child.fa.flow_style():
        child.fa.set_block_style()
        slot, at = parent.ca.items.get(key) or [None] * 4, 0 if isinstance(parent, CommentedSeq) else 2
        if slot[at] is not None:
            slot[at].column = 0  # where it stood in the flow line means nothing now
            if at == 0 and isinstance(child, CommentedMap) and child:  # `-  # x` trips ruamel.yaml up
                child.ca.items.setdefault(next(iter(child)), [None] * 4)[2], slot[0] = slot[0], None
    return child


def _top_level_order(text: str) -> str:
    """Top-level fields in the schema's order, each with the comment lines above it (ruamel.yaml
    would keep them with the field before). Anything but plain `key:` lines is left to ruamel."""
    head, chunks, pending = [], [], []
    for line in (text if text.endswith("\n") else text + "\n").splitlines(keepends=True):
        key = re.match(r"([a-z_]+):(?:\s|$)", line)
        if key and not chunks and "\n" in pending:  # a comment block apart from the first field
            cut = len(pending) - pending[::-1].index("\n")
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
    rank = {f.name: i for i, f in enumerate(INCIDENT.fields)}
    chunks.sort(key=lambda chunk: rank.get(chunk[0], len(rank)))
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
    spans = [(t.start_mark.index, t.end_mark.index) for t in pyyaml.scan(text, Loader=Loader)]
    found = Counter()
    for start in (m.start() for m in re.finditer(r"(?:^|(?<=[ \t]))#", text, re.M)):
        if not any(a <= start < b for a, b in spans):
            found[text[start:].split("\n", 1)[0].rstrip()] += 1
    return found


def format_file(path: Path) -> tuple[str | None, list[Problem]]:
    """The file's new text (None to leave it alone) and the problems that stopped it."""
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(shown, 1, 1, f"cannot read the file: {error.strerror}")]
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
    lost = comments(old) - comments(new)
    if lost:  # ruamel.yaml drops a comment line between items written `{...}`
        at = old.index(next(iter(lost)))
        line, col = old.count("\n", 0, at) + 1, at - old.rfind("\n", 0, at)
        hint = "write the list around it in block style ('- key: value' lines), or move the comment"
        return None, [Problem(shown, line, col, "formatting cannot keep this comment where it is", hint)]
    return new, []


def collect(paths: list[str]) -> list[Path]:
    """The incident files named or in the folders named; the hand-kept registries are left alone."""
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files += find_incident_files(path)[0]
        elif path.name not in (f"{kind}.yaml" for kind in REGISTRIES):
            files.append(path)
    return list(dict.fromkeys(files))


def main(paths: list[str], check: bool, out) -> int:
    changed, skipped = 0, 0
    files = collect(paths or ["incidents"])
    for path in files:
        new, problems = format_file(path)
        for p in problems:
            print(f"{p.path}:{p.line}:{p.col}: error: {p.text()} (skipped)", file=out)
        skipped += bool(problems)
        if new is None or new.encode() == path.read_bytes():
            continue
        changed += 1
        if not check:
            path.write_text(new, encoding="utf-8", newline="\n")
        print(f"{display_path(path)}: {'would reformat' if check else 'reformatted'}", file=out)
    verb = "would be reformatted" if check else "reformatted"
    print(f"{changed} of {len(files)} file(s) {verb}" + (f", {skipped} skipped" if skipped else ""), file=out)
    return 1 if skipped or (check and changed) else 0
