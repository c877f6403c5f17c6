"""`docket notify` against a real SMTP server (aiosmtpd) with scripted faults."""

from __future__ import annotations

import csv
import json
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docket.cli import cli
from tests.notifier.conftest import CASE, Faults, Sink, make_directory

FAST = ["--rate", "0", "--yes", "--retry-delay", "0.05", "--max-attempts", "3"]

MEMBERS = [
    ("anna@example.org", "Anna", "Meyer", "en_US"),
    ("ben@example.org", "Ben", "Müller", "de_DE"),
    ("BEN@example.org", "Ben", "Twice", "de_DE"),
    ("clara@example.org", "Clara", "Weiß", "de"),
    ("broken@", "Broken", "Address", "en"),
    ("eve@example.org\r\nBcc: victim@example.net", "Eve", "Inject", "en"),
    ("mallory@example.org", "Mallory\r\nBcc: victim@example.net", "M", ""),
    ("zoe@example.org", "Zoë", "Dubois", "fr_FR"),
]


def target(db: Path, sink: Sink, run: Path) -> list[str]:
    """The directory, the SMTP sink and the run folder: what every send test names."""
    return ["--directory", str(db), "--smtp", sink.url, "--journal", str(run)]


def notify(cases: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["notify", CASE, "--cases", str(cases), *args])


def runs(job: str, cases: Path, *args: str) -> Result:
    """`docket runs JOB CASE ...`: status, bounces, purge."""
    return CliRunner().invoke(cli, ["runs", job, CASE, "--cases", str(cases), *args])


def report(folder: Path) -> dict[str, object]:
    data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def recipients(folder: Path) -> dict[str, dict[str, str]]:
    with (folder / "recipients.csv").open(encoding="utf-8", newline="") as handle:
        return {row["address"]: row for row in csv.DictReader(handle)}


@pytest.mark.parametrize("sink", ["pipelining", "lock-step"], indirect=True)
def test_sends_each_member_once(tmp_path: Path, cases: Path, sink: Sink) -> None:
    db = make_directory(tmp_path / "members.sqlite", MEMBERS)
    run = tmp_path / "run"
    result = notify(cases, *target(db, sink, run), *FAST)
    assert result.exit_code == 0, result.output
    got = sorted(sink.addresses())
    assert got == sorted(
        ["anna@example.org", "ben@example.org", "clara@example.org", "mallory@example.org",
         "zoe@example.org"]
    )  # fmt: skip
    for received in sink.received:
        message = received.message
        assert re.fullmatch(r"returns\+\d+\.[0-9a-f]{16}@example\.org", received.sender)  # VERP
        assert message["X-Docket-Case"] == f"{CASE} test-notice"
        assert message.get_all("Bcc") is None
        assert message["To"].addresses[0].addr_spec == received.recipients[0]
    by_address = {r.recipients[0]: r.message for r in sink.received}
    assert "Hallo Ben Müller" in by_address["ben@example.org"].get_content()
    assert "Dear Zoë Dubois" in by_address["zoe@example.org"].get_content()
    body = by_address["anna@example.org"].get_content().replace("\r\n", "\n")
    assert "\n.a line that starts with a dot\n" in body
    data = report(run)
    assert data["counts"] == {
        "queued": 0, "in-flight": 0, "sent": 5, "deferred": 0, "failed": 0, "invalid": 2,
        "uncertain": 0,
    }  # fmt: skip
    assert data["duplicates"] == 1
    rows = recipients(run)
    assert rows["broken@"]["state"] == "invalid"
    assert rows["anna@example.org"]["state"] == "sent"
    assert rows["anna@example.org"]["reply"].startswith("250")
    assert "5 sent, 0 deferred, 0 failed, 2 invalid" in result.output
    # the plan showed one sample per language variant
    assert "--- sample (default) ---" in result.output and "--- sample (de) ---" in result.output
    offered = "PIPELINING" if sink.handler.pipelining else "no PIPELINING"
    assert f"server: {offered}, 8BITMIME; pool of 4 connections" in result.output
    # running again sends nothing more
    again = notify(cases, *target(db, sink, run), *FAST)
    assert again.exit_code == 0, again.output
    assert len(sink.received) == 5


