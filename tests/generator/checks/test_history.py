"""DK303 and DK306, the History Log's actors and sub-logs (generator/checks/history.py); the
log's own parse problems are generator/history.py's (tests/generator/test_history.py)."""

from __future__ import annotations

import pytest

from generator.config import Config
from tests.support.check_fixtures import Expected, assert_exactly

EXPECTED: Expected = {
    "DK303": [("2014/a20140408.1.md", 18, 18, "DK303")],
    "DK306": [
        ("2014/a20140408.1.md", 20, 1, "DK306"),
        ("2014/a20140408.1.md", 20, 19, "DK202"),  # not merged: an unknown case, said once
    ],
}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_fixture_triggers_exactly_its_diagnostics(folder: str, config: Config) -> None:
    assert_exactly(folder, EXPECTED[folder], config)
