"""The member directory: run an action's audience query and stream its rows.

The directory is whatever database the critical points at (an SQLite file by default, any
SQLAlchemy URL otherwise). The query must be one SELECT (generator/audience_sql.py) and runs
once, read-only (readonly.py); rows are streamed with a server-side cursor so a million members
never sit in memory. The URL's password comes from DOCKET_DIRECTORY_PASSWORD, not the command
line, and never appears in an error message.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, CursorResult, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from generator.audience_sql import backend_dialect, problems, query_params, strip_comments
from notifier.audience.readonly import READ_ONLY_BACKENDS, make_read_only, sqlite_read_only

DIRECTORY_ENV = "DOCKET_DIRECTORY"
PASSWORD_ENV = "DOCKET_DIRECTORY_PASSWORD"
STREAM_BATCH = 2000


class DirectoryError(Exception):
    """A directory problem the user can fix (bad URL, unreachable server, failing query)."""


@dataclass(frozen=True, slots=True)
class AudienceRow:
    """One row of the audience query: the address plus every other column as template data."""

    email: str
    data: dict[str, Any]


def directory_url(value: str | None) -> str:
    """A SQLAlchemy URL from `--directory` or the environment; a bare path means an SQLite file."""
    raw = value or os.environ.get(DIRECTORY_ENV, "")
    if not raw:
        raise DirectoryError(f"no member directory: pass --directory URL or set {DIRECTORY_ENV}")
    if "://" not in raw:
        path = Path(raw)
        if not path.is_file():
            raise DirectoryError(f"{raw}: no such SQLite file (pass --directory PATH or URL)")
        return f"sqlite:///{path.resolve()}"
    return with_password(raw)


def with_password(url: str) -> str:
    """The URL with the password from DOCKET_DIRECTORY_PASSWORD when it names a user but none.

    So that the password never has to be on the command line, where `ps` shows it to everyone.
    """
    password = os.environ.get(PASSWORD_ENV)
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url  # connect() reports it
    if not password or not parsed.username or parsed.password is not None:
        return url
    return parsed.set(password=password).render_as_string(hide_password=False)


def carries_password(url: str) -> bool:
    """True when the URL itself holds a password (a warning on the command line)."""
    try:
        return "://" in url and make_url(url).password is not None
    except ArgumentError:
        return False


def without_password(url: str) -> str:
    """The URL with its password left out (not masked): what a resume command can print."""
    try:
        return make_url(url)._replace(password=None).render_as_string(hide_password=False)
    except ArgumentError:
        return url


def redact(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid URL>"


def connect(url: str) -> Engine:
    """An engine for the directory; fails early and without the password when unreachable.

    An SQLite file is opened read-only (a missing file is an error, never created).
    """
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            engine = sqlite_read_only(Path(parsed.database))
        else:
            engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise DirectoryError(f"directory URL {redact(url)!r} is not usable: {exc}") from None
    except ImportError as exc:
        raise DirectoryError(f"directory driver missing for {redact(url)!r}: {exc}") from None
    if engine.dialect.name not in READ_ONLY_BACKENDS:
        raise DirectoryError(
            f"directory {redact(url)}: {engine.dialect.name} cannot be read read-only by docket; "
            "use SQLite, MariaDB/MySQL or PostgreSQL"
        )
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise DirectoryError(f"cannot reach directory {redact(url)}: {reason}") from None
    return engine


def _bind_value(value: Any) -> Any:
    # ISO strings compare correctly with SQLite's TEXT dates and MariaDB's DATETIME alike.
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _bound(sql: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters the query uses, bound; a placeholder without a value is an error."""
    wanted = query_params(sql)
    missing = wanted - set(params)
    if missing:
        raise DirectoryError(
            "audience query needs parameter(s) "
            + ", ".join(sorted(missing))
            + " (audience: params: in the action)"
        )
    return {k: _bind_value(v) for k, v in params.items() if k in wanted}


