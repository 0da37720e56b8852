"""The field reference page (`reference.md`), written from `schema.py` alone: every field name,
description and type comes from the definition the validator checks, so the two never disagree.
"""

from __future__ import annotations

import json
import re

from . import schema
from .schema import ListOf, Record, Registry
from .types import Slug, Type

INTRO = """\
# Field reference

This page is generated from `generator/schema.py`, the same definition the validator checks
records against. Fields marked *optional* may be left out (or left empty). See
[Contributing](contributing.md) for a complete example and how to fix the validator's messages.
"""

EDITORS = """\
## Editor support

The record format is also published as JSON Schemas, generated from the same definition
(`python -m generator schema --out docs/schema`, or `make schema`) and served with the site:
{links}. Editors that understand them complete field names and flag mistakes as you type.

In VS Code, install Red Hat's YAML extension and add to `.vscode/settings.json`:

```json
{settings}
```

Or name the schema on the first line of a file (any editor using yaml-language-server):

```yaml
# yaml-language-server: $schema={modeline}incident.schema.json
```

The editor only helps: `make validate` remains the check that counts.
"""


def _editors(base: str, modeline: str) -> str:
    files = {kind: f"{kind}.schema.json" for kind in schema.FILES}  # as `generator schema` names them
    links = ", ".join(f"[`schema/{name}`](schema/{name})" for name in files.values())
    globs = {base + name: f"incidents/{kind}.yaml" for kind, name in files.items()}
    globs[base + files["incident"]] = "incidents/*/*.yaml"
    settings = json.dumps({"yaml.schemas": globs}, indent=2)
    return EDITORS.format(links=links, settings=settings, modeline=modeline)


def _cell(text: str) -> str:
    """A table cell: one line, `|` escaped outside code spans (inside them it cannot split a cell)."""
    parts = re.split(r"(`[^`]*`)", " ".join(text.split()))
    return "".join(part if part.startswith("`") else part.replace("|", "\\|") for part in parts)


def _record_in(kind: Type) -> Record | None:
    while isinstance(kind, ListOf):
        kind = kind.item
    return kind if isinstance(kind, Record) else None


def record_table(record: Record) -> list[str]:
    """A Markdown table with one row per field of the record."""
    lines = ["| field | | type | description |", "|---|---|---|---|"]
    for field in record.fields:
        need = "**required**" if field.required else "*optional*"
        cells = (f"`{field.name}`", need, field.type.describe(), field.doc)
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
        if field.translatable:
            cells = (
                f"`{field.name}_<code>`",
                "*optional*",
                field.type.describe(),
                f"A translation of `{field.name}` into the language of the code, one of the site's"
                f" languages (`{field.name}_ar` for Arabic). See [Translating a record](contributing.md#translating-a-record).",
            )
            lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    if record.needs_one_of:
        named = " or ".join(f"`{name}`" for name in record.needs_one_of)
        lines += ["", f"{record.article.capitalize()} needs at least {named}."]
    return lines


def record_section(record: Record, level: int, path: str = "") -> list[str]:
    """The record's table, then a section for each record nested in its fields, recursively."""
    lines = record_table(record)
    for field in record.fields:
        if (nested := _record_in(field.type)) is None:
            continue
        where = f"{path}{field.name}"
        many = isinstance(field.type, ListOf)
        heading = f"`{where}`: " + (f"each {nested.name}" if many else nested.name)
        form = f"A list; each item is {nested.article}" if many else f"Written as {nested.article}"
        lines += ["", f"{'#' * level} {heading}", "", f"{_cell(field.doc)} {form}:", ""]
        lines += record_section(nested, level + 1, where + ".")
    return lines


def _incident_section() -> list[str]:
    naming = (
        "Each incident is one file, `incidents/YEAR/ID.yaml`. Its **id** is the file name without"
        f" `.yaml`: lowercase letters, digits and single hyphens, at most {Slug().max_len} characters,"
        " starting with the incident's `date` as written (`2015-08-08-is-captures-umm-housh`, or"
        " `2015-08-…` when only the month is known). The file lives in the folder of its year"
        " (`incidents/2015/`). The id is the page's address: when you rename a file, list the old id"
        " in `redirect_from`."
    )
    return ["## Incident files", "", naming, "", *record_section(schema.INCIDENT, 3)]


def _registry_section(kind: str, registry: Registry) -> list[str]:
    intro = (
        f"`incidents/{kind}.yaml` lists every {registry.entry.name} that incidents may name, each"
        f" under its id ({Slug().describe()}). Incidents refer to {kind} by this id."
    )
    return [f"## {kind}.yaml", "", intro, "", *record_section(registry.entry, 3, f"{kind}.ID.")]


def field_reference(schema_url: str = "") -> str:
    """The reference page's Markdown (the same schema, the same text). `schema_url`: where the
    JSON Schemas are served; by default, the copies `make schema` writes into a clone."""
    base = schema_url.rstrip("/") + "/" if schema_url else "./docs/schema/"
    modeline = base if schema_url else "../../docs/schema/"
    sections = [
        INTRO.splitlines(),
        _incident_section(),
        _registry_section("towns", schema.TOWNS),
        _registry_section("groups", schema.GROUPS),
        ["## Incident types", "", "The `type` of an incident is one of:", ""]
        + [f"- `{name}`: {doc}" for name, doc in schema.TYPE_DOCS.items()],
        _editors(base, modeline).splitlines(),
    ]
    return "\n\n".join("\n".join(section).strip() for section in sections) + "\n"
