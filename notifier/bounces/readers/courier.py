"""Courier MTA: "This is a delivery status notification from ..., running the Courier mail
server", "UNDELIVERABLE MAIL" / "DELAYS IN DELIVERING YOUR MESSAGE", `<<<` replies."""

from __future__ import annotations

from notifier.bounces.readers import Reader, marks

READER = Reader(
    "courier",
    (
        "courier",
        "undeliverable mail",
        "delays in delivering your message",
        "notice: mail delivery status.",
        "warning: delayed mail.",
    ),
    marks(
        r"running the Courier mail server",
        r"Courier mail server at ",
        r"^\s*(UNDELIVERABLE MAIL|DELAYS IN DELIVERING YOUR MESSAGE)\s*$",
        r"^Message-ID: <courier\.[0-9A-F]+\.",
        r"^Subject: (NOTICE: mail delivery status\.|WARNING: delayed mail\.)",
    ),
)
