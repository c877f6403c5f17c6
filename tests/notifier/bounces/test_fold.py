"""`docket notify CASE --bounces MAILBOX` after a real send (aiosmtpd): VERP matches, the journal
shows `bounced` beside the sent record, unmatched ones are counted, and folding twice changes
nothing."""

from __future__ import annotations

import csv
import json
import mailbox
import os
import re
import stat
from pathlib import Path

from click.testing import CliRunner, Result

from docket.cli import cli
from tests.notifier.conftest import CASE, Sink, make_directory

FAST = ["--rate", "0", "--yes", "--retry-delay", "0.05", "--max-attempts", "3"]
MEMBERS = [
    ("anna@example.org", "Anna", "Meyer", "en_US"),
    ("ben@example.org", "Ben", "Müller", "de_DE"),
    ("clara@example.org", "Clara", "Weiß", "de"),
    ("zoe@example.net", "Zoë", "Dubois", "fr_FR"),
]


def notify(cases: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["notify", CASE, "--cases", str(cases), *args])


def runs(job: str, cases: Path, *args: str) -> Result:
    """`docket runs JOB CASE ...`: status, bounces, purge."""
    return CliRunner().invoke(cli, ["runs", job, CASE, "--cases", str(cases), *args])


def dsn(to: str, recipient: str | None, status: str, diagnostic: str, returned: str = "") -> bytes:
    """A DSN in Postfix's shape, delivered to `to` (the envelope sender of the bounced mail)."""
    final = f"Final-Recipient: rfc822; {recipient}\n" if recipient else ""
    return (
        f"Delivered-To: {to}\nFrom: MAILER-DAEMON@mx.example.org\nTo: {to}\n"
        "Subject: Undelivered Mail Returned to Sender\nDate: Tue, 1 Dec 2026 10:00:00 +0000\n"
        'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
        "--b\nContent-Type: text/plain\n\nThe mail system\n\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
        f"{final}Action: failed\nStatus: {status}\nDiagnostic-Code: smtp; {diagnostic}\n\n"
        f"--b\nContent-Type: text/rfc822-headers\n\n{returned}\n--b--\n"
    ).encode()


def maildir(path: Path, messages: list[bytes]) -> Path:
    box = mailbox.Maildir(path, create=True)
    for data in messages:
        box.add(data)
    return path


def rows(folder: Path) -> dict[str, dict[str, str]]:
    with (folder / "recipients.csv").open(encoding="utf-8", newline="") as handle:
        return {row["address"]: row for row in csv.DictReader(handle)}


def send(tmp_path: Path, cases: Path, sink: Sink, *extra: str) -> tuple[Path, dict[str, str]]:
    db = make_directory(tmp_path / "members.sqlite", MEMBERS)
    run = tmp_path / "run"
    result = notify(
        cases, "--directory", str(db), "--smtp", sink.url, "--journal", str(run), *FAST, *extra
    )
    assert result.exit_code == 0, result.output
    return run, {r.recipients[0]: r.sender for r in sink.received}


def test_bounces_fold_into_the_journal(tmp_path: Path, cases: Path, sink: Sink) -> None:
    run, senders = send(tmp_path, cases, sink)
    assert len(set(senders.values())) == 4  # one return path per recipient
    key = run / "verp.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    forged = re.sub(r"\.[0-9a-f]{16}@", ".0000000000000000@", senders["zoe@example.net"])
    box = maildir(
        tmp_path / "returns",
        [
            dsn(senders["anna@example.org"], "anna@example.org", "5.1.1",
                "550 5.1.1 <anna@example.org>: Recipient address rejected: User unknown"),
            # Final-Recipient says someone else (a forward): the token decides
            dsn(senders["ben@example.org"], "ben.forwarded@example.com", "5.2.2",
                "552 5.2.2 <ben.forwarded@example.com>: mailbox full"),
            dsn(forged, "zoe@example.net", "5.1.1", "550 5.1.1 forged: token of nobody"),
            dsn("returns@example.org", "never-sent-to@example.org", "5.1.1", "550 5.1.1 unknown"),
            (
                f"From: Clara <clara@example.org>\nTo: {senders['clara@example.org']}\n"
                "Subject: Automatic reply: Test notice\nAuto-Submitted: auto-replied\n\nAway.\n"
            ).encode(),
        ],
    )  # fmt: skip
    result = runs("bounces", cases, str(box), "--journal", str(run))
    assert result.exit_code == 0, result.output
    assert "5 message(s) read, 5 new" in result.output
    assert "2 report line(s) matched a recipient" in result.output
    assert "2 matched nobody" in result.output
    assert "bounced later: 2 of 4 accepted messages (2 permanent)" in result.output
    assert "user-unknown     5.1.1 (1)" in result.output
    assert "e.g. 550 5.1.1 <address>: Recipient address rejected: User unknown" in result.output
    assert "not bounces: 1 auto-replies, 0 complaints" in result.output
    assert "anna@example.org" not in result.output.split("bounced later")[1].split("report:")[0]
    table = rows(run)
    assert table["anna@example.org"]["state"] == "bounced"
    assert table["anna@example.org"]["reply"] == "250 2.0.0 OK queued"  # the sent record stays
    assert table["anna@example.org"]["bounce_class"] == "user-unknown"
    assert table["anna@example.org"]["bounce_status"] == "5.1.1"
    assert table["anna@example.org"]["bounce_date"] == "2026-12-01T10:00:00Z"
    assert table["ben@example.org"]["bounce_class"] == "mailbox-full"
    assert table["zoe@example.net"]["state"] == "sent"  # a forged token matches nobody
    assert table["clara@example.org"]["state"] == "sent"  # an auto-reply is no bounce
    report = json.loads((run / "report.json").read_text("utf-8"))
    assert report["counts"]["sent"] == 4  # what the server accepted, unchanged
    assert report["bounces"]["bounced"] == 2 and report["bounces"]["unmatched"] == 2
    domains = {d["domain"]: d for d in report["domains"]}
    assert domains["example.org"] == {
        "domain": "example.org", "sent": 3, "failed": 0, "deferred": 0, "bounced": 2
    }  # fmt: skip
    assert "by receiving domain (top 2 of 2):" in result.output

    before = (run / "recipients.csv").read_bytes()
    again = runs("bounces", cases, str(box), "--journal", str(run))
    assert again.exit_code == 0, again.output
    assert "5 message(s) read, 0 new (none), 5 folded before" in again.output
    assert (run / "recipients.csv").read_bytes() == before
    assert json.loads((run / "report.json").read_text("utf-8"))["bounces"] == report["bounces"]

    status = runs("status", cases, "--journal", str(run))
    assert "bounced after acceptance: 2 of 4 sent (1 mailbox-full, 1 user-unknown)" in (
        status.output
    )
    recorded = runs("bounces", cases, str(box), "--journal", str(run), "--record")
    assert recorded.exit_code == 0, recorded.output
    text = (cases / "2020" / f"{CASE}.md").read_text("utf-8")
    assert (
        "test-notice: 4 sent, 0 deferred, 0 failed, 0 invalid; 2 of the sent bounced later "
        "(1 mailbox-full, 1 user-unknown)" in text
    )


