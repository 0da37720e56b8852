"""`python -m generator new`: start an incident record, correctly named, every field in place.

What the options don't give is asked for on stdin (with --no-input, the missing options are
named instead). Answers are checked with the schema's own types and the registries, and a
town or group can be given by any of its names: "Daesh" becomes `islamic-state`. The file
lists the fields in the documented order, optional ones commented out beside their doc.
A summary or source not given is left as a TODO the validator rejects (a summary too short,
an empty publisher or address), so a placeholder can never be merged.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from datetime import date as Date
from functools import partial
from pathlib import Path

import yaml

from .files import SYMLINK_HINT
from .languages import LanguagesError, configured_languages
from .rules import ID, Context, fold
from .schema import INCIDENT, INCIDENT_TYPES, SOURCE, ListOf, Record
from .types import Checker, DateValue
from .validate import REGISTRIES, check_file

MAX_ID = 100
ASKED = ("date", "title", "type", "towns", "groups")
QUESTIONS = {
    "date": "Date (YYYY-MM-DD, or YYYY-MM / YYYY when the day is unknown): ",
    "title": "Title (what happened, in one line): ",
    "type": f"Type ({', '.join(INCIDENT_TYPES)}): ",
    "towns": "Towns (ids or names, separated by commas): ",
    "groups": "Groups (ids or names, separated by commas): ",
}


class Stop(Exception):
    """What the contributor must change on the command line (exit 2)."""


def checked(name: str, text: str, record=INCIDENT):
    """One answer read as the validator reads a quoted value; ValueError says what is wrong."""
    cx = Checker("answer")
    field = next(f for f in record.fields if f.name == name)
    try:
        value = field.type.check(yaml.compose(json.dumps(text, ensure_ascii=False)), cx, ())
    except yaml.YAMLError:
        raise ValueError("the text holds a character YAML does not allow; retype it") from None
    if cx.problems:
        raise ValueError(cx.problems[0].text())
    if isinstance(field.type, DateValue) and value.sort_key > Date.today().timetuple()[:3]:
        raise ValueError(f"{value.iso} is in the future; check the year and month")
    return value


def resolve(known: Context, registry: str, text: str) -> list[str]:
    ids = []
    for ref in filter(None, (part.strip() for part in text.split(","))):
        found = ref if ref in getattr(known, registry) else known.aliases[registry].get(fold(ref))
        if not found:
            names = known.aliases[registry]
            close = difflib.get_close_matches(fold(ref), [*names, *getattr(known, registry)], n=3, cutoff=0.6)
            meant = list(dict.fromkeys(names.get(c, c) for c in close))
            hint = " or ".join(f"'{m}'" for m in meant)
            hint = f"did you mean {hint}?" if meant else f"add it to {registry}.yaml first"
            raise ValueError(f"'{ref}' is not in {registry}.yaml; {hint}")
        ids += [found] if found not in ids else []
    if not ids:
        raise ValueError(f"name at least one of {registry}.yaml's entries")
    return ids


def slugify(title: str, limit: int) -> str:
    text = unicodedata.normalize("NFKD", title.replace("'", "").replace("\u2019", ""))
    slug = ""
    for word in re.findall(r"[a-z0-9]+", text.encode("ascii", "ignore").decode().lower()):
        if len(slug) + len(word) + 1 > limit:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def scalar(text: str) -> str:
    """Plain when YAML reads it back as the same text, else double-quoted."""
    try:
        plain = text == text.strip() and yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


def skeleton(name: str, kind, prefix: str = "# ") -> list[str]:
    if isinstance(kind, ListOf) and isinstance(kind.item, Record):
        subs = [f"{'- ' if i == 0 else '  '}{f.name}:  # {f.doc}" for i, f in enumerate(kind.item.fields)]
    elif isinstance(kind, Record):
        subs = [f"{f.name}:  # {f.doc}" for f in kind.fields]
    elif isinstance(kind, ListOf):
        subs = ["- "]
    else:
        return [f'{prefix}{name}: "YYYY-MM-DD"' if isinstance(kind, DateValue) else f"{prefix}{name}:"]
    return [f"{prefix}{name}:", *(f"{prefix}  {line}".rstrip() for line in subs)]


def render(values: dict, languages: tuple[str, ...] = ()) -> str:
    """The record's text; `languages`: the site's, whose translations are listed commented out
    after each field they translate (title_ar after title)."""
    lines = []
    for field in INCIDENT.fields:
        lines += _field_lines(field, values) + translation_lines(field, languages)
    return "\n".join(lines) + "\n"


def translation_lines(field, languages: tuple[str, ...]) -> list[str]:
    """A translatable field's translations into each language of the site but the records'
    own, commented out, to go after the field (title_ar after title)."""
    if not field.translatable:
        return []
    return [
        f"# {field.name}_{code}:  # the {field.name} in the language '{code}', once translated"
        for code in languages[1:]
    ]


def _field_lines(field, values: dict) -> list[str]:
    lines, value = [f"# {field.doc}"], values.get(field.name)
    if field.name == "date":
        lines.append(f'date: "{value.iso}"')
    elif field.name in ("towns", "groups"):
        lines += [f"{field.name}:", *(f"  - {item}" for item in value)]
    elif field.name == "summary":
        text = (value or "TODO").splitlines()
        lines += ["summary: |", *(f"  {line}".rstrip() for line in text)]
    elif field.name == "sources":
        lines += ["sources:"]
        for i, sub in enumerate(SOURCE.fields):
            lead = "  - " if i == 0 else "    "
            if sub.required and values.get(sub.name):
                lines.append(f"{lead}{sub.name}: {scalar(values[sub.name])}")
            elif sub.required:
                lines.append(f"{lead}{sub.name}:  # TODO: {sub.doc}")
            else:
                lines += [f"    # {line}  # {sub.doc}" for line in skeleton(sub.name, sub.type, "")]
    elif value is not None:
        lines.append(f"{field.name}: {scalar(value)}")
    else:
        lines += skeleton(field.name, field.type)
    return lines


def _languages() -> tuple[str, ...]:
    """mkdocs.yml's languages, when the command runs beside it (as `make new` does)."""
    try:
        return configured_languages(Path("mkdocs.yml"))
    except LanguagesError:
        return ()


