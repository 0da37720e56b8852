"""The form at /new/: what its script needs to know, written from the one definition of the
format (schema.py) and the registries, and the YAML template shown without JavaScript.

`description` is the JSON the page's script (assets/new.js) builds its fields from: every
field's name, label, description, requirement and type, the incident types with what each
covers, the towns and groups with every name a contributor may type, and where the forge
takes a new file. Nothing in the script lists a field by hand.
"""

from __future__ import annotations

import json

from .forge import Forge
from .model import CIVILIANS, Dataset
from .new import MAX_ID, skeleton
from .schema import INCIDENT, TYPE_DOCS, ListOf, Record
from .types import Choice, Count, DateValue, Degrees, Slug, Text, Type, Url

# The longest address the "Propose" link may have (see docs/contributing.md, "The form"): GitHub
# refuses request lines over about 8 KB, and one who is not signed in goes through its sign-in
# page with the whole address encoded again in `return_to`, each %XX growing to %25XX.
URL_LIMIT = 4000
LEFT_OUT = ("redirect_from",)  # a new record has no former id


def type_of(kind: Type) -> dict:
    """A value type as the script checks it: the same limits the validator applies."""
    if isinstance(kind, ListOf):
        return {"kind": "list", "item": type_of(kind.item), "min": kind.min_items, "unique": kind.unique}
    if isinstance(kind, Record):
        return {
            "kind": "record",
            "name": kind.name,
            "article": kind.article,
            "fields": [field_of(f) for f in kind.fields if f.name not in LEFT_OUT],
            "needs_one_of": list(kind.needs_one_of),
        }
    if isinstance(kind, DateValue):
        return {"kind": "date", "day_only": kind.day_only}
    if isinstance(kind, Count):
        return {"kind": "count"}
    if isinstance(kind, Degrees):
        return {"kind": "degrees", "limit": kind.limit}
    text = {"min": kind.min_len, "max": kind.max_len, "one_line": kind.one_line}
    if isinstance(kind, Slug):
        return text | {"kind": "slug", "refers_to": kind.refers_to}
    if isinstance(kind, Url):
        return text | {"kind": "url"}
    if isinstance(kind, Choice):
        return text | {"kind": "choice", "choices": list(kind.choices)}
    if isinstance(kind, Text):
        return text | {"kind": "text", "markdown": kind.markdown}
    raise TypeError(f"the form does not know the type {kind!r}")


def field_of(field) -> dict:
    return {
        "name": field.name,
        "label": field.label,
        "doc": field.doc,
        "describe": field.type.describe(),
        "required": field.required,
        "type": type_of(field.type),
    }


def description(dataset: Dataset, forge: Forge | None, incidents: str = "incidents") -> dict:
    towns = [
        [town.id, town.name, town.translated("name", "ar") or "", list(town.aliases), town.province]
        for town in dataset.towns.values()
    ]
    groups = [
        [
            group.id,
            group.name,
            group.translated("name", "ar") or "",
            [*([group.short] if group.short else []), *group.aliases],
        ]
        for group in dataset.groups.values()
    ]
    return {
        "incident": type_of(INCIDENT),
        "types": TYPE_DOCS,
        "towns": towns,
        "groups": groups,
        "civilians": CIVILIANS,
        "id_max": MAX_ID,
        "incidents": forge.incidents if forge else incidents,
        "forge": {"name": forge.name, **forge.patterns()} if forge else None,
        "url_limit": URL_LIMIT,
    }


def description_json(dataset: Dataset, forge: Forge | None) -> str:
    return json.dumps(description(dataset, forge), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def template_text(incidents: str = "incidents") -> str:
    """The commented YAML template the page shows without JavaScript: every field in the
    documented order, the optional ones commented out, each under its description."""
    lines = [
        f"# {incidents}/YEAR/ID.yaml: ID is the date as written in `date`, then a few words",
        "# in lowercase letters, digits and hyphens (2015-08-08-is-captures-umm-housh).",
    ]
    for field in INCIDENT.fields:
        if field.name in LEFT_OUT:
            continue
        need = "required" if field.required else "optional: delete the '# ' to use it"
        lines.append(f"# {field.label} ({need}): {field.doc}")
        prefix = "" if field.required else "# "
        kind = field.type
        if isinstance(kind, ListOf) and isinstance(kind.item, Record):
            lines.append(f"{prefix}{field.name}:")
            for n, sub in enumerate(kind.item.fields):
                lead = "- " if n == 0 else "  "
                own = prefix if sub.required or n == 0 else "# "
                lines.append(f"{prefix or own if n else prefix}  {lead}{sub.name}:  # {sub.doc}")
        elif isinstance(kind, Text) and not kind.one_line:
            lines += [f"{prefix}{field.name}: |", f"{prefix}  TODO"]
        else:
            lines += skeleton(field.name, kind, prefix)
    return "\n".join(lines) + "\n"
