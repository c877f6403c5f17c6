"""RFC 3464 fields (notifier/bounces/dsn.py): the same findings from a well-formed
message/delivery-status part and from the fields pasted as plain text, misspellings included."""

from __future__ import annotations

from email import message_from_bytes
from email.message import Message

from notifier.bounces.dsn import STATUS_TYPES, blocks_of, blocks_of_text, findings_of, typed_value
from tests.support.paths import FIXTURES

REPORT = """Reporting-MTA: dns; mx.example.net
Arrival-Date: Tue, 8 Apr 2014 10:00:00 +0000

Final-Recipient: rfc822; ghost@example.net
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <ghost@example.net>...
  User unknown

Original-Recipient: rfc822;Ida@Example.NET
Final-Recipient: rfc822; ida@example.net
Action: Delayed.
Status: 4.2.2 (mailbox full)
"""


def test_text_blocks_unfold_continuations_and_lower_the_names() -> None:
    first, ghost, ida = blocks_of_text(REPORT.replace("\n", "\r\n"))
    assert first == {"reporting-mta": "dns; mx.example.net", "arrival-date": first["arrival-date"]}
    assert ghost["diagnostic-code"] == "smtp; 550 5.1.1 <ghost@example.net>... User unknown"
    assert ida["original-recipient"] == "rfc822;Ida@Example.NET"


def test_findings_in_the_report_order_with_the_reporting_mta() -> None:
    mta, findings = findings_of(blocks_of_text(REPORT))
    assert mta == "mx.example.net"
    ghost, ida = findings
    assert (ghost.recipient, ghost.action, ghost.status) == ("ghost@example.net", "failed", "5.1.1")
    assert ghost.reply == "550 5.1.1 <ghost@example.net>... User unknown"
    assert ghost.reply_type == "smtp"
    # a misspelt action is still read; the words after the status are the reply when no
    # Diagnostic-Code gives one
    assert (ida.action, ida.status, ida.reply) == ("delayed", "4.2.2", "mailbox full")
    assert ida.original_recipient == "Ida@Example.NET"


def test_a_status_comment_that_only_names_the_code_is_no_reply() -> None:
    text = "Final-Recipient: rfc822; a@example.org\nAction: fail\n"
    text += "Status: 4.4.7 (Persistent transient failure - delivery time expired)\n"
    _, [finding] = findings_of(blocks_of_text(text))
    assert (finding.action, finding.status, finding.reply) == ("failed", "4.4.7", "")


def test_an_unknown_action_counts_as_failed_and_a_block_without_a_recipient_is_skipped() -> None:
    text = "Reporting-MTA: dns; a.example\n\nAction: vanished\nStatus: 5.0.0\n\nX-Note: hello\n"
    mta, [finding] = findings_of(blocks_of_text(text))
    assert mta == "a.example"
    assert (finding.recipient, finding.action) == (None, "failed")


def test_typed_values() -> None:
    assert typed_value("rfc822; <a@example.org>") == "a@example.org"
    assert typed_value("smtp; 550 5.1.1 no such user") == "550 5.1.1 no such user"
    assert typed_value("no type here") == "no type here"


def _status_part(message: Message) -> Message:
    return next(p for p in message.walk() if p.get_content_type() in STATUS_TYPES)


def test_a_parsed_status_part_gives_the_same_fields_as_its_text() -> None:
    raw = (FIXTURES / "bounces" / "sendmail-dsn-three.eml").read_bytes()
    part = _status_part(message_from_bytes(raw))
    blocks = blocks_of(part)
    mta, findings = findings_of(blocks)
    assert mta == "mx.example.net"
    assert [f.recipient for f in findings] == [
        "ghost@example.net",
        "hanna@example.net",
        "ida@example.net",
    ]
    as_text = "\n\n".join("\n".join(f"{k}: {v}" for k, v in b.items()) for b in blocks)
    assert findings_of(blocks_of_text(as_text)) == (mta, findings)


def test_a_mislabelled_status_part_is_read_as_text() -> None:
    """A report whose fields came as text/plain (a relay relabelled it): the same blocks."""
    raw = b"Content-Type: text/plain; charset=us-ascii\n\n" + REPORT.encode()
    part = message_from_bytes(raw)
    assert [b.get("action") for b in blocks_of(part)] == [None, "failed", "Delayed."]