class AudienceQuery:
    """The audience query, run once: its columns are known, its rows not read yet.

    It runs in a read-only connection (see readonly.py) that stays open while the rows are
    streamed into the journal and is rolled back and closed by `close()`.
    """

    def __init__(
        self,
        engine: Engine,
        conn: Connection,
        result: CursorResult[Any],
        batch: int = STREAM_BATCH,
    ) -> None:
        self.engine = engine
        self._batch = batch  # rows a fetch: the DB-API's default (SQLite's) is one
        self._conn = conn
        self._result = result
        self.columns = [str(c).lower() for c in list(result.keys())]
        self._email = next((str(c) for c in list(result.keys()) if str(c).lower() == "email"), "")
        self._done = False
        self._closed = False

    def rows(self) -> Iterator[AudienceRow]:
        """The rows, streamed from the server; a failure midway is one DirectoryError line."""
        names = self.columns  # lower-cased, in the query's order
        email = names.index("email") if "email" in names else None
        try:
            # plain tuples, not mappings: a third of the snapshot's time went to row objects;
            # a row of JSON's own types (most) is taken as it is, without a call per value
            for partition in self._result.partitions(self._batch):
                for row in partition:
                    if _JSON_TYPES.issuperset(map(type, row)):
                        data = dict(zip(names, row, strict=True))
                    else:
                        data = {name: _plain(v) for name, v in zip(names, row, strict=True)}
                    address = row[email] if email is not None else None
                    yield AudienceRow(email=str(address or ""), data=data)
            self._done = True
        except SQLAlchemyError as exc:
            raise DirectoryError(f"audience query failed: {_reason(exc)}") from None

    def close(self) -> None:
        """Roll back and close the connection, whether or not the rows were read.

        Rows left unread are not fetched (an unbuffered MariaDB result would be read to its
        end): the connection is dropped instead, and the server rolls back.
        """
        if self._closed:
            return
        self._closed = True
        try:
            if self._done:
                try:
                    self._result.close()
                    self._conn.rollback()
                finally:
                    self._conn.close()
            else:
                _discard(self._conn)
        finally:
            self.engine.dispose()


def _reason(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", exc)).splitlines()[0]


def refuse_unless_select(sql: str, dialect_name: str, source: str = "audience query") -> None:
    """A DirectoryError at the first problem unless `sql` is one read-only SELECT."""
    found = problems(sql, backend_dialect(dialect_name))
    if found:
        first = found[0]
        raise DirectoryError(f"{source}:{first.line}:{first.col}: {first.message}")


def open_audience(
    engine: Engine,
    sql: str,
    params: Mapping[str, Any],
    required: Sequence[str] = ("email",),
    batch: int = STREAM_BATCH,
    source: str = "audience query",
) -> AudienceQuery:
    """Run the query once, read-only, through a server-side cursor; check its columns.

    The required columns are checked on the result's keys before the first row is read, so a
    query lacking `email` (or a template variable) fails before anything is sent.
    """
    text = strip_comments(sql)
    refuse_unless_select(text, engine.dialect.name, source)
    bound = _bound(sql, params)
    conn = engine.connect()
    try:
        make_read_only(conn)
        result = conn.execution_options(stream_results=True, yield_per=batch).execute(
            sa.text(text), bound
        )
        columns = [str(c) for c in list(result.keys())] if result.returns_rows else []
        lower = {c.lower() for c in columns}
        absent = [name for name in required if name.lower() not in lower]
        if absent:
            raise DirectoryError(
                f"{source}: the query lacks column(s) "
                + ", ".join(absent)
                + f" (it returns: {', '.join(columns) or 'nothing'})"
            )
        audience = AudienceQuery(engine, conn, result, batch)
    except SQLAlchemyError as exc:
        _discard(conn)
        raise DirectoryError(f"audience query failed: {_reason(exc)}") from None
    except BaseException:
        _discard(conn)
        raise
    return audience


def _discard(conn: Connection) -> None:
    """Close the connection without reading what is left of a result (the server rolls back)."""
    try:
        conn.invalidate()
    finally:
        conn.close()


def stream_audience(
    engine: Engine,
    sql: str,
    params: Mapping[str, Any],
    required: Sequence[str] = ("email",),
    batch: int = STREAM_BATCH,
) -> Iterator[AudienceRow]:
    """Yield the audience row by row (the query runs at the first `next`)."""
    audience = open_audience(engine, sql, params, required, batch)
    try:
        yield from audience.rows()
    finally:
        audience.close()


_JSON_TYPES = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """Row values as JSON-friendly scalars (the journal stores them as JSON)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)
