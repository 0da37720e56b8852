"""Translations in the records (issue 21): `<field>_<code>` on the translatable fields, defined
once in the schema and carried by the model, the validator, fmt, the reference and the export."""

from __future__ import annotations

import json

from conftest import BASE, TODAY

from generator import schema
from generator.cli import main
from generator.exports import export_files, read_json
from generator.fmt import format_text
from generator.reference import field_reference
from generator.validate import validate_all, validate_tree

AR_TITLE = "title_ar: تنظيم الدولة يسيطر على أم حوش\n"
AR_SUMMARY = "summary_ar: |\n  سيطر مقاتلو تنظيم الدولة على القرية بعد تفجير سيارات مفخخة.\n"


def check(records, text, languages=("en", "ar")):
    records.incident(text)
    return validate_tree(records.root, today=TODAY, languages=languages)


def test_a_translated_incident_reaches_the_model(records):
    result = check(records, BASE + AR_TITLE + AR_SUMMARY)
    assert [p.text() for p in result.problems] == []
    (incident,) = result.dataset.incidents
    assert incident.translated("title", "ar") == "تنظيم الدولة يسيطر على أم حوش"
    assert incident.translated("summary", "ar").startswith("سيطر")
    assert incident.translated("title", "ku") is None and incident.languages() == {"ar"}


def test_a_language_the_site_does_not_publish_is_refused(records):
    result = check(records, BASE + "title_fr: L'EI prend le village d'Umm Housh\n")
    (problem,) = result.errors
    assert "no edition in 'fr'" in problem.message and "languages" in problem.hint
    assert problem.line == BASE.count("\n") + 1


def test_the_records_own_language_is_refused_as_a_translation(records):
    (problem,) = check(records, BASE + "title_en: IS captures the village\n").errors
    assert "records' own language" in problem.message


def test_arabic_text_without_arabic_letters_is_a_warning(records):
    result = check(records, BASE + "title_ar: IS captures Umm Housh\n")
    assert not result.errors
    (warning,) = result.problems
    assert warning.severity == "warning" and "no Arabic letter" in warning.message


def test_a_translation_is_checked_as_its_field(records):
    (problem,) = check(records, BASE + "title_ar: قصير\n").errors  # a title has at least 5 characters
    assert "title_ar" not in problem.message or "5" in problem.message
    assert problem.line == BASE.count("\n") + 1


def test_only_translatable_fields_take_a_code(records):
    (problem,) = check(records, BASE + "type_ar: معركة\n").errors
    assert "unknown field 'type_ar'" in problem.message


def test_a_registry_name_in_an_unlisted_language_is_refused(records):
    towns = records.root / "towns.yaml"
    towns.write_text(
        towns.read_text("utf-8").replace("  name: Umm Housh\n", "  name: Umm Housh\n  name_ku: Um Hoş\n", 1),
        "utf-8",
    )
    result = check(records, BASE)
    assert any("no edition in 'ku'" in p.message and p.path.endswith("towns.yaml") for p in result.errors)


def test_fmt_puts_each_translation_after_its_field():
    text = AR_SUMMARY + BASE + AR_TITLE
    formatted = format_text(text)
    keys = [line.split(":")[0] for line in formatted.splitlines() if line and line[0].isalpha()]
    assert keys[:3] == ["title", "title_ar", "date"]
    assert keys.index("summary_ar") == keys.index("summary") + 1


def test_the_json_export_carries_translations_after_their_field(records):
    dataset = check(records, BASE + AR_TITLE).dataset
    text = export_files(dataset)["data/incidents.json"]
    record = json.loads(text)["incidents"][0]
    assert list(record)[1:4] == ["title", "title_ar", "date"]
    assert read_json(text) == dataset


def test_schema_reference_and_json_schema_name_the_translations():
    reference = field_reference()
    for name in ("title", "summary"):
        assert f"| `{name}_<code>` | *optional*" in reference
    assert "| `name_<code>` |" in reference and "| `description_<code>` |" in reference
    patterns = schema.json_schema("incident")["patternProperties"]
    assert set(patterns) == {"^title_[a-z]{2,3}$", "^summary_[a-z]{2,3}$"}


def test_validate_prints_coverage_per_language(records, capsys, tmp_path):
    records.incident(BASE + AR_TITLE)
    assert validate_all(records.root, languages=("en", "ar")).coverage["ar"]["titles"] == (1, 1)
    assert main(["validate", str(records.root), "--languages", "en,ar"]) == 0
    out = capsys.readouterr().out
    assert "translated into ar: titles 1/1, summaries 0/1" in out
    config = tmp_path / "site.yml"
    config.write_text("plugins:\n  - timeline:\n      languages: [en]\n", "utf-8")
    assert main(["validate", str(records.root), "--config", str(config)]) == 1  # ar is not listed
    assert "no edition in 'ar'" in capsys.readouterr().out


def test_new_lists_each_translation_commented_out_after_its_field():
    from generator.model import PartialDate
    from generator.new import render

    values = {
        "date": PartialDate(2015, 8, 24),
        "title": "A title here",
        "towns": ["umm-housh"],
        "groups": ["islamic-state"],
    }
    lines = render(values, ("en", "ar")).splitlines()
    assert lines[lines.index("title: A title here") + 1].startswith("# title_ar:")
    assert any(line.startswith("# summary_ar:") for line in lines)
    assert "title_ar" not in render(values, ("en",))
