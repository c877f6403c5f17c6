"""`docket notify CASE --purge`: a finished run keeps its counts, grouped replies and report, and
loses every address, name and row of data, down to the bytes of its files."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from docket.cli import cli
from tests.notifier.conftest import CASE, Faults, Sink, make_directory

MEMBERS = [
    ("anna.quoxley@example.org", "Anna", "Quoxley", "en"),
    ("bertil.vandermolen@example.org", "Bertil", "Vandermolen", "de"),
    ("rcpt-gone.zyzzyva@example.org", "Gudrun", "Zyzzyva", "en"),
]
PERSONAL = ["quoxley", "vandermolen", "zyzzyva", "Anna", "Bertil", "Gudrun"]


def notify(cases: Path, members: Path, sink: Sink, run: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli,
        ["notify", CASE, "--cases", str(cases), "--directory", str(members), "--smtp", sink.url,
         "--journal", str(run), "--yes", "--rate", "0", *args],
    )  # fmt: skip


def test_purge_removes_personal_data_and_keeps_the_report(
    cases: Path, sink: Sink, faults: Faults, tmp_path: Path
) -> None:
    faults.scripts["rcpt-gone"] = ["550 5.1.1 <rcpt-gone.zyzzyva@example.org>: user unknown"]
    members = make_directory(tmp_path / "members.sqlite", MEMBERS)
    run = tmp_path / "run"
    sent = notify(cases, members, sink, run)
    assert sent.exit_code == 0, sent.output
    before = json.loads((run / "report.json").read_text())
    assert before["counts"]["sent"] == 2 and before["counts"]["failed"] == 1

    purged = CliRunner().invoke(
        cli, ["runs", "purge", CASE, "--cases", str(cases), "--journal", str(run), "--yes"]
    )
    assert purged.exit_code == 0, purged.output
    assert "purged 3 recipients" in purged.output
    after = json.loads((run / "report.json").read_text())
    assert after["counts"] == before["counts"]
    assert after["replies"] == [
        {"state": "failed", "reply": "550 5.1.1 <address>: user unknown", "count": 1}
    ]
    assert after["purged"] and after["recipients_csv"] is None
    assert not (run / "recipients.csv").exists()
    for path in run.iterdir():
        data = path.read_bytes()
        for word in PERSONAL:
            assert word.encode() not in data, f"{word} is still in {path.name}"
            assert word.lower().encode() not in data.lower(), f"{word} is still in {path.name}"

    status = CliRunner().invoke(
        cli, ["runs", "status", CASE, "--cases", str(cases), "--journal", str(run)]
    )
    assert status.exit_code == 0 and "2 sent, 1 failed" in status.output, status.output
    again = notify(cases, members, sink, run)
    assert again.exit_code == 1 and "was purged" in again.output, again.output
    assert len(sink.received) == 2


def test_an_unfinished_run_is_not_purged(cases: Path, sink: Sink, tmp_path: Path) -> None:
    members = make_directory(tmp_path / "members.sqlite", MEMBERS)
    run = tmp_path / "run"
    assert notify(cases, members, sink, run, "--limit", "1").exit_code == 0
    purged = CliRunner().invoke(
        cli, ["runs", "purge", CASE, "--cases", str(cases), "--journal", str(run), "--yes"]
    )
    assert purged.exit_code == 1
    assert "is not finished (2 queued)" in purged.output, purged.output
    assert "anna.quoxley@example.org" in (run / "recipients.csv").read_text()