@pytest.mark.parametrize("sink", ["pipelining", "lock-step"], indirect=True)
def test_scripted_faults(tmp_path: Path, cases: Path, sink: Sink, faults: Faults) -> None:
    faults.scripts.update(
        {
            "grey": ["451 4.7.1 Greylisted, please try again later"],
            "rcpt-busy": ["421 4.3.2 Service not available"],
            "rcpt-full": ["452 4.2.2 Mailbox full"] * 5,
            "rcpt-unknown": ["550 5.1.1 <rcpt-unknown@example.org>: user unknown"],
            "big": ["552 5.3.4 Message too big"],
            "spam": ["554 5.7.1 Rejected as spam"],
            "drop": ["drop"],
            "slow": ["slow"],
        }
    )
    faults.slow_seconds = 1.5
    names = ["grey", "rcpt-busy", "rcpt-full", "rcpt-unknown", "big", "spam", "drop", "slow", "ok"]
    db = make_directory(tmp_path / "m.sqlite", [(f"{n}@example.org", n, "X", "en") for n in names])
    run = tmp_path / "run"
    result = notify(
        cases, *target(db, sink, run), *FAST,
        "--data-timeout", "0.5", "--pool", "2",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = recipients(run)
    state = {
        a.split("@")[0]: (r["state"], int(r["attempts"]), r["uncertain"]) for a, r in rows.items()
    }
    assert state["grey"] == ("sent", 2, "0")
    assert state["rcpt-busy"] == ("sent", 2, "0")
    assert state["rcpt-full"] == ("failed", 3, "0")
    assert state["rcpt-unknown"] == ("failed", 1, "0")
    assert state["big"] == ("failed", 1, "0")
    assert state["spam"] == ("failed", 1, "0")
    assert state["drop"] == ("sent", 2, "1")
    assert state["slow"] == ("sent", 2, "1")
    assert state["ok"] == ("sent", 1, "0")
    assert rows["rcpt-full@example.org"]["reply"].startswith("452 4.2.2")
    assert "gave up after 3 attempts" in rows["rcpt-full@example.org"]["reply"]
    assert rows["spam@example.org"]["reply"] == "554 5.7.1 Rejected as spam"
    # whether the late first copy was kept is the server's business: either way it is named
    assert sink.addresses().count("slow@example.org") in (1, 2)
    assert sink.addresses().count("drop@example.org") == 1
    for name in ("grey", "rcpt-busy", "ok"):
        assert sink.addresses().count(f"{name}@example.org") == 1
    for name in ("rcpt-full", "rcpt-unknown", "big", "spam"):
        assert f"{name}@example.org" not in sink.addresses()
    data = report(run)
    replies = {(r["state"], r["reply"]): r["count"] for r in data["replies"]}  # type: ignore[attr-defined]
    assert replies[("failed", "550 5.1.1 <address>: user unknown")] == 1
    assert data["uncertain"] == {  # type: ignore[comparison-overlap]
        "count": 2, "addresses": ["drop@example.org", "slow@example.org"],
    }  # fmt: skip
    assert "may have got the message twice" in result.output


def test_a_wave_of_policy_rejections_pauses(
    tmp_path: Path, cases: Path, sink: Sink, faults: Faults
) -> None:
    faults.scripts["spam"] = ["554 5.7.1 Message rejected by policy"]
    rows = [(f"spam{i:03}@example.org", "S", "X", "en") for i in range(120)]
    db = make_directory(tmp_path / "m.sqlite", rows)
    run = tmp_path / "run"
    result = notify(
        cases,
        *target(db, sink, run),
        *FAST,
        "--pool",
        "1",
    )
    assert result.exit_code == 3, result.output
    assert "paused: 20 of the last 20 replies were policy rejections (5.7.x)" in result.output
    assert "to go on, run: docket notify" in result.output
    counts = report(run)["counts"]
    assert counts["failed"] == 20 and counts["queued"] == 100  # type: ignore[index]


def test_no_wait_then_a_later_run_retries(
    tmp_path: Path, cases: Path, sink: Sink, faults: Faults
) -> None:
    faults.scripts["grey"] = ["451 4.7.1 Greylisted"]
    db = make_directory(
        tmp_path / "m.sqlite",
        [("grey@example.org", "G", "X", "en"), ("ok@example.org", "O", "K", "en")],
    )
    run = tmp_path / "run"
    args = [
        *target(db, sink, run),
        "--rate",
        "0",
        "--yes",
    ]
    first = notify(cases, *args, "--retry-delay", "0.3", "--no-wait")
    assert first.exit_code == 0, first.output
    assert "only deferred recipients remain" in first.output
    assert report(run)["counts"]["deferred"] == 1  # type: ignore[index]
    assert recipients(run)["grey@example.org"]["state"] == "deferred"
    assert sink.addresses() == ["ok@example.org"]
    time.sleep(0.4)
    second = notify(cases, *args, "--no-wait")
    assert second.exit_code == 0, second.output
    assert sorted(sink.addresses()) == ["grey@example.org", "ok@example.org"]
    assert recipients(run)["grey@example.org"]["state"] == "sent"


def test_limit_dry_run_test_to_status_and_record(
    tmp_path: Path, cases: Path, sink: Sink, demo_db: Path
) -> None:
    run = tmp_path / "run"
    base = ["--directory", str(demo_db), "--journal", str(run)]
    dry = notify(cases, *base, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert sink.received == []
    assert "dry run: 1745 messages would be sent" in dry.output
    assert not run.exists()
    test = notify(cases, *base, "--smtp", sink.url, "--test-to", "critical@example.org")
    assert test.exit_code == 0, test.output
    assert sink.addresses() == ["critical@example.org", "critical@example.org"]
    languages = {r.message.get_content().split(" ", 1)[0] for r in sink.received}
    assert languages == {"Dear", "Hallo"}
    limited = notify(cases, *base, "--smtp", sink.url, "--rate", "0", "--yes", "--limit", "25")
    assert limited.exit_code == 0, limited.output
    assert len(sink.received) == 2 + 25
    status = runs("status", cases, "--journal", str(run))
    assert status.exit_code == 0, status.output
    assert "no run is going on" in status.output
    assert "25 sent" in status.output and "1720 queued" in status.output
    done = notify(
        cases, *base, "--smtp", sink.url, "--rate", "0", "--yes", "--record", "--limit", "0"
    )
    assert done.exit_code == 0, done.output
    assert len(sink.received) == 2 + 1745
    case_text = (cases / "2020" / f"{CASE}.md").read_text(encoding="utf-8")
    assert "(notifier): test-notice: 1745 sent, 0 deferred, 0 failed," in case_text
    assert case_text.index("(notifier): test-notice") > case_text.index(
        "- 2020-01-03 (A): approves"
    )
    assert case_text.index("(notifier): test-notice") < case_text.index("Further notes")


def test_at_most_once_leaves_uncertain_rows_alone(tmp_path: Path, cases: Path, sink: Sink) -> None:
    import sqlite3

    rows = [(f"m{i}@example.org", "M", "X", "en") for i in range(6)]
    db = make_directory(tmp_path / "m.sqlite", rows)
    run = tmp_path / "run"
    base = [
        *target(db, sink, run),
        "--rate",
        "0",
        "--yes",
    ]
    first = notify(cases, *base, "--limit", "2")
    assert first.exit_code == 0, first.output
    # what a kill -9 leaves behind: rows marked in flight, never recorded
    journal = sqlite3.connect(run / "journal.sqlite")
    journal.execute(
        "UPDATE recipients SET state = 'in-flight', attempts = 1"
        " WHERE address IN ('m2@example.org', 'm3@example.org')"
    )
    journal.commit()
    journal.close()
    second = notify(cases, *base, "--no-resend-uncertain", "--limit", "0")
    assert second.exit_code == 0, second.output
    assert "2 message(s) were in flight at a crash: marked uncertain" in second.output
    assert sorted(sink.addresses()) == ["m0@example.org", "m1@example.org", "m4@example.org",
                                        "m5@example.org"]  # fmt: skip
    states = {a: r["state"] for a, r in recipients(run).items()}
    assert states["m2@example.org"] == states["m3@example.org"] == "uncertain"
    assert report(run)["uncertain"]["addresses"] == ["m2@example.org", "m3@example.org"]  # type: ignore[index]
    # at-least-once again (the run kept --no-resend-uncertain): the uncertain ones go out now
    third = notify(cases, *base, "--resend-uncertain")
    assert third.exit_code == 0, third.output
    assert sorted(sink.addresses())[2:4] == ["m2@example.org", "m3@example.org"]
    assert {r["state"] for r in recipients(run).values()} == {"sent"}


def test_a_second_run_of_the_same_action_is_refused(
    tmp_path: Path, cases: Path, sink: Sink
) -> None:
    from notifier.ledger.journal import Journal

    db = make_directory(tmp_path / "m.sqlite", [("a@example.org", "A", "B", "en")])
    run = tmp_path / "run"
    holder = Journal(run)
    holder.lock()
    try:
        result = notify(cases, *target(db, sink, run),
                        "--yes")  # fmt: skip
        assert result.exit_code == 1
        assert result.output.strip().splitlines() == [
            f"Error: another run of this action is going on ({run}); wait for it or watch it "
            "with `docket runs status`"
        ]
        status = runs("status", cases, "--journal", str(run))
        assert "a run is going on" in status.output
    finally:
        holder.close()
    assert sink.received == []
