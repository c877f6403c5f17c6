"""Retention: once a run is finished, remove the personal data from its journal.

`docket runs purge CASE` blanks every recipient's address, name and row data, keeps their
states, attempts and the replies grouped (addresses taken out), rewrites report.json from that
and removes recipients.csv. The file is vacuumed and its WAL truncated, so the removed text is
not left in free pages either. A purged run cannot be resumed: what it would need is gone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from notifier.ledger.bounced import ensure as ensure_bounce_tables
from notifier.ledger.journal import Journal, JournalError, State
from notifier.ledger.report import reply_group, write_report

PURGED_KEY = "purged"


def refuse_purged(journal: Journal) -> None:
    """A purged run has no addresses left to send to: a new run needs another folder."""
    when = journal.meta().purged
    if when is not None:
        raise JournalError(
            f"the run in {journal.folder} was purged on {when} (its addresses are gone); "
            "a new run needs another --journal DIR"
        )


@dataclass(frozen=True)
class PurgePlan:
    """What purging a run would remove, to show before asking."""

    folder: Path
    recipients: int
    recipients_csv: bool  # recipients.csv is there, and would be deleted
    purged: str | None  # when it was purged already (a purge again only rewrites the report)

    def describe(self) -> str:
        if self.purged is not None:
            return f"the run in {self.folder} was purged on {self.purged}; its report is rewritten"
        csv = " and delete recipients.csv" if self.recipients_csv else ""
        return (
            f"purging blanks the addresses, names and data of {self.recipients} recipients in "
            f"{self.folder}{csv}; their states, counts and grouped replies stay. "
            "It cannot be undone."
        )


def purge_plan(journal: Journal) -> PurgePlan:
    """What `purge` would remove; JournalError while the run is not finished."""
    counts = journal.counts()
    waiting = (State.QUEUED, State.IN_FLIGHT, State.DEFERRED)
    open_states = {state: counts[state] for state in waiting if counts[state]}
    if open_states:
        left = ", ".join(f"{n} {state}" for state, n in open_states.items())
        raise JournalError(
            f"the run in {journal.folder} is not finished ({left}); finish it by running the "
            "same command again (--no-wait for deferred ones) before purging it"
        )
    return PurgePlan(
        folder=journal.folder,
        recipients=sum(counts.values()),
        recipients_csv=(journal.folder / "recipients.csv").exists(),
        purged=journal.meta().purged,
    )


def purge(journal: Journal) -> list[str]:
    """Remove the personal data of the finished run in the (locked) journal; the lines to print."""
    plan = purge_plan(journal)
    uncertain = journal.uncertain_count()
    if plan.purged is None:
        _blank(journal)
    summary = write_report(
        journal,
        extra={
            PURGED_KEY: journal.meta().purged,
            "uncertain": {"count": uncertain, "addresses": []},
            "recipients_csv": None,
        },
    )
    summary.recipients_csv.unlink(missing_ok=True)
    return [
        f"purged {plan.recipients} recipients' addresses, names and data from {plan.folder}",
        *[line for line in summary.lines() if not line.startswith("per recipient:")],
    ]


def _blank(journal: Journal) -> None:
    db = journal.db
    db.create_function("reply_group", 1, lambda r: None if r is None else reply_group(str(r)))
    ensure_bounce_tables(journal)
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute(
            "UPDATE recipients SET address = '', key = 'purged:' || id, data = '{}',"
            " reply = reply_group(reply)"
        )
        db.execute("UPDATE bounces SET reply = reply_group(reply), message = ''")
        journal.set(PURGED_KEY, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    # The old text would linger in free pages and in the WAL: rewrite the file, truncate the WAL.
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("VACUUM")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
