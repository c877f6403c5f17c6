"""The options a run was started with, kept in its journal so that a resume behaves the same.

Without this, resuming an at-most-once run (`--no-resend-uncertain`) by the plain command would
resend what a crash left uncertain. A table of its own in the journal file; the journal's own
tables keep their shape.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

# the options that change how a run sends, with the CLI's defaults (docket/cli.py)
STORED: dict[str, Any] = {
    "rate": None,
    "pool": 4,
    "limit": None,
    "no_wait": False,
    "resend_uncertain": True,
    "record": False,
    "retry_delay": 300.0,
    "max_attempts": 6,
    "smtp_timeout": 300.0,
    "data_timeout": 600.0,
    "pipelining": True,
    "skip_sent": False,
}
SCHEMA = "CREATE TABLE IF NOT EXISTS run_options (name TEXT PRIMARY KEY, value TEXT NOT NULL)"


def stored_options(folder: Path) -> dict[str, Any]:
    """The options the last run in `folder` used; {} without a journal (read-only, creates
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
    return {str(name): json.loads(value) for name, value in rows if name in STORED}


def save_options(db: sqlite3.Connection, values: dict[str, Any]) -> None:
    """Replace the stored options with this run's (one transaction)."""
    db.execute(SCHEMA)
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute("DELETE FROM run_options")
        db.executemany(
            "INSERT INTO run_options (name, value) VALUES (?, ?)",
            [(name, json.dumps(values[name])) for name in STORED if name in values],
        )
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def option_words(values: dict[str, Any]) -> list[str]:
    """The command-line words for the options that differ from the defaults."""
    words: list[str] = []
    for name, default in STORED.items():
        value = values.get(name, default)
        if value == default:
            continue
        flag = "--" + name.replace("_", "-")
        if name == "resend_uncertain":
            words.append("--no-resend-uncertain" if not value else "--resend-uncertain")
        elif name == "pipelining":
            words.append("--no-pipelining" if not value else "--pipelining")
        elif isinstance(default, bool):  # --no-wait, --record, --skip-sent
            words.append(flag)
        elif value is not None:
            words += [flag, f"{value:g}" if isinstance(value, float) else str(value)]
    return words
