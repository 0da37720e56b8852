"""Rules that look beyond one value: names, references, dates, sources.

Each rule is a small generator yielding ``(where, message, hint)``, where ``where`` is the
path of the value at fault inside the file (``("towns", 1)``); the validator turns it into
a line and column. Add a rule by writing a function and listing it in INCIDENT_RULES or
REGISTRY_RULES.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date as Date

from . import schema
from .model import CIVILIANS
from .problems import WARNING
from .types import field_name

ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class Context:
    """What the rules know besides the record in hand."""

    towns: dict[str, dict]
    groups: dict[str, dict]
    today: Date
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)  # registry -> folded name -> id
    unread: frozenset[str] = frozenset()  # registries that could not be read: nothing to check against
    # the site's languages, the first the records' own (mkdocs.yml's `languages:`); empty: any
    # code is taken (the command line without a configuration)
    languages: tuple[str, ...] = ()

    def __post_init__(self):
        for registry, entries in (("towns", self.towns), ("groups", self.groups)):
            index = self.aliases.setdefault(registry, {})
            for entry_id, entry in entries.items():
                for name in (entry.get("name"), entry.get("short"), *entry.get("aliases", ())):
                    if name:
                        index.setdefault(fold(name), entry_id)

    def canonical(self, registry: str, ref: str) -> str:
        """The id a reference means, looking through aliases; unknown references stay as written."""
        if ref in getattr(self, registry):
            return ref
        return self.aliases[registry].get(fold(ref), ref)


def fold(name: str) -> str:
    """A name as readers would type it: compatibility-normalised, case-folded, hyphens as spaces."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("-", " ")
    return " ".join(text.split())


def file_name(incident, known, stem: str, folder: str):
    if not ID.match(stem) or len(stem) > 100:
        suggestion = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:100]
        yield (), f"file name '{stem}.yaml' is not a valid id", f"rename it to '{suggestion}.yaml'"
        return
    written = incident.get("date")
    if written and not stem.startswith(written.iso + "-"):
        yield (
            ("date",),
            f"id '{stem}' does not start with the date {written.iso}",
            f"rename the file to '{written.iso}-{stem.split('-', 3)[-1]}.yaml' or correct the date",
        )
    if written and folder != f"{written.year:04d}":
        yield (
            ("date",),
            f"the file is in folder '{folder}/' but the incident is dated {written.iso}",
            f"move it to '{written.year:04d}/'",
        )


def dates(incident, known, stem, folder):
    start, end = incident.get("date"), incident.get("end_date")
    if start and start.sort_key > (known.today.year, known.today.month, known.today.day):
        yield ("date",), f"date {start.iso} is in the future", "check the year and month"
    if start and end:
        if end.sort_key < start.sort_key:
            yield ("end_date",), f"end_date {end.iso} is before date {start.iso}", "swap or correct them"
        elif end.sort_key == start.sort_key:
            yield ("end_date",), "end_date is the same day as date", "remove end_date"


def references(incident, known, stem, folder):
    for registry in ("towns", "groups"):
        for index, ref in enumerate(incident.get(registry, ())):
            yield from _reference(known, registry, ref, (registry, index))
    for index, report in enumerate(incident.get("casualties", ())):
        if report.get("group") not in (None, CIVILIANS):
            yield from _reference(known, "groups", report["group"], ("casualties", index, "group"))
    control = incident.get("control", {})
    for key, registry in (("town", "towns"), ("from", "groups"), ("to", "groups")):
        if key in control:
            yield from _reference(known, registry, control[key], ("control", key))


def _reference(known, registry, ref, where):
    entries = getattr(known, registry)
    if ref in entries or registry in known.unread:  # an unread registry is reported once, not per use
        return
    meant = known.aliases[registry].get(fold(ref))
    if meant:
        yield where, f"{field_name(where)}: '{ref}' is another name for '{meant}'", f"write the id '{meant}'"
    else:
        yield (
            where,
            f"{field_name(where)}: '{ref}' is not in {registry}.yaml",
            f"add it to {registry}.yaml, or fix the spelling",
        )


