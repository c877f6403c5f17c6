"""The member directory on a real MariaDB server (started here, on 127.0.0.1, in a temp datadir),
read through PyMySQL with a server-side cursor."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pymysql
import pytest
from click.testing import CliRunner

from docket.cli import cli
from notifier.audience.demo import write_demo
from notifier.audience.directory import connect, stream_audience
from tests.notifier.conftest import CASE, Sink
from tests.support.net import free_port

SEED_QUERY = Path(__file__).resolve().parents[3] / "cases" / "2014" / "a20140408.1" / "audience.sql"
MEMBERS = 30_000


@pytest.fixture(scope="module")
def mariadb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throw-away MariaDB server; the URL of an empty `members` database on it."""
    installer = shutil.which("mariadb-install-db")
    server = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
    assert installer and Path(server).exists(), "run scripts/deps-mariadb.sh (mariadb-server)"
    base = tmp_path_factory.mktemp("mariadb")
    datadir, socket = base / "data", base / "mysqld.sock"
    subprocess.run(
        [installer, "--no-defaults", f"--datadir={datadir}", "--user=root",
         "--auth-root-authentication-method=normal", "--skip-test-db"],
        check=True, capture_output=True,
    )  # fmt: skip
    port = free_port()
    proc = subprocess.Popen(
        [server, "--no-defaults", f"--datadir={datadir}", "--user=root", f"--port={port}",
         "--bind-address=127.0.0.1", f"--socket={socket}", f"--pid-file={base / 'pid'}",
         "--skip-grant-tables", "--innodb-buffer-pool-size=64M", "--skip-log-bin",
         f"--log-error={base / 'error.log'}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = pymysql.connect(host="127.0.0.1", port=port, user="root")
                break
            except pymysql.err.OperationalError:
                assert proc.poll() is None, (base / "error.log").read_text()
                assert time.monotonic() < deadline, "MariaDB did not start"
                time.sleep(0.2)
        with conn.cursor() as cursor:
            cursor.execute("CREATE DATABASE members CHARACTER SET utf8mb4")
        conn.close()
        yield f"mysql+pymysql://root@127.0.0.1:{port}/members?charset=utf8mb4"
    finally:
        proc.terminate()
        proc.wait(timeout=60)


@pytest.fixture(scope="module")
def filled(mariadb: str) -> tuple[str, int]:
    stats = write_demo(mariadb, MEMBERS, 11)
    return mariadb, stats.in_audience


def test_streams_a_large_audience_through_a_server_side_cursor(filled: tuple[str, int]) -> None:
    url, in_audience = filled
    engine = connect(url)
    seen = 0
    cursors: set[str] = set()
    original = pymysql.connections.Connection.cursor

    def spy(self: pymysql.connections.Connection, cursor: type | None = None) -> object:
        cursors.add(cursor.__name__ if cursor else "Cursor")
        return original(self, cursor)

    pymysql.connections.Connection.cursor = spy  # type: ignore[method-assign]
    try:
        rows = stream_audience(engine, SEED_QUERY.read_text(), {"since": "2011-12-01"}, batch=500)
        first = next(rows)
        for _row in rows:
            seen += 1
    finally:
        pymysql.connections.Connection.cursor = original  # type: ignore[method-assign]
    assert seen + 1 == in_audience
    assert "SSCursor" in cursors  # unbuffered: rows come from the server as they are read
    assert first.email and set(first.data) == {"id", "email", "fname", "lname", "language"}
    assert 0.55 < in_audience / MEMBERS < 0.61


def test_notify_dry_run_against_mariadb(filled: tuple[str, int], cases: Path, sink: Sink) -> None:
    url, _ = filled
    result = CliRunner().invoke(
        cli, ["notify", CASE, "--cases", str(cases), "--directory", url, "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "dry run: " in result.output and sink.received == []
    would = int(result.output.split("dry run: ", 1)[1].split(" ", 1)[0])
    assert 0.5 * MEMBERS < would < 0.61 * MEMBERS


def test_query_errors_from_mariadb_are_one_line(filled: tuple[str, int]) -> None:
    url, _ = filled
    engine = connect(url)
    from notifier.audience.directory import DirectoryError

    with pytest.raises(DirectoryError, match=r"audience query failed: .*nowhere"):
        list(stream_audience(engine, "SELECT email FROM nowhere", {}))


# -- the audience query cannot change the directory -------------------------------------------

WRITES = [
    "DELETE FROM alerts RETURNING memid, 'x@example.org' AS email",
    "DROP TABLE alerts",
    "SELECT memid, 'x@example.org' AS email FROM alerts; DELETE FROM alerts",
    "SELECT memid, 'x@example.org' AS email FROM alerts /*! INTO OUTFILE '{out}' */",
]


@pytest.fixture(params=["MyISAM", "InnoDB"])
def guarded(mariadb: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A database `guard` whose `alerts` table uses the storage engine of the parameter."""
    url = mariadb.replace("/members?", "/guard?")
    port = int(mariadb.split(":")[-1].split("/")[0])
    conn = pymysql.connect(host="127.0.0.1", port=port, user="root", autocommit=True)
    with conn.cursor() as cursor:
        cursor.execute("CREATE DATABASE IF NOT EXISTS guard")
        cursor.execute("DROP TABLE IF EXISTS guard.alerts")
        cursor.execute(f"CREATE TABLE guard.alerts (memid INT PRIMARY KEY) ENGINE={request.param}")
        cursor.execute("INSERT INTO guard.alerts VALUES (1), (2), (3)")
    conn.close()
    yield url


def _alerts(url: str) -> list[int]:
    port = int(url.split(":")[-1].split("/")[0])
    conn = pymysql.connect(host="127.0.0.1", port=port, user="root", database="guard")
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT memid FROM alerts ORDER BY memid")
            return [int(r[0]) for r in cursor.fetchall()]
    finally:
        conn.close()


@pytest.mark.parametrize("sql", WRITES, ids=["delete-returning", "drop", "two", "outfile"])
def test_a_query_that_writes_is_refused_before_it_runs(
    guarded: str, sql: str, tmp_path: Path
) -> None:
    from notifier.audience.directory import DirectoryError

    out = tmp_path / "outfile.txt"
    sql = sql.replace("{out}", str(out))
    error = ""
    try:
        list(stream_audience(connect(guarded), sql, {}))
    except DirectoryError as exc:
        error = str(exc)
    assert _alerts(guarded) == [1, 2, 3]
    assert not out.exists()
    assert re.match(r"audience query:1:\d+: ", error), error


@pytest.mark.parametrize("sql", WRITES[:2], ids=["delete-returning", "drop"])
def test_the_read_only_transaction_refuses_writes(guarded: str, sql: str) -> None:
    """The second wall, the parser bypassed: MyISAM has no rollback, DDL commits implicitly."""
    import sqlalchemy as sa

    from notifier.audience.readonly import make_read_only

    engine = connect(guarded)
    with engine.connect() as conn:
        make_read_only(conn)
        with pytest.raises(sa.exc.DatabaseError, match="READ ONLY transaction"):
            conn.exec_driver_sql(sql)
    engine.dispose()
    assert _alerts(guarded) == [1, 2, 3]
