"""One person, one person page: an officer spelt as docket.toml's `[people]` table lists under a
person needs `account:` naming that person (person pages key on it)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.codes import diag
from generator.config import Config
from generator.diagnostics import Diagnostic
from generator.model import UNKNOWN, Case


def check_people(case: Case, config: Config) -> Iterator[Diagnostic]:
    if not config.people:
        return
    for i, officer in enumerate(case.header.officers):
        if officer.name is UNKNOWN:
            continue
        person = config.person_of(str(officer.name))
        if person is None or officer.person == person:
            continue
        line, col = case.pos("officers", i, "name")
        yield diag(
            case.path,
            line,
            col,
            "DK130",
            f"officer '{officer.name}' is {person} by docket.toml's [people] table: add "
            f"'account: {person}' so that both spellings share one person page",
        )
