"""The member directory: run an action's audience query and stream its rows.

The directory is whatever database the critical points at (an SQLite file by default, any
SQLAlchemy URL otherwise). Rows are streamed with a server-side cursor so a million members
never sit in memory; the URL (which may carry a password) never appears in an error message.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

DIRECTORY_ENV = "DOCKET_DIRECTORY"
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
    return raw


def redact(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid URL>"


def connect(url: str) -> Engine:
    """An engine for the directory; fails early and without the password when unreachable."""
    try:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise DirectoryError(f"directory URL {redact(url)!r} is not usable: {exc}") from None
    except ImportError as exc:
        raise DirectoryError(f"directory driver missing for {redact(url)!r}: {exc}") from None
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


_PARAM_RE = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def strip_comments(sql: str) -> str:
    """Drop whole-line `--` comments (a `:name` inside one would count as a placeholder)."""
    return "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))


def query_params(sql: str) -> set[str]:
    """Named `:param` placeholders in the query (outside `::` casts and comment lines)."""
    return set(_PARAM_RE.findall(strip_comments(sql)))


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


def stream_audience(
    engine: Engine,
    sql: str,
    params: Mapping[str, Any],
    required: Sequence[str] = ("email",),
    batch: int = STREAM_BATCH,
) -> Iterator[AudienceRow]:
    """Yield the audience row by row through a server-side cursor.

    The required columns are checked on the result's keys before the first row is read, so a
    query lacking `email` (or a template variable) fails before anything is sent.
    """
    bound = _bound(sql, params)
    try:
        with engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=batch).execute(
                sa.text(strip_comments(sql)), bound
            )
            columns = [str(c) for c in list(result.keys())]
            lower = {c.lower(): c for c in columns}
            absent = [name for name in required if name.lower() not in lower]
            if absent:
                result.close()
                raise DirectoryError(
                    "audience query lacks column(s) "
                    + ", ".join(absent)
                    + f" (it returns: {', '.join(columns) or 'nothing'})"
                )
            email_col = lower["email"]
            for partition in result.mappings().partitions():
                for row in partition:
                    data = {k.lower(): _plain(v) for k, v in row.items()}
                    yield AudienceRow(email=str(row[email_col] or ""), data=data)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise DirectoryError(f"audience query failed: {reason}") from None


def audience_columns(engine: Engine, sql: str, params: Mapping[str, Any]) -> list[str]:
    """The columns the query returns, without reading its rows (for the plan and the checks)."""
    bound = _bound(sql, params)
    try:
        with engine.connect() as conn:
            result = conn.execution_options(stream_results=True).execute(
                sa.text(strip_comments(sql)), bound
            )
            keys = [str(c).lower() for c in list(result.keys())]
            result.close()
            return keys
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise DirectoryError(f"audience query failed: {reason}") from None


def _plain(value: Any) -> Any:
    """Row values as JSON-friendly scalars (the journal stores them as JSON)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)
