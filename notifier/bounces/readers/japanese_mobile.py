"""Japanese mobile carriers' notices: au (EZweb, KDDI), NTT docomo, SoftBank.

au's reports say "The user(s) account is ..." or "Your mail sent on: ... Could not be delivered
to: <...> As their mailbox is full."; the carriers' hosts and senders mark the rest.
"""

from __future__ import annotations

from notifier.bounces.readers import Reader, marks
from notifier.bounces.reasons import (
    EXPIRED,
    HOST_UNKNOWN,
    MAILBOX_DISABLED,
    MAILBOX_FULL,
    POLICY,
    reader_reason,
)

READER = Reader(
    "japanese-mobile",
    (
        'ezweb.ne.jp',
        'au.com',
        'your mail sent on:',
        'your mail attempted',
        'the user(s) account is',
        'docomo.ne.jp',
        'softbank',
        'dion.ne.jp',
    ),
    marks(
        r"Postmaster@(ezweb\.ne\.jp|au\.com)",
        r"ezweb\.ne\.jp \(EZweb Mail\)",
        r"^Your mail (sent|attempted to be delivered) on:",
        r"The user\(s\) account is",
        r"@(docomo\.ne\.jp|softbank\.ne\.jp|i\.softbank\.jp|[\w.-]+\.dion\.ne\.jp)\b",
    ),
    (
        reader_reason(
            "mailboxfull", MAILBOX_FULL, "2.2",
            (
                r"account is temporarily over quota|as their mailbox is full",
                "As their mailbox is full.",
            ),
        ),
        reader_reason(
            "suspend", MAILBOX_DISABLED, "2.1",
            (
                r"the user\(s\) account is (disabled|temporarily limited)",
                "The user(s) account is disabled.",
            ),
        ),
        reader_reason(
            "expired", EXPIRED, "4.7",
            (
                r"your message was not delivered within",
                "Your message was not delivered within 0 days and 1 hours.",
            ),
        ),
        reader_reason(
            "norelaying", POLICY, "7.1",
            (
                r"due to the following smtp relay error",
                "Due to the following SMTP relay error",
            ),
        ),
        reader_reason(
            "hostunknown", HOST_UNKNOWN, "1.2",
            (
                r"as the remote domain doesn'?t exist",
                "As the remote domain doesnt exist.",
            ),
        ),
    ),
)  # fmt: skip
