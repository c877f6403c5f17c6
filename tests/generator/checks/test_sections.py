"""DK305, DK401 and DK402: the sections a case needs and the placeholders left in them
(generator/checks/sections.py)."""

from __future__ import annotations

import pytest

from generator.config import Config
from tests.support.check_fixtures import Expected, assert_exactly

EXPECTED: Expected = {
    "DK305": [("2014/a20140408.1.md", 15, 1, "DK305")],
    "DK401": [("2014/a20140408.1.md", 24, 1, "DK401"), ("2014/a20140408.1.md", 24, 18, "DK401")],
    "DK402": [("2014/a20140408.1.md", 24, 4, "DK402")],
}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_fixture_triggers_exactly_its_diagnostics(folder: str, config: Config) -> None:
    assert_exactly(folder, EXPECTED[folder], config)
