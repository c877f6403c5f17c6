"""A run's journal as `docket notify` leaves it before sending: bound to an action and holding
its recipients, for tests (and bench/) that work on the journal itself."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from notifier.ledger.journal import Journal

CASE, ACTION = "a20200102.1", "test-notice"
DIGEST = "sha256:" + "1" * 64  # an approval digest; the journal only compares it


def snapshotted_journal(
    folder: Path, rows: Iterable[tuple[str, dict[str, Any]]], batch: int = 5000
) -> Journal:
    """A journal in `folder`, bound to the test action and holding `rows` (address, values)."""
    journal = Journal(folder)
    journal.bind(CASE, ACTION, DIGEST)
    journal.snapshot(iter(rows), batch=batch)
    return journal