def test_without_verp_falls_back_to_recipient_and_message_id(
    tmp_path: Path, cases: Path, sink: Sink
) -> None:
    run, senders = send(tmp_path, cases, sink, "--no-verp")
    assert set(senders.values()) == {"returns@example.org"}
    assert not (run / "verp.key").exists()
    ben = next(r for r in sink.received if r.recipients[0] == "ben@example.org")
    message_id = ben.message["Message-ID"]
    box = maildir(
        tmp_path / "returns",
        [
            dsn("returns@example.org", "Anna@Example.org", "5.1.1", "550 5.1.1 no such user"),
            dsn("returns@example.org", None, "5.7.1", "554 5.7.1 rejected as spam",
                returned=f"To: somebody\nMessage-ID: {message_id}\n"),
        ],
    )  # fmt: skip
    result = runs("bounces", cases, str(box), "--journal", str(run))
    assert result.exit_code == 0, result.output
    table = rows(run)
    assert table["anna@example.org"]["bounce_class"] == "user-unknown"
    assert table["ben@example.org"]["bounce_class"] == "policy"


def test_a_missing_journal_is_a_clear_error_and_a_looser_key_is_tightened(
    tmp_path: Path, cases: Path, sink: Sink
) -> None:
    result = runs("bounces", cases, str(tmp_path), "--journal", str(tmp_path / "none"))
    assert result.exit_code == 1 and "no run journal in" in result.output
    run, _senders = send(tmp_path, cases, sink, "--limit", "1")
    os.chmod(run / "verp.key", 0o644)
    db = tmp_path / "members.sqlite"
    result = notify(
        cases, "--directory", str(db), "--smtp", sink.url, "--journal", str(run), *FAST,
        "--limit", "0",  # the run kept its --limit 1: lift it
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((run / "verp.key").stat().st_mode) == 0o600  # the run folder's rule
    assert len({r.sender for r in sink.received}) == 4  # the same key: tokens stay valid


def test_purge_blanks_the_bounces_too(tmp_path: Path, cases: Path, sink: Sink) -> None:
    run, senders = send(tmp_path, cases, sink)
    box = maildir(
        tmp_path / "returns",
        [dsn(senders["anna@example.org"], "anna@example.org", "5.1.1",
             "550 5.1.1 <anna@example.org>: Recipient address rejected: User unknown")],
    )  # fmt: skip
    assert runs("bounces", cases, str(box), "--journal", str(run)).exit_code == 0
    purged = runs("purge", cases, "--journal", str(run), "--yes")
    assert purged.exit_code == 0, purged.output
    assert b"anna@example.org" not in (run / "journal.sqlite").read_bytes()
    report = json.loads((run / "report.json").read_text("utf-8"))
    assert report["bounces"]["by_class"][0]["count"] == 1  # the counts stay
    assert report["domains"] == []  # no addresses left to take domains from


FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "bounces"


def test_an_unrecognised_report_is_said_once_and_a_known_one_is_not(
    tmp_path: Path, cases: Path, sink: Sink
) -> None:
    run, senders = send(tmp_path, cases, sink)
    odd = (FIXTURES / "unrecognised.eml").read_bytes()
    known = (
        (FIXTURES / "exim-retry.eml")
        .read_bytes()
        .replace(b"sara@slow.example.net", b"anna@example.org")
        .replace(
            b"returns+24.0123456789abcdef@cacert.example", senders["anna@example.org"].encode()
        )
    )
    box = maildir(tmp_path / "returns", [odd, known])
    result = notify(cases, "--journal", str(run), "--bounces", str(box))
    assert result.exit_code == 0, result.output
    assert result.output.count("unrecognised report from") == 1
    assert "unrecognised report from odd.example.org: kept as other" in result.output
    assert rows(run)["anna@example.org"]["bounce_class"] == "expired"
    # the journal keeps only the server's codes: a derived status is not stored as one
    assert rows(run)["anna@example.org"]["bounce_status"] == ""
