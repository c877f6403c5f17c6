"""The run folder holds every recipient's address and name: 0700, its files 0600, whatever the
umask (today's code left the folder 0755 and journal.sqlite 0644)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from docket.cli import cli
from notifier.ledger.journal import Journal, JournalError
from tests.notifier.conftest import CASE, Sink, make_directory

MEMBERS = [("anna@example.org", "Anna", "Meyer", "en"), ("ben@example.org", "Ben", "B", "de")]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o000, 0o022, 0o077])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def test_a_run_leaves_only_private_files(
    umask: int, cases: Path, sink: Sink, tmp_path: Path
) -> None:
    members = make_directory(tmp_path / "members.sqlite", MEMBERS)
    run = tmp_path / "state" / "run"
    result = CliRunner().invoke(
        cli,
        ["notify", CASE, "--cases", str(cases), "--directory", str(members), "--smtp", sink.url,
         "--journal", str(run), "--yes", "--rate", "0"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(sink.received) == 2
    assert mode(run) == 0o700
    names = sorted(p.name for p in run.iterdir())
    assert {"journal.sqlite", "report.json", "recipients.csv", "run.lock"} <= set(names)
    assert {p.name: mode(p) for p in run.iterdir()} == dict.fromkeys(names, 0o600)


def test_the_journal_and_its_wal_are_private_while_open(umask: int, tmp_path: Path) -> None:
    journal = Journal(tmp_path / "run")
    try:
        journal.lock()
        journal.bind(CASE, "test-notice", "sha256:" + "1" * 64)
        journal.snapshot([("anna@example.org", {"fname": "Anna"})])
        files = list((tmp_path / "run").iterdir())
        assert {p.name for p in files} >= {"journal.sqlite", "journal.sqlite-wal", "run.lock"}
        assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
        assert mode(tmp_path / "run") == 0o700
    finally:
        journal.close()


def test_an_old_world_readable_run_folder_is_tightened(tmp_path: Path) -> None:
    run = tmp_path / "run"
    Journal(run).close()
    os.chmod(run, 0o755)
    os.chmod(run / "journal.sqlite", 0o644)
    (run / "report.json").write_text("{}")
    os.chmod(run / "report.json", 0o644)
    Journal(run).close()
    assert mode(run) == 0o700
    assert {p.name: mode(p) for p in run.iterdir()} == {p.name: 0o600 for p in run.iterdir()}


def test_a_folder_that_is_no_run_folder_is_refused_not_changed(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    os.chmod(tmp_path, 0o755)
    with pytest.raises(JournalError, match="is no run folder"):
        Journal(tmp_path)
    assert mode(tmp_path) == 0o755
    assert not (tmp_path / "journal.sqlite").exists()
