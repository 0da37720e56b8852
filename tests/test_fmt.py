"""`python -m generator fmt`: one layout, the same values, every comment kept."""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import BASE, ROOT
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.fmt import comments, format_text
from generator.schema import INCIDENT
from generator.synthetic import write_dataset
from generator.validate import check_file, find_incident_files

ORDER = [field.name for field in INCIDENT.fields]
TAG = "tag:yaml.org,2002:str"
MESSY = """\
# incidents/2015/2015-08-24-case.yaml: a header, apart from the fields

# when it happened
date: 2015-08-24   # the day it began
sources:
- {publisher: Syrian Observatory for Human Rights, url: "https://www.syriahr.com/en/"}
  # published: "2015-08-25"
title: IS captures the village of Umm Housh
type: battle
towns: [umm-housh]  # where
groups:
    - islamic-state     # IS
    - syrian-opposition
summary: "Islamic State fighters took the village after car bombs.\\n\\nThe rebels withdrew."
casualties:
  - killed: 37
    group: syrian-opposition
    according_to: Syrian Observatory for Human Rights
tags: [car-bomb]
# the end
"""

TIDY = """\
# incidents/2015/2015-08-24-case.yaml: a header, apart from the fields

title: IS captures the village of Umm Housh
# when it happened
date: "2015-08-24" # the day it began
type: battle
towns: # where
  - umm-housh
groups:
  - islamic-state       # IS
  - syrian-opposition
summary: |-
  Islamic State fighters took the village after car bombs.

  The rebels withdrew.
casualties:
  - group: syrian-opposition
    killed: 37
    according_to: Syrian Observatory for Human Rights
tags:
  - car-bomb
sources:
  - publisher: Syrian Observatory for Human Rights
    url: "https://www.syriahr.com/en/"
  # published: "2015-08-25"
# the end
"""


