"""DK013 and DK015-DK017: the front matter's YAML as written (generator/yamlsource.py), each
problem at the line and column where it is."""

from __future__ import annotations

import pytest

from generator.config import Config
from tests.support.check_fixtures import Expected, assert_exactly

EXPECTED: Expected = {
    "DK013": [("2014/a20140408.1.md", 9, 1, "DK013")],
    # an unclosed quote is reported where the quote opens, not where the parser gave up
    "DK013-quote": [
        ("2014/a20140408.1.md", 4, 12, "DK013"),
        ("2014/a20140408.2.md", 4, 12, "DK013"),
    ],
    "DK015": [("2014/a20140408.1.md", 6, 8, "DK015"), ("2014/a20140408.1.md", 3, 9, "DK122")],
    "DK016": [("2014/a20140408.1.md", 4, 1, "DK016"), ("2014/a20140408.1.md", 8, 9, "DK120")],
    "DK017": [("2014/a20140408.1.md", 4, 12, "DK017")],
}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_fixture_triggers_exactly_its_diagnostics(folder: str, config: Config) -> None:
    assert_exactly(folder, EXPECTED[folder], config)
