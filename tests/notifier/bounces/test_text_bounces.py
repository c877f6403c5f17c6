"""Bounces without a delivery-status part (notifier/bounces/text_bounces.py): the MTA by its
wording, each failed address with the SMTP reply nearest to it, never our own addresses."""

from __future__ import annotations

import pytest

from notifier.bounces.text_bounces import detect_format, find_failures, find_reply

QMAIL = """Hi. This is the qmail-send program at mx.example.org.
I'm afraid I wasn't able to deliver your message to the following addresses.

<karl@example.org>:
Sorry, no mailbox here by that name. (#5.1.1)

<lena@example.org>:
192.0.2.7 failed after I sent the message.
Remote host said: 552 5.2.2 Mailbox quota exceeded
"""


@pytest.mark.parametrize(
    ("text", "sender", "shape"),
    [
        (QMAIL, "MAILER-DAEMON@mx.example.org", "qmail"),
        ("This is the mail system at host mx.example.net.", "", "postfix"),
        ("This message was created automatically by mail delivery software.", "", "exim"),
        ("Delivery has failed to these recipients or groups:", "", "exchange"),
        ("Your message could not be delivered. Sorry.", "postmaster@odd.example", "text"),
    ],
)
def test_the_shape_is_known_by_its_wording(text: str, sender: str, shape: str) -> None:
    assert detect_format(text, sender) == shape


def test_each_address_gets_the_reply_in_its_own_segment() -> None:
    karl, lena = find_failures(QMAIL, ignore=set())
    assert (karl.recipient, karl.status, karl.reply) == (
        "karl@example.org",
        "5.1.1",
        "Sorry, no mailbox here by that name. (#5.1.1)",
    )
    assert (lena.recipient, lena.status) == ("lena@example.org", "5.2.2")
    assert lena.reply == "552 5.2.2 Mailbox quota exceeded"
    assert {karl.action, lena.action} == {"failed"}


def test_our_own_addresses_daemons_and_return_paths_are_no_failures() -> None:
    text = QMAIL + "\nMAILER-DAEMON@mx.example.org\nreturns+42.0123456789abcdef@cacert.example\n"
    text += "notices@cacert.example\n"
    found = [f.recipient for f in find_failures(text, ignore={"notices@cacert.example"})]
    assert found == ["karl@example.org", "lena@example.org"]


def test_named_failed_recipients_are_the_only_ones_and_all_of_them() -> None:
    """Exim's X-Failed-Recipients: other addresses in the text are not failures, and a listed
    address the text never names is still one."""
    found = find_failures(QMAIL, ignore=set(), failed=["lena@example.org", "nina@example.org"])
    assert [f.recipient for f in found] == ["lena@example.org", "nina@example.org"]


def test_an_address_only_in_a_quoted_header_is_the_recipient_when_nothing_else_is() -> None:
    text = (
        "Your message could not be delivered.\n550 5.1.1 User unknown\n\n  To: olga@example.net\n"
    )
    [finding] = find_failures(text, ignore=set())
    assert (finding.recipient, finding.reply) == ("olga@example.net", "550 5.1.1 User unknown")
    with_other = text + "\n<pia@example.net>: 550 5.1.1 no such user\n"
    assert [f.recipient for f in find_failures(with_other, ignore=set())] == ["pia@example.net"]


def test_the_reply_of_a_bounce_that_names_no_address() -> None:
    text = "Delivery failed.\r\nThe server said: 554 5.7.1 Message rejected as spam\r\n"
    assert find_reply(text) == "554 5.7.1 Message rejected as spam"
