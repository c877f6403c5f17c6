"""Which journal recipient a report is about (notifier/bounces/match.py): a verified VERP token
first; without one the address or the returned Message-ID, only for recipients mail went to;
a token that does not verify matches nobody."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from notifier.bounces.findings import BOUNCE, Finding, Parsed
from notifier.bounces.match import Matcher
from notifier.bounces.verp import Verp, load_key
from notifier.ledger.journal import Journal
from tests.support.journal import snapshotted_journal

ROWS = [
    ("anna@example.org", {"fname": "Anna"}),
    ("ben@example.org", {"fname": "Ben"}),
    ("never@example.org", {"fname": "Never"}),
]


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    j = snapshotted_journal(tmp_path / "run", ROWS)
    j.claim(2, time.time(), resend_uncertain=True)  # anna and ben were tried; never was not
    return j


@pytest.fixture
def verp(tmp_path: Path, journal: Journal) -> Verp:
    key = load_key(tmp_path)
    assert key is not None
    return Verp(key, journal.meta().run_id, "returns@cacert.example")


def _row(journal: Journal, address: str) -> int:
    return int(
        journal.db.execute("SELECT id FROM recipients WHERE key = ?", (address,)).fetchone()[0]
    )


def _failed(recipient: str | None, original: str | None = None) -> Finding:
    return Finding(recipient, "failed", "5.1.1", "550 5.1.1 unknown", original_recipient=original)


def test_a_verified_token_wins_over_the_address_the_text_names(
    journal: Journal, verp: Verp
) -> None:
    anna = _row(journal, "anna@example.org")
    parsed = Parsed(
        BOUNCE, "rfc3464", delivered_to=[f"<{verp.envelope(anna, 'anna@example.org')}>"]
    )
    matcher = Matcher(journal, verp)
    token = matcher.token_row(parsed)
    assert token == (True, anna)
    assert matcher.match(parsed, _failed("ben@example.org"), token) == (anna, "verp")


def test_a_token_that_does_not_verify_matches_nobody(journal: Journal, verp: Verp) -> None:
    anna = _row(journal, "anna@example.org")
    forged = verp.envelope(anna, "ben@example.org")  # a MAC made for another address
    parsed = Parsed(BOUNCE, "rfc3464", delivered_to=[forged])
    matcher = Matcher(journal, verp)
    token = matcher.token_row(parsed)
    assert token == (True, None)
    assert matcher.match(parsed, _failed("anna@example.org"), token) is None


def test_without_a_token_the_original_recipient_then_the_final_one(
    journal: Journal, verp: Verp
) -> None:
    matcher = Matcher(journal, verp)
    parsed = Parsed(BOUNCE, "rfc3464")
    token = matcher.token_row(parsed)
    assert token == (False, None)
    ben = _row(journal, "ben@example.org")
    found = matcher.match(parsed, _failed("alias@example.net", "Ben@Example.ORG"), token)
    assert found == (ben, "address")
    assert matcher.match(parsed, _failed("ben@example.org"), token) == (ben, "address")


def test_an_address_mail_never_went_to_is_unmatched(journal: Journal, verp: Verp) -> None:
    matcher = Matcher(journal, verp)
    parsed = Parsed(BOUNCE, "rfc3464")
    assert matcher.match(parsed, _failed("never@example.org"), (False, None)) is None
    assert matcher.match(parsed, _failed(None), (False, None)) is None


def test_the_returned_message_id_finds_the_recipient(journal: Journal) -> None:
    """The composer's Message-ID is sha256(run id, key); a report quoting it is matched by it."""
    ben = _row(journal, "ben@example.org")
    digest = hashlib.sha256(f"{journal.meta().run_id}\0ben@example.org".encode()).hexdigest()
    parsed = Parsed(BOUNCE, "text", message_ids=[f"<{digest[:32]}.n1.a20200102.1@cacert.example>"])
    matcher = Matcher(journal, None)
    assert matcher.match(parsed, _failed(None), (False, None)) == (ben, "message-id")
    other = Parsed(BOUNCE, "text", message_ids=[f"<{'0' * 32}.n1.a20200102.1@cacert.example>"])
    assert matcher.match(other, _failed(None), (False, None)) is None
