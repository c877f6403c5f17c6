"""Acknowledged findings: counted nowhere, listed with their reasons, never lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.collection import check_paths
from generator.config import Config
from tests.support.check_fixtures import Expected, assert_exactly
from tests.support.paths import FIXTURES

ACKNOWLEDGED = FIXTURES / "checks" / "acknowledged"


def test_acknowledged_findings_are_kept_with_their_reasons(config: Config) -> None:
    collection = check_paths([ACKNOWLEDGED], config, base=ACKNOWLEDGED)
    assert collection.diagnostics == []
    assert [(d.line, d.code, d.allowed) for d in collection.allowed] == [
        (3, "DK124", "the page names no case manager"),  # the front matter's allow map
        (20, "DK301", "log order as kept on the wiki"),  # the comment on the line above
    ]


def test_a_comment_at_the_end_of_the_line_covers_that_line_only(
    config: Config, tmp_path: Path
) -> None:
    source = (FIXTURES / "checks" / "DK301" / "2014" / "a20140408.1.md").read_text("utf-8")
    late = "- 2014-04-08 (A): late entry"
    assert late in source
    ack = " <!-- docket: allow DK301,DK303 log order as kept on the wiki -->"
    target = tmp_path / "2014" / "a20140408.1.md"
    target.parent.mkdir()
    target.write_text(source.replace(late, late + ack), "utf-8")
    collection = check_paths([tmp_path], config, base=tmp_path)
    assert [d.code for d in collection.allowed] == ["DK301"]
    # DK303 is named but nothing on the line is an unknown actor
    assert [(d.code, d.line) for d in collection.diagnostics] == [("DK701", 19)]
    assert "allow DK303" in collection.diagnostics[0].message


def test_an_acknowledgement_in_the_front_matter_needs_a_reason(
    config: Config, tmp_path: Path
) -> None:
    source = (ACKNOWLEDGED / "2014" / "a20140408.1.md").read_text("utf-8")
    target = tmp_path / "2014" / "a20140408.1.md"
    target.parent.mkdir()
    target.write_text(source.replace("DK124: the page names no case manager", "DK124:"), "utf-8")
    found = check_paths([tmp_path], config, base=tmp_path).diagnostics
    assert [(d.code, d.line, d.col) for d in found] == [("DK124", 3, 9), ("DK702", 13, 3)]


EXPECTED: Expected = {
    "DK701": [("2014/a20140408.1.md", 17, 33, "DK701")],
    "DK702": [("2014/a20140408.1.md", 19, 1, "DK702"), ("2014/a20140408.1.md", 20, 3, "DK301")],
    # a DK301 acknowledged on its line and a DK124 acknowledged for the case: nothing counted
    "acknowledged": [],
}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_fixture_triggers_exactly_its_diagnostics(folder: str, config: Config) -> None:
    assert_exactly(folder, EXPECTED[folder], config)
