"""DK2xx, the checks across files (generator/checks/crossfile.py): a case number used twice, a
cited case that does not exist."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from generator.collection import check_paths
from generator.config import Config
from tests.support.check_fixtures import CHECKS, Expected, assert_exactly
from tests.support.paths import ROOT

EXPECTED: Expected = {
    "DK201": [("2014/a20140408.1.md", 2, 7, "DK201"), ("other/2014/a20140408.1.md", 2, 7, "DK201")],
    "DK202": [("2014/a20140408.1.md", 22, 25, "DK202")],
}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_fixture_triggers_exactly_its_diagnostics(folder: str, config: Config) -> None:
    assert_exactly(folder, EXPECTED[folder], config)


def test_a_cited_case_that_fails_to_load_is_not_also_unknown(
    config: Config, tmp_path: Path
) -> None:
    """Its own error is reported; citing it gives no DK202 on top (it is defined, just broken)."""
    examples = ROOT / "cases" / "2024"
    for name in ("a20241105.1.md", "a20241107.2.md"):  # .2 cites .1 four times
        (tmp_path / "2024").mkdir(exist_ok=True)
        (tmp_path / "2024" / name).write_bytes((examples / name).read_bytes())
    broken = tmp_path / "2024" / "a20241105.1.md"
    text = broken.read_text("utf-8")
    assert "\nstatus: " in text
    broken.write_text(text.replace("\nstatus: ", "\nstatus: finished # ", 1), "utf-8")
    found = check_paths([tmp_path], config, base=tmp_path).diagnostics
    assert sorted((d.path, d.code) for d in found) == [
        ("2024/a20241105.1.md", "DK018"),  # the rest of the line is a YAML comment
        ("2024/a20241105.1.md", "DK107"),
    ]
    # a file named like no case is still unknown when cited
    broken.rename(tmp_path / "2024" / "notes.md")
    found = check_paths([tmp_path], config, base=tmp_path).diagnostics
    assert "DK202" in {d.code for d in found}


def _cites_twice(tmp_path: Path) -> Path:
    """A case that lists a20090101.1 in `refs` and cites it in its body, as an import writes."""
    text = (CHECKS / "DK202" / "2014" / "a20140408.1.md").read_text("utf-8")
    text = text.replace("---\n## History Log", "refs:\n  cases: [a20090101.1]\n---\n## History Log")
    text = text.replace("a20120101.1", "a20090101.1")
    target = tmp_path / "2014" / "a20140408.1.md"
    target.parent.mkdir(parents=True)
    target.write_text(text, "utf-8")
    return target


def test_an_unknown_case_cited_in_refs_and_body_is_reported_once(
    config: Config, tmp_path: Path
) -> None:
    _cites_twice(tmp_path)
    found = check_paths([tmp_path], config, base=tmp_path).diagnostics
    assert [(d.code, d.line) for d in found] == [("DK202", 15)]  # the refs line
    assert "cited (2 times)" in found[0].message


def test_cases_declared_possibly_missing_give_no_dk202(config: Config, tmp_path: Path) -> None:
    _cites_twice(tmp_path)
    partial = replace(config, missing_cases_before=date(2010, 1, 1))
    assert check_paths([tmp_path], partial, base=tmp_path).diagnostics == []
    earlier = replace(config, missing_cases_before=date(2009, 1, 1))
    assert [d.code for d in check_paths([tmp_path], earlier, base=tmp_path).diagnostics] == [
        "DK202"
    ]
