"""Bounces in the journal: their own tables beside `recipients`, whose `sent` rows stay as they
were (the server's acceptance is history); a recipient shows as `bounced` while a failed
report for it is here.

`bounce_messages` remembers every folded message by digest, so folding a mailbox twice changes
nothing, and counts what matched nobody (never guessed) and what was no bounce.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from notifier.ledger.journal import Journal

SCHEMA = """
CREATE TABLE IF NOT EXISTS bounces (
    recipient_id INTEGER PRIMARY KEY REFERENCES recipients (id),
    action TEXT NOT NULL,
    class TEXT NOT NULL,
    status TEXT,
    permanent INTEGER NOT NULL,
    reply TEXT NOT NULL,
    at REAL NOT NULL,
    matched_by TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bounce_messages (
    digest TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    lines INTEGER NOT NULL,
    matched INTEGER NOT NULL,
    unmatched INTEGER NOT NULL,
    folded_at REAL NOT NULL
);
"""


def ensure(journal: Journal) -> None:
    journal.db.executescript(SCHEMA)


@dataclass(frozen=True, slots=True)
class Bounce:
    """A report about one recipient, to be kept unless a stronger one is already there."""

    recipient_id: int
    action: str
    klass: str
    status: str | None
    permanent: bool
    reply: str
    at: float
    matched_by: str
    message: str


@dataclass(frozen=True, slots=True)
class Folded:
    """One message's outcome: its kind and how many of its lines matched a recipient."""

    digest: str
    kind: str
    lines: int
    matched: int
    unmatched: int


def _strength(action: str, permanent: bool) -> int:
    return (2 if action == "failed" else 1) + (1 if permanent else 0)


def known(journal: Journal, digest: str) -> bool:
    row = journal.db.execute("SELECT 1 FROM bounce_messages WHERE digest = ?", (digest,))
    return row.fetchone() is not None


def store(journal: Journal, folded: Folded, bounces: Iterable[Bounce]) -> int:
    """Keep one message's reports in one transaction; returns how many rows changed.

    A failed report outranks a delayed one and a permanent one a temporary one; of equals, the
    later one is kept.
    """
    changed = 0
    db = journal.db
    db.execute("BEGIN IMMEDIATE")
    try:
        for b in bounces:
            old = db.execute(
                "SELECT action, permanent, at FROM bounces WHERE recipient_id = ?",
                (b.recipient_id,),
            ).fetchone()
            if old is not None:
                old_strength = _strength(str(old[0]), bool(old[1]))
                new_strength = _strength(b.action, b.permanent)
                if new_strength < old_strength or (
                    new_strength == old_strength and b.at < float(old[2])
                ):
                    continue
            db.execute(
                "INSERT OR REPLACE INTO bounces (recipient_id, action, class, status, permanent,"
                " reply, at, matched_by, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    b.recipient_id,
                    b.action,
                    b.klass,
                    b.status,
                    int(b.permanent),
                    b.reply,
                    b.at,
                    b.matched_by,
                    b.message,
                ),
            )
            changed += 1
        db.execute(
            "INSERT OR IGNORE INTO bounce_messages (digest, kind, lines, matched, unmatched,"
            " folded_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                folded.digest,
                folded.kind,
                folded.lines,
                folded.matched,
                folded.unmatched,
                time.time(),
            ),
        )
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return changed


@dataclass
class BounceTotals:
    """What the bounce tables say, for the report, --status and --record."""

    bounced: int = 0
    permanent: int = 0
    delayed: int = 0
    by_class: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, dict[str, int]] = field(default_factory=dict)
    samples: dict[str, str] = field(default_factory=dict)
    messages: int = 0
    unmatched: int = 0
    auto_replies: int = 0
    complaints: int = 0
    delivered: int = 0
    other: int = 0

    @property
    def any(self) -> bool:
        return self.messages > 0


def totals(journal: Journal) -> BounceTotals:
    """Counts of the folded reports: bounced recipients by class, and what was no bounce."""
    ensure(journal)
    db = journal.db
    out = BounceTotals()
    for action, klass, status, permanent, n in db.execute(
        "SELECT b.action, b.class, COALESCE(b.status, ''), b.permanent, COUNT(*) FROM bounces b"
        " JOIN recipients r ON r.id = b.recipient_id WHERE r.state = 'sent' GROUP BY 1, 2, 3, 4"
    ):
        if action != "failed":
            out.delayed += int(n)
            continue
        out.bounced += int(n)
        out.permanent += int(n) if permanent else 0
        out.by_class[str(klass)] = out.by_class.get(str(klass), 0) + int(n)
        codes = out.statuses.setdefault(str(klass), {})
        codes[str(status) or "none"] = codes.get(str(status) or "none", 0) + int(n)
    for klass, reply, _first in db.execute(
        "SELECT class, reply, MIN(recipient_id) FROM bounces WHERE action = 'failed' GROUP BY class"
    ):
        out.samples[str(klass)] = str(reply)
    for kind, n, unmatched in db.execute(
        "SELECT kind, COUNT(*), SUM(unmatched) FROM bounce_messages GROUP BY kind"
    ):
        out.messages += int(n)
        out.unmatched += int(unmatched or 0)
        if kind == "auto-reply":
            out.auto_replies += int(n)
        elif kind == "complaint":
            out.complaints += int(n)
        elif kind == "delivered":
            out.delivered += int(n)
        elif kind in ("other", "unreadable"):
            out.other += int(n)
    out.by_class = dict(sorted(out.by_class.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


def rows_with_bounces(journal: Journal) -> Iterator[tuple[Any, ...]]:
    """Each recipient in audience order (address, state, reply, attempts, uncertain, updated,
    language) and its failed report (class, status, time) or Nones. The language is read by
    SQLite (json_extract), not by decoding every row's data in Python."""
    ensure(journal)
    cursor = journal.db.execute(
        "SELECT r.address,"
        " CASE WHEN b.action = 'failed' AND r.state = 'sent' THEN 'bounced' ELSE r.state END,"
        " r.reply, r.attempts, r.uncertain, r.updated_at, json_extract(r.data, '$.language'),"
        " b.class, b.status, b.at"
        " FROM recipients r LEFT JOIN bounces b ON b.recipient_id = r.id ORDER BY r.id"
    )
    while True:
        chunk = cursor.fetchmany(2000)
        if not chunk:
            return
        yield from chunk
