"""Putting failed recipients back in the queue: by hand (`--requeue-failed [PATTERN]`) after the
cause was fixed, and by the run itself when a streak of refusals turned out to be about the
sender or the relay. Every re-queueing by hand is logged, and the report lists the log.

A table of its own beside the journal's, so the journal's own tables keep their shape.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from notifier.ledger.journal import Journal, State

SCHEMA = """
CREATE TABLE IF NOT EXISTS requeues (
    at REAL NOT NULL,
    pattern TEXT NOT NULL,
    count INTEGER NOT NULL
);
"""


def requeue_failed(journal: Journal, pattern: str) -> int:
    """Queue again every failed recipient whose reply contains `pattern` (case-insensitive;
    empty: every failed one), with its attempts reset; returns how many."""
    db = journal.db
    db.executescript(SCHEMA)
    db.execute("BEGIN IMMEDIATE")
    try:
        cursor = db.execute(
            "UPDATE recipients SET state = ?, attempts = 0, reply = NULL, next_at = NULL,"
            " updated_at = ? WHERE state = ? AND instr(lower(coalesce(reply, '')), lower(?)) > 0",
            (State.QUEUED, time.time(), State.FAILED, pattern),
        )
        count = cursor.rowcount
        db.execute(
            "INSERT INTO requeues (at, pattern, count) VALUES (?, ?, ?)",
            (time.time(), pattern, count),
        )
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return count


def count_failed(journal: Journal, pattern: str) -> int:
    """How many `requeue_failed` would queue again (for the plan, before anything changes)."""
    row = journal.db.execute(
        "SELECT COUNT(*) FROM recipients"
        " WHERE state = ? AND instr(lower(coalesce(reply, '')), lower(?)) > 0",
        (State.FAILED, pattern),
    ).fetchone()
    return int(row[0])


def requeue_ids(journal: Journal, ids: Iterable[int]) -> int:
    """Queue again recipients a refusal of the sender or relay had marked failed; the attempt
    does not count. How many were failed and are queued now (an id in another state is left)."""
    values = [(State.QUEUED, time.time(), i, State.FAILED) for i in ids]
    if not values:
        return 0
    db = journal.db
    db.execute("BEGIN IMMEDIATE")
    try:
        cursor = db.executemany(
            "UPDATE recipients SET state = ?, attempts = MAX(0, attempts - 1), reply = NULL,"
            " next_at = NULL, updated_at = ? WHERE id = ? AND state = ?",
            values,
        )
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return cursor.rowcount


def requeue_log(journal: Journal) -> list[dict[str, Any]]:
    """Every re-queueing by hand, oldest first (for report.json)."""
    journal.db.executescript(SCHEMA)
    return [
        {
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at)),
            "pattern": pattern,
            "count": count,
        }
        for at, pattern, count in journal.db.execute(
            "SELECT at, pattern, count FROM requeues ORDER BY at"
        )
    ]
