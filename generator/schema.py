"""The one definition of the record format.

The validator checks records against it, `docs/reference.md` and the published JSON Schema
are generated from it. A new field is one line here (plus where the model and pages show it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property, partial

import yaml

from .model import CIVILIANS, CasualtyReport, ControlChange, Group, Incident, Source, Town
from .types import (
    INVALID,
    NULL,
    STR,
    Checker,
    Choice,
    Count,
    DateValue,
    Degrees,
    Slug,
    Text,
    Type,
    Url,
    close_match,
    field_name,
    kind_of,
)

# The incident types, after ACLED's event types, each with what it covers.
TYPE_DOCS = {
    "battle": "Armed clashes between organised armed groups, including those in which a town changes hands.",
    "explosion": "Explosions and remote violence: air and drone strikes, shelling, missiles, "
    "bombs and mines, suicide attacks.",
    "violence-against-civilians": "Armed groups deliberately attacking unarmed civilians: killings, "
    "abductions, sexual violence.",
    "protest": "Public demonstrations in which the demonstrators are not violent.",
    "riot": "Violent demonstrations and mob violence.",
    "strategic-development": "Events without fighting that change the conflict: agreements, arrests, "
    "withdrawals, a town handed over peacefully.",
}
INCIDENT_TYPES = tuple(TYPE_DOCS)


@dataclass(frozen=True)
class ListOf(Type):
    item: Type
    min_items: int = 0
    unique: bool = False

    def check(self, node, cx, where):
        if not isinstance(node, yaml.SequenceNode):
            return cx.error(
                node,
                f"{field_name(where)}: expected a list, found {kind_of(node)}",
                "write one item per line, each starting with '- '",
            )
        if len(node.value) < self.min_items:
            return cx.error(
                node, f"{field_name(where)} needs at least {self.min_items} item(s)", "add an item"
            )
        values, seen = [], {}
        check, unique = self.item.check, self.unique
        for index, child in enumerate(node.value):
            position = (*where, len(values))  # marks follow the returned list, which skips bad items
            cx.at(position, child)
            value = check(child, cx, position)
            if value is INVALID:
                continue
            if unique and value in seen:
                cx.error(
                    child,
                    f"{field_name(where)}: '{value}' is listed twice (first as item {seen[value] + 1})",
                    "remove the repeat",
                )
                continue
            if unique:
                seen[value] = index
            values.append(value)
        return values

    def describe(self):
        return f"a list of {self.item.describe()}"

    def json_schema(self):
        schema = {"type": "array", "items": self.item.json_schema(), "minItems": self.min_items}
        return schema | ({"uniqueItems": True} if self.unique else {})


@dataclass(frozen=True)
class Field:
    name: str
    type: Type
    doc: str
    required: bool = False
    attribute: str = ""  # its name in the model, where the record's word can't be one ('from')
    # its text may be given in other languages too, as `<name>_<code>` (`title_ar`): the model
    # keeps them in its `translations`, the validator checks each code against the site's languages
    translatable: bool = False

    @property
    def model_name(self) -> str:
        return self.attribute or self.name

    @property
    def label(self) -> str:
        """The field's name as a form labels it: `archive_url` is "Archive URL"."""
        words = [word.upper() if word == "url" else word for word in self.name.split("_")]
        return " ".join(words)[:1].upper() + " ".join(words)[1:]


