"""A new case file (generator/scaffold.py): the next free number of the day, every section
heading, a header the checker accepts, nothing overwritten, one-line values only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.collection import check_paths
from generator.config import Config
from generator.scaffold import SECTIONS, ScaffoldError, create_case, next_case_number

DAY = date(2024, 9, 2)


def test_numbers_count_from_one_and_fill_the_first_gap(tmp_path: Path) -> None:
    assert next_case_number(tmp_path / "missing", DAY) == "a20240902.1"
    for name in ("2024/a20240902.1.md", "2024/a20240902.3.md", "other/a20240902.2.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", "utf-8")
    (tmp_path / "2024" / "a20240902.4.txt").write_text("", "utf-8")  # not a case file
    assert next_case_number(tmp_path, DAY) == "a20240902.4"
    assert next_case_number(tmp_path, date(2024, 9, 3)) == "a20240903.1"


def test_a_new_case_has_its_header_and_every_section(tmp_path: Path, config: Config) -> None:
    target = create_case(tmp_path, DAY, " Certificate revoked ", ["Ann Example"],
                         ["Bob Example", "Carl Example"], relief="Reinstate it")  # fmt: skip
    assert target == tmp_path / "2024" / "a20240902.1.md"
    _, front, body = target.read_text("utf-8").split("---\n", 2)
    assert yaml.safe_load(front) == {
        "case": "a20240902.1",
        "status": "init",
        "complaint": "Certificate revoked",
        "relief": "Reinstate it",
        "parties": [
            {"role": "C", "name": "Ann Example"},
            {"role": "R1", "name": "Bob Example"},
            {"role": "R2", "name": "Carl Example"},
        ],
    }
    assert [line[3:] for line in body.splitlines() if line.startswith("## ")] == list(SECTIONS)
    assert check_paths([tmp_path], config, base=tmp_path).diagnostics == []
    assert create_case(tmp_path, DAY, "Another", ["Ann Example"], []).name == "a20240902.2.md"


@pytest.mark.parametrize(
    ("complaint", "claimants", "respondents", "message"),
    [
        ("  ", ["Ann"], [], "the complaint is empty"),
        ("Revoked", [], [], "name at least one claimant"),
        ("Revoked", ["Ann\nBcc: x"], [], "must be one line each"),
        ("Revoked\r", ["Ann"], [], "must be one line each"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    tmp_path: Path, complaint: str, claimants: list[str], respondents: list[str], message: str
) -> None:
    with pytest.raises(ScaffoldError, match=message):
        create_case(tmp_path, DAY, complaint, claimants, respondents)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "2024").write_text("a file where the year folder goes", "utf-8")
    """A file where the year's folder goes is named as such, not taken for the case file."""
    with pytest.raises(ScaffoldError, match=r"cannot write .*a20240902\.1\.md: .*2024 is a file"):
        create_case(tmp_path, DAY, "Revoked", ["Ann"], [])
    (tmp_path / "2024").unlink()
    assert create_case(tmp_path, DAY, "Revoked", ["Ann"], []).name == "a20240902.1.md"
