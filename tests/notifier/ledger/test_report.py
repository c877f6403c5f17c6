"""The run report from the journal (notifier/ledger/report.py): report.json and recipients.csv
written whole and private, failures grouped by reply with the addresses taken out, the summary
on screen."""

from __future__ import annotations

import csv
import json
import stat
import time
from pathlib import Path

import pytest

from notifier.ledger.journal import Journal, Result, State
from notifier.ledger.report import bounce_sample, reply_group, write_report
from tests.support.journal import snapshotted_journal

# address -> (state, reply) after one attempt
OUTCOMES = {
    "anna@example.org": (State.SENT, "250 2.0.0 Ok: queued as 4XyZ"),
    "ben@example.net": (State.FAILED, "550 5.1.1 <ben@example.net>: Recipient address rejected"),
    "carl@example.net": (State.FAILED, "550 5.1.1 <carl@example.net>: Recipient address rejected"),
    "dora@example.com": (State.DEFERRED, "451 4.7.1 greylisted, queue id 1234567890"),
}


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    rows = [(a, {"fname": a[0], "language": "de" if a.startswith("d") else ""}) for a in OUTCOMES]
    j = snapshotted_journal(tmp_path / "run", [*rows, ("broken@", {})])
    claimed = j.claim(10, time.time(), resend_uncertain=True)
    j.record(Result(c.id, *OUTCOMES[c.address]) for c in claimed)
    return j


def test_replies_are_grouped_without_addresses_queue_ids_or_paths() -> None:
    a = reply_group("550 5.1.1 <ben@example.net>: Recipient address rejected")
    b = reply_group("550 5.1.1 carl@example.net: Recipient address rejected")
    assert a == "550 5.1.1 <address>: Recipient address rejected"
    assert a == b  # with or without brackets, the same group: the colon is kept
    assert reply_group("550 no such user here: ben@example.net.") == (
        "550 no such user here: <address>."
    )
    assert reply_group("451 greylisted, queue id 1234567890") == "451 greylisted, queue id #"
    assert len(reply_group("550 " + "too long " * 50)) == 160
    sample = bounce_sample("550 5.2.2 /var/mail/ben: mailbox full")
    assert sample == "550 5.2.2 <path>: mailbox full"


def test_report_json_counts_groups_and_private_files(journal: Journal) -> None:
    summary = write_report(journal, extra={"mode": "send"})
    document = json.loads(summary.report_json.read_text("utf-8"))
    assert (document["case"], document["action"], document["mode"]) == (
        "a20200102.1",
        "test-notice",
        "send",
    )
    assert document["counts"][State.SENT] == 1 and document["counts"][State.FAILED] == 2
    assert document["counts"][State.INVALID] == 1
    assert {"state": State.FAILED, "reply": "550 5.1.1 <address>: Recipient address rejected",
            "count": 2} in document["replies"]  # fmt: skip
    assert document["recipients_csv"] == "recipients.csv"
    for written in (summary.report_json, summary.recipients_csv):
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert [p.name for p in journal.folder.iterdir() if p.name.endswith(".tmp")] == []


def test_recipients_csv_has_one_row_per_recipient(journal: Journal) -> None:
    summary = write_report(journal)
    with summary.recipients_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_address = {r["address"]: r for r in rows}
    assert set(by_address) == {*OUTCOMES, "broken@"}
    assert by_address["dora@example.com"]["state"] == State.DEFERRED
    assert by_address["dora@example.com"]["language"] == "de"
    assert by_address["ben@example.net"]["attempts"] == "1"
    assert by_address["ben@example.net"]["updated"].endswith("Z")


def test_the_summary_on_screen(journal: Journal) -> None:
    lines = write_report(journal).lines()
    assert lines[0] == "a20200102.1 test-notice: 1 sent, 1 deferred, 2 failed, 1 invalid"
    assert lines[1] == "audience: 5 rows, 0 duplicate addresses sent once"
    assert "by reply:" in lines
    assert any(line.endswith("550 5.1.1 <address>: Recipient address rejected") for line in lines)
    assert lines[-2].startswith("report: ") and lines[-1].startswith("per recipient: ")