@dataclass(frozen=True)
class Record(Type):
    name: str
    fields: tuple[Field, ...]
    needs_one_of: tuple[str, ...] = ()  # at least one of these optional fields must be given
    model: type | None = None  # the model's dataclass a checked record becomes (to_model)

    def check(self, node, cx, where):
        if not isinstance(node, yaml.MappingNode):
            return cx.error(
                node,
                f"{field_name(where) + ': ' if where else ''}expected {self.article} (key: value pairs), found {kind_of(node)}",
                f"write the {self.name}'s fields as 'key: value' lines",
            )
        by_name = self.by_name
        at = f"{field_name(where)}: " if where else ""  # a record in a record: say which
        values, keys = {}, {}  # field name -> the node of its key
        for key, child in node.value:
            name = key.value if key.tag == STR and isinstance(key, yaml.ScalarNode) else None
            field = self.field_of(name) if name is not None else None
            if name is None:
                cx.error(
                    key, f"{at}key {kind_of(key)} is not a field name", "keys are plain words like 'title'"
                )
            elif name in keys:
                first = keys[name].start_mark.line + 1
                cx.error(key, f"{at}'{name}' appears twice (first on line {first})", "keep one of them")
            elif field is None:
                keys[name] = key
                hint = close_match(name, by_name) or "allowed: " + ", ".join(by_name)
                cx.error(key, f"{at}unknown field '{name}' in {self.article}", hint)
            else:
                keys[name] = key
                position = (*where, name)
                cx.at(position, child)
                if child.tag == NULL and not child.value and not field.required:
                    continue  # an optional field left empty is the same as leaving it out
                value = field.type.check(child, cx, position)
                if value is not INVALID:
                    values[name] = value
        for field in self.required:
            if field.name not in keys:
                cx.error(
                    node,
                    f"{at}{self.article} is missing the required field '{field.name}'",
                    f"add '{field.name}:' ({field.type.describe()})",
                )
        if self.needs_one_of and not keys.keys() & set(self.needs_one_of):
            wanted = " or ".join(f"'{name}'" for name in self.needs_one_of)
            cx.error(node, f"{at}{self.article} needs {wanted}", f"add {wanted}, or remove the {self.name}")
        return values

    @cached_property
    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    def field_of(self, key: str) -> Field | None:
        """The field a key gives: its own, or the translatable field `<name>_<code>` translates."""
        field = self.by_name.get(key)
        if field is None and (found := TRANSLATION.match(key)):
            base = self.by_name.get(found[1])
            return base if base is not None and base.translatable else None
        return field

    @cached_property
    def translatable(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.translatable)

    def order(self, keys) -> list:
        """Keys in the schema's order, each translation right after its field (by language
        code), then any unknown keys as they were."""
        rank = {f.name: n for n, f in enumerate(self.fields)}

        def place(key) -> tuple:
            if not isinstance(key, str):
                return (len(rank), "")
            if key in rank:
                return (rank[key], "")
            found = TRANSLATION.match(key)
            if found and self.field_of(key) is not None:
                return (rank[found[1]], found[2])
            return (len(rank), "")

        return sorted(keys, key=place)  # stable: unknown keys keep their order

    @cached_property
    def required(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)

    @property
    def article(self) -> str:
        return ("an " if self.name[0] in "aeiou" else "a ") + self.name

    def describe(self):
        return f"{self.article}: " + ", ".join(f"`{f.name}`" for f in self.fields)

    def json_schema(self):
        schema = {
            "type": "object",
            "properties": {f.name: {"description": f.doc} | f.type.json_schema() for f in self.fields},
            "required": [f.name for f in self.fields if f.required],
            "additionalProperties": False,
        }
        if self.translatable:
            schema["patternProperties"] = {
                f"^{f.name}_{CODE}$": {"description": f"{f.doc} In the language of the code after `_`."}
                | f.type.json_schema()
                for f in self.translatable
            }
        if self.needs_one_of:
            schema["anyOf"] = [{"required": [name]} for name in self.needs_one_of]
        return schema


def to_model(record: Record, values: dict, **given):
    """A checked record's values (as `check` returns them) as its model's dataclass: each field
    under its model name, lists as tuples, nested records as their own dataclasses, translations
    (`title_ar`) in `translations`. `given` adds what the record's file says outside its fields
    (an incident's id, from its name)."""
    converted = {name: convert(values[key]) for key, name, convert in _converters(record) if key in values}
    if record.translatable:
        keys = [key for key in values if key not in record.by_name and record.field_of(key)]
        if keys:
            converted["translations"] = tuple((key, values[key]) for key in record.order(keys))
    return record.model(**given, **converted)


