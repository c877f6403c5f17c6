"""Amazon WorkMail: X-Mailer (or X-Original-Mailer) "Amazon WorkMail", "Technical report:"."""

from __future__ import annotations

from notifier.bounces.readers import Reader, marks

READER = Reader(
    "workmail",
    ("amazon workmail",),
    marks(r"^X-(Original-)?Mailer: Amazon WorkMail", r"Amazon WorkMail v\d"),
)
