"""Bad input never raises and never hangs: every problem is a diagnostic with a line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.collection import check_paths
from generator.config import Config
from generator.loader import load_case, load_text
from tests.support.check_fixtures import Expected, assert_exactly
from tests.support.paths import FIXTURES

VALID = (FIXTURES / "checks" / "valid" / "2014" / "a20140408.1.md").read_text("utf-8")


def _write(tmp_path: Path, data: bytes) -> Path:
    target = tmp_path / "2014" / "a20140408.1.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def test_ten_megabyte_file_is_refused_with_a_line(tmp_path: Path, config: Config) -> None:
    target = _write(tmp_path, VALID.encode() + b"x" * 10_000_000)
    case, found = load_case(target, max_bytes=config.max_file_bytes)
    assert case is None
    assert [(d.code, d.line) for d in found] == [("DK003", 1)]


def test_yaml_bomb_is_reported_not_expanded(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 12):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    text = "---\n" + "\n".join(lines) + "\n---\n## History Log\n"
    case, found = load_text(text, "bomb.md")
    assert case is None
    assert {d.code for d in found} == {"DK015", "DK102", "DK101"}
    assert all(d.line >= 2 for d in found)
    aliases = [d for d in found if d.code == "DK015"]
    assert len(aliases) == 11 * 9 and aliases[0].line == 3


def test_crlf_file_still_parses_and_lines_match(tmp_path: Path) -> None:
    case, found = load_case(_write(tmp_path, VALID.replace("\n", "\r\n").encode()))
    assert [d.code for d in found] == ["DK005"]
    assert case is not None and case.history[1].line == 18


def test_bom_file_still_parses(tmp_path: Path) -> None:
    case, found = load_case(_write(tmp_path, b"\xef\xbb\xbf" + VALID.encode()))
    assert [d.code for d in found] == ["DK004"] and case is not None


def test_unreadable_path_is_a_diagnostic(tmp_path: Path, config: Config) -> None:
    found = check_paths([tmp_path / "missing.md"], config, base=tmp_path).diagnostics
    assert [(d.code, d.line) for d in found] == [("DK006", 1)]
    case, found = load_case(tmp_path)  # a folder where a file was expected
    assert case is None and [d.code for d in found] == ["DK006"]


def test_front_matter_only_with_no_body(tmp_path: Path) -> None:
    case, found = load_text(VALID.split("## History")[0], "x.md")
    assert case is not None and case.sections == [] and found == []


def test_scalar_front_matter_and_empty_front_matter() -> None:
    for text, kind in (("---\njust words\n---\n", "str"), ("---\n---\n", "empty")):
        case, found = load_text(text, "x.md")
        assert case is None
        assert [(d.code, d.line) for d in found] == [("DK014", 2)]
        assert kind in found[0].message


def test_non_string_keys_and_odd_scalars_do_not_crash() -> None:
    text = VALID.replace("complaint: Test complaint", "complaint: Test\n[1, 2]: x\n? {a: 1}\n: y")
    case, found = load_text(text, "x.md")
    assert case is None and found and all(d.line > 0 for d in found)


def test_history_keeps_bodies_problems_even_when_header_is_broken() -> None:
    text = VALID.replace("status: closed", "status: nope").replace(
        "- 2014-04-09 (A): ruling sent", "- 2014-04-07 (A): ruling sent"
    )
    _, found = load_text(text, "x.md")
    assert sorted(d.code for d in found) == ["DK107", "DK301"]


def test_yaml_1_1_words_stay_text_and_keys_are_names() -> None:
    text = VALID.replace("  - {role: R, name: CAcert}", "  - {role: R, name: No, note: on}")
    case, found = load_text(text, "x.md")
    assert found == [] and case is not None
    assert (case.header.parties[1].name, case.header.parties[1].note) == ("No", "on")
    from generator.yamlsource import parse_yaml

    doc = parse_yaml("on: 1\nyes: true\n", 2)
    assert doc.data == {"on": 1, "yes": True}


EXPECTED: Expected = {
    "DK001": [("2014/a20140408.1.md", 4, 17, "DK001")],
    "DK002": [("2014/a20140408.1.md", 22, 5, "DK002")],
    "DK004": [("2014/a20140408.1.md", 1, 1, "DK004")],
    "DK005": [("2014/a20140408.1.md", 1, 1, "DK005")],
    "DK010": [("2014/a20140408.1.md", 1, 1, "DK010")],
    "DK011": [("2014/a20140408.1.md", 1, 1, "DK011")],
    "DK012": [("2014/a20140408.1.md", 1, 1, "DK012")],
    "DK014": [("2014/a20140408.1.md", 2, 1, "DK014")],
    "DK018": [("2014/a20140408.1.md", 4, 39, "DK018")],
}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_fixture_triggers_exactly_its_diagnostics(folder: str, config: Config) -> None:
    assert_exactly(folder, EXPECTED[folder], config)