@cache
def _converters(record: Record) -> tuple:
    return tuple((f.name, f.model_name, _converter(f.type)) for f in record.fields)


def _converter(kind: Type):
    if isinstance(kind, Record) and kind.model is not None:
        return partial(to_model, kind)
    if isinstance(kind, ListOf):
        item = _converter(kind.item)
        return tuple if item is _same else lambda values: tuple(map(item, values))
    return _same


def _same(value):
    return value


@dataclass(frozen=True)
class Registry(Type):
    """A file mapping ids to entries: towns.yaml, groups.yaml."""

    entry: Record

    def check(self, node, cx, where):
        if not isinstance(node, yaml.MappingNode):
            return cx.error(
                node,
                f"expected {self.entry.name} ids with their fields, found {kind_of(node)}",
                f"start each {self.entry.name} with its id and a colon",
            )
        entries, lines = {}, {}
        for key, child in node.value:
            entry_id = Slug().check(key, cx, (*where, "id"))
            if entry_id is INVALID:
                continue
            if entry_id in lines:
                cx.error(
                    key,
                    f"id '{entry_id}' is defined twice (first on line {lines[entry_id]})",
                    "merge the two entries",
                )
                continue
            lines[entry_id] = key.start_mark.line + 1
            cx.at((entry_id,), key)
            value = self.entry.check(child, cx, (entry_id,))
            if value is not INVALID:
                entries[entry_id] = value
        return entries

    def json_schema(self):
        return {
            "type": "object",
            "propertyNames": Slug().json_schema(),
            "additionalProperties": self.entry.json_schema(),
        }


CODE = "[a-z]{2,3}"  # a language code, ISO 639-1 (ar, ku) or 639-2
TRANSLATION = re.compile(rf"^([a-z_]+)_({CODE})$")
LINE = Text(min_len=1, max_len=200)
NAMES = ListOf(LINE, unique=True)

SOURCE = Record(
    "source",
    (
        Field("publisher", LINE, "Who published it: a newspaper, agency or monitor.", required=True),
        Field("url", Url(), "Address of the report.", required=True),
        Field("title", Text(min_len=1, max_len=300), "Headline of the report."),
        Field("published", DateValue(day_only=True), "Date the report was published."),
        Field(
            "archive_url",
            Url(),
            "Address of an archived copy (e.g. the Wayback Machine), for when the original disappears.",
        ),
    ),
    model=Source,
)

CASUALTY_REPORT = Record(
    "casualty report",
    (
        Field(
            "group",
            Slug(refers_to="groups"),
            f"The side that suffered them: a group id, or `{CIVILIANS}`.",
            required=True,
        ),
        Field("killed", Count(), "People killed, as the source reports it."),
        Field("injured", Count(), "People injured, as the source reports it."),
        Field(
            "according_to",
            LINE,
            "The `publisher` of one of this incident's sources that gives these figures.",
            required=True,
        ),
    ),
    needs_one_of=("killed", "injured"),
    model=CasualtyReport,
)

CONTROL_CHANGE = Record(
    "control change",
    (
        Field(
            "town",
            Slug(refers_to="towns"),
            "The town that changed hands; one of the incident's towns.",
            required=True,
        ),
        Field(
            "from",
            Slug(refers_to="groups"),
            "The group that held it before.",
            required=True,
            attribute="from_group",
        ),
        Field(
            "to",
            Slug(refers_to="groups"),
            "The group that holds it after.",
            required=True,
            attribute="to_group",
        ),
    ),
    model=ControlChange,
)

