"""Sendmail's relatives (V5 sendmail, hMailServer, MDaemon, IMail/SMTP32, InterScan, MailEnable,
LSMTP): the session transcript, "Original message follows.", "Error-for:"."""

from __future__ import annotations

from notifier.bounces.readers import Reader, marks

READER = Reader(
    "sendmail",
    (
        "message follows",
        "the original message was received at",
        "session transcript",
        "permanent fatal delivery errors",
        "interscan",
        "mailenable: ",
        "hmailserver sent:",
        "error-for: ",
    ),
    marks(
        r"-----\s*(Unsent|Original) message follows\s*-----",
        r"^The original message was received at",
        r"^\s*-{2,} Session Transcript -{2,}",
        r"PERMANENT fatal delivery errors",
        r"^Original message follows\.",
        r"Message from InterScan",
        r"^MailEnable: ",
        r"hMailServer sent:",
        r"^Error-for: ",
    ),
)
