"""One case file per mistake under cases/invalid/, each naming the line it must be reported on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import BASE, CASES, TODAY

INVALID = sorted((CASES / "invalid").glob("*.yaml"))


def expectation(case: Path) -> tuple[int, int, str, str]:
    text = case.read_text(encoding="utf-8")
    line, col, message = re.match(r"# expect: (\d+):(\d+) (.+)", text).groups()
    file = re.search(r"^# file: (\S+)", text, re.M)
    return int(line), int(col), message, file[1] if file else "2015/2015-08-24-case.yaml"


def test_the_base_record_is_valid(records):
    records.incident()
    result = records.validate()
    assert result.problems == []
    assert [i.id for i in result.dataset.incidents] == ["2015-08-24-case"]


@pytest.mark.parametrize("case", INVALID, ids=[c.stem for c in INVALID])
def test_each_mistake_is_reported_at_its_line(records, case):
    line, col, message, name = expectation(case)
    path = records.incident(case.read_bytes(), name=name)
    problems = records.validate().errors
    assert problems, f"{case.name}: no error reported"
    first = problems[0]
    assert (first.path, first.line, first.col) == (str(path), line, col), first
    assert first.message.startswith(message)
    assert first.hint, "every error says how to fix it"


def test_corpus_covers_enough_mistakes():
    assert len(INVALID) >= 40


def test_every_problem_of_every_file_in_one_run(records):
    for index, case in enumerate(INVALID[:10]):
        records.incident(case.read_bytes(), name=f"2015/2015-08-24-case-{index}.yaml")
    records.incident(name="2015/2015-08-24-good.yaml")
    result = records.validate()
    assert {p.path for p in result.errors} >= {
        str(records.root / f"2015/2015-08-24-case-{i}.yaml") for i in range(5)
    }
    assert [i.id for i in result.dataset.incidents if i.id == "2015-08-24-good"], "a bad file hid a good one"


def test_problems_are_sorted_by_file_and_line(records):
    records.incident(BASE.replace("type: battle", "type: batle").replace("killed: 37", "killed: 037"))
    records.incident(BASE.replace("type: battle", "type: x"), name="2015/2015-08-24-a.yaml")
    problems = records.validate().problems
    assert problems == sorted(problems, key=lambda p: (p.path, p.line, p.col))
    assert len(problems) == 3


def test_month_and_year_precision_are_valid(records):
    records.incident(BASE.replace("date: 2015-08-24", "date: 2015-08"), name="2015/2015-08-umm-housh.yaml")
    records.incident(
        BASE.replace("date: 2015-08-24", "date: '2015'")
        .replace("umm-housh]", "marea]")
        .replace("  town: umm-housh\n", "  town: marea\n"),
        name="2015/2015-battle.yaml",
    )
    result = records.validate()
    assert result.problems == []
    assert [(i.date.precision, i.date.long_label) for i in result.dataset.incidents] == [
        ("year", "2015, month unknown"),
        ("month", "August 2015, day unknown"),
    ]


def test_possible_duplicate_is_a_warning_not_an_error(records):
    records.incident()
    records.incident(name="2015/2015-08-24-same-thing.yaml")
    result = records.validate()
    assert result.errors == []
    [warning] = result.problems
    assert warning.severity == "warning" and "possible duplicate" in warning.message
    assert len(result.dataset.incidents) == 2


def test_redirect_that_collides_with_a_real_id(records):
    records.incident(BASE + "redirect_from: [2015-08-24-other]\n")
    records.incident(BASE.replace("umm-housh", "marea"), name="2015/2015-08-24-other.yaml")
    [error] = records.validate().errors
    assert "is the id of another incident" in error.message and error.line == 22


def test_file_name_and_folder_rules(records):
    records.incident(name="2016/2015-08-24-case.yaml")
    records.incident(name="2015/2015-08-24-Bad_Name.yaml")
    records.incident(name="2015/2015-08-24-case.yml")
    records.incident(name="loose.yaml")
    messages = sorted(p.message for p in records.validate().errors)
    assert messages == [
        "file name '2015-08-24-Bad_Name.yaml' is not a valid id",
        "incident files live in a folder named after their year",
        "record files end in '.yaml'",
        "the file is in folder '2016/' but the incident is dated 2015-08-24",
    ]


def test_registry_mistakes(records):
    records.write("towns.yaml", "aleppo:\n  name: Aleppo\n  lat: 136.2\n  lon: 37.1\n  provnce: Aleppo\n")
    records.write("groups.yaml", "is:\n  name: Islamic State\n  parent: is\nisis:\n  name: islamic state\n")
    problems = [(p.path.rsplit("/", 1)[-1], p.line, p.message) for p in records.validate().errors]
    assert problems == [
        ("groups.yaml", 3, "is.parent: a group cannot be its own parent"),
        ("groups.yaml", 5, "isis.name: 'islamic state' looks the same as a name of 'is'"),
        ("towns.yaml", 2, "aleppo: a town is missing the required field 'province'"),
        ("towns.yaml", 3, "aleppo.lat: 136.2 is out of range"),
        ("towns.yaml", 5, "aleppo: unknown field 'provnce' in a town"),
    ]


def test_missing_registry(records):
    (records.root / "groups.yaml").unlink()
    records.incident()
    messages = [p.message for p in records.validate().errors]
    assert messages == ["the groups registry is missing, so no incident's groups were checked"]


def test_checking_on_several_cores_gives_the_same_result(records, monkeypatch):
    from generator import validate

    for index, case in enumerate(INVALID[:12]):
        records.incident(case.read_bytes(), name=f"2015/2015-08-24-case-{index}.yaml")
    records.incident(name="2015/2015-08-24-good.yaml")
    alone = validate.validate_tree(records.root, today=TODAY)
    monkeypatch.setattr(validate, "PARALLEL_FROM", 2)
    shared = validate.validate_tree(records.root, today=TODAY, workers=2)
    assert shared.problems == alone.problems and shared.problems
    assert shared.dataset == alone.dataset
    report = validate.validate_all(records.root, today=TODAY, workers=2)  # the command line's
    assert report.problems == alone.problems
    assert report.counts == {"incidents": len(alone.dataset.incidents), "towns": 2, "groups": 3}


def test_a_check_begun_early_is_taken_once_by_the_next_validation_of_its_folder(records, monkeypatch):
    from generator import validate

    for index, case in enumerate(INVALID[:6]):
        records.incident(case.read_bytes(), name=f"2015/2015-08-24-case-{index}.yaml")
    good = records.incident(name="2015/2015-08-24-good.yaml")
    monkeypatch.setattr(validate, "PARALLEL_FROM", 2)
    expected = validate.validate_tree(records.root)

    validate.start_tree(records.root / "2015" / "..", workers=2)  # the same folder, spelt otherwise
    begun = validate.validate_tree(records.root)
    assert (begun.problems, begun.dataset) == (expected.problems, expected.dataset)
    assert begun.problems and begun.dataset.incidents

    good.unlink()  # the next validation checks the folder again
    assert len(validate.validate_tree(records.root).dataset.incidents) == len(expected.dataset.incidents) - 1


def mixed_folder(records) -> dict[str, Path]:
    """Files whose problems cross files: a possible duplicate, redirect collisions, an invalid
    record, a file in the wrong folder, and a bystander with a mistake of its own."""
    marea = BASE.replace("umm-housh", "marea")
    return {
        "case": records.incident(),
        "twin": records.incident(name="2015/2015-08-24-same-thing.yaml"),  # possible duplicate of case
        "claims-case": records.incident(  # redirects from case's id, and claims an old id first
            marea.replace("2015-08-24", "2015-08-20") + "redirect_from: [2015-08-24-case, 2015-01-01-old]\n",
            name="2015/2015-08-20-claims-case.yaml",
        ),
        "claims-again": records.incident(
            marea.replace("2015-08-24", "2015-08-21") + 'redirect_from: ["2015-01-01-\\x6fld"]\n',
            name="2015/2015-08-21-claims-again.yaml",  # the same old id, written with an escape
        ),
        "bad": records.incident(BASE.replace("type: battle", "type: batle"), name="2015/2015-08-24-bad.yaml"),
        "misplaced": records.incident(name="2016/2015-08-24-misplaced.yaml"),
        "bystander": records.incident(
            marea.replace("2015-08-24", "2014-05-02").replace("killed: 37", "killed: 037"),
            name="2014/2014-05-02-bystander.yaml",
        ),
    }


def test_a_changed_file_gets_what_the_whole_check_says_about_it(records):
    from generator.validate import validate_changed

    files = mixed_folder(records)
    whole = set(records.validate().problems)
    for name, path in files.items():
        changed = validate_changed(records.root, [path], today=TODAY)
        assert set(changed.problems) <= whole, name
        assert {p for p in whole if p.path == str(path)} <= set(changed.problems), name
        if name != "bystander":
            assert not [p for p in changed.problems if "037" in p.message], "another file's own mistake"
        assert changed.counts["changed incident(s)"] == 1 and changed.counts["incident files"] == 7
    about_case = validate_changed(records.root, [files["case"]], today=TODAY).problems
    assert {(Path(p.path).stem, p.message.split(" (")[0]) for p in about_case} == {
        ("2015-08-24-same-thing", "possible duplicate of '2015-08-24-case'"),
        ("2015-08-20-claims-case", "'2015-08-24-case' is the id of another incident"),
    }
    about_claim = validate_changed(records.root, [files["claims-case"]], today=TODAY).problems
    assert "'2015-01-01-old' already redirects to '2015-08-20-claims-case'" in {
        p.message for p in about_claim
    }
    every = validate_changed(records.root, list(files.values()), today=TODAY)
    assert every.problems == sorted(whole)


def test_a_changed_registry_checks_everything(records):
    from generator.validate import validate_changed

    files = mixed_folder(records)
    changed = validate_changed(records.root, [files["case"], records.root / "towns.yaml"], today=TODAY)
    assert changed.problems == records.validate().problems
    assert "incidents" in changed.counts


def test_changed_files_must_be_files_of_the_folder(records, tmp_path):
    from generator.validate import NotARecord, validate_changed

    records.incident()
    with pytest.raises(NotARecord, match="no such file"):
        validate_changed(records.root, [records.root / "2015" / "2015-08-24-gone.yaml"])
    outside = tmp_path.parent / "elsewhere.yaml"
    outside.write_text(BASE)
    with pytest.raises(NotARecord, match="not inside"):
        validate_changed(records.root, [outside])
    yml = records.incident(name="2015/2015-08-24-case.yml")
    [problem] = validate_changed(records.root, [yml], today=TODAY).problems
    assert problem.message == "record files end in '.yaml'"


def test_remembered_results_follow_edits_of_records_and_registries(records, monkeypatch):
    """A live preview validates again after each edit, reusing what it knows of unchanged files."""
    from generator import validate

    memory = validate.Memory()
    monkeypatch.setattr(
        records, "validate", lambda: validate.validate_tree(records.root, TODAY, memory=memory)
    )
    records.incident()
    records.incident(BASE.replace("umm-housh", "marea"), name="2015/2015-08-24-other.yaml")
    assert records.validate().problems == []
    records.incident(BASE.replace("type: battle", "type: batle"))
    assert [p.message for p in records.validate().errors] == [
        "type: 'batle' is not one of the allowed values"
    ]
    records.incident()
    towns = records.root / "towns.yaml"
    towns.write_text(towns.read_text(encoding="utf-8").replace("marea:", "marea-town:"), encoding="utf-8")
    errors = records.validate().errors
    assert errors and {Path(p.path).stem for p in errors} == {"2015-08-24-other"}
    assert "towns[1]: 'marea' is another name for 'marea-town'" in {p.message for p in errors}
    assert memory.checked and memory.found


def one_day_in_one_town(records, count: int) -> list[dict]:
    """`count` distinct incidents on one day in one town by one group, as real data has: each
    its own story (passages of the benchmark's prose), title and report."""
    import lzma

    corpus = Path(__file__).parent.parent / "benchmarks" / "corpus" / "kjv.txt.xz"
    verses = lzma.decompress(corpus.read_bytes()).decode("utf-8").splitlines()[1000 : 1000 + 3 * count]
    made = []
    for n in range(count):
        story = verses[3 * n : 3 * n + 3]
        record = {
            "title": " ".join(story[0].split()[:12]).rstrip(",;:.") + f" ({n})",
            "date": "2015-08-24",
            "type": "battle",
            "towns": ["marea"],
            "groups": ["islamic-state"],
            "summary": " ".join(story),
            "sources": [{"publisher": "Example News", "url": f"https://news.example/2015/08/24/story-{n}"}],
        }
        records.write(f"2015/2015-08-24-story-{n}.yaml", yaml.safe_dump(record, sort_keys=False))
        made.append(record)
    return made


def test_a_possible_duplicate_needs_more_than_a_date_town_and_group_and_says_why(records):
    """Distinct incidents on one day in one town are not warned about; a record copied with only
    its id changed always is, and so is one that cites the same report or reads the same."""
    made = one_day_in_one_town(records, 60)
    assert [p for p in records.validate().problems if "possible duplicate" in p.message] == []
    copies = {n: f"2015-08-24-story-{n}-again" for n in range(0, 60, 6)}  # id changed, nothing else
    for n, copy in copies.items():
        records.write(f"2015/{copy}.yaml", yaml.safe_dump(made[n], sort_keys=False))
    same_report = dict(
        made[1], title="A different title for the same report", summary="Other words entirely here."
    )
    records.write("2015/2015-08-24-same-report.yaml", yaml.safe_dump(same_report, sort_keys=False))
    retold = dict(made[2], title="Retold", sources=[{"publisher": "Other", "url": "https://other.example/a"}])
    records.write("2015/2015-08-24-retold.yaml", yaml.safe_dump(retold, sort_keys=False))
    warned = {
        Path(p.path).stem: p.message for p in records.validate().problems if "possible duplicate" in p.message
    }
    expected = {copy: f"2015-08-24-story-{n}" for n, copy in copies.items()}  # the later id names the earlier
    for stem, message in warned.items():
        assert stem in {*expected, "2015-08-24-story-1", "2015-08-24-story-2"}, (stem, message)
    for copy, original in expected.items():
        assert warned[copy].startswith(f"possible duplicate of '{original}' (same date, town and group; ")
        assert (
            f"the same source news.example/2015/08/24/{original.removeprefix('2015-08-24-')}" in warned[copy]
        )
        assert "the same title" in warned[copy] and "summaries 100% alike" in warned[copy]
    assert "possible duplicate of '2015-08-24-same-report'" in warned["2015-08-24-story-1"]
    assert "the same source news.example/2015/08/24/story-1" in warned["2015-08-24-story-1"]
    assert "possible duplicate of '2015-08-24-retold'" in warned["2015-08-24-story-2"]
    assert (
        "summaries 100% alike" in warned["2015-08-24-story-2"]
        and "source" not in warned["2015-08-24-story-2"]
    )
    assert len(warned) == len(copies) + 2


BAD_VALUES = [  # YAML that each type of value refuses in some way
    "[a, b]",
    "{a: b}",
    "yes",
    "''",
    "~",
    "012",
    "'12'",
    "1:30",
    "-3",
    "3.5",
    "dozens",
    "'two\\nlines'",
    "'bell\\a'",
    "Not An Id",
    "ftp://example.org",
    "2015-13",
    "2015-02-30",
    "'2015-08-24 10:00'",
    "'" + "x" * 20_001 + "'",
    "[x, x]",
    "[]",
    "136.5",
    "'" + "long " * 60 + "'",
]


def every_field(record, where=()):
    """(where, type) of every field of a record, into its lists and records."""
    from generator.schema import ListOf, Record

    for field in record.fields:
        position = (*where, field.name)
        yield position, field.type
        kind = field.type.item if isinstance(field.type, ListOf) else field.type
        if isinstance(kind, Record):
            yield from every_field(kind, (*position, 0) if isinstance(field.type, ListOf) else position)
        elif isinstance(field.type, ListOf):
            yield (*position, 0), kind


def test_every_message_of_every_type_names_its_field():
    """`title is 184 characters long; the limit is 160 characters`, not `text is 184 ...`: each
    type's every message starts with the name of the field it is about (list positions from 1)."""
    from generator.schema import GROUP, INCIDENT, TOWN, ListOf, Record
    from generator.types import Checker, field_name

    seen = set()
    for record, prefix in ((INCIDENT, ()), (TOWN, ("aleppo",)), (GROUP, ("islamic-state",))):
        for where, kind in every_field(record, prefix):
            for text in BAD_VALUES:
                node = yaml.compose(f"v: {text}").value[0][1]
                checker = Checker("case.yaml")
                kind.check(node, checker, where)
                for problem in checker.problems:
                    inner = problem.message
                    if isinstance(kind, (ListOf, Record)) and not inner.startswith(field_name(where)):
                        inner_where = [w for w, _ in every_field(record, prefix) if w[: len(where)] == where]
                        assert any(inner.startswith(field_name(w)) for w in inner_where), inner
                    else:
                        assert inner.startswith(field_name(where)), (where, text, inner)
                    seen.add(re.sub(r"'[^']*'|\d[\d,.]*", "…", inner.removeprefix(field_name(where))))
    assert field_name(("sources", 0, "url")) == "sources[1].url" and field_name(()) == "the record"
    assert len(seen) >= 20, sorted(seen)
