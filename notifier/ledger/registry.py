"""The registry of runs: every run of an action (case + action id) knows of the others.

The journal's lock keeps a second process out of one run folder; it cannot see a run of the same
action in another folder (another `--journal`, or a resume that forgot it). The registry, one
SQLite file beside the default run folders, lists every run with its folder, and what each run
may have delivered (a hash of the recipient key and the Message-ID, never the address): a new
run of an action that has one is refused unless it says why (`--new-run --reason`), and a run
after a re-approval can skip whoever an earlier run already reached (`--skip-sent`).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from notifier.ledger.journal import Journal, JournalError, State
from notifier.ledger.private import FOLDER_MODE, private_file
from notifier.message.compose import message_id_for

STATE_ENV = "XDG_STATE_HOME"
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL,
    action TEXT NOT NULL,
    folder TEXT NOT NULL,
    digest TEXT NOT NULL,
    started REAL NOT NULL,
    reason TEXT,
    domain TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_action ON runs (case_id, action, started);
CREATE TABLE IF NOT EXISTS delivered (
    case_id TEXT NOT NULL,
    action TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    run_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    PRIMARY KEY (case_id, action, key_hash, run_id)
);
"""


def runs_root() -> Path:
    """$XDG_STATE_HOME/docket/runs: the default run folders and the registry live here."""
    base = Path(os.environ.get(STATE_ENV) or Path.home() / ".local" / "state")
    return base / "docket" / "runs"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Run:
    """One registered run of an action."""

    run_id: str
    folder: Path
    digest: str
    started: float
    reason: str | None
    domain: str

    def describe(self) -> str:
        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(self.started))
        counts = journal_counts(self.folder)
        if counts is None:
            state = "its journal is gone"
        else:
            state = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "empty"
        return f"run {self.run_id[:12]} started {stamp} in {self.folder} ({state})"


def journal_run_id(folder: Path) -> str | None:
    """The run id of the journal in `folder`, without creating anything."""
    with _open_journal(folder) as db:
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'run_id'").fetchone()
        except sqlite3.DatabaseError:
            return None
        return None if row is None else str(row[0])


def journal_counts(folder: Path) -> dict[str, int] | None:
    with _open_journal(folder) as db:
        if db is None:
            return None
        try:
            rows = db.execute("SELECT state, COUNT(*) FROM recipients GROUP BY state").fetchall()
        except sqlite3.DatabaseError:
            return None
        return {str(state): int(n) for state, n in rows}


class _Reader:
    """A read-only connection to a run's journal, or None when there is none."""

    def __init__(self, folder: Path) -> None:
        path = folder / "journal.sqlite"
        self.db: sqlite3.Connection | None = None
        if path.is_file():
            self.db = sqlite3.connect(path)
            self.db.execute("PRAGMA query_only = 1")
            self.db.execute("PRAGMA busy_timeout = 5000")

    def __enter__(self) -> sqlite3.Connection | None:
        return self.db

    def __exit__(self, *exc: object) -> None:
        if self.db is not None:
            self.db.close()


def _open_journal(folder: Path) -> _Reader:
    return _Reader(folder)


