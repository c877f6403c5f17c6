"""The member directory: the demo's shape, streaming the audience, column and URL checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docket.cli import cli
from notifier.audience.demo import write_demo
from notifier.audience.directory import (
    DirectoryError,
    connect,
    directory_url,
    redact,
    stream_audience,
)

ROOT = Path(__file__).resolve().parents[3]
SEED_QUERY = (ROOT / "cases" / "2014" / "a20140408.1" / "audience.sql").read_text("utf-8")


def test_demo_directory_looks_like_2014(tmp_path: Path) -> None:
    stats = write_demo(str(tmp_path / "m.sqlite"), 5000, 3)
    assert 0.55 <= stats.in_audience / stats.members <= 0.61
    assert stats.deleted > 0 and stats.duplicates > 0 and stats.malformed > 0
    assert stats.languages.get("de_DE", 0) > 0 and stats.languages.get("en_US", 0) > 0
    engine = connect(directory_url(str(tmp_path / "m.sqlite")))
    rows = list(stream_audience(engine, SEED_QUERY, {"since": "2011-12-01"}, batch=100))
    assert len(rows) == stats.in_audience
    assert [r.data["id"] for r in rows] == sorted(r.data["id"] for r in rows)
    assert set(rows[0].data) == {"id", "email", "fname", "lname", "language"}
    assert sum(1 for r in rows if "@" not in r.email or "\n" in r.email) > 0  # dirt comes along


def test_the_seed_rulings_selection(tmp_path: Path) -> None:
    """Members in and out of the audience, one rule at a time."""
    import sqlite3

    path = tmp_path / "m.sqlite"
    write_demo(str(path), 1, 1)
    db = sqlite3.connect(path)
    db.executescript(
        "DELETE FROM users; DELETE FROM alerts; DELETE FROM domains; DELETE FROM domaincerts;"
    )
    members = [
        # id, deleted, general, (expire, revoked) of a certificate or None
        (1, 0, 1, None),  # general announcements: in
        (2, 0, 0, ("2012-06-01", None)),  # active after 2011-12-01: in
        (3, 0, 0, ("2011-11-30", None)),  # expired before: out
        (4, 0, 0, ("2013-01-01", "2011-11-15")),  # revoked before: out
        (5, 0, 0, ("2013-01-01", "2012-02-01")),  # revoked after, so active in between: in
        (6, 1, 1, ("2013-01-01", None)),  # deleted member: out
        (7, 0, 0, None),  # nothing: out
    ]
    for uid, deleted, general, cert in members:
        db.execute(
            "INSERT INTO users VALUES (?, ?, 'F', 'L', 'en', ?, '2010-01-01')",
            (uid, f"m{uid}@example.org", deleted),
        )
        db.execute("INSERT INTO alerts (memid, general) VALUES (?, ?)", (uid, general))
        if cert:
            db.execute(
                "INSERT INTO domains VALUES (?, ?, 'x.example', '2010-01-01', NULL)", (uid, uid)
            )
            db.execute(
                "INSERT INTO domaincerts VALUES (?, ?, 'x.example', '2010-01-01', ?, ?)",
                (uid, uid, cert[0] + " 00:00:00", cert[1] and cert[1] + " 00:00:00"),
            )
    db.commit()
    db.close()
    engine = connect(directory_url(str(path)))
    got = [r.data["id"] for r in stream_audience(engine, SEED_QUERY, {"since": "2011-12-01"})]
    assert got == [1, 2, 5]


def test_required_columns_are_checked_before_any_row(tmp_path: Path) -> None:
    write_demo(str(tmp_path / "m.sqlite"), 50, 1)
    engine = connect(directory_url(str(tmp_path / "m.sqlite")))
    with pytest.raises(DirectoryError, match=r"lacks column\(s\) email"):
        next(stream_audience(engine, "SELECT id, fname FROM users", {}))
    with pytest.raises(DirectoryError, match=r"lacks column\(s\) nickname"):
        next(stream_audience(engine, "SELECT email FROM users", {}, required=("email", "nickname")))


def test_urls_and_passwords(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert redact("mysql+pymysql://u:secret@db/x") == "mysql+pymysql://u:***@db/x"
    with pytest.raises(DirectoryError, match="no member directory"):
        monkeypatch.delenv("DOCKET_DIRECTORY", raising=False)
        directory_url(None)
    monkeypatch.setenv("DOCKET_DIRECTORY", "sqlite:///x.db")
    assert directory_url(None) == "sqlite:///x.db"
    with pytest.raises(DirectoryError, match="not usable"):
        connect("nosuchdialect://x/y")


def test_demo_command(tmp_path: Path) -> None:
    out = tmp_path / "members.sqlite"
    runner = CliRunner()
    result = runner.invoke(cli, ["directory", "demo", str(out), "--members", "400", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "400 members" in result.output and "in the a20140408.1 audience" in result.output
    again = runner.invoke(cli, ["directory", "demo", str(out), "--members", "400"])
    assert again.exit_code == 1 and "exists (pass --force to overwrite)" in again.output
    forced = runner.invoke(cli, ["directory", "demo", str(out), "--members", "300", "--force"])
    assert forced.exit_code == 0 and "300 members" in forced.output, forced.output
    old = runner.invoke(cli, ["directory", "demo", str(out), "--members", "200", "--replace"])
    assert old.exit_code == 0 and "200 members" in old.output
    assert "--replace is deprecated and goes in the next release; use --force" in old.output
    assert [p.name for p in tmp_path.iterdir()] == ["members.sqlite"]  # no temp file left


def test_row_values_become_json_friendly_and_every_row_is_read(tmp_path: Path) -> None:
    """Text, numbers and NULL are taken as they are; bytes become text: what the journal keeps
    is what the template sees. Rows come in fetches of many (SQLite's own default is one)."""
    write_demo(str(tmp_path / "m.sqlite"), 5000, 1)
    engine = connect(directory_url(str(tmp_path / "m.sqlite")))
    query = (
        "SELECT email, fname, id, 1.5 AS score, NULL AS absent,"
        " CAST(x'c3a97a' AS BLOB) AS raw FROM users ORDER BY id"
    )
    rows = list(stream_audience(engine, query, {}, batch=7))
    assert len(rows) == 5000
    assert rows[0].data["raw"] == "éz"
    assert {k: type(v) for k, v in rows[0].data.items()} == {
        "email": str, "fname": str, "id": int, "score": float, "absent": type(None), "raw": str,
    }  # fmt: skip
    plain = list(stream_audience(engine, "SELECT email, id FROM users ORDER BY id", {}))
    assert [r.data["id"] for r in plain] == [r.data["id"] for r in rows]
