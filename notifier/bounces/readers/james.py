"""Apache James: "Error message below:" then the reply, "Message details:" with "RCPT TO:"."""

from __future__ import annotations

from notifier.bounces.readers import Reader, marks

READER = Reader(
    "james",
    (
        "error message below:",
        "james smtp server",
        ".javamail.",
        "[bounce]",
    ),
    marks(
        r"^Error message below:",
        r"JAMES SMTP Server",
        r"^Message-ID: <\d+\.\d+\.JavaMail\.",
        r"^Subject: \[BOUNCE\]",
    ),
)
