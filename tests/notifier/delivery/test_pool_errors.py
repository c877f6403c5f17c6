"""A template that raises for one member's values (not a jinja2 error): that recipient fails
with the error, the others are sent, and the run ends."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import uvloop

from notifier.delivery.pool import RunStatus
from notifier.delivery.settings import RunOptions
from tests.notifier.conftest import CASE, Sink, make_directory, make_runner
from tests.notifier.delivery.test_pool import recipients, report
from tests.notifier.test_bad_input import approve

DOCKET = str(Path(sys.executable).parent / "docket")
# only a hang detector: the run takes about a second
HANG = 60


def divide_by_zero_for_member_3(cases: Path) -> None:
    template = cases / "2020" / CASE / "notice.txt.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text + "Score: {{ (1000 / (id - 3)) | int }}\n", encoding="utf-8")
    approve(cases)


def test_an_exception_in_one_message_fails_that_recipient(
    tmp_path: Path, cases: Path, sink: Sink
) -> None:
    divide_by_zero_for_member_3(cases)
    rows = [(f"m{i}@example.org", f"M{i}", "X", "en") for i in range(1, 8)]
    db = make_directory(tmp_path / "m.sqlite", rows)
    run = tmp_path / "run"
    done = subprocess.run(
        [DOCKET, "notify", CASE, "--cases", str(cases), "--directory", str(db),
         "--smtp", sink.url, "--journal", str(run), "--yes", "--rate", "0", "--pool", "2"],
        capture_output=True, text=True, timeout=HANG,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(sink.addresses()) == [f"m{i}@example.org" for i in (1, 2, 4, 5, 6, 7)]
    failed = recipients(run)["m3@example.org"]
    assert failed["state"] == "failed"
    assert failed["reply"] == (
        "template error at notice.txt.j2:6: ZeroDivisionError: division by zero"
    )
    counts = report(run)["counts"]
    assert counts["sent"] == 6 and counts["failed"] == 1 and counts["in-flight"] == 0  # type: ignore[index]
    assert "6 sent, 0 deferred, 1 failed, 0 invalid" in done.stdout


def test_a_dry_run_counts_the_messages_that_would_fail(tmp_path: Path, cases: Path) -> None:
    divide_by_zero_for_member_3(cases)
    rows = [(f"m{i}@example.org", f"M{i}", "X", "en") for i in range(1, 8)]
    db = make_directory(tmp_path / "m.sqlite", rows)
    done = subprocess.run(
        [DOCKET, "notify", CASE, "--cases", str(cases), "--directory", str(db), "--dry-run"],
        capture_output=True, text=True, timeout=HANG,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        "dry run: 6 messages would be sent (6 default); 0 invalid addresses would be skipped"
        in done.stdout
    )
    assert (
        "1 would fail (template error at notice.txt.j2:6: ZeroDivisionError: division by zero)"
        in done.stdout
    )


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
def test_a_run_driven_from_a_thread_sends_without_signal_handlers(
    tmp_path: Path, cases: Path, sink: Sink, loop: str
) -> None:
    """Outside the main thread an event loop takes no signal handlers (asyncio says so with
    RuntimeError, uvloop with ValueError): the run goes on without them rather than failing."""
    db = make_directory(
        tmp_path / "m.sqlite", [(f"m{i}@example.org", "M", "X", "en") for i in range(3)]
    )
    runner = make_runner(tmp_path, cases, db, [sink.url], RunOptions(rate=0.0))
    journal = runner.journal
    outcome: list[object] = []

    def drive() -> None:
        run = uvloop.run if loop == "uvloop" else asyncio.run
        try:
            outcome.append(run(runner.run()).status)
        except Exception as exc:  # what the test reports
            outcome.append(exc)

    thread = threading.Thread(target=drive)
    thread.start()
    thread.join(60)
    journal.close()
    assert outcome == [RunStatus.DONE]
    assert len(sink.received) == 3
