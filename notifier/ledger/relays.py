"""What each relay of a run did, kept in the journal so that `docket runs status` (while the run
goes on, from another process) and the report can say it: outcomes by relay, how often it was
taken out, and its last error. A table of its own beside the journal's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from notifier.ledger.journal import Journal

SCHEMA = """
CREATE TABLE IF NOT EXISTS relay_counts (
    relay TEXT NOT NULL,
    state TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (relay, state)
);
CREATE TABLE IF NOT EXISTS relay_health (
    relay TEXT PRIMARY KEY,
    taken_out INTEGER NOT NULL,
    last_error TEXT NOT NULL,
    state TEXT NOT NULL
);
"""


@dataclass
class RelayRecord:
    relay: str
    counts: dict[str, int] = field(default_factory=dict)
    taken_out: int = 0
    last_error: str = ""
    state: str = ""

    def line(self) -> str:
        counts = ", ".join(f"{n} {state}" for state, n in self.counts.items() if n) or "nothing"
        out = (
            f"; taken out {self.taken_out} time(s), last: {self.last_error}"
            if self.taken_out
            else ""
        )
        state = f" [{self.state}]" if self.state else ""
        return f"relay {self.relay}{state}: {counts}{out}"


def ensure(journal: Journal) -> None:
    journal.db.executescript(SCHEMA)


def add_counts(journal: Journal, counts: Mapping[str, Mapping[str, int]]) -> None:
    """Add outcomes (relay -> state -> how many) to what the journal holds."""
    rows = [(relay, state, n) for relay, by in counts.items() for state, n in by.items() if n]
    if not rows:
        return
    ensure(journal)
    journal.db.execute("BEGIN IMMEDIATE")
    try:
        journal.db.executemany(
            "INSERT INTO relay_counts (relay, state, count) VALUES (?, ?, ?)"
            " ON CONFLICT (relay, state) DO UPDATE SET count = count + excluded.count",
            rows,
        )
    except BaseException:
        journal.db.execute("ROLLBACK")
        raise
    journal.db.execute("COMMIT")


def set_health(journal: Journal, relay: str, taken_out: int, last_error: str, state: str) -> None:
    """This run's view of a relay (taken out so far in all runs, its last error, its state)."""
    ensure(journal)
    journal.db.execute(
        "INSERT INTO relay_health (relay, taken_out, last_error, state) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (relay) DO UPDATE SET taken_out = relay_health.taken_out +"
        " excluded.taken_out, last_error = CASE WHEN excluded.last_error = '' THEN"
        " relay_health.last_error ELSE excluded.last_error END, state = excluded.state",
        (relay, taken_out, last_error, state),
    )


def records(journal: Journal) -> list[RelayRecord]:
    """Every relay the journal knows of, in the order they first sent."""
    ensure(journal)
    found: dict[str, RelayRecord] = {}
    for relay, state, n in journal.db.execute(
        "SELECT relay, state, count FROM relay_counts ORDER BY rowid"
    ):
        found.setdefault(str(relay), RelayRecord(str(relay))).counts[str(state)] = int(n)
    for relay, taken_out, last_error, state in journal.db.execute(
        "SELECT relay, taken_out, last_error, state FROM relay_health ORDER BY rowid"
    ):
        record = found.setdefault(str(relay), RelayRecord(str(relay)))
        record.taken_out, record.last_error, record.state = int(taken_out), str(last_error), state
    return list(found.values())
