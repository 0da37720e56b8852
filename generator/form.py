"""The form at /new/: what its script needs to know, written from the one definition of the
format (schema.py) and the registries, and the YAML template shown without JavaScript.

`description` is the JSON the page's script (assets/new.js) builds its fields from: every
field's name, label, description, requirement and type, the incident types with what each
covers, the towns and groups with every name a contributor may type, and where the forge
takes a new file. Nothing in the script lists a field by hand. Each translatable field is
followed by its translation into each further language of the site (`title_ar`), where `fmt`
puts it; the labels are in the edition's language (the catalogue has every field's label:
`extract_labels`), the fields' descriptions in the records' own.
"""

from __future__ import annotations

import json

from babel import Locale

from .forge import Forge
from .i18n import N2_, N_, ROOT_LANGUAGE, Words, script_words
from .model import CIVILIANS, Dataset
from .new import MAX_ID, skeleton, translation_lines
from .schema import INCIDENT, TYPE_DOCS, ListOf, Record
from .types import Choice, Count, DateValue, Degrees, Slug, Text, Type, Url

# The longest address the "Propose" link may have (see docs/contributing.md, "The form"): GitHub
# refuses request lines over about 8 KB, and one who is not signed in goes through its sign-in
# page with the whole address encoded again in `return_to`, each %XX growing to %25XX.
URL_LIMIT = 4000
LEFT_OUT = ("redirect_from",)  # a new record has no former id

# The script's own words (assets/new.js reads them from the form's data-words)
FORM_MESSAGES = (
    N_("Optional. "), N_("The incident"), N_("The record"), N_("Preview"), N_("%(field)s preview"),
    N_("Remove"), N_("Remove %(name)s"), N_("Chosen %(field)s"), N_("type a name"),
    N_("separate them with commas"), N_("YYYY-MM-DD"), N_("YYYY-MM-DD, YYYY-MM or YYYY"), N_("Id"),
    N_("The words after the date in the file's name and the page's address, made from the title unless you write them here."),
    N_("lowercase letters, digits and hyphens"), N_("Propose on %(forge)s"), N_("the forge"),
    N_("Copy"), N_("Download .yaml"), N_("Folder: "), N_(" File name: "),
    N_("The file's name and folder come from the date and the title."), N_("The record is ready."),
    N_(", listed here and next to their fields."),
    N_("; each is shown next to its field once you have filled it in."),
    N_("Copied."), N_("Select the YAML and copy it."), N_("The form could not load (%(error)s). "),
)  # fmt: skip
FORM_PLURALS = (N2_("The record has %(num)s problem", "The record has %(num)s problems"),)


def type_names(words: Words) -> dict[str, str]:
    """Each incident type's name in the edition's language (Words.type_name)."""
    return {kind: words.type_name(kind) for kind in TYPE_DOCS}


def form_words(words: Words) -> dict:
    """The words of the form's script in the edition's language, with the incident types' names."""
    return script_words(words, FORM_MESSAGES, FORM_PLURALS) | {"types": type_names(words)}


