"""The check fixtures (tests/fixtures/checks/<folder>/): each folder is a small case tree that
triggers one code. A test module lists the folders for the codes its module reports, with every
(file, line, col, code) each folder must produce and nothing else; tests/generator/test_codes.py
checks that together they cover every folder and every code."""

from __future__ import annotations

from generator.codes import CODES
from generator.collection import check_paths
from generator.config import Config
from tests.support.paths import FIXTURES

CHECKS = FIXTURES / "checks"

Expected = dict[str, list[tuple[str, int, int, str]]]


def assert_exactly(folder: str, expected: list[tuple[str, int, int, str]], config: Config) -> None:
    """`docket check` on the folder finds exactly `expected`, each with its code's severity."""
    root = CHECKS / folder
    found = check_paths([root], config, base=root).diagnostics
    got = sorted((d.path, d.line, d.col, d.code) for d in found)
    assert got == sorted(expected)
    for d in found:
        assert d.severity is CODES[d.code].severity
        assert d.message
