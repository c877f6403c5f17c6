"""IBM (Lotus) Domino: "DELIVERY FAILURE:" subjects, "was not delivered to: / because:" bodies."""

from __future__ import annotations

from notifier.bounces.readers import Reader, marks

READER = Reader(
    "domino",
    (
        "delivery failure:",
        "domino",
        "name & address book",
        "was not delivered to:",
    ),
    marks(
        r"^Subject: DELIVERY FAILURE:",
        r"not listed in (the )?Domino Directory",
        r"not listed in public Name & Address Book",
        r"Domino ディレクトリ",
        r"^was not delivered to:\s*$",
    ),
)
