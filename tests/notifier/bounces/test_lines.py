"""`classify_paths` (notifier/bounces/lines.py) on the fixture bounces: every one (written in the
shapes of the MTAs, malformed ones too) gives exactly the lines expected: recipient, class,
status, permanent, in the report's order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from docket.cli import cli
from notifier.bounces.lines import classify_paths

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "bounces"

EXPECTED: dict[str, list[tuple[str | None, str, str | None, bool]]] = {
    "sendmail-dsn-three.eml": [
        ("ghost@example.net", "user-unknown", "5.1.1", True),
        ("hanna@example.net", "policy", "5.7.1", True),
        ("ida@example.net", "mailbox-full", "4.2.2", False),
    ],
    "exim.eml": [("jonas@example.com", "mailbox-disabled", "5.2.1", True)],
    "qmail.eml": [
        ("karl@example.org", "user-unknown", "5.1.1", True),
        ("lena@example.org", "mailbox-full", "5.2.2", True),
    ],
    "sendmail-old.eml": [("max@old.example.net", "user-unknown", "5.1.1", True)],
    "exchange.eml": [("nina@corp.example.com", "user-unknown", "5.1.10", True)],
    "gmail.eml": [("oskar@example.com", "user-unknown", "5.1.1", True)],
    "yahoo.eml": [("paula@yahoo.example", "user-unknown", "5.1.1", True)],
    "outlook-dsn.eml": [("quentin@outlook.example", "user-unknown", "5.5.0", True)],
    "amazon-ses.eml": [("rosa@example.io", "policy", "5.7.1", True)],
    "postfix-no-dsn.eml": [("sven@nowhere.example.de", "host-unknown", "5.1.2", True)],
    "expired.eml": [("tina@slow.example", "expired", "4.4.7", True)],
    "arf-complaint.eml": [("uwe@example.com", "complaint", None, False)],
    "vacation.eml": [("vera@example.org", "auto-reply", None, False)],
    "delivered.eml": [("walter@example.org", "delivered", "2.0.0", False)],
    "malformed-truncated.eml": [("xaver@example.net", "user-unknown", "5.1.1", True)],
    "malformed-no-status.eml": [("yara@example.net", "mailbox-full", "5.2.2", True)],
    "malformed-wrong-charset.eml": [("zacharias@example.de", "user-unknown", "5.1.1", True)],
    "malformed-bad-base64.eml": [("ulrich@example.com", "user-unknown", "5.1.1", True)],
    "unknown-recipient.eml": [("never-sent-to@example.net", "user-unknown", "5.1.1", True)],
    "bounce-loop.eml": [("returns+55.1212121212121212@cacert.example", "network", "5.4.6", True)],
    "not-mail.eml": [(None, "other", None, False)],
    # issue 18: the readers of MTA families without a delivery-status part, and reasons in prose
    "exchange2003.eml": [
        ("greta@corp2003.example", "user-unknown", "5.1.1", True),
        ("hugo@corp2003.example", "system", "5.3.0", True),
    ],
    "domino.eml": [("iris@domino.example", "user-unknown", "5.1.1", True)],
    "google-groups.eml": [("arbitration-list@groups.example.org", "policy", "5.7.1", True)],
    "au-kddi.eml": [("kaito@au.example.jp", "mailbox-full", "5.2.2", True)],
    "ezweb.eml": [("mio@ezweb.example.jp", "mailbox-disabled", "5.2.1", True)],
    "messaging-server.eml": [("jana@ims.example.com", "mailbox-full", "5.2.2", True)],
    "messaging-server-dsn.eml": [("karla@ims-ms-daemon", "mailbox-full", "5.0.0", True)],
    "james.eml": [("ole@james.example.org", "user-unknown", "5.1.1", True)],
    "workmail.eml": [("paul@workmail.example.com", "user-unknown", "5.1.1", True)],
    "courier.eml": [("paula2@nodomain.example", "host-unknown", "5.1.2", True)],
    "qmail-variant.eml": [("quinn@xinnet.example", "mailbox-full", "5.2.2", True)],
    "v5-sendmail.eml": [("rita@nohost.example", "host-unknown", "5.1.2", True)],
    "exim-retry.eml": [("sara@slow.example.net", "expired", "5.4.7", True)],
    "postfix-rejected.eml": [("theo@strict.example.com", "policy", "5.7.1", True)],
    "gmail-prose.eml": [("uwe2@gmail.example", "user-unknown", "5.1.1", True)],
    "delivery-time-expired.eml": [("ute@far.example", "expired", "5.4.7", True)],
    "unrecognised.eml": [("zora@odd.example.org", "other", None, True)],
}
FORMATS = {
    "exchange2003.eml": "exchange2003",
    "domino.eml": "domino",
    "google-groups.eml": "google-groups",
    "au-kddi.eml": "japanese-mobile",
    "ezweb.eml": "japanese-mobile",
    "messaging-server.eml": "messaging-server",
    "james.eml": "james",
    "courier.eml": "courier",
    "qmail-variant.eml": "qmail",
    "v5-sendmail.eml": "sendmail",
    "unrecognised.eml": "text",
}


def test_every_fixture_is_expected() -> None:
    assert {p.name for p in FIXTURES.glob("*.eml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_lines(name: str) -> None:
    lines = list(classify_paths([FIXTURES / name]))
    got = [(x["recipient"], x["class"], x["status"], x["permanent"]) for x in lines]
    assert got == EXPECTED[name]
    for line in lines:
        assert line["file"] == str(FIXTURES / name)
        assert isinstance(line["reply"], str)


# Where each status came from: the DSN's Status field, a code in the text, or derived by docket
# (the report gave none) and marked so; none for lines without a status.
DERIVED = {"sendmail-old.eml", "yahoo.eml", "postfix-no-dsn.eml", "malformed-no-status.eml"}
DERIVED |= {name for name in FORMATS if name != "unrecognised.eml"}
DERIVED |= {
    "exim-retry.eml",
    "postfix-rejected.eml",
    "gmail-prose.eml",
    "delivery-time-expired.eml",
}
# a DSN cut before its Status, and a generic Status beside the server's finer code
IN_DIAGNOSTIC = {"malformed-truncated.eml", "workmail.eml"}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_format_is_the_families_reader(name: str) -> None:
    assert {line["format"] for line in classify_paths([FIXTURES / name])} == {FORMATS[name]}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_status_source(name: str) -> None:
    for line in classify_paths([FIXTURES / name]):
        if line["status"] is None:
            assert line["status_source"] is None
        elif name in DERIVED:
            assert line["status_source"] == "derived"
        elif line["format"] == "rfc3464" and name not in IN_DIAGNOSTIC:
            assert line["status_source"] == "report", line
        else:
            assert line["status_source"] == "text", line


def test_replies_are_the_smtp_reply_near_each_address() -> None:
    lines = {x["recipient"]: x for x in classify_paths([FIXTURES])}
    assert lines["hanna@example.net"]["reply"] == (
        "554 5.7.1 Service unavailable; client host blocked using zen.spamhaus.org"
    )
    assert lines["lena@example.org"]["reply"] == "552 5.2.2 Mailbox quota exceeded"
    assert lines["karl@example.org"]["reply"] == "Sorry, no mailbox here by that name. (#5.1.1)"
    assert lines["jonas@example.com"]["reply"].startswith("550 5.2.1 The email account")
    assert lines["ghost@example.net"]["mta"] == "mx.example.net"
    assert lines["ida@example.net"]["action"] == "delayed"
    assert lines["xaver@example.net"]["reply"].endswith("(in reply to RCPT TO command)")
    # the address quoted in the returned message's body is no failure
    assert "support@cacert.example" not in lines
    # the bounce inside the loop's returned message is not read as this message's report
    assert "inner-victim@example.net" not in lines


def test_cli_json_one_object_per_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["bounces", "classify", "--format", "json", str(FIXTURES)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == sum(len(v) for v in EXPECTED.values())
    assert set(rows[0]) >= {"file", "recipient", "status", "class", "permanent", "reply", "mta"}


def test_cli_unreadable_file_is_one_error_line_and_exit_1(tmp_path: Path) -> None:
    locked = tmp_path / "locked.eml"
    locked.write_bytes((FIXTURES / "exim.eml").read_bytes())
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "sub").symlink_to(tmp_path / "missing")  # a dangling link: no file, no folder
    result = CliRunner().invoke(
        cli, ["bounces", "classify", "--format", "json", str(locked), str(folder)]
    )
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert rows[0]["class"] == "mailbox-disabled"
    assert "error" in rows[1] and rows[1]["file"].endswith("sub")
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_cli_text_format_and_missing_path() -> None:
    result = CliRunner().invoke(cli, ["bounces", "classify", str(FIXTURES / "qmail.eml")])
    assert result.exit_code == 0
    assert result.output.splitlines()[1].endswith(
        "lena@example.org: mailbox-full 5.2.2 (permanent): 552 5.2.2 Mailbox quota exceeded"
    )
    result = CliRunner().invoke(cli, ["bounces", "classify", "/no/such/mailbox"])
    assert result.exit_code == 2 and "does not exist" in result.output
