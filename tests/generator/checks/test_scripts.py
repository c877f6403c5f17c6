"""DK503: script in the text or the header (generator/checks/scripts.py)."""

from __future__ import annotations

import pytest

from generator.config import Config
from tests.support.check_fixtures import Expected, assert_exactly

EXPECTED: Expected = {
    "DK503": [
        ("2014/a20140408.1.md", 5, 11, "DK503"),
        ("2014/a20140408.1.md", 27, 18, "DK503"),
        ("2014/a20140408.1.md", 27, 57, "DK503"),
    ],
}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_fixture_triggers_exactly_its_diagnostics(folder: str, config: Config) -> None:
    assert_exactly(folder, EXPECTED[folder], config)
