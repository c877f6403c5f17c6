"""One mail in, what it says out (notifier/bounces/parse.py): the kind and format of each fixture
report, the identifiers a match needs (Delivered-To, returned Message-IDs), the reporting host,
and never an error on input that is no mail."""

from __future__ import annotations

import pytest

from notifier.bounces.findings import AUTO_REPLY, BOUNCE, COMPLAINT, DELIVERED, OTHER
from notifier.bounces.parse import MAX_BYTES, parse
from tests.support.paths import FIXTURES

BOUNCES = FIXTURES / "bounces"

# fixture -> (kind, format, reporter)
KINDS = {
    "sendmail-dsn-three.eml": (BOUNCE, "rfc3464", "mx.example.net"),
    "arf-complaint.eml": (COMPLAINT, "arf", None),
    "vacation.eml": (AUTO_REPLY, "rfc3834", None),
    "delivered.eml": (DELIVERED, "rfc3464", "mx.example.org"),
    "exim.eml": (BOUNCE, "exim", "smtp.example.com"),
    "not-mail.eml": (OTHER, "none", None),
}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_kind_format_and_reporter(name: str) -> None:
    parsed = parse((BOUNCES / name).read_bytes())
    assert (parsed.kind, parsed.format, parsed.reporter) == KINDS[name]


def test_a_dsn_keeps_its_envelope_and_the_returned_message_id() -> None:
    parsed = parse((BOUNCES / "sendmail-dsn-three.eml").read_bytes())
    assert parsed.mta == "mx.example.net"
    assert "returns+7.00112233445566ff@cacert.example" in parsed.delivered_to
    assert parsed.message_ids == [
        "<0123456789abcdef0123456789abcdef.n1.a20140408.1@cacert.example>"
    ]
    assert [(f.recipient, f.action) for f in parsed.findings] == [
        ("ghost@example.net", "failed"),
        ("hanna@example.net", "failed"),
        ("ida@example.net", "delayed"),
    ]
    # the report's human-readable text travels with each finding, for reasons said only there
    assert all(f.context for f in parsed.findings)


def test_a_complaint_names_the_complainer_and_the_feedback_type() -> None:
    [finding] = parse((BOUNCES / "arf-complaint.eml").read_bytes()).findings
    assert (finding.recipient, finding.action, finding.reply) == (
        "uwe@example.com",
        "complaint",
        "feedback-type: abuse",
    )


def test_an_auto_reply_is_the_sender_and_its_subject() -> None:
    [finding] = parse((BOUNCES / "vacation.eml").read_bytes()).findings
    assert (finding.recipient, finding.action) == ("vera@example.org", "auto-reply")
    assert finding.reply == "Out of office: Notice"


def test_a_bounce_of_our_own_bounce_address_is_not_our_recipient_ignored() -> None:
    """The loop report names returns+55...: kept (it is what the report says), x-postfix type."""
    [finding] = parse((BOUNCES / "bounce-loop.eml").read_bytes()).findings
    assert finding.recipient == "returns+55.1212121212121212@cacert.example"
    assert finding.reply_type == "x-postfix"


@pytest.mark.parametrize(
    "raw",
    [b"", b"\x00\xff\xfe garbage", b"Subject: hi\n\nnothing to see", b"From: \n\n" * 1000],
)
def test_input_that_is_no_report_is_other_never_an_error(raw: bytes) -> None:
    parsed = parse(raw)
    assert parsed.kind == OTHER and parsed.findings == []


def test_only_the_first_max_bytes_are_read() -> None:
    """A huge returned message cannot slow a run: what is past MAX_BYTES is not looked at."""
    head = b"From: MAILER-DAEMON@mx.example.net\nSubject: failure notice\n\n"
    head += b"Hi. This is the qmail-send program at mx.example.net.\n\n"
    late = b"<late-victim@example.net>:\n550 5.1.1 unknown user\n"
    assert [f.recipient for f in parse(head + late).findings] == ["late-victim@example.net"]
    padded = head + b"x" * MAX_BYTES + b"\n" + late
    assert "late-victim@example.net" not in [f.recipient for f in parse(padded).findings]
