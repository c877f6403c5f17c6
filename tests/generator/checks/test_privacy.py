"""DK501, DK502 and DK504: e-mail addresses and private text that must not be published
(generator/checks/privacy.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from generator.collection import check_paths
from generator.config import Config
from tests.support.check_fixtures import CHECKS, Expected, assert_exactly

EXPECTED: Expected = {
    "DK501": [("2014/a20140408.1.md", 22, 26, "DK501")],
    "DK502": [("2014/a20140408.1.md", 22, 1, "DK502")],
    "DK504": [("2014/a20140408.1.md", 26, 1, "DK504")],
}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_fixture_triggers_exactly_its_diagnostics(folder: str, config: Config) -> None:
    assert_exactly(folder, EXPECTED[folder], config)


def test_private_text_is_a_note_when_configured(config: Config) -> None:
    relaxed = replace(config, private_text="note")
    root = CHECKS / "DK502"
    [found] = check_paths([root], relaxed, base=root).diagnostics
    assert (found.code, str(found.severity)) == ("DK502", "note")


def test_allowed_email_domain_is_not_reported(config: Config) -> None:
    allowed = replace(config, allowed_email_domains=("example.com",))
    root = CHECKS / "DK501"
    assert check_paths([root], allowed, base=root).diagnostics == []
