"""Whatever is not documented fails a test, as in datasette's test_docs.py: every field and incident
type in the reference, every command and make target in the docs, every example in the contributor
guide valid, every validator message it explains one the validator can give."""

from __future__ import annotations

import ast
import re
import shutil

import markdown
import pytest
import yaml
from conftest import ROOT

from generator import cli, schema
from generator.reference import field_reference, record_table
from generator.schema import Field, ListOf, Record, Registry
from generator.types import Text

DOCS = ROOT / "docs"
CONTRIBUTING = (DOCS / "contributing.md").read_text(encoding="utf-8")
REFERENCE = field_reference()
REAL = ROOT / "incidents"


def all_records() -> list[Record]:
    """Every Record reachable from the record files, each once, in schema order."""
    found: list[Record] = []

    def visit(kind):
        if isinstance(kind, Registry):
            visit(kind.entry)
        elif isinstance(kind, ListOf):
            visit(kind.item)
        elif isinstance(kind, Record) and kind not in found:
            found.append(kind)
            for field in kind.fields:
                visit(field.type)

    for kind in schema.FILES.values():
        visit(kind)
    return found


RECORDS = all_records()
FIELDS = [(record, field) for record in RECORDS for field in record.fields]


def docs_text() -> str:
    pages = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages) + REFERENCE


def test_the_schema_has_nested_records():
    assert {r.name for r in RECORDS} >= {"incident", "source", "casualty report", "control change"}
    assert {r.name for r in RECORDS} >= {"town", "group"}


@pytest.mark.parametrize("record, field", FIELDS, ids=[f"{r.name}.{f.name}" for r, f in FIELDS])
def test_every_field_is_in_the_reference(record, field):
    rows = [line for line in REFERENCE.splitlines() if line.startswith(f"| `{field.name}` |")]
    assert rows, f"{record.name}.{field.name} is missing from the field reference"
    expected = "**required**" if field.required else "*optional*"
    assert any(field.doc in row and expected in row for row in rows)
    assert "\n".join(record_table(record)) in REFERENCE, f"no table for the {record.name}"


@pytest.mark.parametrize("name", schema.INCIDENT_TYPES)
def test_every_incident_type_is_in_the_reference(name):
    assert f"- `{name}`" in REFERENCE


def test_reference_is_deterministic_with_a_row_per_field():
    assert field_reference() == REFERENCE
    rows = [line for line in REFERENCE.splitlines() if line.startswith("| `")]
    assert len(rows) == len(FIELDS) + sum(field.translatable for _, field in FIELDS)
    for kind in schema.FILES:
        assert f"schema/{kind}.schema.json" in REFERENCE
    assert "yaml-language-server: $schema=" in REFERENCE and '"yaml.schemas"' in REFERENCE
    assert "https://example.org/s/incident.schema.json" in field_reference("https://example.org/s")


def test_pipes_in_cells_are_escaped():
    record = Record("thing", (Field("name", Text(), "either a | b, or `a|b` in code"),))
    table = "\n".join(record_table(record))
    assert "a \\| b" in table and "`a|b`" in table
    html = markdown.markdown(table, extensions=["tables"])
    assert html.count("<td>") == 4 and "<code>a|b</code>" in html


def test_every_command_is_documented():
    parser = cli.parser()
    (commands,) = [a for a in parser._actions if a.dest == "command"]
    text = docs_text()
    missing = [name for name in commands.choices if f"python -m generator {name}" not in text]
    assert not missing, f"subcommands not in README.md or docs/: {missing}"


def test_every_make_target_is_documented():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z-]+):.*## ", makefile, re.M)
    assert "validate" in targets
    text = docs_text()
    missing = [target for target in targets if f"make {target}" not in text]
    assert not missing, f"make targets not in README.md or docs/: {missing}"


# The contributor guide's YAML examples, each checked by the validator against the real registries.

EXAMPLES = re.findall(r"^```yaml\n(.*?)^```", CONTRIBUTING, re.M | re.S)
INCIDENT_FIELDS = {field.name for field in schema.INCIDENT.fields}
BASE_INCIDENT = REAL / "2015" / "2015-08-08-is-captures-umm-housh.yaml"


def with_field(text: str, fragment: str) -> str:
    """An incident's text with the fields of a fragment replacing its own."""
    for key in yaml.safe_load(fragment):
        text = re.sub(rf"^{re.escape(key)}:.*?(?=^\S|\Z)", "", text, flags=re.M | re.S)
    return text.rstrip("\n") + "\n" + fragment


@pytest.fixture
def real_records(records):
    for name in ("towns.yaml", "groups.yaml"):
        shutil.copy(REAL / name, records.root / name)
    return records


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
def test_contributing_examples_are_valid(real_records, example):
    data = yaml.safe_load(example)
    assert isinstance(data, dict)
    if {"title", "sources"} <= data.keys():  # a whole incident
        named = re.match(r"# incidents/(\d{4}/[a-z0-9-]+\.yaml)\n", example)
        date = str(data["date"])
        name = named[1] if named else f"{date[:4]}/{date}-example.yaml"
        real_records.write(name, example)
    elif len(data) == 1 and isinstance(next(iter(data.values())), dict):  # a registry entry
        kind = "towns" if "lat" in next(iter(data.values())) else "groups"
        assert next(iter(data)) not in yaml.safe_load((REAL / f"{kind}.yaml").read_text(encoding="utf-8"))
        path = real_records.root / f"{kind}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "\n" + example, encoding="utf-8")
    else:  # some fields of an incident
        unknown = {key for key in data if schema.INCIDENT.field_of(key) is None}
        assert not unknown, f"unknown fields: {unknown}"
        text = with_field(BASE_INCIDENT.read_text(encoding="utf-8"), example)
        real_records.write(f"2015/{BASE_INCIDENT.name}", text)
    result = real_records.validate()
    assert [p.text() for p in result.problems] == []


