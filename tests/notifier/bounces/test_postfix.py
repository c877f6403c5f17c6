"""Debian's Postfix, a private instance: docket sends with VERP to a local user that does not
exist and to a mailbox over its size limit, Postfix bounces both after accepting them and writes
its DSNs into the returns Maildir, and `--bounces` puts the right class into the journal."""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from docket.cli import cli
from tests.notifier.conftest import CASE, make_directory
from tests.support.postfix import Postfix, private_postfix

MEMBERS = [
    ("anna@example.org", "Anna", "Meyer", "en_US"),
    ("nosuch@example.org", "No", "Such", "en"),
    ("full@example.org", "Full", "Box", "de"),
]


@pytest.fixture(scope="module")
def postfix() -> Iterator[Postfix]:
    with private_postfix() as instance:
        yield instance


def _dsns(folder: Path, count: int, instance: Postfix) -> list[Path]:
    deadline = time.monotonic() + 60
    while True:
        found = sorted((folder / "new").glob("*")) if (folder / "new").is_dir() else []
        if len(found) >= count:
            return found
        assert time.monotonic() < deadline, f"no DSNs from Postfix:\n{instance.log()}"
        time.sleep(0.2)


def test_postfix_bounces_come_back_classified(
    tmp_path: Path, cases: Path, postfix: Postfix
) -> None:
    db = make_directory(tmp_path / "members.sqlite", MEMBERS)
    run = tmp_path / "run"
    runner = CliRunner()
    base = ["notify", CASE, "--cases", str(cases), "--journal", str(run)]
    sent = runner.invoke(
        cli, [*base, "--directory", str(db), "--smtp", postfix.url, "--yes", "--rate", "0"]
    )
    assert sent.exit_code == 0, sent.output
    assert "3 sent, 0 deferred, 0 failed" in sent.output  # accepted: the bounces come later

    dsns = _dsns(postfix.returns, 2, postfix)
    heads = [p.read_text("utf-8", "replace") for p in dsns]
    assert all("Delivered-To: returns+" in h for h in heads), heads  # VERP-addressed

    classified = runner.invoke(cli, ["bounces", "classify", str(postfix.returns)])
    assert classified.exit_code == 0, classified.output
    assert ": nosuch@example.org: user-unknown 5.1.1 (permanent):" in classified.output
    assert ": full@example.org: mailbox-full 5.2.2 (permanent):" in classified.output

    folded = runner.invoke(cli, ["runs", "bounces", CASE, str(postfix.returns), *base[2:]])
    assert folded.exit_code == 0, folded.output
    assert "2 report line(s) matched a recipient" in folded.output
    assert "0 matched nobody" in folded.output
    with (run / "recipients.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["address"]: row for row in csv.DictReader(handle)}
    assert rows["anna@example.org"]["state"] == "sent"
    assert rows["nosuch@example.org"]["state"] == "bounced"
    assert rows["nosuch@example.org"]["bounce_class"] == "user-unknown"
    assert rows["nosuch@example.org"]["bounce_status"] == "5.1.1"
    assert rows["full@example.org"]["state"] == "bounced"
    assert rows["full@example.org"]["bounce_class"] == "mailbox-full"
    assert rows["full@example.org"]["bounce_status"] == "5.2.2"
    assert rows["full@example.org"]["reply"].startswith("250 2.0.0 Ok: queued as")
    assert "bounced later: 2 of 3 accepted messages (2 permanent)" in folded.output
    # the samples name no one: Postfix's reply holds the mailbox's path, named after its owner
    assert "e.g. delivery failed to mailbox <path>: error writing message" in folded.output
    assert "e.g. unknown user: <address>" in folded.output
    assert "nosuch" not in folded.output.split("bounced later")[1]