def main(args, stdin, out, err) -> int:
    root = Path(args.incidents)
    registries = {}
    for kind in REGISTRIES:
        found, problems = check_file(root / f"{kind}.yaml", kind)
        if found is None:
            raise Stop(f"{root / kind}.yaml cannot be read: {problems[0].text()}")
        registries[kind] = found.values
    known = Context(**registries, today=Date.today())
    given = {"date": args.date, "title": args.title, "type": args.type}
    given |= {"towns": ",".join(args.town or ()), "groups": ",".join(args.group or ())}
    missing = [name for name in ASKED if not given[name]]
    if missing and args.no_input:
        raise Stop("missing " + ", ".join(f"--{n.rstrip('s')}" for n in missing) + " (--no-input is set)")
    values = {}
    for name in ASKED:
        read = partial(resolve, known, name) if name in ("towns", "groups") else partial(checked, name)
        try:
            values[name] = read(given[name]) if given[name] else None
        except ValueError as error:
            raise Stop(f"--{name.rstrip('s')}: {error}") from None
        while values[name] is None:
            print(QUESTIONS[name], end="", file=err, flush=True)
            answer = stdin.readline()
            if not answer:
                raise Stop(f"no answer for --{name.rstrip('s')} (stdin closed); give it as an option")
            try:
                values[name] = read(answer.strip())
            except ValueError as error:
                print(f"  {error}", file=err)
        if name in ("towns", "groups") and given[name] != ",".join(values[name]):
            print(f"  {name}: {', '.join(values[name])}", file=err)
    for name, option in (("summary", args.summary), ("url", args.source_url), ("publisher", args.publisher)):
        try:
            values[name] = option and checked(name, option, SOURCE if name != "summary" else INCIDENT)
        except ValueError as error:
            raise Stop(f"--{name.replace('url', 'source-url')}: {error}") from None
    date = values["date"]
    limit = MAX_ID - len(date.iso) - 1
    slug = args.slug or slugify(values["title"], limit)
    if not slug:
        raise Stop("the title has no latin letters or digits to make the id from: give --slug")
    if not ID.match(slug) or len(slug) > limit:
        raise Stop(f"--slug '{slug}': use lowercase letters, digits and single hyphens, at most {limit}")
    path = root / f"{date.year:04d}" / f"{date.iso}-{slug}.yaml"
    if path.parent.is_symlink():
        print(f"{path.parent}: error: the year folder is a symbolic link; {SYMLINK_HINT}", file=err)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(render(values, _languages()))
    except FileExistsError:
        print(f"{path}: error: already exists; edit that file, or choose another --slug", file=err)
        return 1
    print(path, file=out)
    todo = "" if all(values[n] for n in ("summary", "url", "publisher")) else "fill in the TODOs, then "
    print(f"wrote {path}: {todo}check it with `python -m generator validate {root}`", file=err)
    return 0
