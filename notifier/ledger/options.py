"""The options a run was started with, kept in its journal so that a resume behaves the same.

Without this, resuming an at-most-once run (`--no-resend-uncertain`) by the plain command would
resend what a crash left uncertain. Which options are kept, and their defaults, is
`notifier.options.SendOptions`'s to say; this module only stores and reads name/value pairs, in
a table of its own beside the journal's.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

SCHEMA = "CREATE TABLE IF NOT EXISTS run_options (name TEXT PRIMARY KEY, value TEXT NOT NULL)"


def stored_options(folder: Path) -> dict[str, Any]:
    """The options the last run in `folder` kept; {} without a journal (read-only, creates
    nothing)."""
    path = folder / "journal.sqlite"
    if not path.is_file():
        return {}
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT name, value FROM run_options").fetchall()
    except sqlite3.OperationalError:  # a journal from before options were kept
        return {}
    finally:
        db.close()
    return {str(name): json.loads(value) for name, value in rows}


def save_options(db: sqlite3.Connection, values: dict[str, Any]) -> None:
    """Replace the kept options with this run's (one transaction)."""
    db.execute(SCHEMA)
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute("DELETE FROM run_options")
        db.executemany(
            "INSERT INTO run_options (name, value) VALUES (?, ?)",
            [(name, json.dumps(value)) for name, value in values.items()],
        )
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