def test_contributing_has_a_whole_incident_and_registry_examples():
    kinds = [yaml.safe_load(example) for example in EXAMPLES]
    assert any({"title", "sources"} <= data.keys() for data in kinds)
    assert any("lat" in value for data in kinds for value in data.values() if isinstance(value, dict))


# Every message the guide explains must be one the validator can give.


def message_patterns() -> list[re.Pattern]:
    """Each string literal of the generator as a pattern, an f-string's values matching any text."""
    patterns = []
    for path in sorted((ROOT / "generator").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                fixed = [v.value for v in node.values if isinstance(v, ast.Constant)]
                if len("".join(fixed).strip()) < 5:
                    continue  # mostly values, like f"{a}; {b}": would match anything
                parts = [re.escape(v.value) if isinstance(v, ast.Constant) else ".*" for v in node.values]
                patterns.append(re.compile("".join(parts), re.S))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                patterns.append(re.compile(re.escape(node.value)))
    return patterns


PATTERNS = message_patterns()


def documented_messages() -> list[str]:
    section = CONTRIBUTING.split("## What the validator's messages mean", 1)[1]
    return re.findall(r"^\| `(.+?)` \|", section, re.M)


def test_the_guide_explains_the_common_messages():
    messages = documented_messages()
    assert len(messages) >= 25
    for expected in ("is read by YAML as the boolean", "octal", "base-60", "tab character", "unknown field"):
        assert any(expected in message for message in messages), expected
    assert any(message.startswith("possible duplicate") for message in messages)


@pytest.mark.parametrize("message", documented_messages())
def test_documented_messages_are_real(message):
    assert any(p.fullmatch(message) for p in PATTERNS), f"the validator never says: {message}"


def test_every_csv_column_is_documented_on_the_data_page(sample_site):
    """docs/data.md's table of columns is made from generator/columns.py, where each column is
    declared once with its doc: the built page lists every column the CSV has, in its order."""
    from generator.columns import MARKER, NAMES

    assert MARKER in (DOCS / "data.md").read_text(encoding="utf-8")
    page = (sample_site / "data" / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r"<tr>\s*<td><code>([a-z0-9_]+)</code></td>", page)
    header = (sample_site / "data" / "incidents.csv").read_text(encoding="utf-8").splitlines()[0]
    assert listed == NAMES == header.split(",")
    assert MARKER not in page


def test_every_plugin_option_is_documented():
    """As datasette's test_settings_are_documented: each option of the timeline plugin has its
    row in docs/preview.md's table of settings."""
    from generator.plugin import TimelineConfig

    preview = (DOCS / "preview.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", preview, re.MULTILINE))
    assert {name for name, _ in TimelineConfig._schema} <= documented


def problem_messages() -> list[tuple[str, int, re.Pattern]]:
    """Every message a check can give, as a pattern, with where it is written: the message of
    each `cx.error(node, message, ...)`, `checked.problem(where, message, ...)`,
    `Problem(path, line, col, message, ...)`, and each rule's `yield where, message, hint`."""
    found = []
    for path in sorted((ROOT / "generator").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        named = {
            t.id: n.value
            for n in tree.body
            if isinstance(n, ast.Assign)
            for t in n.targets
            if isinstance(t, ast.Name)
        }
        for node in ast.walk(tree):
            message = None
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in ("error", "problem") and len(node.args) >= 2:
                    message = node.args[1]
                elif name == "Problem" and len(node.args) >= 4:
                    message = node.args[3]
            elif (
                path.name == "rules.py" and isinstance(node, ast.Yield) and isinstance(node.value, ast.Tuple)
            ):
                message = node.value.elts[1] if len(node.value.elts) == 3 else None
            message = named.get(message.id, message) if isinstance(message, ast.Name) else message
            if isinstance(message, ast.JoinedStr):
                parts = [re.escape(v.value) if isinstance(v, ast.Constant) else ".*" for v in message.values]
                found.append((path.name, message.lineno, re.compile("".join(parts), re.S)))
            elif isinstance(message, ast.Constant) and isinstance(message.value, str):
                found.append((path.name, message.lineno, re.compile(re.escape(message.value))))
    return found


def test_the_guide_lists_every_message():
    """The contributing guide's table has a row for every message the checks can give."""
    messages = problem_messages()
    assert len(messages) >= 60
    documented = documented_messages()
    missing = [f"{file}:{line} {pattern.pattern}" for file, line, pattern in messages
               if not any(pattern.fullmatch(message) for message in documented)]  # fmt: skip
    assert missing == [], "add a row to docs/contributing.md for:\n" + "\n".join(missing)
