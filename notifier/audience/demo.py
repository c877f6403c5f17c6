"""A synthetic member directory with a CAcert-like schema, for the demo, tests and benchmarks.

Tuned so that about 58% of the members fall in the seed ruling's audience (as in 2014: 168,977
mails for 290,146 user ids), with the dirt a real directory has: deleted members, duplicate and
malformed addresses, names with non-ASCII letters, German and English members mixed.
"""

from __future__ import annotations

import os
import random
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

metadata = sa.MetaData()

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("email", sa.String(255), nullable=False),
    sa.Column("fname", sa.String(255), nullable=False),
    sa.Column("lname", sa.String(255), nullable=False),
    sa.Column("language", sa.String(16), nullable=False, server_default=""),
    sa.Column("deleted", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created", sa.DateTime, nullable=False),
    mysql_charset="utf8mb4",
)
alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("memid", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("general", sa.Integer, nullable=False, server_default="0"),
    sa.Column("country", sa.Integer, nullable=False, server_default="0"),
    sa.Column("regional", sa.Integer, nullable=False, server_default="0"),
    sa.Column("radius", sa.Integer, nullable=False, server_default="0"),
    mysql_charset="utf8mb4",
)
domains = sa.Table(
    "domains",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("memid", sa.Integer, nullable=False, index=True),
    sa.Column("domain", sa.String(255), nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("deleted", sa.DateTime, nullable=True),
    mysql_charset="utf8mb4",
)
domaincerts = sa.Table(
    "domaincerts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("domid", sa.Integer, nullable=False, index=True),
    sa.Column("CN", sa.String(255), nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("expire", sa.DateTime, nullable=False),
    sa.Column("revoked", sa.DateTime, nullable=True),
    mysql_charset="utf8mb4",
)

FIRST = [
    "Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hans", "Ines", "Jonas",
    "Jürgen", "Søren", "François", "Zoë", "Łukasz", "José", "Mia", "Noah", "Olga", "Paul",
]  # fmt: skip
LAST = [
    "Müller", "Schmidt", "Meyer", "Smith", "Jones", "Brown", "Weiß", "O'Brien", "Dubois",
    "Nowak", "García", "Jensen", "Rossi", "Fischer", "Taylor", "Wagner", "Becker", "Hoffmann",
]  # fmt: skip
MAIL_DOMAINS = ["example.org", "example.net", "example.com", "mail.example.de", "test.example"]
LANGUAGES = [("en_US", 30), ("en", 15), ("de_DE", 22), ("de", 8), ("", 15), ("fr_FR", 5),
             ("nl_NL", 5)]  # fmt: skip
MALFORMED = ["no-at-sign.example.org", "two@@example.org", "trailing@", "@example.org",
             "space in@example.org", "dots..x@example.org", "x@example..org",
             "evil@example.org\r\nBcc: victim@example.net", "x@-bad-.example"]  # fmt: skip

SINCE = datetime(2011, 12, 1)
EPOCH = datetime(2004, 1, 1)
NOW = datetime(2014, 4, 8)


@dataclass
class DemoStats:
    """What was written, so tests and the CLI can say how dirty the directory is."""

    members: int = 0
    deleted: int = 0
    general: int = 0
    in_audience: int = 0
    duplicates: int = 0
    malformed: int = 0
    languages: dict[str, int] = field(default_factory=dict)


def _ascii(name: str) -> str:
    table = str.maketrans({"ü": "ue", "ø": "o", "ç": "c", "ë": "e", "ł": "l", "é": "e", "ß": "ss",
                           "í": "i", "'": ""})  # fmt: skip
    return name.lower().translate(table)


def _rows(members: int, seed: int, stats: DemoStats) -> Iterator[tuple[str, dict[str, Any]]]:
    rng = random.Random(seed)
    languages = [lang for lang, weight in LANGUAGES for _ in range(weight)]
    domain_id = 0
    cert_id = 0
    seen: list[str] = []
    span = (NOW - EPOCH).days
    for uid in range(1, members + 1):
        fname, lname = rng.choice(FIRST), rng.choice(LAST)
        roll = rng.random()
        if roll < 0.012 and seen:
            email = rng.choice(seen)
            if rng.random() < 0.5:
                email = email.upper() if rng.random() < 0.3 else email.capitalize()
            stats.duplicates += 1
        elif roll < 0.018:
            email = rng.choice(MALFORMED)
            stats.malformed += 1
        else:
            email = f"{_ascii(fname)}.{_ascii(lname)}.{uid}@{rng.choice(MAIL_DOMAINS)}"
            if len(seen) < 5000:
                seen.append(email)
            elif rng.random() < 0.01:
                seen[rng.randrange(len(seen))] = email
        if rng.random() < 0.02:
            fname = fname + " \u201cthe\u201d " + "Long" * rng.randint(1, 40)
        language = rng.choice(languages)
        deleted = 1 if rng.random() < 0.05 else 0
        created = EPOCH + timedelta(days=rng.randrange(span))
        stats.members += 1
        stats.deleted += deleted
        stats.languages[language] = stats.languages.get(language, 0) + 1
        yield "users", {
            "id": uid, "email": email, "fname": fname, "lname": lname, "language": language,
            "deleted": deleted, "created": created,
        }  # fmt: skip
        general = 1 if rng.random() < 0.30 else 0
        stats.general += general
        yield "alerts", {"memid": uid, "general": general, "country": int(rng.random() < 0.1),
                         "regional": 0, "radius": 0}  # fmt: skip
        cert_kind = rng.random()
        active = False
        if cert_kind < 0.60:
            domain_id += 1
            name = f"host{uid}.{rng.choice(MAIL_DOMAINS)}"
            yield "domains", {"id": domain_id, "memid": uid, "domain": name,
                              "created": created, "deleted": None}  # fmt: skip
            if cert_kind < 0.45:  # a certificate active at some time since 2011-12-01
                issued = SINCE + timedelta(days=rng.randrange(-700, 800))
                expire = max(issued + timedelta(days=rng.choice([365, 730])), SINCE)
                revoked = None if rng.random() < 0.9 else max(issued, SINCE) + timedelta(days=3)
                active = True
            elif cert_kind < 0.55:  # expired before the window
                issued = SINCE - timedelta(days=rng.randrange(800, 2000))
                expire = issued + timedelta(days=365)
                revoked = None
            else:  # revoked before the window
                issued = SINCE - timedelta(days=rng.randrange(30, 300))
                expire = issued + timedelta(days=730)
                revoked = SINCE - timedelta(days=rng.randrange(1, 29))
            cert_id += 1
            yield "domaincerts", {"id": cert_id, "domid": domain_id, "CN": name,
                                  "created": issued, "expire": expire,
                                  "revoked": revoked}  # fmt: skip
        stats.in_audience += int(not deleted and (active or general == 1))


def write_demo(target: str, members: int, seed: int, force: bool = False) -> DemoStats:
    """Write a demo directory to an SQLite file (atomically) or to any SQLAlchemy URL."""
    if members < 1:
        raise ValueError("--members must be at least 1")
    if "://" in target:
        engine = sa.create_engine(target, poolclass=sa.pool.NullPool)
        try:
            if force:
                metadata.drop_all(engine)
            return _fill(engine, members, seed)
        finally:
            engine.dispose()
    out = Path(target)
    if out.exists() and not force:
        raise FileExistsError(f"{target}: exists (pass --force to overwrite)")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".demo-", suffix=".sqlite", dir=out.parent)
    os.close(fd)
    try:
        engine = sa.create_engine(f"sqlite:///{tmp}", poolclass=sa.pool.NullPool)

        @sa.event.listens_for(engine, "connect")
        def _fast(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute("PRAGMA journal_mode=OFF")
            dbapi_conn.execute("PRAGMA synchronous=OFF")

        stats = _fill(engine, members, seed)
        engine.dispose()
        os.replace(tmp, out)
        return stats
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _fill(engine: sa.Engine, members: int, seed: int) -> DemoStats:
    stats = DemoStats()
    metadata.create_all(engine)
    tables = {t.name: t for t in (users, alerts, domains, domaincerts)}
    pending: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
    with engine.begin() as conn:
        for name, row in _rows(members, seed, stats):
            batch = pending[name]
            batch.append(row)
            if len(batch) >= 5000:
                conn.execute(tables[name].insert(), batch)
                batch.clear()
        for name, batch in pending.items():
            if batch:
                conn.execute(tables[name].insert(), batch)
    return stats
