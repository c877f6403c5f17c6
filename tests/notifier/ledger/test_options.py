"""A resumed run uses the options the run before it was started with, unless overridden, and
the printed resume command carries them: at-most-once stays at-most-once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from docket.cli import cli
from tests.notifier.conftest import CASE, Sink, make_directory
from tests.notifier.delivery.test_pool import notify, recipients, target
from tests.notifier.delivery.test_refusals import (
    answering,
    resume,
    run_against,
    stop_line,
)
from tests.support.scripted_server import default_answer, scripted_server_thread

ROWS = [(f"m{i}@example.org", "M", "X", "en") for i in range(8)]


def crash_leaves_in_flight(run: Path, *addresses: str) -> None:
    """What a kill -9 leaves behind: rows marked in flight, never recorded."""
    journal = sqlite3.connect(run / "journal.sqlite")
    marks = ",".join("?" for _ in addresses)
    journal.execute(
        f"UPDATE recipients SET state = 'in-flight', attempts = 1 WHERE address IN ({marks})",
        addresses,
    )
    journal.commit()
    journal.close()


def test_a_resume_keeps_the_runs_options(tmp_path: Path, cases: Path, sink: Sink) -> None:
    db = make_directory(tmp_path / "m.sqlite", ROWS)
    run = tmp_path / "run"
    base = [*target(db, sink, run), "--yes"]
    first = notify(
        cases, *base, "--rate", "0", "--no-resend-uncertain", "--record", "--max-attempts", "2",
        "--limit", "2",
    )  # fmt: skip
    assert first.exit_code == 0, first.output
    crash_leaves_in_flight(run, "m2@example.org", "m3@example.org")
    second = notify(cases, *base)  # the plain command
    assert second.exit_code == 0, second.output
    assert (
        f"options of the earlier run in {run}: --rate 0 --limit 2 --no-resend-uncertain "
        "--record --max-attempts 2" in second.output
    )
    # at-most-once: the two a crash left in flight are not resent; --limit 2 again
    assert sink.addresses() == [f"m{i}@example.org" for i in (0, 1, 4, 5)]
    states = {a: r["state"] for a, r in recipients(run).items()}
    assert states["m2@example.org"] == states["m3@example.org"] == "uncertain"
    case_text = (cases / "2020" / f"{CASE}.md").read_text(encoding="utf-8")
    assert case_text.count("(notifier): test-notice") == 2  # --record kept
    # what the command line says wins, and is kept for the next resume
    third = notify(cases, *base, "--resend-uncertain", "--limit", "10", "--no-record")
    assert third.exit_code == 0, third.output
    assert sorted(sink.addresses()) == sorted(a for a, *_ in ROWS)
    assert (cases / "2020" / f"{CASE}.md").read_text(encoding="utf-8").count("(notifier)") == 2


def test_the_printed_resume_command_keeps_at_most_once(tmp_path: Path, cases: Path) -> None:
    db = make_directory(tmp_path / "m.sqlite", ROWS)
    run = tmp_path / "run"
    refuse = answering(MAIL="553 5.1.8 Sender address rejected", RCPT="503 5.5.1 no", DATA="503")
    with scripted_server_thread(answer=refuse) as server:
        first = run_against(
            server, db, run, cases, "--yes", "--rate", "0", "--no-resend-uncertain",
            "--max-attempts", "2", "--retry-delay", "0.05",
        )  # fmt: skip
        assert first.exit_code == 3, first.output
        words = resume(stop_line(first))
        assert "--no-resend-uncertain" in words
        assert words[words.index("--max-attempts") + 1] == "2"
        crash_leaves_in_flight(run, "m0@example.org")
        server.answer = default_answer
        again = CliRunner().invoke(cli, words)
        assert again.exit_code == 0, again.output
        assert len(server.contents) == len(ROWS) - 1
    assert recipients(run)["m0@example.org"]["state"] == "uncertain"
