"""Outcomes by receiving domain (notifier/ledger/domains.py), from a real journal: the domains
with the most messages tried first, the rest only counted."""

from __future__ import annotations

import time
from pathlib import Path

from notifier.ledger.domains import DomainCounts, by_domain
from notifier.ledger.journal import Result, State
from tests.support.journal import snapshotted_journal

OUTCOMES = {
    "a@big.example": State.SENT,
    "b@big.example": State.FAILED,
    "c@BIG.example": State.DEFERRED,
    "d@small.example": State.SENT,
    "e@other.example": State.FAILED,
}


def test_domains_by_messages_tried(tmp_path: Path) -> None:
    rows = [*((a, {}) for a in OUTCOMES), ("queued@never.example", {})]
    journal = snapshotted_journal(tmp_path / "run", rows)
    claimed = journal.claim(len(OUTCOMES), time.time(), resend_uncertain=True)
    journal.record(Result(c.id, OUTCOMES[c.address], "reply") for c in claimed)
    top, count = by_domain(journal)
    assert count == 3  # never.example: nothing tried yet
    assert top[0] == DomainCounts("big.example", sent=1, failed=1, deferred=1, bounced=0)
    assert top[0].total == 3
    assert [d.domain for d in top[1:]] == ["other.example", "small.example"]  # ties by name
    assert by_domain(journal, top=1) == ([top[0]], 3)
