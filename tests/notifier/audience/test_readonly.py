"""The audience query cannot change or copy an SQLite directory: one SELECT, run once, read-only.

Two walls, each tested on its own: the parser refuses anything but one SELECT before it runs
(through the real CLI), and the read-only connection refuses writes even when the parser is
bypassed (`mode=ro` alone would still let VACUUM INTO write a copy).
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from docket.cli import cli
from notifier.audience.directory import connect, directory_url
from notifier.audience.readonly import make_read_only
from tests.notifier.conftest import CASE, Sink, make_directory
from tests.notifier.test_bad_input import approve

MEMBERS = [("anna@example.org", "Anna", "Meyer", "en"), ("ben@example.org", "Ben", "B", "de")]

WRITES = [
    "DELETE FROM alerts RETURNING memid AS id, 'x@example.org' AS email",
    "DROP TABLE alerts",
    "PRAGMA user_version = 42",
    "ATTACH DATABASE 'attached.db' AS x",
    "VACUUM INTO 'copy.db'",
    "SELECT id, email FROM users; DELETE FROM alerts",
    "WITH d AS (DELETE FROM alerts RETURNING memid) SELECT u.id, u.email FROM users u, d",
]


def fingerprint(db: Path) -> tuple[str, list[str], int, int]:
    """The file's bytes, its tables, user_version and the alerts count."""
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master ORDER BY name")]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        alerts = conn.execute("SELECT COUNT(*) FROM alerts").fetchone()[0]
    finally:
        conn.close()
    return digest, tables, version, alerts


def files(*folders: Path) -> set[Path]:
    return {p for folder in folders for p in folder.rglob("*")}


@pytest.fixture
def setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The directory in its own folder and a working directory for relative file names."""
    (tmp_path / "db").mkdir()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return make_directory(tmp_path / "db" / "members.sqlite", MEMBERS), work


@pytest.mark.parametrize("sql", WRITES, ids=[w.split()[0] + str(i) for i, w in enumerate(WRITES)])
def test_notify_refuses_a_query_that_writes(
    cases: Path, sink: Sink, setting: tuple[Path, Path], sql: str
) -> None:
    db, work = setting
    (cases / "2020" / CASE / "audience.sql").write_text(f"-- changed\n{sql}\n", "utf-8")
    approve(cases)  # even an approved query may not write
    before, listing = fingerprint(db), files(db.parent, work)
    result = CliRunner().invoke(
        cli, ["notify", CASE, "--cases", str(cases), "--directory", str(db), "--dry-run"]
    )
    assert fingerprint(db) == before
    assert files(db.parent, work) == listing  # no attached.db, no copy.db, no journal
    assert sink.received == []
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"Error: {cases / '2020' / CASE / 'audience.sql'}:2:")
    assert len(result.output.strip().splitlines()) == 1, result.output


@pytest.mark.parametrize("sql", WRITES[:5], ids=[w.split()[0] for w in WRITES[:5]])
def test_the_connection_itself_refuses_writes(setting: tuple[Path, Path], sql: str) -> None:
    """The second wall: the parser bypassed, the read-only connection still refuses."""
    db, work = setting
    before, listing = fingerprint(db), files(db.parent, work)
    engine = connect(directory_url(str(db)))
    with engine.connect() as conn:
        make_read_only(conn)
        with pytest.raises(sa.exc.DatabaseError, match=r"not authorized|authorization denied"):
            conn.exec_driver_sql(sql)
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM users").scalar() == 2
    engine.dispose()
    assert fingerprint(db) == before
    assert files(db.parent, work) == listing


def test_a_missing_sqlite_file_is_not_created(tmp_path: Path) -> None:
    from notifier.audience.directory import DirectoryError

    with pytest.raises(DirectoryError, match="cannot reach directory"):
        connect(f"sqlite:///{tmp_path / 'typo.sqlite'}")
    assert not (tmp_path / "typo.sqlite").exists()


def test_the_query_runs_once(cases: Path, sink: Sink, setting: tuple[Path, Path]) -> None:
    """Columns and rows come from one execution (today's code ran it twice)."""
    db, _ = setting
    executed: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        if "FROM users" in statement:
            executed.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    try:
        for extra in (["--dry-run"], ["--smtp", sink.url, "--yes", "--rate", "0"]):
            executed.clear()
            result = CliRunner().invoke(
                cli,
                ["notify", CASE, "--cases", str(cases), "--directory", str(db),
                 "--journal", str(cases.parent / "run"), *extra],
            )  # fmt: skip
            assert result.exit_code == 0, result.output
            assert len(executed) == 1, executed
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
    assert len(sink.received) == 2
