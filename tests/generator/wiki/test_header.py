"""Header labels, status words, placeholders and dates as the wiki wrote them."""

from __future__ import annotations

from datetime import date

import pytest

from generator.model import UNKNOWN
from generator.wiki.facts import Extracted, Where
from generator.wiki.header import classify_label, map_header
from generator.wiki.layout import HeaderItem


@pytest.mark.parametrize(
    ("label", "kind", "key", "former"),
    [
        ("Claimants", "party", "claimant", False),
        ("Claimant", "party", "claimant", False),
        ("Respondents", "party", "respondent", False),
        ("Initial Case Manager", "officer", "iCM", False),
        ("initial Case Manager", "officer", "iCM", False),
        ("Inital Case Manager", "officer", "iCM", False),
        ("new initial CAse Manager", "officer", "iCM", False),
        ("first initial Case Manager", "officer", "iCM", True),
        ("former Case Manager", "officer", "CM", True),
        ("Former Arbitrator", "officer", "A", True),
        ("Supervising Arbitrator", "officer", "SA", False),
        ("Date of arbitration start", "date", "started", False),
        ("Case closed", "date", "closed", False),
    ],
)
def test_label_variants(label: str, kind: str, key: str, former: bool) -> None:
    spec = classify_label(label)
    assert spec is not None and (spec.kind, spec.key, spec.former) == (kind, key, former)


def test_numbered_party_label_gives_the_code() -> None:
    spec = classify_label("Claimant2")
    assert spec is not None and spec.number == "2"


def _facts(*items: tuple[str, str]) -> Extracted:
    facts = Extracted("p", "print", "a20140101.1", Where(1))
    map_header(
        [HeaderItem(label, value, Where(n)) for n, (label, value) in enumerate(items, 1)], facts
    )
    return facts


@pytest.mark.parametrize(
    ("word", "status", "guess"),
    [
        ("Closed", "closed", False),
        ("close", "closed", False),
        ("execute", "execution", False),
        ("ruling", "execution", True),
        ("{g} closed", "closed", False),
    ],
)
def test_status_words(word: str, status: str, guess: bool) -> None:
    facts = _facts(("Status", word))
    assert facts.status == status
    assert any("a guess" in f.message for f in facts.findings) is guess


def test_unknown_status_word_is_unknown_and_kept_in_a_note() -> None:
    facts = _facts(("Status", "pending review"))
    assert facts.status is UNKNOWN
    assert facts.notes == ["The wiki page gives the status as 'pending review'."]


def test_placeholders_are_empty_and_dates_follow_the_status() -> None:
    running = _facts(
        ("Status", "running"),
        ("Arbitrator", "name arbitrator"),
        ("Case Manager", "name case manager"),
        ("Date of arbitration start", "2014-01-05"),
        ("Date of ruling", "201Y-MM-DD"),
        ("Case closed", "201Y-MM-DD"),
        ("Relief", "TBD"),
    )
    assert running.officers == [] and running.relief is None
    assert (running.started, running.ruled, running.closed) == (date(2014, 1, 5), None, None)
    closed = _facts(("Status", "closed"), ("Date of ruling", "201Y-MM-DD"), ("Case closed", ""))
    assert (closed.ruled, closed.closed) == (UNKNOWN, UNKNOWN)  # a closed case was ruled: when?


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9th February, 2014", date(2014, 2, 9)),
        ("Feb 18th, 2010", date(2010, 2, 18)),
        ("23.02.2011", date(2011, 2, 23)),
        ("11-11-2009", date(2009, 11, 11)),
    ],
)
def test_other_date_styles_are_read_and_reported(text: str, expected: date) -> None:
    facts = _facts(("Status", "running"), ("Date of arbitration start", text))
    assert facts.started == expected
    assert [f.message for f in facts.findings] == [f"'{text}' read as {expected.isoformat()}"]


def test_not_a_date_is_unknown() -> None:
    facts = _facts(("Status", "running"), ("Date of arbitration start", "soon"))
    assert facts.started is UNKNOWN


def test_parties_split_outside_parentheses_with_notes_and_joining() -> None:
    facts = _facts(
        ("Claimants", "Michael T (as Organization Admin, for CAcert), Lora"),
        ("Claimant2", "Ron C (joined into case at 2014-04-11)"),
        ("Respondents", "None"),
    )
    assert [(p.role, p.side, p.name, p.note, p.joined) for p in facts.parties] == [
        (None, "claimant", "Michael T", "as Organization Admin, for CAcert", None),
        (None, "claimant", "Lora", None, None),
        ("C2", "claimant", "Ron C", None, date(2014, 4, 11)),
    ]


def test_complaint_carrying_a_quoted_mail_and_relief_with_bullets() -> None:
    facts = _facts(("Complaint", "{{{ Hello,\nplease help.\n}}}"), ("Relief", "* a * b"))
    assert facts.complaint == "Hello,\nplease help."
    assert facts.relief == "- a\n- b"
