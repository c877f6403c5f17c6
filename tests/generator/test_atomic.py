"""Writes that leave the old file or the whole new one (generator/atomic.py): no temporary file
left behind, and `write_new` never overwrites."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.atomic import write_atomic, write_new


def test_write_atomic_replaces_the_file_whole_and_makes_its_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "case.md"
    write_atomic(target, "first\n")
    write_atomic(target, "second\r\nline\n")
    assert target.read_bytes() == b"second\r\nline\n"
    assert [p.name for p in target.parent.iterdir()] == ["case.md"]


def test_write_new_creates_once_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "2024" / "a20240902.1.md"
    write_new(target, "ünïcode\n")
    assert target.read_text("utf-8") == "ünïcode\n"
    with pytest.raises(FileExistsError):
        write_new(target, "other\n")
    assert target.read_text("utf-8") == "ünïcode\n"
    assert [p.name for p in target.parent.iterdir()] == ["a20240902.1.md"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "case.md"
    write_atomic(target, "old\n")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "half \udc80 written")  # a lone surrogate cannot be UTF-8
    assert target.read_text("utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["case.md"]
