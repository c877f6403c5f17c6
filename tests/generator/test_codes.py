"""The catalogue of codes (generator/codes.py) against its fixtures: every fixture folder under
tests/fixtures/checks/ is claimed by the test module of the module that reports its code, and
every code has a fixture or a test of its own."""

from __future__ import annotations

from generator.codes import CODES
from tests.generator import (
    test_acks,
    test_collection,
    test_history,
    test_loader,
    test_schema_errors,
    test_yamlsource,
)
from tests.generator.checks import (
    test_crossfile,
    test_header,
    test_markup,
    test_privacy,
    test_scripts,
    test_sections,
)
from tests.generator.checks import test_history as test_checks_history
from tests.support.check_fixtures import CHECKS, Expected

TABLES: list[Expected] = [
    module.EXPECTED
    for module in (
        test_loader,
        test_yamlsource,
        test_schema_errors,
        test_history,
        test_acks,
        test_collection,
        test_crossfile,
        test_header,
        test_checks_history,
        test_markup,
        test_privacy,
        test_scripts,
        test_sections,
    )
]


def test_every_fixture_folder_is_expected_once() -> None:
    claimed = [folder for table in TABLES for folder in table]
    assert sorted(claimed) == sorted({p.name for p in CHECKS.iterdir() if p.is_dir()})


def test_every_code_has_a_fixture_or_a_dedicated_test() -> None:
    tested_elsewhere = {"DK003", "DK006"}  # tests/generator/test_loader.py
    tested_elsewhere |= {"DK130"}  # tests/generator/checks/test_people.py: it needs [people]
    tested_elsewhere |= {f"DK60{n}" for n in range(1, 8)}  # tests/generator/checks/test_actions.py
    covered = {code for table in TABLES for rows in table.values() for *_, code in rows}
    assert set(CODES) <= covered | tested_elsewhere


def test_every_code_has_a_title_and_is_in_docs_checks_md() -> None:
    docs = (CHECKS.parents[2] / "docs" / "checks.md").read_text("utf-8")
    for code in CODES.values():
        assert code.title and code.code in docs, code.code