def type_of(kind: Type) -> dict:
    """A value type as the script checks it: the same limits the validator applies."""
    if isinstance(kind, ListOf):
        return {"kind": "list", "item": type_of(kind.item), "min": kind.min_items, "unique": kind.unique}
    if isinstance(kind, Record):
        return {
            "kind": "record",
            "name": kind.name,
            "article": kind.article,
            "fields": [field_of(f) for f in _kept(kind.fields)],
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


def _kept(fields) -> list:
    return [field for field in fields if field.name not in LEFT_OUT]


def translations_of(field, languages) -> list[dict]:
    """The fields of a translatable field's text in each language but the records' own, in the
    order `fmt` writes them (schema.Record.order: by language code)."""
    found = []
    for code in sorted(languages[1:]):
        language = Locale.parse(code)
        found.append(
            field_of(field)
            | {
                "name": f"{field.name}_{code}",
                "required": False,
                "translates": field.name,
                "language": code,
                "dir": language.text_direction,
            }
        )
    return found


def incident_type(languages, words: Words) -> dict:
    """The incident's record as the form builds it: its fields, each translation after its
    field, labelled in the edition's language."""
    incident = type_of(INCIDENT)
    fields = []
    for field, described in zip(_kept(INCIDENT.fields), incident["fields"], strict=True):
        fields.append(described)
        if field.translatable:
            fields += translations_of(field, languages)
    incident["fields"] = [_labelled(field, words) for field in fields]
    return incident


def _labelled(field: dict, words: Words) -> dict:
    """A field's label (and its parts', for a list of records) in the edition's language; a
    translation's says which language, in the edition's words ("Title in Arabic")."""
    label = words._(field["label"])
    if "language" in field:
        language = Locale.parse(field["language"]).get_display_name(words.locale)
        label = words._("%(field)s in %(language)s", field=label, language=language)
    kind = field["type"].get("item", field["type"])
    if kind.get("kind") == "record":  # a list's: its button and its items' legend too
        kind["fields"] = [_labelled(sub, words) for sub in kind["fields"]]
        add = "Add " + kind["article"]  # extract_labels lists these
        kind["add"] = words._(add)
        kind["legend"] = words._(kind["name"].capitalize())
    return field | {"label": label}


def extract_labels(fileobj, keywords, comment_tags, options):
    """`make messages` (generator/locale/babel.cfg): every field's label, for the catalogue."""
    labels, records = set(), [INCIDENT]
    while records:
        record = records.pop()
        for field in record.fields:
            labels.add(field.label)
            kind = getattr(field.type, "item", field.type)
            if isinstance(kind, Record):
                records.append(kind)
                labels |= {f"Add {kind.article}", kind.name.capitalize()}
    for label in sorted(labels):
        yield 1, "_", label, ["a field's label, or a button or heading of a list, in the form at /new/"]


def description(
    dataset: Dataset,
    forge: Forge | None,
    incidents: str = "incidents",
    languages=(ROOT_LANGUAGE,),
    words: Words | None = None,
) -> dict:
    """What the form's script builds it from; `languages`: the site's, the records' own first."""
    words = words or Words()
    others = sorted(languages[1:])
    towns = [
        [town.id, town.name, _names(town, others), list(town.aliases), town.province]
        for town in dataset.towns.values()
    ]
    groups = [
        [
            group.id,
            group.name,
            _names(group, others),
            [*([group.short] if group.short else []), *group.aliases],
        ]
        for group in dataset.groups.values()
    ]
    return {
        "incident": incident_type(languages, words),
        "doc_language": ROOT_LANGUAGE,
        "types": TYPE_DOCS,
        "towns": towns,
        "groups": groups,
        "civilians": CIVILIANS,
        "id_max": MAX_ID,
        "incidents": forge.incidents if forge else incidents,
        "forge": {"name": forge.name, **forge.patterns()} if forge else None,
        "url_limit": URL_LIMIT,
    }


def _names(record, languages) -> list[list[str]]:
    """A town's or group's names in the other languages: [code, direction, name] each."""
    return [
        [code, Locale.parse(code).text_direction, name]
        for code in languages
        if (name := record.translated("name", code))
    ]


def description_json(dataset: Dataset, forge: Forge | None, languages=(ROOT_LANGUAGE,), words=None) -> str:
    found = description(dataset, forge, languages=languages, words=words)
    return json.dumps(found, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def template_text(incidents: str = "incidents", languages: tuple[str, ...] = (ROOT_LANGUAGE,)) -> str:
    """The commented YAML template the page shows without JavaScript: every field in the
    documented order, the optional ones commented out, each under its description, and the
    translations into the site's other languages after the fields they translate."""
    lines = [
        f"# {incidents}/YEAR/ID.yaml: ID is the date as written in `date`, then a few words",
        "# in lowercase letters, digits and hyphens (2015-08-08-is-captures-umm-housh).",
    ]
    for field in _kept(INCIDENT.fields):
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
        lines += translation_lines(field, languages)
    return "\n".join(lines) + "\n"
