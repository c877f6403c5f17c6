"""--limit counts new messages, not retries; a --limit run ends with a progress line; while
only deferred retries wait, the progress says so instead of an ETA that grows."""

from __future__ import annotations

import asyncio
import io
import re
import time
from pathlib import Path

from notifier.delivery.pool import RunOptions
from notifier.progress import ProgressDisplay
from tests.notifier.conftest import Faults, Sink, make_directory, make_runner
from tests.notifier.delivery.test_pool import notify, recipients, target


def test_limit_counts_new_messages_not_retries(
    tmp_path: Path, cases: Path, sink: Sink, faults: Faults
) -> None:
    faults.scripts["grey"] = ["451 4.7.1 Greylisted"]
    names = ["grey1", "ok1", "grey2", "ok2", "ok3", "ok4", "ok5", "ok6"]
    db = make_directory(tmp_path / "m.sqlite", [(f"{n}@example.org", n, "X", "en") for n in names])
    run = tmp_path / "run"
    base = [*target(db, sink, run), "--rate", "0", "--yes", "--retry-delay", "0.2"]
    first = notify(cases, *base, "--limit", "4")
    assert first.exit_code == 0, first.output
    assert sorted(sink.addresses()) == ["ok1@example.org", "ok2@example.org"]
    time.sleep(0.3)  # the two greylisted ones are due again
    second = notify(cases, *base, "--limit", "3")
    assert second.exit_code == 0, second.output
    # both retries and three new messages
    assert sorted(sink.addresses()[2:]) == [
        "grey1@example.org", "grey2@example.org", "ok3@example.org", "ok4@example.org",
        "ok5@example.org",
    ]  # fmt: skip
    assert recipients(run)["ok6@example.org"]["state"] == "queued"
    # the run ended early: its last progress line says where it stopped
    assert "7/8 done: sent 7  failed 0  deferred 0" in second.output


def test_the_eta_does_not_climb_while_retries_wait(
    tmp_path: Path, cases: Path, sink: Sink, faults: Faults
) -> None:
    faults.scripts["grey"] = ["451 4.7.1 Greylisted"]
    rows = [(f"{kind}{i}@example.org", "N", "X", "en") for i in range(8) for kind in ("grey", "ok")]
    db = make_directory(tmp_path / "m.sqlite", rows)
    out = io.StringIO()
    options = RunOptions(pool=2, rate=16.0, retry_delay=4.0)
    with ProgressDisplay(out, interval=0.0) as display:
        runner = make_runner(tmp_path, cases, db, [sink.url], options, display.update)
        journal = runner.journal
        result = asyncio.run(runner.run())
    journal.close()
    assert result.status == "done"
    lines = out.getvalue().splitlines()
    waiting = [line for line in lines if line.startswith("8/16 done")]
    assert len(waiting) >= 3, lines
    etas = [int(m[1]) for line in waiting if (m := re.search(r"ETA (\d+) s", line))]
    assert etas == sorted(etas, reverse=True), waiting  # never climbing
    assert any("waiting for 8 deferred (next retry in" in line for line in waiting), waiting
    assert lines[-1].startswith("16/16 done: sent 16")


def test_a_limit_run_ends_with_its_progress_line(tmp_path: Path, cases: Path, sink: Sink) -> None:
    rows = [(f"m{i:02}@example.org", "M", "X", "en") for i in range(15)]
    db = make_directory(tmp_path / "m.sqlite", rows)
    run = tmp_path / "run"
    # at 20/s the ten messages take half a second: a progress line is printed on the way
    result = notify(cases, *target(db, sink, run), "--rate", "20", "--yes", "--limit", "10")
    assert result.exit_code == 0, result.output
    progress = [line for line in result.output.splitlines() if "/15 done: " in line]
    assert progress[-1].startswith("10/15 done: sent 10  failed 0  deferred 0"), progress
