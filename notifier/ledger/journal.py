"""The run journal: one SQLite row per recipient, so a run can be killed at any point and resumed.

A message is marked in-flight (committed) before it is handed to the server and sent only after
the server accepted it; whatever is found in-flight at start-up was interrupted by a crash and
becomes `uncertain`. WAL with synchronous=NORMAL and batched result commits keep the cost per
message in microseconds (one default-mode commit per message costs about a millisecond).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from notifier.ledger import rowdata
from notifier.ledger.private import PrivateFolderError, private_file, private_folder
from notifier.message.compose import HeaderValueError, address_key, validate_address


class State(StrEnum):
    """Where a recipient stands; the journal stores the value."""

    QUEUED = "queued"
    IN_FLIGHT = "in-flight"
    SENT = "sent"
    DEFERRED = "deferred"
    FAILED = "failed"
    INVALID = "invalid"
    UNCERTAIN = "uncertain"
    SKIPPED = "skipped"  # an earlier run of the action may have reached them (--skip-sent)


# the states every count lists, skipped ones only where a run skipped any
COUNTED = tuple(state for state in State if state is not State.SKIPPED)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS recipients (
    id INTEGER PRIMARY KEY,
    address TEXT NOT NULL,
    key TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    reply TEXT,
    next_at REAL,
    uncertain INTEGER NOT NULL DEFAULT 0,
    updated_at REAL
);
"""
WAL_CHECKPOINT_PAGES = 1000  # SQLite's default

# what the send loop looks recipients up by: one index for every lookup by state (claims, counts,
# the plan's samples), as each index is kept up on every state change (claim, record);
# dropped while the snapshot fills the table (an index built once over the rows costs less
# than one kept up row by row); recipients_state is an older journal's second index
INDEXES = """
CREATE INDEX IF NOT EXISTS recipients_next ON recipients (state, next_at, id);
DROP INDEX IF EXISTS recipients_due;
DROP INDEX IF EXISTS recipients_state;
"""


class JournalError(Exception):
    """The journal cannot be used: locked by another run, or made for another approval."""


@dataclass(frozen=True, slots=True)
class Claimed:
    """A recipient handed to a sender; `previous` is the state to return to if never attempted."""

    id: int
    address: str
    key: str
    data: dict[str, Any]
    attempts: int
    previous: str
    uncertain: bool


@dataclass(frozen=True, slots=True)
class Result:
    """What happened to one claimed recipient."""

    id: int
    state: str
    reply: str
    next_at: float | None = None
    uncertain: bool = False


@dataclass(frozen=True)
class RunMeta:
    """The journal's metadata, typed: what the run is of and what became of it."""

    case: str
    action: str
    digest: str
    run_id: str  # empty until the journal is bound to an action
    audience_rows: int
    duplicates: int
    new_run_reason: str | None  # set when the run was started as a new run (--new-run)
    purged: str | None  # when its personal data was removed (UTC, ISO 8601)
    created: float | None = None  # when the journal was bound to its action (Unix time)


