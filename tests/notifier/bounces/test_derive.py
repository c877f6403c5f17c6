"""A status derived from the class and the reply when a report gives none, always marked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from docket.cli import cli
from notifier.bounces.derive import derived_status

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "bounces"

CASES = [
    ("user-unknown", "550 no such user here", "", "failed", "5.1.1"),
    ("mailbox-full", "", "User's Disk Quota Exceeded.", "failed", "5.2.2"),
    ("mailbox-full", "452 mailbox full", "", "delayed", "4.2.2"),  # the reply's class digit
    ("policy", "", "", "delayed", "4.7.1"),  # no reply: the action decides the digit
    ("message", "552 message size exceeds fixed limit", "", "failed", "5.3.4"),
    ("message", "554 header syntax error", "", "failed", "5.6.0"),  # the reason's own detail
    ("network", "too many hops", "", "failed", "5.4.6"),
    ("expired", "", "", "failed", "5.4.7"),
    ("host-unknown", "", "", "failed", "5.1.2"),
    ("mailbox-disabled", "", "", "failed", "5.2.1"),
    ("system", "", "", "failed", "5.3.0"),
    ("other", "550 something", "", "failed", None),
    ("auto-reply", "", "", "failed", None),
]


@pytest.mark.parametrize(("klass", "reply", "context", "action", "status"), CASES)
def test_derived_status(
    klass: str, reply: str, context: str, action: str, status: str | None
) -> None:
    assert derived_status(klass, reply, context, action) == status


def test_json_marks_a_derived_status_and_text_says_so() -> None:
    path = str(FIXTURES / "qmail-variant.eml")
    out = CliRunner().invoke(cli, ["bounces", "classify", "--format", "json", path]).output
    line = json.loads(out)
    assert (line["status"], line["status_source"]) == ("5.2.2", "derived")
    text = CliRunner().invoke(cli, ["bounces", "classify", path]).output
    assert "mailbox-full 5.2.2 (derived) (permanent)" in text
    dsn = (
        CliRunner()
        .invoke(
            cli,
            ["bounces", "classify", "--format", "json", str(FIXTURES / "sendmail-dsn-three.eml")],
        )
        .output
    )
    assert {json.loads(x)["status_source"] for x in dsn.splitlines()} == {"report"}


def test_unrecognised_report_is_one_line_in_text_and_a_field_in_json() -> None:
    path = str(FIXTURES / "unrecognised.eml")
    text = CliRunner().invoke(cli, ["bounces", "classify", path]).output.splitlines()
    assert text[0] == f"{path}: unrecognised report from odd.example.org: kept as other"
    assert len(text) == 2 and "zora@odd.example.org: other" in text[1]
    out = CliRunner().invoke(cli, ["bounces", "classify", "--format", "json", path]).output
    rows = [json.loads(x) for x in out.splitlines()]  # still one JSON object per recipient
    assert len(rows) == 1
    assert rows[0]["note"] == "unrecognised report from odd.example.org: kept as other"
    known = CliRunner().invoke(cli, ["bounces", "classify", str(FIXTURES / "exim-retry.eml")])
    assert "unrecognised" not in known.output
