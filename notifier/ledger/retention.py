"""Retention: once a run is finished, remove the personal data from its journal.

`docket notify CASE --purge` blanks every recipient's address, name and row data, keeps their
states, attempts and the replies grouped (addresses taken out), rewrites report.json from that
and removes recipients.csv. The file is vacuumed and its WAL truncated, so the removed text is
not left in free pages either. A purged run cannot be resumed: what it would need is gone.
"""

from __future__ import annotations

import time
from pathlib import Path

from notifier.ledger.bounced import ensure as ensure_bounce_tables
from notifier.ledger.journal import DEFERRED, IN_FLIGHT, QUEUED, Journal, JournalError
from notifier.ledger.report import reply_group, write_report

PURGED_KEY = "purged"


def refuse_purged(journal: Journal) -> None:
    """A purged run has no addresses left to send to: a new run needs another folder."""
    when = journal.get(PURGED_KEY)
    if when is not None:
        raise JournalError(
            f"the run in {journal.folder} was purged on {when} (its addresses are gone); "
            "a new run needs another --journal DIR"
        )


def purge_run(folder: Path) -> list[str]:
    """Remove the personal data of the finished run in `folder`; the lines to print."""
    if not (folder / "journal.sqlite").is_file():
        raise JournalError(f"no run journal in {folder} (pass the --journal DIR of the run)")
    journal = Journal(folder)
    try:
        journal.lock()
        counts = journal.counts()
        open_states = {s: counts[s] for s in (QUEUED, IN_FLIGHT, DEFERRED) if counts[s]}
        if open_states:
            left = ", ".join(f"{n} {state}" for state, n in open_states.items())
            raise JournalError(
                f"the run in {folder} is not finished ({left}); finish it by running the same "
                "command again (--no-wait for deferred ones) before purging it"
            )
        uncertain = journal.uncertain_count()
        if journal.get(PURGED_KEY) is None:
            _blank(journal)
        summary = write_report(
            journal,
            extra={
                PURGED_KEY: journal.get(PURGED_KEY),
                "uncertain": {"count": uncertain, "addresses": []},
                "recipients_csv": None,
            },
        )
        summary.recipients_csv.unlink(missing_ok=True)
        total = sum(counts.values())
        return [
            f"purged {total} recipients' addresses, names and data from {folder}",
            *[line for line in summary.lines() if not line.startswith("per recipient:")],
        ]
    finally:
        journal.close()


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