def fmt(*args):
    return subprocess.run(
        [sys.executable, "-m", "generator", "fmt", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def values(path: Path) -> dict:
    checked, _ = check_file(path, "incident")
    return checked.values


def test_rewrites_into_the_canonical_layout(records):
    path = records.incident(MESSY)
    before = values(path)
    done = fmt(records.root)
    assert done.returncode == 0, done.stdout
    assert f"{path}: reformatted" in done.stdout
    assert path.read_text(encoding="utf-8") == TIDY
    assert values(path) == before
    assert [p for p in records.validate().problems if p.is_error] == []


def test_check_lists_the_files_and_changes_nothing(records):
    messy = records.incident(MESSY)
    tidy = records.incident(TIDY, name="2015/2015-08-25-other.yaml")
    done = fmt("--check", records.root)
    assert done.returncode == 1
    assert f"{messy}: would reformat" in done.stdout
    assert str(tidy) not in done.stdout
    assert "1 of 2 file(s) would be reformatted" in done.stdout
    assert messy.read_text() == MESSY


def test_twice_is_once(records):
    path = records.incident(BASE)
    assert fmt(path).returncode == 0
    once = path.read_bytes()
    again = fmt(path)
    assert again.returncode == 0 and "0 of 1 file(s) reformatted" in again.stdout
    assert path.read_bytes() == once
    assert fmt("--check", path).returncode == 0


def test_dates_are_quoted_and_summaries_are_blocks(records):
    text = BASE.replace("date: 2015-08-24", "date: 2015").replace(
        "summary: |\n  Islamic State fighters took the village after car bombs.\n",
        "summary: 'Islamic State fighters took the village after car bombs.'\n",
    )
    path = records.incident(text + "redirect_from: ['2015-08-20-old']\n", name="2015/2015-case.yaml")
    sources = "    url: https://www.syriahr.com/en/\n"
    path.write_text(path.read_text().replace(sources, sources + "    published: 2015-08-25\n"))
    before = values(path)
    assert fmt(path).returncode == 0
    tidy = path.read_text()
    assert 'date: "2015"\n' in tidy and 'published: "2015-08-25"\n' in tidy
    assert "summary: |-\n  Islamic State fighters took the village after car bombs.\ncasualties:" in tidy
    assert "redirect_from:\n  - '2015-08-20-old'\n" in tidy  # quotes that were there stay
    assert values(path) == before


def test_long_lines_fold_near_100_characters_and_addresses_never_move(records):
    title = "IS fighters attack the villages north of Marea " + "and shell the roads " * 5 + "at night"
    url = "https://www.syriahr.com/en/" + "a-very-long-address/" * 6
    path = records.incident(
        BASE.replace("IS captures the village of Umm Housh", title).replace(
            "url: https://www.syriahr.com/en/", f"url: {url}"
        )
    )
    before = values(path)
    assert fmt(path).returncode == 0
    tidy = path.read_text()
    assert f"    url: {url}\n" in tidy
    assert all(len(line) <= 100 for line in tidy.splitlines() if "url:" not in line)
    assert not re.search(r" +\n", tidy)
    assert values(path) == before and values(path)["title"] == title


def test_files_that_do_not_parse_are_reported_and_left_alone(records):
    broken = records.incident(
        "title: IS captures Umm Housh\n  date: 2015-08-24\n", name="2015/2015-08-24-a.yaml"
    )
    twice = records.incident(BASE + "title: Again\n", name="2015/2015-08-24-b.yaml")
    tabbed = records.incident(
        BASE.replace("  - islamic-state", "\t- islamic-state"), name="2015/2015-08-24-c.yaml"
    )
    messy = records.incident(MESSY)
    before = {path: path.read_bytes() for path in (broken, twice, tabbed)}
    done = fmt(records.root)
    assert done.returncode == 1
    assert re.search(rf"{re.escape(str(broken))}:2:\d+: error: .*\(skipped\)", done.stdout)
    assert re.search(rf"{re.escape(str(twice))}:\d+:\d+: error: .*\(skipped\)", done.stdout)
    assert re.search(rf"{re.escape(str(tabbed))}:6:1: error: tab character", done.stdout)
    assert all(path.read_bytes() == data for path, data in before.items())
    assert messy.read_text() == TIDY  # the others are formatted all the same
    assert "1 of 4 file(s) reformatted, 3 skipped" in done.stdout


def test_a_comment_it_cannot_keep_is_reported_and_the_file_left_alone(records):
    flow = "- {publisher: SOHR, url: 'https://www.syriahr.com/en/'}\n"
    text = BASE.replace(
        "sources:\n  - publisher: Syrian Observatory for Human Rights\n    url: https://www.syriahr.com/en/\n",
        "sources:\n" + flow + "# the second one\n" + flow.replace("SOHR", "AFP").replace("}", "}  # AFP"),
    )
    line = text.splitlines().index("# the second one") + 1
    path = records.incident(text)
    done = fmt(path)
    assert done.returncode == 1
    assert (
        f"{path}:{line}:1: error: formatting cannot keep this comment where it is; write the list"
        in done.stdout
    )
    assert path.read_text() == text


def test_registries_are_left_alone(records):
    before = {name: (records.root / name).read_bytes() for name in ("towns.yaml", "groups.yaml")}
    assert fmt(records.root).returncode == 0
    assert fmt(records.root / "towns.yaml").returncode == 0
    assert {name: (records.root / name).read_bytes() for name in before} == before


def test_shipped_incidents_are_formatted():
    done = fmt("--check")
    assert done.returncode == 0, done.stdout


def test_shipped_incidents_keep_values_and_comments(tmp_path):
    shutil.copytree(ROOT / "incidents", tmp_path / "incidents")
    for path in find_incident_files(tmp_path / "incidents")[0]:
        text = path.read_text(encoding="utf-8")
        commented = "".join(
            f"{line}  # note {n}\n" if n % 3 == 0 and not line.startswith(" ") else f"{line}\n"
            for n, line in enumerate(text.splitlines())
        )
        path.write_text("# head\n\n" + commented)
        before = values(path)
        path.write_text(format_text(path.read_text()))
        assert values(path) == before
        assert comments(path.read_text()) == comments("# head\n\n" + commented)
        assert format_text(path.read_text()) == path.read_text()


class Dumper(yaml.SafeDumper):
    """Text with line breaks on one line, in double quotes, so a comment can follow any line."""


Dumper.add_representer(
    str, lambda dumper, text: dumper.represent_scalar(TAG, text, style='"' if "\n" in text else None)
)


def scramble(text: str, rng: random.Random) -> tuple[str, list[str]]:
    """The same record in another layout: keys shuffled, flow or block lists, other indents,
    unquoted dates, quoted summaries, and comments before fields and at the end of lines."""
    data = yaml.safe_load(text)
    keys = list(data)
    rng.shuffle(keys)
    dumped = yaml.dump(
        {key: data[key] for key in keys},
        Dumper=Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        indent=rng.choice((2, 3, 4)),
        default_flow_style=rng.choice((False, None)),
    )
    dumped = re.sub(r"^(\s*(?:- )?(?:date|end_date|published): )'([0-9-]+)'$", r"\1\2", dumped, flags=re.M)
    notes, lines = [], []
    for n, line in enumerate(dumped.splitlines()):
        if re.match(r"[a-z_]+:", line) and rng.random() < 0.3:
            notes.append(f"# above {n}")
            lines.append(notes[-1])
        if rng.random() < 0.3:
            notes.append(f"# beside {n}")
            line += "  " + notes[-1]
        lines.append(line)
    return "\n".join(lines) + "\n", notes


@settings(
    max_examples=8,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a seed does not shrink
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(min_value=0, max_value=10_000))
def test_generated_datasets_keep_their_values_and_comments(tmp_path_factory, seed):
    root = tmp_path_factory.mktemp("dataset")
    write_dataset(root, 50, seed)
    rng = random.Random(seed)
    paths = find_incident_files(root)[0]
    originals = {path: values(path) for path in paths}
    notes = {}
    for path in paths:
        text, notes[path] = scramble(path.read_text(encoding="utf-8"), rng)
        path.write_text(text, encoding="utf-8")
        assert values(path) == originals[path], "the scrambled copy must mean the same"
    done = fmt(root)
    assert done.returncode == 0, done.stdout
    for path in paths:
        tidy = path.read_text(encoding="utf-8")
        assert values(path) == originals[path]
        assert sorted(comments(tidy).elements()) == sorted(notes[path])
        top = re.findall(r"^([a-z_]+):", tidy, re.M)
        assert top == sorted(top, key=ORDER.index)
    again = fmt("--check", root)
    assert again.returncode == 0, again.stdout


def test_a_header_comment_stays_on_top(records):
    header = "# Header: who wrote this record, and when\n"
    path = records.incident(header + "type: battle\n" + BASE.replace("type: battle\n", ""))
    assert fmt(records.root).returncode == 0
    assert path.read_text(encoding="utf-8").startswith(header + "title:")


def test_a_comment_under_a_flow_source_stays_under_it():
    text = format_text(
        'title: IS captures the village of Umm Housh\ndate: "2015-08-24"\ntype: battle\n'
        "towns: [umm-housh]\ngroups: [islamic-state]\nsummary: Islamic State fighters took it.\n"
        'sources:\n  - {publisher: SOHR, url: "https://www.syriahr.com/en/"}  # the first\n# the end\n'
    )
    assert text.endswith(
        'sources:\n  - publisher: SOHR # the first\n    url: "https://www.syriahr.com/en/"\n# the end\n'
    )


def test_a_comment_that_would_move_to_another_field_is_refused(monkeypatch, records):
    from generator import fmt as formatter

    path = records.incident(BASE.replace("towns:", "# the towns\ntowns:", 1))
    monkeypatch.setattr(
        formatter,
        "format_text",
        lambda text: text.replace("# the towns\n", "").replace("groups:", "# the towns\ngroups:", 1),
    )
    new, problems = formatter.format_file(path)
    assert new is None
    assert problems[0].message == "formatting cannot keep this comment where it is"


def test_fmt_never_writes_through_a_link(records, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "record.yaml"
    outside.write_text(BASE.replace('date: "2015-08-24"', "date: 2015-08-24"))
    before = outside.read_bytes()
    (records.root / "2015").mkdir()
    (records.root / "2015" / "2015-08-24-case.yaml").symlink_to(outside)
    for target in (records.root, records.root / "2015", records.root / "2015" / "2015-08-24-case.yaml"):
        done = fmt(target)
        assert done.returncode == 1
        assert "symbolic link" in done.stdout
    assert outside.read_bytes() == before


def test_fmt_writes_whole_files_and_refuses_one_changed_meanwhile(records, monkeypatch):
    from generator import fmt as formatter

    path = records.incident(BASE.replace('date: "2015-08-24"', "date: 2015-08-24"))
    mode = 0o640
    path.chmod(mode)
    real = formatter._format

    def edited_meanwhile(target):
        result = real(target)
        target.write_text(target.read_text() + "# added by someone else\n")
        return result

    monkeypatch.setattr(formatter, "_format", edited_meanwhile)
    out = io.StringIO()
    assert formatter.main([str(records.root)], False, out) == 1
    assert "changed while it was formatted; left as it is" in out.getvalue()
    assert path.read_text().endswith("# added by someone else\n")
    monkeypatch.setattr(formatter, "_format", real)
    assert formatter.main([str(records.root)], False, io.StringIO()) == 0
    assert path.stat().st_mode & 0o777 == mode
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_a_summary_that_starts_with_a_tab_keeps_its_quotes():
    """A `|` block takes its indentation from its first line, which cannot start with a tab:
    written as one, the file would not read back."""
    text = 'title: A title here\nsummary: "\\tIndented first line of the summary.\\nSecond."\n'
    assert format_text(text) == text
