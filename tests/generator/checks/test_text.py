"""The lowered text the case-blind checks share (generator/checks/text.py): the same string
object for the same case text, a new one when the text changes."""

from __future__ import annotations

from generator.checks.text import lowered
from generator.loader import load_text
from tests.support.check_fixtures import CHECKS

VALID = (CHECKS / "valid" / "2014" / "a20140408.1.md").read_text("utf-8")


def test_lowered_is_the_case_text_in_lower_case_made_once() -> None:
    case, _ = load_text(VALID, "2014/a20140408.1.md")
    assert case is not None
    first = lowered(case)
    assert first == case.text.lower() and first != case.text
    assert lowered(case) is first  # the second check reuses it


def test_another_text_is_lowered_anew() -> None:
    one, _ = load_text(VALID, "2014/a20140408.1.md")
    other, _ = load_text(VALID.replace("## History Log", "## HISTORY Log"), "x.md")
    assert one is not None and other is not None
    assert "## history log" in lowered(one)
    assert lowered(other) == other.text.lower()
    assert lowered(one) == one.text.lower()
