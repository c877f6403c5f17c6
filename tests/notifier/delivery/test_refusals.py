"""A refusal that is about the sender or the relay stops the run with one line and leaves every
recipient queued; failed recipients can be queued again by hand."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docket.cli import cli
from tests.notifier.conftest import Faults, Sink, make_directory
from tests.notifier.delivery.test_pool import FAST, notify, recipients, report, target
from tests.support.scripted_server import ScriptedServer, default_answer, scripted_server_thread

MEMBERS = [(f"m{i:02}@example.org", f"M{i}", "X", "en") for i in range(30)]


def answering(**replies: str) -> Callable[[str], str]:
    def answer(command: str) -> str:
        verb = command.split(" ", 1)[0].split(":", 1)[0].upper()
        return replies.get(verb) or default_answer(command)

    return answer


def run_against(server: ScriptedServer, db: Path, run: Path, cases: Path, *args: str) -> Result:
    url = f"smtp://127.0.0.1:{server.port}"
    return notify(cases, "--directory", str(db), "--smtp", url, "--journal", str(run), *args)


def stop_line(result: Result) -> str:
    lines = [line for line in result.output.splitlines() if line.startswith("stopped: ")]
    assert len(lines) == 1, result.output
    return lines[0]


def resume(line: str) -> list[str]:
    words = shlex.split(line.rpartition("then run: ")[2])
    assert words[:2] == ["docket", "notify"]
    return words[1:]


def all_queued(run: Path) -> None:
    counts = report(run)["counts"]
    assert counts["queued"] == len(MEMBERS) and counts["failed"] == 0, counts  # type: ignore[index]
    assert {r["attempts"] for r in recipients(run).values()} == {"0"}


@pytest.mark.parametrize("pipelining", [True, False], ids=["pipelining", "lock-step"])
@pytest.mark.parametrize(
    ("replies", "said"),
    [
        ({"MAIL": "553 5.1.8 Sender address rejected", "RCPT": "503 5.5.1 need MAIL command",
          "DATA": "503 5.5.1 need RCPT command"},
         "the server refused the envelope sender returns+1.* (a VERP address: --no-verp sends "
         "with the plain return path): 553 5.1.8 Sender address rejected"),
        ({"MAIL": "530 5.7.0 Authentication required", "RCPT": "503 5.5.1 need MAIL command",
          "DATA": "503 5.5.1 need RCPT command"},
         "the server refused to relay without authentication (give a user in --smtp): "
         "530 5.7.0 Authentication required"),
        ({"RCPT": "530 5.7.0 Authentication required", "DATA": "503 5.5.1 need RCPT command"},
         "the server refused to relay without authentication (give a user in --smtp): "
         "530 5.7.0 Authentication required"),
    ],
    ids=["553-at-mail", "530-at-mail", "530-at-rcpt"],
)  # fmt: skip
def test_a_refusal_of_the_sender_stops_the_run_and_leaves_everyone_queued(
    tmp_path: Path, cases: Path, pipelining: bool, replies: dict[str, str], said: str
) -> None:
    db = make_directory(tmp_path / "m.sqlite", MEMBERS)
    run = tmp_path / "run"
    with scripted_server_thread(pipelining=pipelining, answer=answering(**replies)) as server:
        result = run_against(server, db, run, cases, *FAST)
        assert result.exit_code == 3, result.output
        line = stop_line(result)
        expected = re.escape(f"stopped: {said}; no recipient was marked failed for it, 30 stay")
        assert re.match(expected.replace(r"\*", r"[0-9a-f.]+@example\.org"), line), line
        assert server.verbs().count("MAIL") <= 4  # at once: at most one per connection
        all_queued(run)
        # the relay is fixed: the printed command sends to everyone, once
        server.answer = default_answer
        again = CliRunner().invoke(cli, resume(line))
        assert again.exit_code == 0, again.output
        assert len(server.contents) == len(MEMBERS)
    assert report(run)["counts"]["sent"] == len(MEMBERS)  # type: ignore[index]


def test_a_refused_greeting_stops_the_run(tmp_path: Path, cases: Path) -> None:
    db = make_directory(tmp_path / "m.sqlite", MEMBERS)
    run = tmp_path / "run"

    def greeting(n: int) -> str:  # the plan's probe gets in; the run's connections do not
        return "220 scripted ESMTP" if n == 1 else "421 4.3.2 Too many connections, try later"

    with scripted_server_thread(greeting=greeting) as server:
        result = run_against(server, db, run, cases, *FAST)
    assert result.exit_code == 3, result.output
    assert stop_line(result).startswith(
        "stopped: the server refused the connection: connect: 421 4.3.2 Too many connections"
    )
    assert server.contents == []
    all_queued(run)


@pytest.mark.parametrize("pool", ["1", "4"])
def test_the_same_refusal_for_many_recipients_in_a_row_stops_the_run(
    tmp_path: Path, cases: Path, sink: Sink, faults: Faults, pool: str
) -> None:
    faults.scripts["rcpt-m"] = ["554 5.7.1 <address>: Relay access denied"]
    rows = [(f"rcpt-{a}", *rest) for a, *rest in MEMBERS]
    db = make_directory(tmp_path / "m.sqlite", rows)  # type: ignore[arg-type]
    run = tmp_path / "run"
    result = notify(cases, *target(db, sink, run), *FAST, "--pool", pool)
    assert result.exit_code == 3, result.output
    line = stop_line(result)
    assert line.startswith(
        "stopped: 10 different recipients in a row were refused with the same reply, so it is "
        "about the sender or the relay: 554 5.7.1 <address>: Relay access denied; no recipient "
        "was marked failed for it ("
    )
    assert "re-queued), 30 stay queued." in line
    all_queued(run)
    assert sink.received == []


def test_refusals_naming_the_mailbox_do_not_stop_the_run(
    tmp_path: Path, cases: Path, sink: Sink, faults: Faults
) -> None:
    faults.scripts["rcpt-gone"] = ["550 5.1.1 <address>: Recipient address rejected: unknown"]
    rows = [(f"rcpt-gone{i:02}@example.org", "G", "X", "en") for i in range(15)]
    db = make_directory(tmp_path / "m.sqlite", [*rows, ("ok@example.org", "O", "K", "en")])
    run = tmp_path / "run"
    result = notify(cases, *target(db, sink, run), *FAST, "--pool", "1")
    assert result.exit_code == 0, result.output
    assert report(run)["counts"]["failed"] == 15  # type: ignore[index]
    assert sink.addresses() == ["ok@example.org"]


def test_failed_recipients_can_be_queued_again(
    tmp_path: Path, cases: Path, sink: Sink, faults: Faults
) -> None:
    faults.scripts["big"] = ["552 5.3.4 Message too big"]
    faults.scripts["rcpt-unknown"] = ["550 5.1.1 user unknown"]
    names = ["big1", "big2", "rcpt-unknown", "ok"]
    db = make_directory(tmp_path / "m.sqlite", [(f"{n}@example.org", n, "X", "en") for n in names])
    run = tmp_path / "run"
    first = notify(cases, *target(db, sink, run), *FAST)
    assert first.exit_code == 0, first.output
    assert report(run)["counts"]["failed"] == 3  # type: ignore[index]
    again = notify(cases, *target(db, sink, run), *FAST, "--requeue-failed", "5.3.4")
    assert again.exit_code == 0, again.output
    assert "re-queued 2 failed recipient(s) with a reply containing '5.3.4'" in again.output
    states = {a.split("@")[0]: r["state"] for a, r in recipients(run).items()}
    assert states == {"big1": "sent", "big2": "sent", "rcpt-unknown": "failed", "ok": "sent"}
    log = report(run)["requeued"]
    assert [(e["pattern"], e["count"]) for e in log] == [("5.3.4", 2)]  # type: ignore[attr-defined]
    # without a pattern: every failed one
    last = notify(cases, *target(db, sink, run), *FAST, "--requeue-failed")
    assert "re-queued 1 failed recipient(s)" in last.output
    assert recipients(run)["rcpt-unknown@example.org"]["state"] == "sent"
