"""The member directory on a real PostgreSQL server (started here, on 127.0.0.1, in a temp data
folder), read through psycopg with a server-side (named) cursor."""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from docket.cli import cli
from notifier.audience.demo import write_demo
from notifier.audience.directory import DirectoryError, connect, stream_audience
from tests.notifier.conftest import CASE, Sink
from tests.support.net import free_port

SEED_QUERY = Path(__file__).resolve().parents[3] / "cases" / "2014" / "a20140408.1" / "audience.sql"
MEMBERS = 20_000


def _as_server_user(base: Path) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as the `postgres` system user."""
    if os.geteuid() != 0:
        return []
    user = pwd.getpwnam("postgres")
    for path in (base, *base.rglob("*")):
        os.chown(path, user.pw_uid, user.pw_gid)
    # the temp folders above `base` must be passable for that user
    for parent in base.parents:
        if parent == Path("/"):
            break
        os.chmod(parent, os.stat(parent).st_mode | 0o011)
    return ["runuser", "-u", "postgres", "--"]


@pytest.fixture(scope="module")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throw-away PostgreSQL server; the URL of an empty `members` database on it."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    assert found, "run scripts/deps-postgres.sh (Debian's postgresql)"
    bin_dir = Path(found[-1]).parent
    base = tmp_path_factory.mktemp("postgres")
    data = base / "data"
    data.mkdir()
    prefix = _as_server_user(base)
    subprocess.run(
        [*prefix, str(bin_dir / "initdb"), "-D", str(data), "-U", "docket", "--auth=trust",
         "--encoding=UTF8", "--no-sync"],
        check=True, capture_output=True,
    )  # fmt: skip
    port = free_port()
    log = base / "server.log"
    log_file = log.open("wb")
    proc = subprocess.Popen(
        [*prefix, str(bin_dir / "postgres"), "-D", str(data), "-h", "127.0.0.1", "-p", str(port),
         "-k", str(base), "-c", "fsync=off", "-c", "shared_buffers=32MB"],
        stdout=subprocess.DEVNULL, stderr=log_file,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = psycopg.connect(
                    host="127.0.0.1", port=port, user="docket", dbname="postgres", autocommit=True
                )
                break
            except psycopg.OperationalError:
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "PostgreSQL did not start"
                time.sleep(0.2)
        conn.execute("CREATE DATABASE members ENCODING 'UTF8' TEMPLATE template0")
        conn.close()
        yield f"postgresql+psycopg://docket@127.0.0.1:{port}/members"
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log_file.close()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def filled(postgres: str) -> tuple[str, int]:
    stats = write_demo(postgres, MEMBERS, 13)
    return postgres, stats.in_audience


def test_streams_a_large_audience_through_a_server_side_cursor(filled: tuple[str, int]) -> None:
    url, in_audience = filled
    engine = connect(url)
    names: list[Any] = []
    original = psycopg.Connection.cursor

    def spy(self: psycopg.Connection[Any], *args: Any, **kwargs: Any) -> Any:
        names.append(kwargs.get("name", args[0] if args else None))
        return original(self, *args, **kwargs)

    psycopg.Connection.cursor = spy  # type: ignore[assignment,method-assign]
    try:
        rows = stream_audience(engine, SEED_QUERY.read_text(), {"since": "2011-12-01"}, batch=500)
        first = next(rows)
        seen = 1 + sum(1 for _row in rows)
    finally:
        psycopg.Connection.cursor = original  # type: ignore[method-assign]
    assert seen == in_audience
    assert any(names), names  # a named cursor: rows come from the server as they are read
    assert first.email and set(first.data) == {"id", "email", "fname", "lname", "language"}
    assert 0.55 < in_audience / MEMBERS < 0.61


def test_notify_sends_from_postgres(
    filled: tuple[str, int], cases: Path, sink: Sink, tmp_path: Path
) -> None:
    url, _ = filled
    common = ["notify", CASE, "--cases", str(cases), "--directory", url]
    dry = CliRunner().invoke(cli, [*common, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    would = int(dry.output.split("dry run: ", 1)[1].split(" ", 1)[0])
    assert 0.5 * MEMBERS < would < 0.61 * MEMBERS
    sent = CliRunner().invoke(
        cli, [*common, "--smtp", sink.url, "--journal", str(tmp_path / "run"), "--yes",
              "--rate", "0", "--limit", "40"],
    )  # fmt: skip
    assert sent.exit_code == 0, sent.output
    assert len(sink.received) == 40
    assert len(set(sink.addresses())) == 40


def test_query_errors_from_postgres_are_one_line(filled: tuple[str, int]) -> None:
    engine = connect(filled[0])
    with pytest.raises(DirectoryError, match=r"audience query failed: .*nowhere"):
        list(stream_audience(engine, "SELECT email FROM nowhere", {}))


def test_unreachable_postgres_is_one_line_without_the_password() -> None:
    url = f"postgresql+psycopg://docket:secret@127.0.0.1:{free_port()}/members"
    with pytest.raises(DirectoryError, match="cannot reach directory") as caught:
        connect(url)
    assert "secret" not in str(caught.value)


# -- the audience query cannot change the directory -------------------------------------------

WRITES = [
    "DELETE FROM alerts RETURNING memid, 'x@example.org' AS email",
    "DROP TABLE alerts",
    "WITH d AS (DELETE FROM alerts RETURNING memid) SELECT memid, 'x@example.org' AS email FROM d",
    "SELECT memid, 'x@example.org' AS email INTO copied FROM alerts",
    "SELECT memid, 'x@example.org' AS email FROM alerts; DROP TABLE alerts",
    "SELECT memid, 'x@example.org' AS email, pg_read_file('PG_VERSION') AS fname FROM alerts",
]


@pytest.fixture
def guarded(postgres: str) -> Iterator[str]:
    """A database `guard` with a small `alerts` table."""
    port = int(postgres.split(":")[-1].split("/")[0])
    admin = psycopg.connect(
        host="127.0.0.1", port=port, user="docket", dbname="postgres", autocommit=True
    )
    admin.execute("DROP DATABASE IF EXISTS guard")
    admin.execute("CREATE DATABASE guard")
    admin.close()
    with psycopg.connect(host="127.0.0.1", port=port, user="docket", dbname="guard") as conn:
        conn.execute("CREATE TABLE alerts (memid INT PRIMARY KEY)")
        conn.execute("INSERT INTO alerts VALUES (1), (2), (3)")
    yield postgres.replace("/members", "/guard")


def _state(url: str) -> tuple[list[int], list[str]]:
    port = int(url.split(":")[-1].split("/")[0])
    with psycopg.connect(host="127.0.0.1", port=port, user="docket", dbname="guard") as conn:
        alerts = [int(r[0]) for r in conn.execute("SELECT memid FROM alerts ORDER BY memid")]
        tables = [
            str(r[0])
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
    return alerts, tables


@pytest.mark.parametrize(
    "sql", WRITES, ids=["delete", "drop", "with-delete", "into", "two", "read-file"]
)
def test_a_query_that_writes_is_refused_before_it_runs(guarded: str, sql: str) -> None:
    error = ""
    try:
        list(stream_audience(connect(guarded), sql, {}))
    except DirectoryError as exc:
        error = str(exc)
    assert _state(guarded) == ([1, 2, 3], ["alerts"])
    assert re.match(r"audience query:1:\d+: ", error), error


@pytest.mark.parametrize("sql", WRITES[:4], ids=["delete", "drop", "with-delete", "into"])
def test_the_read_only_transaction_refuses_writes(guarded: str, sql: str) -> None:
    """The second wall, the parser bypassed (and no server-side cursor to refuse by accident)."""
    import sqlalchemy as sa

    from notifier.audience.readonly import make_read_only

    engine = connect(guarded)
    with engine.connect() as conn:
        make_read_only(conn)
        with pytest.raises(sa.exc.DatabaseError, match="read-only transaction"):
            conn.exec_driver_sql(sql)
    engine.dispose()
    assert _state(guarded) == ([1, 2, 3], ["alerts"])


# -- the directory password never shows in `ps` -------------------------------------------------

PASSWORD = "pw-Zq7-s3cret"


@pytest.fixture
def reader(postgres: str) -> str:
    """A small database `small` and a read-only user `reader` that must give a password."""
    port = int(postgres.split(":")[-1].split("/")[0])
    admin = psycopg.connect(
        host="127.0.0.1", port=port, user="docket", dbname="postgres", autocommit=True
    )
    hba = Path(str(admin.execute("SHOW hba_file").fetchone()[0]))  # type: ignore[index]
    text = hba.read_text()
    line = "host all reader 127.0.0.1/32 scram-sha-256\n"
    if line not in text:
        hba.write_text(line + text)
    admin.execute("SELECT pg_reload_conf()")
    admin.execute("DROP DATABASE IF EXISTS small")
    admin.execute("CREATE DATABASE small")
    admin.execute("DROP ROLE IF EXISTS reader")
    admin.execute(f"CREATE ROLE reader LOGIN PASSWORD '{PASSWORD}'")
    admin.close()
    write_demo(postgres.replace("/members", "/small"), 60, 5)
    with psycopg.connect(host="127.0.0.1", port=port, user="docket", dbname="small") as conn:
        conn.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader")
    return f"postgresql+psycopg://reader@127.0.0.1:{port}/small"


def test_the_password_comes_from_the_environment_and_never_shows_in_ps(
    reader: str, cases: Path, sink: Sink, tmp_path: Path
) -> None:
    import shlex
    import signal
    import sys

    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "DOCKET_DIRECTORY_PASSWORD": PASSWORD,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.pop("DOCKET_DIRECTORY", None)
    command = [
        str(bin_dir / "docket"), "notify", CASE, "--cases", str(cases), "--directory", reader,
        "--smtp", sink.url, "--journal", str(tmp_path / "run"), "--yes", "--rate", "5/s",
    ]  # fmt: skip
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    seen: list[bytes] = []
    try:
        deadline = time.monotonic() + 120
        while len(sink.received) < 3:
            assert proc.poll() is None, proc.communicate()[0]
            assert time.monotonic() < deadline, "no mail arrived"
            seen.append(Path(f"/proc/{proc.pid}/cmdline").read_bytes())
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        output = proc.communicate(timeout=120)[0]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, output
    assert any(b"reader@127.0.0.1" in cmdline for cmdline in seen)  # the real command line
    assert not any(PASSWORD.encode() in cmdline for cmdline in seen)
    assert PASSWORD not in output and "***" not in output
    resume = output.split("To resume, run: ", 1)[1].splitlines()[0]
    resumed = subprocess.run(
        shlex.split(resume), env=env, capture_output=True, text=True, timeout=300
    )
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert PASSWORD not in resumed.stdout + resumed.stderr
    addresses = sink.addresses()
    assert len(addresses) == len(set(addresses)) > 3  # everyone once, nobody twice


def test_a_password_in_a_command_line_url_is_warned_about(reader: str, cases: Path) -> None:
    inline = reader.replace("reader@", f"reader:{PASSWORD}@")
    result = CliRunner().invoke(
        cli, ["notify", CASE, "--cases", str(cases), "--directory", inline, "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "warning: the --directory URL carries a password" in result.output
    assert "DOCKET_DIRECTORY_PASSWORD" in result.output
