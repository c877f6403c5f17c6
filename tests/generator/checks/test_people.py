"""DK130: an officer named by a spelling of the [people] table must give the account
(generator/checks/people.py). Reading the table itself: tests/generator/test_config.py."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from generator.collection import check_paths
from generator.config import Config
from tests.support.check_fixtures import CHECKS


def test_an_officer_spelt_as_an_alias_needs_the_account(config: Config, tmp_path: Path) -> None:
    target = tmp_path / "2014" / "a20140408.1.md"
    target.parent.mkdir(parents=True)
    target.write_bytes((CHECKS / "valid" / "2014" / "a20140408.1.md").read_bytes())
    text = target.read_text("utf-8")
    officer = next(line for line in text.split("\n") if "role: A," in line)
    name = officer.split("name: ", 1)[1].split("}")[0].split(",")[0].strip()
    people = replace(config, people={"CarolAccount": (name,)})
    found = check_paths([tmp_path], people, base=tmp_path).diagnostics
    assert [d.code for d in found] == ["DK130"]
    assert "add 'account: CarolAccount'" in found[0].message
    target.write_text(text.replace(officer, officer.replace("}", ", account: CarolAccount}")))
    assert check_paths([tmp_path], people, base=tmp_path).diagnostics == []
