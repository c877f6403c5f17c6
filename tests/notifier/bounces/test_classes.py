"""The status code decides; the text only where the code is generic; permanent vs temporary."""

from __future__ import annotations

import pytest

from notifier.bounces.classes import classify

CASES = [
    ("5.1.1", "550 5.1.1 spam blocked", "failed", "user-unknown", True),  # the code wins
    ("5.7.1", "550 5.7.1 <x@y>: Recipient address rejected: User unknown", "failed",
     "user-unknown", True),  # generic 5.7.1: the text decides
    ("5.7.1", "554 5.7.1 rejected: listed at zen.spamhaus.org", "failed", "policy", True),
    ("5.7.1", "554 5.7.1 nothing said", "failed", "policy", True),
    ("5.0.0", "550 5.0.0 mailbox full", "failed", "mailbox-full", True),
    ("4.0.0", "451 4.0.0 greylisted, try again later", "delayed", "policy", False),
    ("5.1.2", "", "failed", "host-unknown", True),
    ("5.4.4", "Host or domain name not found", "failed", "host-unknown", True),
    ("5.2.1", "", "failed", "mailbox-disabled", True),
    ("5.7.13", "", "failed", "mailbox-disabled", True),
    ("4.2.2", "452 4.2.2 over quota", "failed", "mailbox-full", False),
    ("5.3.4", "", "failed", "message", True),
    ("5.6.0", "", "failed", "message", True),
    ("4.4.7", "", "failed", "expired", True),
    ("4.4.1", "connect: Connection timed out", "delayed", "network", False),
    ("5.3.0", "", "failed", "system", True),
    (None, "550 Requested action not taken: mailbox unavailable", "failed", "user-unknown", True),
    (None, "552 Requested mail action aborted", "failed", "mailbox-full", True),
    (None, "421 too many connections from your IP", "failed", "policy", False),
    (None, "something odd happened", "failed", "other", True),
    (None, "Sorry, no mailbox here by that name. (#5.1.1)", "failed", "user-unknown", True),
    ("5.1.10", "550 5.1.10 RESOLVER.ADR.RecipientNotFound", "failed", "user-unknown", True),
    ("5.1.10", "556 5.1.10 domain has null MX", "failed", "host-unknown", True),
    ("garbage", "550 5.1.1 x", "failed", "user-unknown", True),
    ("2.0.0", "250 ok", "delivered", "delivered", False),
]  # fmt: skip


@pytest.mark.parametrize(("status", "text", "action", "klass", "permanent"), CASES)
def test_classify(status: str | None, text: str, action: str, klass: str, permanent: bool) -> None:
    assert classify(status, text, action) == (klass, permanent)
