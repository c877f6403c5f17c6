"""qmail's relatives and imitators (vpopmail, Outblaze, MessageLabs, xinnet ...): qmail-send's
wording without "This is the qmail-send program"."""

from __future__ import annotations

from notifier.bounces.readers import Reader, marks

READER = Reader(
    "qmail",
    (
        "wasn't able to deliver your message",
        "program at",
        "mail delivery agent at",
        "vdelivermail",
        "vpopmail",
        "hi. this is the",
    ),
    marks(
        r"I'm afraid I wasn't able to deliver your message to the following addresses",
        r"This is the (deliver|mail delivery agent|MTA) program at",
        r"The MTA program at [\w.-]+ was unable to deliver",
        r"This is the mail delivery agent at",
        r"^Hi\. This is the [\w -]+ at [\w.-]+\.",
        r"\bvdelivermail\b|\bvpopmail\b",
    ),
)