INCIDENT = Record(
    "incident",
    (
        Field(
            "title",
            Text(min_len=5, max_len=160),
            "What happened, in one line, in English.",
            required=True,
            translatable=True,
        ),
        Field("date", DateValue(), "When it happened (or began). Never in the future.", required=True),
        Field(
            "end_date",
            DateValue(day_only=True),
            "Last day of an incident that lasted several days; not before `date`.",
        ),
        Field(
            "type",
            Choice(choices=INCIDENT_TYPES),
            "The kind of event, after ACLED's event types.",
            required=True,
        ),
        Field(
            "towns",
            ListOf(Slug(refers_to="towns"), min_items=1, unique=True),
            "Where it happened.",
            required=True,
        ),
        Field(
            "groups",
            ListOf(Slug(refers_to="groups"), min_items=1, unique=True),
            "Who was involved.",
            required=True,
        ),
        Field(
            "summary",
            Text(min_len=20, max_len=20_000, one_line=False, markdown=True),
            "What happened, in your own words: paragraphs, emphasis and links.",
            required=True,
            translatable=True,
        ),
        Field(
            "casualties",
            ListOf(CASUALTY_REPORT),
            "Casualty figures as each source reports them; keep every report, even when sources disagree.",
        ),
        Field("control", CONTROL_CHANGE, "A town that changed hands in this incident."),
        Field(
            "tags", ListOf(Slug(max_len=40), unique=True), "Keywords such as `car-bomb` or `suicide-attack`."
        ),
        Field("sources", ListOf(SOURCE, min_items=1), "Where the facts come from.", required=True),
        Field(
            "redirect_from",
            ListOf(Slug(), unique=True),
            "Former ids of this incident, so old links keep working.",
        ),
    ),
    model=Incident,
)

TOWN = Record(
    "town",
    (
        Field("name", LINE, "Name in English, as the site shows it.", required=True, translatable=True),
        Field("province", LINE, "Province (governorate).", required=True),
        Field("district", LINE, "District within the province."),
        Field("lat", Degrees(limit=90), "Latitude, decimal degrees north.", required=True),
        Field("lon", Degrees(limit=180), "Longitude, decimal degrees east.", required=True),
        Field("aliases", NAMES, "Other spellings readers may search for."),
    ),
    model=Town,
)

GROUP = Record(
    "group",
    (
        Field("name", LINE, "Full name in English.", required=True, translatable=True),
        Field("short", LINE, "Short name or acronym, e.g. `IS`."),
        Field("aliases", NAMES, "Other names readers may search for, e.g. `Daesh`."),
        Field(
            "description",
            Text(min_len=1, max_len=2000, one_line=False),
            "A sentence or two on who they are.",
            translatable=True,
        ),
        Field("parent", Slug(refers_to="groups"), "The group this one belongs to."),
    ),
    model=Group,
)

TOWNS = Registry(TOWN)
GROUPS = Registry(GROUP)
FILES = {"incident": INCIDENT, "towns": TOWNS, "groups": GROUPS}


def incident_from(incident_id: str, values: dict) -> Incident:
    """A checked incident record's values to an Incident; its id is its file's name."""
    return to_model(INCIDENT, values, id=incident_id)


def town_from(town_id: str, values: dict) -> Town:
    return to_model(TOWN, values, id=town_id)


def group_from(group_id: str, values: dict) -> Group:
    return to_model(GROUP, values, id=group_id)


MODELLED = (INCIDENT, SOURCE, CASUALTY_REPORT, CONTROL_CHANGE, TOWN, GROUP)
RENAMED = {f.attribute: f.name for record in MODELLED for f in record.fields if f.attribute}


def check_node(kind: str, node: yaml.Node, cx: Checker):
    return FILES[kind].check(node, cx, ())


def json_schema(kind: str) -> dict:
    titles = {
        "incident": "An incident record",
        "towns": "The towns registry",
        "groups": "The groups registry",
    }
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": titles[kind]} | FILES[
        kind
    ].json_schema()
