"""`check_paths` over a tree (generator/collection.py): which files are cases, every finding of
every file at once, the same result serial or in worker processes."""

from __future__ import annotations

from pathlib import Path

import pytest

import generator.collection as collection
from generator.collection import check_paths
from generator.config import Config
from tests.support.check_fixtures import CHECKS, Expected, assert_exactly
from tests.support.paths import ROOT

EXPECTED: Expected = {"valid": []}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_fixture_triggers_exactly_its_diagnostics(folder: str, config: Config) -> None:
    assert_exactly(folder, EXPECTED[folder], config)


def test_several_files_report_everything_at_once(config: Config, tmp_path: Path) -> None:
    for code in ("DK104", "DK301", "DK501"):
        target = tmp_path / code / "2014" / "a20140408.1.md"
        target.parent.mkdir(parents=True)
        target.write_bytes((CHECKS / code / "2014" / "a20140408.1.md").read_bytes())
    found = check_paths([tmp_path], config, base=tmp_path).diagnostics
    codes = sorted(d.code for d in found if d.code != "DK201")
    assert codes == ["DK104", "DK301", "DK501"]


def test_parallel_and_serial_runs_agree(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = (ROOT / "cases" / "2014" / "a20140408.1.md").read_text("utf-8")
    for i in range(1, 41):
        target = tmp_path / "2014" / f"a20140408.{i}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(seed.replace("case: a20140408.1", f"case: a20140408.{i}"), "utf-8")
    serial = check_paths([tmp_path], config, jobs=1, base=tmp_path)
    monkeypatch.setattr(collection, "PARALLEL_THRESHOLD", 2)
    parallel = check_paths([tmp_path], config, jobs=2, base=tmp_path)
    assert serial.diagnostics == parallel.diagnostics
    assert [c.number for c in serial.cases] == [c.number for c in parallel.cases]
    assert len(serial.cases) == 40


def test_attachment_folders_and_hidden_folders_are_not_case_files(
    config: Config, tmp_path: Path
) -> None:
    valid = (CHECKS / "valid" / "2014" / "a20140408.1.md").read_bytes()
    (tmp_path / "2014" / "a20140408.1").mkdir(parents=True)
    (tmp_path / "2014" / "a20140408.1.md").write_bytes(valid)
    (tmp_path / "2014" / "a20140408.1" / "notes.md").write_text("not a case", "utf-8")
    (tmp_path / ".trash").mkdir()
    (tmp_path / ".trash" / "old.md").write_text("not a case", "utf-8")
    found = check_paths([tmp_path], config, base=tmp_path)
    assert found.files == 1 and found.diagnostics == []
