from __future__ import annotations

from datetime import date

from generator.history import parse_history
from generator.model import Section, SectionKind


def _log(body: str) -> Section:
    return Section("History Log", SectionKind.HISTORY, 1, body, 2)


def test_ranges_undated_continuations_and_actor_lists() -> None:
    log = parse_history(
        _log(
            "- 2014-04-08/09 (software): adjust\n"
            "- (A,CM): continues\n"
            "  more text\n"
            "- 2014-04-30/05-02 (board; DRO): spans months\n"
            "- 2014-12-30/2015-01-02 (A + CM) no colon\n"
        )
    )
    assert log.problems == []
    e = log.entries
    assert (e[0].date, e[0].end) == (date(2014, 4, 8), date(2014, 4, 9))
    assert (e[1].date, e[1].dated, e[1].actors, e[1].text) == (
        date(2014, 4, 8),
        False,
        ("A", "CM"),
        "continues\nmore text",
    )
    assert e[2].end == date(2014, 5, 2) and e[2].actors == ("board", "DRO")
    assert e[3].end == date(2015, 1, 2) and e[3].actors == ("A", "CM") and e[3].text == "no colon"
    assert [x.line for x in e] == [2, 3, 5, 6]


def test_problems() -> None:
    log = parse_history(
        _log("- 2014-04-08 (A): a\n- 2014-04-09/07 (A): backwards\n- 2014-04-01 (A): old\nprose\n")
    )
    assert [(p.code, p.line, p.col) for p in log.problems] == [
        ("DK304", 3, 3),
        ("DK301", 4, 3),
        ("DK302", 5, 1),
    ]
