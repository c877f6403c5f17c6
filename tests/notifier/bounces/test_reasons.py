"""The reason table, phrase by phrase: each phrase's example (what a server wrote) is classified
by the whole table, in its order, as that phrase's class; the readers' own wording likewise."""

from __future__ import annotations

import pytest

from notifier.bounces.classes import classify
from notifier.bounces.readers.known import FIRST, LAST
from notifier.bounces.reasons import REASONS, Reason, reason_of

PHRASES = [
    pytest.param(reason, pattern, example, id=f"{reason.name}:{example[:40]}")
    for reason in REASONS
    for pattern, example in reason.phrases
]
READER_PHRASES = [
    pytest.param(reader.reasons, reason, example, id=f"{reader.name}:{example[:40]}")
    for reader in FIRST + LAST
    for reason in reader.reasons
    for _pattern, example in reason.phrases
]


@pytest.mark.parametrize(("reason", "pattern", "example"), PHRASES)
def test_each_phrase_gives_its_class(reason: Reason, pattern: str, example: str) -> None:
    assert reason.pattern.search(example.lower()), f"{pattern!r} does not match its example"
    found = reason_of(example)
    assert found is not None and found.klass == reason.klass, (found, example)
    # and without a status code to decide, the classifier says the same
    assert classify(None, example)[0] == reason.klass


@pytest.mark.parametrize(("first", "reason", "example"), READER_PHRASES)
def test_each_reader_phrase_gives_its_class(
    first: tuple[Reason, ...], reason: Reason, example: str
) -> None:
    found = reason_of(example, first)
    assert found is not None and found.klass == reason.klass


# What the issue named as missed, verbatim: each now has its class.
ISSUE_18 = [
    ("The email account that you tried to reach does not exist.", "user-unknown"),
    ("550 Rejected", "policy"),
    ("retry time not reached for any host after a long failure period", "expired"),
    ("delivery time expired", "expired"),
    ("421 4.7.0 Our system has detected an unusual rate of unsolicited mail", "policy"),
    ("452 4.2.2 The email account that you tried to reach is over quota.", "mailbox-full"),
    ("550 5.7.1 Message rejected due to local policy", "policy"),
    ("450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents"
     " additional messages from being delivered. Rate limit", "mailbox-disabled"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "klass"), ISSUE_18)
def test_issue_18_texts(text: str, klass: str) -> None:
    assert classify(None, text)[0] == klass


def test_a_reason_with_a_cased_escape_is_refused() -> None:
    from notifier.bounces.reasons import reader_reason

    with pytest.raises(ValueError, match="cased escape"):
        reader_reason("x", "other", "0.0", (r"\S+ unknown", "a unknown"))


def test_the_unmatched_text_has_no_reason() -> None:
    assert reason_of("") is None
    assert reason_of("something odd happened") is None
