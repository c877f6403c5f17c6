"""DK101-DK108: the front matter against the case model, each error said in the case file's
words at its line (generator/schema_errors.py)."""

from __future__ import annotations

import pytest

from generator.config import Config
from tests.support.check_fixtures import Expected, assert_exactly

EXPECTED: Expected = {
    "DK101": [("2014/a20140408.1.md", 5, 1, "DK101")],
    "DK102": [("2014/a20140408.1.md", 2, 1, "DK102")],
    "DK103": [("2014/a20140408.1.md", 11, 9, "DK103")],
    "DK105": [("2014/a20140408.1.md", 2, 7, "DK105")],
    "DK106": [("2014/a20140408.1.md", 5, 10, "DK106")],
    "DK107": [("2014/a20140408.1.md", 3, 9, "DK107")],
    "DK108": [("2014/a20140408.1.md", 10, 12, "DK108")],
}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_fixture_triggers_exactly_its_diagnostics(folder: str, config: Config) -> None:
    assert_exactly(folder, EXPECTED[folder], config)
