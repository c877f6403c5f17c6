"""DK403 and DK404: HTML the archive would remove (generator/checks/markup.py)."""

from __future__ import annotations

import pytest

from generator.config import Config
from tests.support.check_fixtures import Expected, assert_exactly

EXPECTED: Expected = {
    "DK403": [("2014/a20140408.1.md", 22, 18, "DK403"), ("2014/a20140408.1.md", 24, 1, "DK403")],
    "DK404": [("2014/a20140408.1.md", 23, 1, "DK404")],
}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_fixture_triggers_exactly_its_diagnostics(folder: str, config: Config) -> None:
    assert_exactly(folder, EXPECTED[folder], config)