class Registry:
    """The registry file; a transaction per change, so two runs starting at once see each
    other."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or runs_root()
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, FOLDER_MODE)
        self.path = self.root / "registry.sqlite"
        private_file(self.path)  # hashes of recipient keys: 0600 (SQLite's journal follows)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA busy_timeout = 10000")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def runs(self, case: str, action: str) -> list[Run]:
        return [
            Run(str(r[0]), Path(r[1]), str(r[2]), float(r[3]), r[4], str(r[5]))
            for r in self.db.execute(
                "SELECT run_id, folder, digest, started, reason, domain FROM runs"
                " WHERE case_id = ? AND action = ? ORDER BY started",
                (case, action),
            )
        ]

    def check(self, case: str, action: str, run_id: str | None, new_run: bool) -> list[Run]:
        """The other runs of the action; JournalError for a new run (no journal yet, or one the
        registry does not know) of an action that has one, unless it is meant (`--new-run`)."""
        runs = self.runs(case, action)
        others = [r for r in runs if r.run_id != run_id]
        if others and not new_run and (run_id is None or len(others) == len(runs)):
            latest = others[-1]
            resume = (
                f"to resume it, pass --journal {latest.folder}; "
                if journal_counts(latest.folder) is not None
                else "it cannot be resumed; "
            )
            raise JournalError(
                f"{case} {action} already has a run: {latest.describe()}; {resume}to send the "
                "action again as a new run, pass --new-run --reason TEXT"
            )
        return others

    def admit(
        self,
        journal: Journal,
        *,
        case: str,
        action: str,
        domain: str,
        new_run: bool,
        reason: str | None,
    ) -> list[Run]:
        """Register this journal's run after checking again (one transaction, so two runs
        starting at once cannot both pass); returns the other runs of the action."""
        run_id = journal.meta().run_id
        self.db.execute("BEGIN IMMEDIATE")
        try:
            known = any(r.run_id == run_id for r in self.runs(case, action))
            others = self.check(case, action, run_id if known else None, new_run)
            if not known:
                self.db.execute(
                    "INSERT INTO runs (run_id, case_id, action, folder, digest, started, reason,"
                    " domain) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        run_id,
                        case,
                        action,
                        str(journal.folder.resolve()),
                        journal.meta().digest,
                        time.time(),
                        reason if new_run else None,
                        domain,
                    ),
                )
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
        return others

    def this_run(self, run_id: str) -> Run | None:
        row = self.db.execute(
            "SELECT run_id, folder, digest, started, reason, domain FROM runs WHERE run_id = ?",
            (run_id,),
        ).fetchone()
        if row is None:
            return None
        return Run(str(row[0]), Path(row[1]), str(row[2]), float(row[3]), row[4], str(row[5]))

    def record_deliveries(self, case: str, action: str, run: Run) -> int:
        """Copy from a run's journal who it may have reached (sent, uncertain, in flight)."""
        rows: list[tuple[str, str, str, str, str]] = []
        with _open_journal(run.folder) as db:
            if db is None:
                return 0
            for (key,) in db.execute(
                "SELECT key FROM recipients WHERE state IN (?, ?, 'in-flight') OR uncertain = 1",
                (State.SENT, State.UNCERTAIN),
            ):
                message_id = message_id_for(run.run_id, str(key), action, case, run.domain)
                rows.append((case, action, key_hash(str(key)), run.run_id, message_id))
        rows.sort()  # in the primary key's order: appended to the B-tree, not spread over it
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany("INSERT OR IGNORE INTO delivered VALUES (?, ?, ?, ?, ?)", rows)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
        return len(rows)

    def forget_deliveries(self, run_id: str) -> int:
        """Drop a run's recipient hashes (its journal was purged); the run stays listed."""
        cursor = self.db.execute("DELETE FROM delivered WHERE run_id = ?", (run_id,))
        return cursor.rowcount

    def delivered(self, case: str, action: str, except_run: str) -> dict[str, tuple[str, str]]:
        """key hash -> (run id, Message-ID) for what other runs of the action may have sent."""
        return {
            str(k): (str(r), str(m))
            for k, r, m in self.db.execute(
                "SELECT key_hash, run_id, message_id FROM delivered"
                " WHERE case_id = ? AND action = ? AND run_id != ?",
                (case, action, except_run),
            )
        }


def skip_delivered(journal: Journal, delivered: dict[str, tuple[str, str]]) -> int:
    """Mark skipped every recipient still to send whom an earlier run may have reached."""
    now = time.time()
    updates = [
        (State.SKIPPED, f"sent by run {run_id[:12]} as {message_id}", now, rid)
        for rid, (run_id, message_id) in _reached_before(journal, delivered)
    ]
    if not updates:
        return 0
    journal.db.execute("BEGIN IMMEDIATE")
    try:
        journal.db.executemany(
            "UPDATE recipients SET state = ?, reply = ?, updated_at = ? WHERE id = ?", updates
        )
    except BaseException:
        journal.db.execute("ROLLBACK")
        raise
    journal.db.execute("COMMIT")
    return len(updates)


def count_reached_before(journal: Journal, delivered: dict[str, tuple[str, str]]) -> int:
    """How many `skip_delivered` would skip (for the plan, before anything changes)."""
    return sum(1 for _ in _reached_before(journal, delivered))


def _reached_before(
    journal: Journal, delivered: dict[str, tuple[str, str]]
) -> Iterator[tuple[int, tuple[str, str]]]:
    """(recipient id, (run id, Message-ID)) of who is still to send and another run reached."""
    if not delivered:
        return
    for rid, key in _pending_keys(journal):
        hit = delivered.get(key_hash(key))
        if hit is not None:
            yield rid, hit


def _pending_keys(journal: Journal) -> Iterator[tuple[int, str]]:
    with closing(
        journal.db.execute(
            "SELECT id, key FROM recipients WHERE state IN (?, ?, ?)",
            (State.QUEUED, State.DEFERRED, State.UNCERTAIN),
        )
    ) as cursor:
        rows = cursor.fetchall()
    for rid, key in rows:
        yield int(rid), str(key)
