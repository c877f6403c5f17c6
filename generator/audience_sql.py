"""An audience query is exactly one SELECT (or WITH ... SELECT) statement: read by a real parser.

The query is approved text, but a mistake or a malicious edit must not be able to change or copy
the member database. `docket check` reports any other statement at its line, and the notifier
refuses it before running anything (and runs what passes in a read-only transaction as well).
sqlglot reads the dialects the directory can be: SQLite, MariaDB/MySQL and PostgreSQL.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokenizer_core import Token, TokenType

# The dialects `docket check` tries (the directory's kind is only known at run time).
DIALECTS = ("", "sqlite", "mysql", "postgres")
# SQLAlchemy's dialect names -> sqlglot's.
BACKENDS = {"sqlite": "sqlite", "mysql": "mysql", "mariadb": "mysql", "postgresql": "postgres"}

# Nodes that change, copy or lock data, or that the parser could not read (Command), wherever
# they appear: a data-modifying CTE (`WITH d AS (DELETE ... RETURNING *) SELECT ...`) and
# `SELECT ... INTO` are caught as well as a plain DELETE.
_FORBIDDEN: tuple[type[exp.Expr], ...] = (
    exp.DML,
    exp.DDL,
    exp.Drop,
    exp.Alter,
    exp.Command,
    exp.Pragma,
    exp.Attach,
    exp.Detach,
    exp.Into,
    exp.Lock,
    exp.Set,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Copy,
    exp.LoadData,
    exp.Use,
    exp.TruncateTable,
    exp.Kill,
    exp.Execute,
    exp.Grant,
    exp.Revoke,
    exp.Analyze,
    exp.Cache,
    exp.Uncache,
    exp.Refresh,
)
# A named `:param` placeholder, not a `::` cast. `docket check` (DK605) and the notifier (which
# binds the values) read placeholders with this one pattern, so a query that passes the check
# binds at send time.
_PARAM_RE = re.compile(r"(?<![:\w]):(?P<name>[A-Za-z_]\w*)")


def strip_comments(sql: str) -> str:
    """Blank whole-line `--` comments (a `:name` inside one would count as a placeholder).

    The lines stay, empty, so that a problem is reported at its line of the query file.
    """
    return "\n".join("" if line.lstrip().startswith("--") else line for line in sql.splitlines())


def query_params(sql: str) -> set[str]:
    """Named `:param` placeholders in the query (outside `::` casts and comment lines)."""
    return {match["name"] for match in _PARAM_RE.finditer(strip_comments(sql))}


_ROOTS = (exp.Select, exp.SetOperation, exp.Subquery)
# Functions that read or write the server's files, change state, lock, or stall the server:
# a SELECT calling them could mail a server file to the audience or stall the directory.
_FORBIDDEN_FUNCTIONS = frozenset(
    {
        # MariaDB/MySQL
        "load_file", "sleep", "benchmark", "get_lock", "release_lock", "release_all_locks",
        "master_pos_wait", "sys_exec", "sys_eval",
        # PostgreSQL
        "pg_read_file", "pg_read_binary_file", "pg_ls_dir", "pg_stat_file", "pg_file_write",
        "lo_import", "lo_export", "lo_get", "lo_put", "lo_from_bytea", "dblink", "dblink_exec",
        "pg_sleep", "pg_sleep_for", "pg_sleep_until", "pg_advisory_lock",
        "pg_advisory_xact_lock", "pg_advisory_lock_shared", "pg_try_advisory_lock",
        "nextval", "setval", "set_config", "pg_terminate_backend", "pg_cancel_backend",
        "pg_reload_conf", "pg_rotate_logfile", "pg_logical_emit_message", "query_to_xml",
        # SQLite
        "load_extension", "readfile", "writefile", "edit", "fts3_tokenizer",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SqlProblem:
    """Why the query is refused, at a 1-based line and column of the query file."""

    line: int
    col: int
    message: str


@contextmanager
def _quiet() -> Iterator[None]:
    """sqlglot logs a warning when it falls back to a Command; the problem is reported instead."""
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _kind(node: exp.Expr) -> str:
    if isinstance(node, exp.Command):
        return str(node.this).upper() or "command"
    if isinstance(node, exp.Into):
        return "SELECT ... INTO"
    if isinstance(node, exp.Lock):
        return "a locking clause (FOR UPDATE/SHARE)"
    return type(node).__name__.upper()


def _function_name(node: exp.Expr) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    if isinstance(node, exp.Func):
        return node.sql_name().lower()
    return ""


def _start(token: Token) -> tuple[int, int]:
    return token.line, max(1, token.col - len(token.text) + 1)


def _statements(tokens: list[Token]) -> list[list[Token]]:
    """The tokens of each statement (split at `;`), empty statements dropped."""
    chunks: list[list[Token]] = [[]]
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            chunks.append([])
        else:
            chunks[-1].append(token)
    return [chunk for chunk in chunks if chunk]


def problems(sql: str, dialect: str = "") -> list[SqlProblem]:
    """Everything that keeps `sql` from being one read-only SELECT in `dialect` ("" = generic)."""
    reader = Dialect.get_or_raise(dialect or None)
    try:
        with _quiet():
            tokens = reader.tokenize(sql)
    except TokenError as exc:
        return [SqlProblem(1, 1, f"the query cannot be read as SQL: {exc}")]
    found: list[SqlProblem] = []
    for token in tokens:
        for comment in token.comments:
            if comment.lstrip().startswith(("!", "M!")):
                line, col = _start(token)
                found.append(SqlProblem(line, col, "executable comment (/*! ... */): remove it"))
    statements = _statements(tokens)
    if not statements:
        return [SqlProblem(1, 1, "the query is empty: write one SELECT statement")]
    for number, chunk in enumerate(statements, 1):
        line, col = _start(chunk[0])
        if number > 1:
            found.append(
                SqlProblem(
                    line, col,
                    f"a second statement ({chunk[0].text.upper()}): the audience query must be "
                    "exactly one SELECT statement",
                )
            )  # fmt: skip
            continue
        try:
            with _quiet():
                parsed = reader.parser().parse(chunk, sql)
        except ParseError as exc:
            first = exc.errors[0] if exc.errors else {}
            where = (int(first.get("line") or line), int(first.get("col") or col))
            reason = str(first.get("description") or exc).splitlines()[0]
            found.append(SqlProblem(*where, f"not readable as one SELECT statement: {reason}"))
            continue
        root = parsed[0] if parsed else None
        if root is None:
            continue
        if not isinstance(root, _ROOTS):
            found.append(
                SqlProblem(
                    line, col,
                    f"{_kind(root)} statement: the audience query must be one SELECT (or WITH "
                    "... SELECT) statement, which reads and changes nothing",
                )
            )  # fmt: skip
            continue
        for node in root.walk():
            function = _function_name(node)
            if function in _FORBIDDEN_FUNCTIONS:
                found.append(
                    SqlProblem(
                        line, col,
                        f"{function}() reads or changes the server's state: the audience query "
                        "may only read the directory's tables",
                    )
                )  # fmt: skip
                break
            if isinstance(node, _FORBIDDEN):
                found.append(
                    SqlProblem(
                        line, col,
                        f"{_kind(node)} inside the SELECT: the audience query may only read",
                    )
                )  # fmt: skip
                break
    return found


def check_audience_sql(sql: str) -> list[SqlProblem]:
    """For `docket check`: no problems when some dialect reads `sql` as one read-only SELECT.

    Otherwise the problems of the dialect that read it furthest (a statement it could parse
    beats a parse error), so that a PostgreSQL-only query is not refused for MySQL syntax.
    """
    results = [problems(sql, dialect) for dialect in DIALECTS]
    if any(not found for found in results):
        return []
    informative = [r for r in results if not any("not readable" in p.message for p in r)]
    return (informative or results)[0]


def backend_dialect(name: str) -> str:
    """sqlglot's dialect for a SQLAlchemy dialect name (generic for anything else)."""
    return BACKENDS.get(name, "")
