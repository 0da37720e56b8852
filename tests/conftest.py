"""Builders of small incident trees in tmp_path, from the fixture registries in cases/."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from generator.validate import validate_tree

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).parent.parent
TODAY = date(2026, 1, 1)


class Records:
    """A folder of records: the test registries plus whatever incidents a test writes."""

    def __init__(self, root: Path):
        self.root = root
        for name in ("towns.yaml", "groups.yaml"):
            shutil.copy(CASES / "registry" / name, root / name)

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return path

    def incident(self, text: str | bytes | None = None, name: str = "2015/2015-08-24-case.yaml") -> Path:
        return self.write(name, BASE if text is None else text)

    def validate(self):
        return validate_tree(self.root, today=TODAY)


BASE = (CASES / "base.yaml").read_text(encoding="utf-8")


@pytest.fixture
def records(tmp_path) -> Records:
    return Records(tmp_path)


# End-to-end fixtures (tests/sites.py): one build of the shipped records and one headless
# Chromium for the whole session, shared by test_build.py, test_browser.py and
# test_hostile_site.py.


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The site of the shipped records (incidents/), built once with the real command line."""
    import sites

    return sites.build(ROOT / "incidents", tmp_path_factory.mktemp("sample") / "site")


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session; each test opens its own context."""
    import sites
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = sites.launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server(sample_site):
    """The sample site served on 127.0.0.1 for the session's browser tests."""
    import sites

    with sites.Server(sample_site) as running:
        yield running


@pytest.fixture
def tabs(chromium):
    """Pages opened in hermetic browser contexts (tests/sites.py's Tabs), closed after the test."""
    import sites

    opened = sites.Tabs(chromium)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def sample_dataset():
    """The shipped records as the model sees them."""
    return validate_tree(ROOT / "incidents").dataset


@pytest.fixture(scope="session")
def synthetic_dataset(tmp_path_factory):
    """A few hundred varied valid records: partial dates, end dates, control changes, redirects."""
    from generator.synthetic import write_dataset

    root = tmp_path_factory.mktemp("synthetic-dataset")
    write_dataset(root, 300, seed=3)
    result = validate_tree(root)
    assert not result.errors
    return result.dataset
