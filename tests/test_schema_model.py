"""One definition per fact: the model is built from the schema's fields, so a field added to
the schema reaches the model, or the test below names it (issue 19)."""

from __future__ import annotations

from dataclasses import fields

import pytest
from conftest import BASE

from generator import schema
from generator.schema import MODELLED, ListOf, Record, incident_from
from generator.types import Checker

# What a model has that its record's fields do not give: said here, on purpose.
NOT_FROM_FIELDS = {
    "Incident": {"id", "translations"},
    "Town": {"id", "translations"},
    "Group": {"id", "translations"},
}


def records_in(record: Record):
    yield record
    for field in record.fields:
        kind = field.type.item if isinstance(field.type, ListOf) else field.type
        if isinstance(kind, Record):
            yield from records_in(kind)


def test_every_record_with_fields_of_its_own_has_a_model():
    nested = {r.name for top in (schema.INCIDENT, schema.TOWN, schema.GROUP) for r in records_in(top)}
    assert nested == {r.name for r in MODELLED}
    assert all(r.model is not None for r in MODELLED)


@pytest.mark.parametrize("record", MODELLED, ids=lambda r: r.name)
def test_every_schema_field_reaches_the_model_and_back(record):
    attributes = {f.name for f in fields(record.model)}
    from_fields = {f.model_name for f in record.fields}
    assert from_fields - attributes == set(), f"schema fields missing from {record.model.__name__}"
    extra = attributes - from_fields - NOT_FROM_FIELDS.get(record.model.__name__, set())
    assert extra == set(), f"{record.model.__name__} attributes that no schema field gives"


def test_a_full_record_becomes_an_incident_with_every_value():
    import yaml

    text = BASE + 'end_date: "2015-08-25"\nredirect_from: [old-id]\n'
    cx = Checker("case.yaml")
    values = schema.check_node("incident", yaml.compose(text), cx)
    assert not cx.problems
    incident = incident_from("2015-08-24-case", values)
    assert incident.id == "2015-08-24-case" and incident.end_date.iso == "2015-08-25"
    assert incident.tags == ("car-bomb",) and incident.redirect_from == ("old-id",)
    assert incident.sources and all(type(s).__name__ == "Source" for s in incident.sources)
    assert all(type(r).__name__ == "CasualtyReport" for r in incident.casualties)
    assert isinstance(incident.towns, tuple)
    assert (incident.control.from_group, incident.control.to_group) == ("syrian-opposition", "islamic-state")
