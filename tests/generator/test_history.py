from __future__ import annotations

from datetime import date

import pytest

from generator.config import Config
from generator.history import parse_history
from generator.model import Section, SectionKind
from tests.support.check_fixtures import Expected, assert_exactly


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


def test_every_field_of_an_entry_by_name() -> None:
    # parse_history builds entries positionally (cheaper): every field must land where it belongs
    log = parse_history(
        _log("### Hearing\n- 2014-04-08/09 (A, CM): said\n  > quoted\n- (C): more\n"), first_group=2
    )
    first, second = log.entries
    assert first._asdict() == {
        "date": date(2014, 4, 8),
        "end": date(2014, 4, 9),
        "dated": True,
        "actors": ("A", "CM"),
        "text": "said",
        "line": 3,
        "col": 18,
        "group": 3,
        "quote": "> quoted",
    }
    assert (second.date, second.dated, second.line, second.col, second.group) == (
        date(2014, 4, 8),
        False,
        5,
        4,
        3,
    )


def test_sub_log_and_its_end_resume_the_main_log_order() -> None:
    log = parse_history(
        _log(
            "- 2014-05-01 (A): main\n"
            "### Log from case a20100209.2\n"
            "- 2010-02-09 (C): older, but its own group\n"
            "### EOT log from case a20100209.2\n"
            "- 2014-04-01 (A): before the main log's last date\n"
            "```\n"
            "- 2000-01-01 (X): inside a fence, not an entry\n"
            "```\n"
            "> quote of nothing\n"
        )
    )
    assert [g.title for g in log.groups] == [
        None,
        "Log from case a20100209.2",
        "EOT log from case a20100209.2",
    ]
    assert log.groups[1].sublog == "a20100209.2"
    assert [e.group for e in log.entries] == [0, 1, 2]
    assert (
        log.entries[2].quote
        == "```\n- 2000-01-01 (X): inside a fence, not an entry\n```\n> quote of nothing"
    )
    assert [(p.code, p.line) for p in log.problems] == [("DK301", 6)]


EXPECTED: Expected = {
    "DK301": [("2014/a20140408.1.md", 19, 3, "DK301")],
    "DK302": [("2014/a20140408.1.md", 19, 1, "DK302")],
    "DK304": [("2014/a20140408.1.md", 18, 3, "DK304")],
}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_fixture_triggers_exactly_its_diagnostics(folder: str, config: Config) -> None:
    assert_exactly(folder, EXPECTED[folder], config)
