"""The Before: line in its variants (see the layout reference, section c)."""

from __future__ import annotations

from generator.wiki.before import parse_before


def _names(text: str) -> list[tuple[str, str, str | None]]:
    return [(n.name, n.side, n.code) for n in parse_before(text).names]


def test_normal_form_with_two_claimants_without_a_comma() -> None:
    line = parse_before(
        "Before: Arbitrator EvaStöwe (A), Respondent: CAcert (R), Claimant: Michael T (C) "
        "Ron C (C2), Case: a20140408.1"
    )
    assert line.case == "a20140408.1"
    assert [(n.name, n.side, n.code) for n in line.names] == [
        ("EvaStöwe", "officer", "A"),
        ("CAcert", "respondent", "R"),
        ("Michael T", "claimant", "C"),
        ("Ron C", "claimant", "C2"),
    ]


def test_name_with_parentheses_inside_and_a_later_code() -> None:
    line = parse_before(
        "Before: Arbitrator Petra Lind (A), Respondent: - (R), Claimants: CAcert (Support - "
        "originally filed by Dirk W) (C, later C1) Anton G(C2), Case: a20150907.1"
    )
    respondent, claimant, second = line.names[1:]
    assert respondent.none and respondent.side == "respondent"
    assert (claimant.name, claimant.code, claimant.formerly) == ("CAcert", "C1", ["C"])
    assert claimant.note == "Support - originally filed by Dirk W"
    assert (second.name, second.code) == ("Anton G", "C2")


def test_former_code_and_no_space_after_colon() -> None:
    line = parse_before(
        "Before: Arbitrator X Y (A), Respondent:CAcert (R), Claimant: Jo B (C1 former C)"
    )
    assert (line.names[1].name, line.names[2].code, line.names[2].formerly) == (
        "CAcert",
        "C1",
        ["C"],
    )


def test_periods_instead_of_commas_and_name_arbitrator_form() -> None:
    assert _names(
        "Before: Max Weber arbitrator (A). Respondent: CAcert (R) Claimant: Lisa H (C) Case: a20090412.1"
    ) == [
        ("Max Weber", "officer", "A"),
        ("CAcert", "respondent", "R"),
        ("Lisa H", "claimant", "C"),
    ]


def test_numbered_labels_and_descriptive_text() -> None:
    line = parse_before(
        "Before: Arbitrator: Ulf K (A), Respondent: CAcert (R), Claimant 1: Benny B(C1), "
        "Claimant 2: Eva S as Policy Officer (C2), Case: a201YMMDD.n"
    )
    assert line.case is None  # the template's placeholder number
    assert [(n.name, n.code, n.note) for n in line.names[2:]] == [
        ("Benny B", "C1", None),
        ("Eva S", "C2", "as Policy Officer"),
    ]


def test_placeholders_and_empty_line() -> None:
    line = parse_before(
        "Before: Arbitrator name arbitor (A), Respondent: name respondent (R), Claimant: name claimant (C), Case: a201YMMDD.n"
    )
    assert all(n.placeholder for n in line.names) and len(line.names) == 3
    assert parse_before("Before:").empty


def test_counter_claim_respondents_and_a_name_without_code() -> None:
    names = _names(
        "Before: Arbitrator X (A), Respondents: Jon D (RC1), Ann B (RC2) Claimant: Lora, Case: a20150916.1"
    )
    assert names[1:] == [
        ("Jon D", "counter-respondent", "RC1"),
        ("Ann B", "counter-respondent", "RC2"),
        ("Lora", "claimant", None),
    ]


def test_raw_markup_in_the_line() -> None:
    assert _names(
        "'''Before:''' Arbitrator [[VeraKorn]] (A), Respondent: CAcert (R), Claimant: Bodo R (C)"
    )[0] == (
        "VeraKorn",
        "officer",
        "A",
    )


def test_the_name_arbitrator_placeholder_is_not_the_name_arbitrator_form() -> None:
    """`name arbitrator (A)` is the template's placeholder, not `<name> arbitrator (A)`."""
    (arbitrator,) = [
        n for n in parse_before("Before: Arbitrator name arbitrator (A), Case: a20150302.2").names
    ]
    assert arbitrator.placeholder and arbitrator.code == "A"