def involved(incident, known, stem, folder):
    """A control change or casualty report names a town or group the incident does not list."""
    towns = {known.canonical("towns", t) for t in incident.get("towns", ())}
    groups = {known.canonical("groups", g) for g in incident.get("groups", ())}
    control = incident.get("control", {})
    checks = [(("control", "town"), control.get("town"), "towns", towns)]
    checks += [(("control", key), control.get(key), "groups", groups) for key in ("from", "to")]
    checks += [
        (("casualties", index, "group"), report.get("group"), "groups", groups)
        for index, report in enumerate(incident.get("casualties", ()))
    ]
    for where, ref, registry, listed in checks:
        if ref and ref != CIVILIANS and ref in getattr(known, registry) and listed and ref not in listed:
            yield (
                where,
                f"{field_name(where)}: '{ref}' is not among the incident's {registry}",
                f"add it to {registry}",
            )
    if control.get("from") and control.get("from") == control.get("to"):
        yield (
            ("control", "to"),
            "control.to: a town cannot change hands to the group that held it",
            "correct 'from' or 'to'",
        )


def casualty_figures(incident, known, stem, folder):
    publishers = {source.get("publisher") for source in incident.get("sources", ())}
    for index, report in enumerate(incident.get("casualties", ())):
        named = report.get("according_to")
        if named and publishers and named not in publishers:
            yield (
                ("casualties", index, "according_to"),
                f"casualties[{index + 1}].according_to: '{named}' is not the publisher of any source",
                "use one of: " + ", ".join(sorted(p for p in publishers if p)),
            )


def redirects(incident, known, stem, folder):
    for index, old in enumerate(incident.get("redirect_from", ())):
        if old == stem:
            yield (
                ("redirect_from", index),
                f"redirect_from[{index + 1}]: an incident cannot redirect from its own id",
                "remove this entry",
            )


# Letters of the scripts a language is written in, for the languages whose script is certain;
# text in another language's field with none of them is most likely untranslated (a warning).
SCRIPTS = {
    "ar": ("Arabic", re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f]")),
    "fa": ("Arabic", re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]")),
    "ckb": ("Arabic", re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]")),
}


def _translations(values: dict, known, where: tuple, record):
    """Each `<field>_<code>` key: a language the site publishes, and text in its script."""
    for key, text in values.items():
        if key in record.by_name or not isinstance(text, str) or not record.field_of(key):
            continue
        field, code = key.rsplit("_", 1)
        name = field_name((*where, key))
        if known.languages and code == known.languages[0]:
            yield (
                (*where, key),
                f"{name}: {code} is the records' own language",
                f"write the text in '{field}' and remove '{key}'",
            )
        elif known.languages and code not in known.languages:
            listed = ", ".join(known.languages[1:]) or "none"
            yield (
                (*where, key),
                f"{name}: the site has no edition in '{code}' (its other languages: {listed})",
                f"correct the code, or add '{code}' to the timeline plugin's `languages` in mkdocs.yml",
            )
        elif code in SCRIPTS and not SCRIPTS[code][1].search(text):
            script = SCRIPTS[code][0]
            yield (
                (*where, key),
                f"{name} has no {script} letter: is it translated?",
                f"write the {code} text in {script} script, or remove '{key}'",
                WARNING,
            )


def translations(incident, known, stem, folder):
    yield from _translations(incident, known, (), schema.INCIDENT)


def town_translations(registry, known):
    for entry_id, entry in registry.items():
        yield from _translations(entry, known, (entry_id,), schema.TOWN)


def group_translations(registry, known):
    for entry_id, entry in registry.items():
        yield from _translations(entry, known, (entry_id,), schema.GROUP)


INCIDENT_RULES = (file_name, dates, references, involved, casualty_figures, redirects, translations)


def group_parents(registry, known):
    for group_id, group in registry.items():
        parent = group.get("parent")
        if parent == group_id:
            yield (
                (group_id, "parent"),
                f"{group_id}.parent: a group cannot be its own parent",
                "remove parent",
            )
        elif parent and parent not in known.groups:
            yield from _reference(known, "groups", parent, (group_id, "parent"))


def look_alike_names(registry, known):
    """Two entries readers could not tell apart: same name once normalised and case-folded."""
    seen: dict[str, str] = {}
    for entry_id, entry in registry.items():
        for key in ("name", "aliases"):
            values = entry.get(key, ())
            for index, name in enumerate([values] if isinstance(values, str) else values):
                where = (entry_id, key) if key == "name" else (entry_id, key, index)
                other = seen.setdefault(fold(name), entry_id)
                if other != entry_id:
                    yield (
                        where,
                        f"{field_name(where)}: '{name}' looks the same as a name of '{other}'",
                        "make the names distinct, or merge the two entries",
                    )


REGISTRY_RULES = {
    "towns": (look_alike_names, town_translations),
    "groups": (group_parents, look_alike_names, group_translations),
}
