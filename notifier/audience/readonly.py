"""Run the audience query so that it cannot change or copy the member directory, on every backend.

The query is approved text and checked to be one SELECT (generator/audience_sql.py); this is the
second wall, for whatever the parser misses. SQLite: the file opened read-only (`mode=ro`), plus
`PRAGMA query_only` and an authorizer that allows reading only (`mode=ro` alone still lets
`VACUUM INTO` write a copy, and ATTACH would create files). MariaDB/MySQL and PostgreSQL: a
read-only transaction, rolled back at the end. A read-only database user is still recommended.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

READ_ONLY_BACKENDS = ("sqlite", "mysql", "mariadb", "postgresql")

# What a SELECT needs from SQLite's authorizer; every other action (writes, PRAGMA, ATTACH,
# transactions, schema changes) is denied.
_SQLITE_ALLOWED = {
    sqlite3.SQLITE_SELECT,
    sqlite3.SQLITE_READ,
    sqlite3.SQLITE_FUNCTION,
    sqlite3.SQLITE_RECURSIVE,
}


def sqlite_read_only(path: Path) -> Engine:
    """An engine on an existing SQLite file opened read-only (never creating it)."""
    uri = path.resolve().as_uri() + "?mode=ro"

    def opener() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    return sa.create_engine("sqlite://", creator=opener, poolclass=sa.pool.NullPool)


def _authorize(action: int, *_args: object) -> int:
    return sqlite3.SQLITE_OK if action in _SQLITE_ALLOWED else sqlite3.SQLITE_DENY


def make_read_only(conn: Connection) -> None:
    """Restrict `conn` to reading from now on; the caller rolls back and closes it after.

    The connection is never returned to a pool (NullPool): it is closed with its restrictions.
    """
    name = conn.dialect.name
    if name == "sqlite":
        raw = conn.connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)
        raw.execute("PRAGMA query_only = ON")
        raw.set_authorizer(_authorize)
    elif name in ("mysql", "mariadb"):
        # Session-wide, so that DDL (which commits implicitly) is refused as well.
        conn.exec_driver_sql("SET SESSION TRANSACTION READ ONLY")
        conn.exec_driver_sql("START TRANSACTION READ ONLY")
    elif name == "postgresql":
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
    else:
        raise ValueError(f"no read-only mode for {name}")
