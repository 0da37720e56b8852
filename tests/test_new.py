"""`python -m generator new`: the file it writes, its questions on stdin, its refusals."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

from generator.new import slugify
from generator.schema import INCIDENT, SOURCE
from generator.validate import check_file

DONE = [
    "--summary",
    "Islamic State fighters took the village of Umm Housh after two car bombs.",
    "--source-url",
    "https://www.syriahr.com/en/",
    "--publisher",
    "Syrian Observatory for Human Rights",
]


def new(records, *args, answers: str | None = None):
    command = [sys.executable, "-m", "generator", "new", "--incidents", str(records.root), *args]
    if answers is None:
        command.append("--no-input")
    return subprocess.run(command, cwd=ROOT, input=answers or "", capture_output=True, text=True, timeout=60)


def options(
    date="2015-08-24",
    title="IS captures Umm Housh",
    type_="battle",
    towns=("umm-housh",),
    groups=("islamic-state",),
):
    args = ["--date", date, "--title", title, "--type", type_]
    args += [arg for town in towns for arg in ("--town", town)]
    return args + [arg for group in groups for arg in ("--group", group)]


def read(path):
    return check_file(path, "incident")[0].values


def errors(records):
    return [p for p in records.validate().problems if p.is_error]


def test_all_options_give_a_valid_correctly_named_file(records):
    done = new(records, *options(), *DONE)
    assert done.returncode == 0, done.stderr
    path = records.root / "2015" / "2015-08-24-is-captures-umm-housh.yaml"
    assert done.stdout.strip() == str(path)
    assert errors(records) == []
    text = path.read_text(encoding="utf-8")
    assert 'date: "2015-08-24"' in text and "towns:\n  - umm-housh\n" in text
    assert "summary: |\n  Islamic State fighters took" in text


def test_fields_in_documented_order_with_optional_ones_commented_out(records):
    assert new(records, *options(), *DONE).returncode == 0
    text = (records.root / "2015" / "2015-08-24-is-captures-umm-housh.yaml").read_text()
    written = re.findall(r"^([a-z_]+):", text, re.M)
    commented = re.findall(r"^# ([a-z_]+):", text, re.M)
    order = [f.name for f in INCIDENT.fields]
    assert written == [f.name for f in INCIDENT.fields if f.required]
    translations = [f"{f.name}_ar" for f in INCIDENT.fields if f.translatable]  # mkdocs.yml's [en, ar]
    assert commented == [
        name
        for f in INCIDENT.fields
        for name in [f.name] * (not f.required) + [f"{f.name}_ar"] * f.translatable
    ]
    commented = [name for name in commented if name not in translations]
    assert sorted(written + commented, key=order.index) == order
    lines = text.splitlines()
    for field in INCIDENT.fields:  # each field's doc once, just above it
        assert text.count(field.doc) == 1, field.name
        at = lines.index(f"# {field.doc}")
        assert re.match(rf"^(# )?{field.name}:", lines[at + 1])
    for field in SOURCE.fields:
        assert text.count(field.doc) == 1 or field.required, field.name


def test_names_and_aliases_become_ids(records):
    done = new(records, *options(towns=("Umm Hosh",), groups=("Daesh", "syrian OPPOSITION", "IS")), *DONE)
    assert done.returncode == 0, done.stderr
    written = read(records.root / "2015" / "2015-08-24-is-captures-umm-housh.yaml")
    assert (written["towns"], written["groups"]) == (["umm-housh"], ["islamic-state", "syrian-opposition"])
    assert "groups: islamic-state, syrian-opposition" in done.stderr


def test_placeholders_are_marked_and_rejected_until_replaced(records):
    done = new(records, *options())
    assert done.returncode == 0, done.stderr
    assert "fill in the TODOs" in done.stderr
    path = records.root / "2015" / "2015-08-24-is-captures-umm-housh.yaml"
    text = path.read_text()
    assert text.count("TODO") == 3
    found = errors(records)
    lines = text.splitlines()
    assert {lines[p.line - 1].strip().split(":")[0] for p in found} == {"summary", "- publisher", "url"}
    text = text.replace("  TODO\n", "  Islamic State fighters took the village after two car bombs.\n")
    text = text.replace("publisher:  # TODO", "publisher: SOHR  # TODO").replace(
        "url:  # TODO", "url: https://www.syriahr.com/en/  # TODO"
    )
    path.write_text(text)
    assert errors(records) == []


def test_new_files_are_already_formatted(records):
    assert new(records, *options()).returncode == 0
    assert (
        new(records, *options(date="2015-08", title="Shelling of Marea", towns=("marea",)), *DONE).returncode
        == 0
    )
    check = subprocess.run(
        [sys.executable, "-m", "generator", "fmt", "--check", str(records.root)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stdout
    assert "0 of 2 file(s) would be reformatted" in check.stdout


def test_refuses_to_overwrite(records):
    assert new(records, *options(), *DONE).returncode == 0
    path = records.root / "2015" / "2015-08-24-is-captures-umm-housh.yaml"
    before = path.read_bytes()
    again = new(records, *options())
    assert again.returncode == 1
    assert f"{path}: error: already exists" in again.stderr
    assert path.read_bytes() == before


def test_no_input_names_the_missing_options(records):
    done = new(records, "--title", "IS captures Umm Housh")
    assert done.returncode == 2
    assert "missing --date, --type, --town, --group" in done.stderr
    assert not (records.root / "2015").exists()


def test_wrong_options_exit_2_with_the_reason(records):
    cases = {
        ("--town", "Mrea"): "'Mrea' is not in towns.yaml; did you mean 'marea'?",
        ("--type", "batle"): "did you mean 'battle'?",
        ("--date", "2015-02-30"): "is not a day of the calendar",
        ("--date", "2999-01-01"): "is in the future",
        ("--slug", "Bad Slug"): "--slug 'Bad Slug'",
        ("--source-url", "ftp://example.org"): "is not a web address",
    }
    for (option, value), message in cases.items():
        args = options()
        if option in args:
            args[args.index(option) + 1] = value
        else:
            args += [option, value]
        done = new(records, *args)
        assert done.returncode == 2 and message in done.stderr, (option, done.stderr)
        assert "Traceback" not in done.stderr
    assert not (records.root / "2015").exists()


def test_interactive_answers_are_checked_and_asked_again(records):
    answers = "2015-13-01\n2015-08-24\nIS captures Umm Housh\nbatle\nbattle\nMrea\nUmm Hosh, marea\nDaesh\n"
    done = new(records, *DONE, answers=answers)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("Date (YYYY-MM-DD") == 2
    assert "'2015-13-01' has no month 13" in done.stderr
    assert done.stderr.count("Type (") == 2 and "did you mean 'battle'?" in done.stderr
    assert "'Mrea' is not in towns.yaml; did you mean 'marea'?" in done.stderr
    written = read(records.root / "2015" / "2015-08-24-is-captures-umm-housh.yaml")
    assert (written["towns"], written["groups"]) == (["umm-housh", "marea"], ["islamic-state"])
    assert errors(records) == []


def test_only_missing_answers_are_asked(records):
    done = new(
        records,
        "--date",
        "2015-08-24",
        "--type",
        "battle",
        "--group",
        "IS",
        answers="IS takes Marea\nmarea\n",
    )
    assert done.returncode == 0, done.stderr
    assert "Date (" not in done.stderr and "Groups (" not in done.stderr
    assert (records.root / "2015" / "2015-08-24-is-takes-marea.yaml").is_file()


def test_stdin_closed_before_every_answer_exits_2(records):
    done = new(records, answers="2015-08-24\n")
    assert done.returncode == 2
    assert "no answer for --title" in done.stderr
    assert not (records.root / "2015").exists()


def test_slug_from_the_title():
    assert slugify("IS captures Umm Housh", 89) == "is-captures-umm-housh"
    assert slugify("L'Orient: Marea's «siege» — day 2", 89) == "lorient-mareas-siege-day-2"
    assert slugify("Séance à Dāriyā", 89) == "seance-a-dariya"
    assert slugify("تنظيم الدولة", 89) == ""
    long = slugify("word " * 60, 89)
    assert len(long) <= 89 and long.endswith("word") and not long.endswith("-")


def test_long_title_gives_an_id_of_at_most_100_characters(records):
    title = "IS fighters attack " + "and shell " * 14 + "the villages north of Marea"
    done = new(records, *options(title=title[:160]), *DONE)
    assert done.returncode == 0, done.stderr
    (path,) = (records.root / "2015").iterdir()
    assert len(path.stem) <= 100
    assert errors(records) == []


def test_a_title_without_latin_letters_needs_a_slug(records):
    done = new(records, *options(title="تنظيم الدولة يسيطر على قرية أم حوش"), *DONE)
    assert done.returncode == 2 and "give --slug" in done.stderr
    done = new(
        records, *options(title="تنظيم الدولة يسيطر على قرية أم حوش"), "--slug", "is-takes-umm-housh", *DONE
    )
    assert done.returncode == 0, done.stderr
    assert errors(records) == []


def test_new_never_writes_through_a_linked_year_folder(records, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (records.root / "2015").symlink_to(elsewhere, target_is_directory=True)
    done = new(records, *options(), *DONE)
    assert done.returncode == 1
    assert "the year folder is a symbolic link" in done.stderr
    assert list(elsewhere.iterdir()) == []
