"""Every reader, in the order they are tried: the specific families first, the shared shapes of
notifier/bounces/text_bounces.py next, the variants of qmail and sendmail last."""

from __future__ import annotations

from notifier.bounces.readers import (
    Reader,
    courier,
    domino,
    exchange2003,
    google_groups,
    james,
    japanese_mobile,
    messaging_server,
    qmail_variants,
    sendmail_variants,
    workmail,
)
from notifier.bounces.reasons import Reason

FIRST: tuple[Reader, ...] = (
    exchange2003.READER,
    domino.READER,
    google_groups.READER,
    japanese_mobile.READER,
    messaging_server.READER,
    james.READER,
    workmail.READER,
    courier.READER,
)
LAST: tuple[Reader, ...] = (qmail_variants.READER, sendmail_variants.READER)
_REASONS: dict[str, tuple[Reason, ...]] = {r.name: r.reasons for r in FIRST + LAST if r.reasons}


def first_reader(head: str) -> Reader | None:
    """The first specific family whose marks the head (headers and text) shows."""
    lowered = head.lower()
    for reader in FIRST:
        if reader.reads(head, lowered):
            return reader
    return None


def last_reader(head: str) -> Reader | None:
    lowered = head.lower()
    for reader in LAST:
        if reader.reads(head, lowered):
            return reader
    return None


def reasons_for(format_name: str) -> tuple[Reason, ...]:
    """A format's own reasons (empty for formats that have none)."""
    return _REASONS.get(format_name, ())
