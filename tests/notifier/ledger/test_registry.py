"""Runs of one action know of each other: a second run is refused unless it is meant, and a run
after a re-approval can skip whoever an earlier run already reached."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from tests.notifier.conftest import CASE, Sink, make_directory
from tests.notifier.delivery.test_pool import FAST, notify, recipients, report, runs, target
from tests.notifier.test_bad_input import approve, edit

ROWS = [(f"m{i}@example.org", "M", "X", "en") for i in range(5)]


def test_a_second_run_with_another_journal_is_refused(
    tmp_path: Path, cases: Path, sink: Sink, state_home: Path
) -> None:
    db = make_directory(tmp_path / "m.sqlite", ROWS)
    first_run = tmp_path / "run"
    first = notify(cases, *target(db, sink, first_run), *FAST)
    assert first.exit_code == 0, first.output
    assert len(sink.received) == 5
    for other in (["--journal", str(tmp_path / "other")], []):  # another folder; the default
        args = ["--directory", str(db), "--smtp", sink.url, *other, *FAST]
        again = notify(cases, *args)
        assert again.exit_code == 1, again.output
        lines = again.output.strip().splitlines()
        assert len(lines) == 1, again.output
        assert lines[0].startswith(f"Error: {CASE} test-notice already has a run: run ")
        assert f"in {first_run} (5 sent); to resume it, pass --journal {first_run}; " in lines[0]
        assert lines[0].endswith(
            "to send the action again as a new run, pass --new-run --reason TEXT"
        )
    assert len(sink.received) == 5
    status = runs("status", cases)  # the default folder: no journal, but the run elsewhere
    assert status.exit_code == 0, status.output
    assert "other runs of this action:" in status.output
    assert f"in {first_run} (5 sent)" in status.output
    assert not (tmp_path / "other").exists()
    assert not (state_home / "docket" / "runs" / CASE).exists()
    registry = state_home / "docket" / "runs" / "registry.sqlite"
    assert stat.S_IMODE(os.stat(registry).st_mode) == 0o600
    # resuming the first run is what it says
    resumed = notify(cases, *target(db, sink, first_run), *FAST)
    assert resumed.exit_code == 0, resumed.output
    # a new run, meant and explained: everyone again, with new Message-IDs
    meant = notify(
        cases, *target(db, sink, tmp_path / "other"), *FAST, "--new-run", "--reason", "lost mail"
    )
    assert meant.exit_code == 0, meant.output
    assert len(sink.received) == 10
    assert len({r.message["Message-ID"] for r in sink.received}) == 10
    assert report(tmp_path / "other")["new_run_reason"] == "lost mail"


def test_new_run_needs_a_reason(tmp_path: Path, cases: Path, sink: Sink) -> None:
    db = make_directory(tmp_path / "m.sqlite", ROWS)
    result = notify(cases, *target(db, sink, tmp_path / "run"), *FAST, "--new-run")
    assert result.exit_code == 1
    assert result.output.startswith("Error: --new-run needs --reason TEXT")
    assert sink.received == []


def test_after_a_re_approval_a_run_skips_who_was_reached(
    tmp_path: Path, cases: Path, sink: Sink
) -> None:
    db = make_directory(tmp_path / "m.sqlite", ROWS)
    first_run = tmp_path / "run"
    first = notify(cases, *target(db, sink, first_run), *FAST, "--limit", "3")
    assert first.exit_code == 0, first.output
    first_ids = {r.recipients[0]: r.message["Message-ID"] for r in sink.received}
    # a typo found mid-run: fixed and approved again; the old journal belongs to the old text
    edit(cases / "2020" / CASE / "notice.txt.j2", "test notice", "corrected test notice")
    approve(cases)
    second_run = tmp_path / "run2"
    second = notify(
        cases, *target(db, sink, second_run), *FAST,
        "--new-run", "--reason", "typo fixed", "--skip-sent",
    )  # fmt: skip
    assert second.exit_code == 0, second.output
    assert "skipped 3 recipient(s) an earlier run of this action may have reached" in second.output
    assert sorted(sink.addresses()[3:]) == ["m3@example.org", "m4@example.org"]
    assert all("corrected" in r.message.get_content() for r in sink.received[3:])
    rows = recipients(second_run)
    for address, message_id in first_ids.items():
        assert rows[address]["state"] == "skipped"
        assert rows[address]["reply"].endswith(f"as {message_id}")
    assert report(second_run)["counts"]["skipped"] == 3  # type: ignore[index]
    assert "2 sent, 0 deferred, 0 failed, 0 invalid, 3 skipped (an earlier run)" in second.output


def test_a_purge_takes_the_runs_recipient_hashes_out_of_the_registry(
    tmp_path: Path, cases: Path, sink: Sink, state_home: Path
) -> None:
    import sqlite3

    db = make_directory(tmp_path / "m.sqlite", ROWS)
    run = tmp_path / "run"
    assert notify(cases, *target(db, sink, run), *FAST).exit_code == 0
    registry = sqlite3.connect(state_home / "docket" / "runs" / "registry.sqlite")
    assert registry.execute("SELECT COUNT(*) FROM delivered").fetchone() == (5,)
    purged = runs("purge", cases, "--journal", str(run), "--yes")
    assert purged.exit_code == 0, purged.output
    assert registry.execute("SELECT COUNT(*) FROM delivered").fetchone() == (0,)
    assert registry.execute("SELECT COUNT(*) FROM runs").fetchone() == (1,)
    registry.close()
    again = notify(cases, *target(db, sink, tmp_path / "other"), *FAST)
    assert again.exit_code == 1 and "already has a run" in again.output


def test_a_run_whose_journal_is_gone_is_not_offered_for_resuming(
    tmp_path: Path, cases: Path, sink: Sink, state_home: Path
) -> None:
    db = make_directory(tmp_path / "m.sqlite", ROWS)
    first_run = tmp_path / "run"
    assert notify(cases, *target(db, sink, first_run), *FAST).exit_code == 0
    shutil.rmtree(first_run)
    again = notify(cases, *target(db, sink, tmp_path / "other"), *FAST)
    assert again.exit_code == 1, again.output
    assert "(its journal is gone); it cannot be resumed; to send the action again" in again.output
    assert "to resume it" not in again.output
