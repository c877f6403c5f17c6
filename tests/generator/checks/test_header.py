"""DK1xx of the header (generator/checks/header.py): where the file lies, dates, status, roles,
rulings."""

from __future__ import annotations

import pytest

from generator.config import Config
from tests.support.check_fixtures import Expected, assert_exactly

EXPECTED: Expected = {
    "DK104": [("2014/a20140408.1.md", 6, 8, "DK104")],
    "DK109": [("2014/a20140408.1.md", 3, 9, "DK109")],
    "DK110": [("2014/a20140408.2.md", 2, 7, "DK110")],
    "DK111": [("2015/a20140408.1.md", 2, 7, "DK111")],
    "DK120": [("2014/a20140408.1.md", 3, 9, "DK120")],
    "DK121": [("2014/a20140408.1.md", 6, 8, "DK121")],
    "DK122": [("2014/a20140408.1.md", 3, 9, "DK122")],
    "DK123": [("2014/a20140408.1.md", 3, 9, "DK123")],
    "DK124": [("2014/a20140408.1.md", 3, 9, "DK124")],
    "DK125": [("2014/a20140408.1.md", 11, 12, "DK125")],
    "DK126": [("2014/a20140408.1.md", 4, 12, "DK126")],
    "DK127": [("2014/a20140408.1.md", 8, 13, "DK127")],
    "DK128": [("2014/a20140408.1.md", 8, 27, "DK128")],
    "DK129": [("2014/a20140408.1.md", 8, 5, "DK129")],
}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_fixture_triggers_exactly_its_diagnostics(folder: str, config: Config) -> None:
    assert_exactly(folder, EXPECTED[folder], config)
