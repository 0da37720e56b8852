"""The loader on bytes a YAML file should not contain, and on attempts to abuse the parser."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest
import yaml
from conftest import BASE, Records
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.load import Document, load_document


def only_problem(data: bytes):
    result = load_document("x.yaml", data)
    assert not isinstance(result, Document), "expected a problem"
    return result[0]


def test_bom_and_crlf_are_fine(records):
    records.incident(b"\xef\xbb\xbf" + BASE.replace("\n", "\r\n").encode())
    assert records.validate().problems == []


@pytest.mark.parametrize(
    ("data", "line", "col", "message"),
    [
        (b"title: caf\xe9\n", 1, 11, "byte 0xe9 is not UTF-8"),
        (b"a: 1\nb: \x00\n", 2, 4, "file contains the control character U+0000"),
        (b"", 1, 1, "file is empty"),
        (b"   \n\n", 1, 1, "file is empty"),
        (b"# only a comment\n", 1, 1, "file has no content"),
    ],
)
def test_bytes_that_are_not_a_record(data, line, col, message):
    problem = only_problem(data)
    assert (problem.line, problem.col, problem.message) == (line, col, message)


def test_billion_laughs_is_refused_without_expanding():
    lol = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lol += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(9)]
    started = time.perf_counter()
    problem = only_problem("\n".join(lol).encode())
    assert "anchor '&a'" in problem.message
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("depth", [50, 100_000])
def test_deep_nesting_is_refused_not_crashed(depth):
    # libyaml's composer recurses: 100,000 levels would crash the interpreter if it got there.
    problem = only_problem(b"a: " + b"[" * depth + b"]" * depth)
    assert "nested more than" in problem.message


def test_deep_block_nesting_is_refused():
    text = "".join(" " * (2 * i) + f"k{i}:\n" for i in range(60)) + " " * 120 + "v: 1\n"
    assert "nested more than" in only_problem(text.encode()).message


def test_oversized_file_is_refused_quickly():
    data = b"summary: |\n" + b"  " + b"x" * 5_000_000 + b"\n"
    assert "over the limit" in only_problem(data).message


def test_nothing_in_a_file_is_executed(tmp_path):
    marker = tmp_path / "ran"
    data = f"title: !!python/object/apply:os.system ['touch {marker}']\n".encode()
    assert "YAML tag" in only_problem(data).message
    assert not marker.exists()


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_crash_the_loader(data):
    result = load_document("x.yaml", data)
    assert isinstance(result, Document) or all(p.line >= 1 and p.col >= 1 for p in result)


yaml_text = st.recursive(
    st.one_of(
        st.text(max_size=20), st.sampled_from(["yes", "012", "1:30", "~", "- a", "&x", "*x", "!t", "---"])
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(lambda items: "".join(f"- {i}\n" for i in items)),
        st.dictionaries(st.sampled_from(["title", "date", "towns", "killed", "x"]), children, max_size=4).map(
            lambda d: "".join(f"{k}: {v}\n" for k, v in d.items())
        ),
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(text=yaml_text)
def test_random_yaml_never_crashes_the_validator(text):
    with tempfile.TemporaryDirectory() as folder:
        records = Records(Path(folder))
        records.incident(text)
        result = records.validate()
    assert all(p.hint for p in result.errors)
    assert all(p.line >= 1 for p in result.problems)


PLAIN = ["yes", "No", "on", "012", "0x1f", "1:30", "1_000", "~", "null", "", "2015-08-24", "2015-8-4",
         "2015-08-24 10:00", "1e3", ".inf", "-.NaN", "=", "<<", "12", "3.5", "umm-housh", "True"]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.sampled_from(PLAIN) | st.text(st.characters(codec="utf-8"), max_size=12), max_size=8)
)
def test_remembered_tags_are_pyyamls(values):
    """The loader remembers the tag of each plain scalar; it must be the one PyYAML resolves."""
    from generator.load import Loader

    text = "".join(f"- {value}\n" for value in values) * 2  # the second time, from memory
    try:
        expected = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return
    assert tags(yaml.compose(text, Loader=Loader)) == tags(expected)


def tags(node) -> list:
    """Every node's kind, tag and (for scalars) text, in document order."""
    if node is None:
        return []
    if isinstance(node, yaml.ScalarNode):
        return [("scalar", node.tag, node.value)]
    children = (
        [child for pair in node.value for child in pair] if isinstance(node, yaml.MappingNode) else node.value
    )
    return [(type(node).__name__, node.tag), *(t for child in children for t in tags(child))]
