"""The founding case parses into the facts of its wiki page (a golden test of the model)."""

from __future__ import annotations

from datetime import date

import pytest

from generator.collection import check_paths
from generator.config import Config
from generator.loader import load_case
from generator.model import Case, SectionKind
from tests.support.paths import ROOT


@pytest.fixture(scope="module")
def seed() -> Case:
    case, found = load_case(ROOT / "cases" / "2014" / "a20140408.1.md")
    assert found == [] and case is not None
    return case


def test_header_facts(seed: Case) -> None:
    h = seed.header
    assert (h.case, h.status) == ("a20140408.1", "closed")
    assert h.complaint == "Notify members of Heartbleed"
    assert h.relief == "allow a mass mail to be send to inform affected members about heartbleed"
    assert (h.started, h.ruled, h.closed) == (date(2014, 4, 8), date(2014, 4, 8), date(2016, 6, 30))
    assert [(p.role, p.name) for p in h.parties] == [
        ("C", "Michael T"),
        ("C2", "Ron C"),
        ("R", "CAcert"),
    ]
    assert h.parties[0].note == "as Organization Admin for CAcert"
    assert h.parties[1].joined == date(2014, 4, 11)
    assert [(o.role, o.name) for o in h.officers] == [
        ("iCM", "MartinGummi"),
        ("CM", "MartinGummi"),
        ("A", "EvaStöwe"),
    ]
    assert (h.refs.issues, h.refs.motions, h.refs.bugs) == (
        ["s20140408.5"],
        ["m20140413.3"],
        [1265],
    )


def test_before_line_is_derived_as_the_wiki_writes_it(seed: Case) -> None:
    """The seed page writes "Claimant: Michael T (C) Ron C (C2)" (no comma, singular label for
    two): issue 11 counts that as the wiki's slip; the derived line keeps the wiki's normal form
    (`Arbitrator <name> (A)` without a colon) and lists several names as the plural wiki pages
    do (format-v2.md section 6)."""
    assert seed.before_line == (
        "Before: Arbitrator EvaStöwe (A), Respondent: CAcert (R), "
        "Claimants: Michael T (C), Ron C (C2), Case: a20140408.1"
    )


def test_sections_in_order(seed: Case) -> None:
    assert [(s.title, s.kind) for s in seed.sections] == [
        ("History Log", SectionKind.HISTORY),
        ("Private Part", SectionKind.PRIVATE),
        ("Original Dispute", SectionKind.DISPUTE),
        ("Second Dispute", SectionKind.DISPUTE),
        ("Discovery", SectionKind.DISCOVERY),
        ("Ruling", SectionKind.RULING),
        ("Execution", SectionKind.EXECUTION),
        ("Similar Cases", SectionKind.SIMILAR),
    ]
    assert "joined into this case at 2014-04-11" in seed.intro


def test_history_log(seed: Case) -> None:
    log = seed.history
    assert len(log) == 51
    assert (log[0].date, log[0].actors, log[0].text) == (
        date(2014, 4, 8),
        ("issue.c.o",),
        "case [s20140408.5]",
    )
    undated = [e for e in log if not e.dated]
    assert len(undated) == 7 and all(e.date == date(2014, 4, 8) for e in undated)
    ranged = [e for e in log if e.end is not None]
    assert [(e.date, e.end, e.actors) for e in ranged] == [
        (date(2014, 4, 8), date(2014, 4, 9), ("software",))
    ]
    assert log[-1].date == date(2016, 6, 30) and log[-1].text == "closed case"
    assert all(e.line > 0 and e.col > 0 for e in log)


def test_execution_keeps_the_sending_report(seed: Case) -> None:
    execution = seed.section(SectionKind.EXECUTION)
    assert execution is not None
    for fact in ("168977", "290146", "22414", "1\n> msg/second to 10 msg/second", "3700"):
        assert fact in execution.body
    assert "bugs.cacert.org/view.php?id=1265" in execution.body


def test_private_part_holds_only_the_pointer(seed: Case) -> None:
    private = seed.section(SectionKind.PRIVATE)
    assert private is not None and "Access for (CM) + (A) only".lower() in private.body.lower()


def test_example_archive_checks_clean(repo_config: Config) -> None:
    collection = check_paths([ROOT / "cases"], repo_config, base=ROOT)
    assert collection.diagnostics == []
    numbers = [c.number for c in collection.cases]
    assert len(numbers) >= 5 and "a20140408.1" in numbers
    examples = [c for c in collection.cases if "example" in c.header.topics]
    statuses = {c.header.status for c in examples}
    assert {"init", "running", "execution", "closed"} <= statuses
    assert any(o.until for c in examples for o in c.header.officers)  # an officer change
    assert any(
        sum(p.party_side == "respondent" for p in c.header.parties) > 1 for c in examples
    )  # several respondents
    assert any(len(c.sections_of(SectionKind.RULING)) > 1 for c in examples)  # several rulings
    assert any(c.header.merged_from for c in examples) and any(
        c.header.merged_into for c in examples
    )
    init = next(c for c in examples if c.header.status == "init")
    assert init.header.officers == []