class Journal:
    """A run folder's journal; `lock()` keeps a second run of the same action out."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            private_folder(folder)  # addresses and names: 0700, files 0600 (ledger/private.py)
        except PrivateFolderError as exc:
            raise JournalError(str(exc)) from None
        self.path = folder / "journal.sqlite"
        private_file(self.path)  # SQLite gives its -wal and -shm files the same mode
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=5000")
        self.db.executescript(SCHEMA)
        if self.get("snapshot") != "partial":  # a snapshot filling the table builds them after
            self.db.executescript(INDEXES)
        self._lock_fd: int | None = None

    def close(self) -> None:
        self.unlock()
        self.db.close()

    # -- locking -------------------------------------------------------------------------------

    def lock(self) -> None:
        """An exclusive lock on the run folder, released by the OS even after kill -9."""
        private_file(self.folder / "run.lock")
        fd = os.open(self.folder / "run.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise JournalError(
                f"another run of this action is going on ({self.folder}); "
                "wait for it or watch it with `docket runs status`"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._lock_fd = fd

    def unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def is_locked(self) -> bool:
        """True while some run holds the lock (for --status)."""
        lock_path = self.folder / "run.lock"
        if not lock_path.exists():
            return False
        fd = os.open(lock_path, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)
        return False

    # -- meta ----------------------------------------------------------------------------------

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def meta(self) -> RunMeta:
        values = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        return RunMeta(
            case=values.get("case", ""),
            action=values.get("action", ""),
            digest=values.get("digest", ""),
            run_id=values.get("run_id", ""),
            audience_rows=int(values.get("audience_rows", 0)),
            duplicates=int(values.get("duplicates", 0)),
            new_run_reason=values.get("new_run_reason"),
            purged=values.get("purged"),
            created=float(values["created"]) if "created" in values else None,
        )

    def set(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def bind(self, case: str, action: str, digest: str) -> str:
        """Tie the journal to one approved action; the run id it returns seeds the Message-IDs."""
        known = self.get("digest")
        if known is not None and (self.get("case"), self.get("action"), known) != (
            case,
            action,
            digest,
        ):
            raise JournalError(
                f"the journal in {self.folder} belongs to {self.get('case')} "
                f"{self.get('action')} with digest {known}; use another --journal DIR"
            )
        run_id = self.get("run_id")
        if run_id is None:
            run_id = uuid.uuid4().hex
            self.db.execute("BEGIN IMMEDIATE")
            self.set("case", case)
            self.set("action", action)
            self.set("digest", digest)
            self.set("run_id", run_id)
            self.set("created", str(time.time()))
            self.db.execute("COMMIT")
        return run_id

    # -- snapshot ------------------------------------------------------------------------------

    @property
    def snapshot_done(self) -> bool:
        return self.get("snapshot") == "complete"

    def started_sending(self) -> bool:
        row = self.db.execute("SELECT 1 FROM recipients WHERE attempts > 0 LIMIT 1").fetchone()
        return row is not None

    def snapshot(self, rows: Iterable[tuple[str, dict[str, Any]]], batch: int = 5000) -> None:
        """Store the audience: one row per distinct address, invalid ones marked, nothing sent."""
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("DELETE FROM recipients")
        self.set("snapshot", "partial")
        self.db.execute("COMMIT")
        with self._bulk_load():
            total, duplicates = self._fill(rows, batch)
        self.db.execute("BEGIN IMMEDIATE")
        self.set("audience_rows", str(total))
        self.set("duplicates", str(duplicates))
        self.set("snapshot", "complete")
        self.db.execute("COMMIT")

    @contextmanager
    def _bulk_load(self) -> Iterator[None]:
        """While the snapshot fills the table: no fsync and no secondary index. A snapshot left
        partial by a crash is taken again from the start, so nothing in it needs to survive
        one; the database file itself is not written meanwhile (no checkpoint), so a power
        loss can cost the WAL's end, never the file. Both are back, and the WAL checkpointed
        into the file, before the snapshot is marked complete."""
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("PRAGMA wal_autocheckpoint=0")
        self.db.execute("DROP INDEX IF EXISTS recipients_next")
        try:
            yield
        finally:
            self.db.executescript(INDEXES)
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _fill(self, rows: Iterable[tuple[str, dict[str, Any]]], batch: int) -> tuple[int, int]:
        """Rows read, and duplicates dropped."""
        total = duplicates = 0
        pending: list[tuple[str, str, str, str, str | None, float]] = []
        now = time.time()

        def flush() -> int:
            self.db.execute("BEGIN")
            cursor = self.db.executemany(
                "INSERT OR IGNORE INTO recipients (address, key, data, state, reply, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                pending,
            )
            self.db.execute("COMMIT")
            inserted = cursor.rowcount
            dropped = len(pending) - inserted
            pending.clear()
            return dropped

        for address, data in rows:
            total += 1
            state, reply = State.QUEUED, None
            try:
                validate_address(address)
            except HeaderValueError as exc:
                state, reply = State.INVALID, str(exc)
            key = address_key(address) if state == State.QUEUED else f"invalid:{total}"
            pending.append((address, key, rowdata.encode(data), state, reply, now))
            if len(pending) >= batch:
                duplicates += flush()
        if pending:
            duplicates += flush()
        return total, duplicates

    # -- sending -------------------------------------------------------------------------------

    def recover(self) -> int:
        """Rows a crash left in flight become uncertain; returns how many."""
        self.db.execute("BEGIN IMMEDIATE")
        cursor = self.db.execute(
            "UPDATE recipients SET state = ?, uncertain = 1, updated_at = ? WHERE state = ?",
            (State.UNCERTAIN, time.time(), State.IN_FLIGHT),
        )
        self.db.execute("COMMIT")
        return cursor.rowcount

    def claim(
        self, limit: int, now: float, resend_uncertain: bool, fresh: int | None = None
    ) -> list[Claimed]:
        """Mark up to `limit` due recipients in-flight (committed before any is sent); at most
        `fresh` of them not tried before (a retry of a deferred one does not count)."""
        if limit <= 0:
            return []
        columns = "SELECT id, address, key, data, attempts, state, uncertain FROM recipients"
        self.db.execute("BEGIN IMMEDIATE")
        # One indexed query per state: an OR across states would scan the whole table. Due
        # first: deferred retries, then recipients a domain's pace held (`hold`) whose slot has
        # come; then the ones never held, in audience order.
        rows = self.db.execute(
            f"{columns} WHERE state = ? AND next_at <= ? ORDER BY next_at LIMIT ?",
            (State.DEFERRED, now, limit),
        ).fetchall()
        retries = len(rows)
        states = (State.UNCERTAIN, State.QUEUED) if resend_uncertain else (State.QUEUED,)
        for state, where in [(s, "next_at <= ? ORDER BY next_at") for s in states] + [
            (s, "next_at IS NULL ORDER BY id") for s in states
        ]:
            take = limit - len(rows)
            if fresh is not None:
                take = min(take, fresh - (len(rows) - retries))
            if take > 0:
                due = (now,) if "?" in where else ()
                rows += self.db.execute(
                    f"{columns} WHERE state = ? AND {where} LIMIT ?", (state, *due, take)
                ).fetchall()
        if rows:
            self.db.executemany(
                "UPDATE recipients SET state = ?, attempts = attempts + 1, updated_at = ?"
                " WHERE id = ?",
                [(State.IN_FLIGHT, now, row[0]) for row in rows],
            )
        self.db.execute("COMMIT")
        return [
            Claimed(r[0], r[1], r[2], rowdata.decode(r[3]), r[4] + 1, r[5], bool(r[6]))
            for r in rows
        ]

    def hold(self, items: Iterable[tuple[Claimed, float]]) -> None:
        """Give back claimed recipients a domain's pace holds, each due at its time: not tried,
        so not counted as an attempt, and never uncertain if the run is killed meanwhile."""
        now = time.time()
        values = [(item.previous, at, now, item.id) for item, at in items]
        self._update_many(
            "UPDATE recipients SET state = ?, attempts = attempts - 1, next_at = ?,"
            " updated_at = ? WHERE id = ? AND state = 'in-flight'",
            values,
        )

    def release(self, items: Iterable[Claimed]) -> None:
        """Give back claimed recipients that were never handed to the server."""
        now = time.time()
        values = [(item.previous, now, item.id) for item in items]
        self._update_many(
            "UPDATE recipients SET state = ?, attempts = attempts - 1, updated_at = ?"
            " WHERE id = ? AND state = 'in-flight'",
            values,
        )

    def record(self, results: Iterable[Result]) -> None:
        """Commit a batch of outcomes (only ever after the server's reply)."""
        now = time.time()
        values = [(r.state, r.reply, r.next_at, int(r.uncertain), now, r.id) for r in results]
        self._update_many(
            "UPDATE recipients SET state = ?, reply = ?, next_at = ?,"
            " uncertain = MAX(uncertain, ?), updated_at = ? WHERE id = ?",
            values,
        )

    def _update_many(self, sql: str, values: list[tuple[Any, ...]]) -> None:
        """One transaction for a batch; rolled back whole if it fails, never left open."""
        if not values:
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany(sql, values)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- reading -------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(COUNTED, 0)
        for state, n in self.db.execute("SELECT state, COUNT(*) FROM recipients GROUP BY state"):
            counts[str(state)] = int(n)
        return counts

    def uncertain_count(self) -> int:
        row = self.db.execute("SELECT COUNT(*) FROM recipients WHERE uncertain = 1").fetchone()
        return int(row[0])

    def next_due(self) -> float | None:
        """When the next deferred retry is due."""
        return self._earliest(State.DEFERRED)

    def next_held(self, resend_uncertain: bool) -> float | None:
        """When the next recipient a domain's pace held is due (None: none is held)."""
        states = (State.QUEUED, State.UNCERTAIN) if resend_uncertain else (State.QUEUED,)
        times = [t for t in map(self._earliest, states) if t is not None]
        return min(times) if times else None

    def held(self, now: float) -> int:
        """Recipients a domain's pace holds until a later time (`hold`)."""
        return sum(
            int(self.db.execute(
                "SELECT COUNT(*) FROM recipients WHERE state = ? AND next_at > ?", (state, now)
            ).fetchone()[0])
            for state in (State.QUEUED, State.UNCERTAIN)
        )  # fmt: skip

    def held_slots(self, now: float, resend_uncertain: bool) -> Iterator[tuple[int, str, float]]:
        """(id, address, slot) of each recipient a domain's pace holds until a later time
        (`hold`) that this run would send, so a resumed run can keep the slots booked for
        them; one indexed range per state (recipients_next), streamed."""
        states = (State.QUEUED, State.UNCERTAIN) if resend_uncertain else (State.QUEUED,)
        for state in states:
            cursor = self.db.execute(
                "SELECT id, address, next_at FROM recipients WHERE state = ? AND next_at > ?",
                (state, now),
            )
            while chunk := cursor.fetchmany(2000):
                for row_id, address, slot in chunk:
                    yield int(row_id), str(address), float(slot)

    def _earliest(self, state: State) -> float | None:
        row = self.db.execute(
            "SELECT MIN(next_at) FROM recipients WHERE state = ? AND next_at IS NOT NULL",
            (state,),
        ).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def pending(self, resend_uncertain: bool) -> int:
        """Recipients not yet in a final state that this run would still try."""
        states = [State.QUEUED, State.IN_FLIGHT, State.DEFERRED] + (
            [State.UNCERTAIN] if resend_uncertain else []
        )
        marks = ",".join("?" for _ in states)
        row = self.db.execute(
            f"SELECT COUNT(*) FROM recipients WHERE state IN ({marks})", states
        ).fetchone()
        return int(row[0])

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """Every recipient in audience order, streamed (for recipients.csv)."""
        cursor = self.db.execute(
            "SELECT address, state, reply, attempts, uncertain, updated_at, data"
            " FROM recipients ORDER BY id"
        )
        while True:
            chunk = cursor.fetchmany(2000)
            if not chunk:
                return
            yield from chunk

    def replies(self) -> list[tuple[str, str, int]]:
        """(state, reply, count) for failed and deferred recipients, most common first."""
        return [
            (str(s), str(r or ""), int(n))
            for s, r, n in self.db.execute(
                "SELECT state, reply, COUNT(*) FROM recipients"
                " WHERE state IN ('failed', 'deferred', 'invalid', 'uncertain')"
                " GROUP BY state, reply ORDER BY COUNT(*) DESC"
            )
        ]

    def uncertain_addresses(self, limit: int = 1000) -> list[str]:
        return [
            str(r[0])
            for r in self.db.execute(
                "SELECT address FROM recipients WHERE uncertain = 1 ORDER BY id LIMIT ?", (limit,)
            )
        ]

    def samples(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Queued rows in audience order, those a domain's pace held last (to render one
        sample per language for the plan); the order is the claims' index's, so nothing sorts."""
        cursor = self.db.execute(
            "SELECT address, data FROM recipients WHERE state = ? ORDER BY next_at, id",
            (State.QUEUED,),
        )
        while True:
            chunk = cursor.fetchmany(2000)
            if not chunk:
                return
            for address, data in chunk:
                yield str(address), rowdata.decode(data)
