"""Front-matter facts that must agree with each other, the file's name and its sections."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import PurePath

from generator.codes import diag
from generator.config import Config
from generator.diagnostics import Diagnostic
from generator.model import Case, SectionKind, filing_date


def check_location(case: Case, config: Config) -> Iterator[Diagnostic]:
    path = PurePath(case.path)
    number = case.number
    line, col = case.pos("case")
    if path.name != f"{number}.md":
        yield diag(
            case.path,
            line,
            col,
            "DK110",
            f"file name '{path.name}' does not match the case number: rename it to '{number}.md'",
        )
    year = number[1:5]
    if path.parent.name != year:
        yield diag(
            case.path,
            line,
            col,
            "DK111",
            f"case {number} is in folder '{path.parent.name or '.'}': move it to a folder "
            f"named '{year}'",
        )


def check_dates(case: Case, config: Config) -> Iterator[Diagnostic]:
    h = case.header
    chain: list[tuple[str, date | None]] = [
        ("filing date in the case number", filing_date(h.case)),
        ("started", h.started),
        ("ruled", h.ruled),
        ("closed", h.closed),
    ]
    previous: tuple[str, date] | None = None
    for name, value in chain:
        if value is None:
            continue
        if previous is not None and value < previous[1]:
            line, col = case.pos(name)
            before = previous[0] if previous[0].startswith("filing") else f"'{previous[0]}'"
            yield diag(
                case.path,
                line,
                col,
                "DK104",
                f"'{name}' ({value.isoformat()}) is before {before} ({previous[1].isoformat()})",
            )
        previous = (name, value) if previous is None or value >= previous[1] else previous


def check_status(case: Case, config: Config) -> Iterator[Diagnostic]:
    h = case.header
    status_at = case.pos("status")
    has_ruling = any(s.body.strip() for s in case.sections_of(SectionKind.RULING))
    if h.status == "closed" and h.closed is None:
        yield diag(
            case.path, *status_at, "DK120", "status is closed but 'closed' has no date: add it"
        )
    if h.closed is not None and h.status not in ("closed", "declined"):
        yield diag(
            case.path,
            *case.pos("closed"),
            "DK120",
            f"'closed' is set but status is {h.status}: set status to closed or remove the date",
        )
    if h.ruled is not None and not has_ruling:
        yield diag(
            case.path,
            *case.pos("ruled"),
            "DK121",
            "'ruled' is set but there is no Ruling section with text: add '## Ruling'",
        )
    if h.status in ("execution", "closed"):
        if not has_ruling:
            yield diag(
                case.path,
                *status_at,
                "DK122",
                f"status {h.status} needs a ruling: add a '## Ruling' section with its text",
            )
        elif h.ruled is None:
            yield diag(
                case.path,
                *status_at,
                "DK122",
                f"status {h.status} needs the date of the ruling: add 'ruled: YYYY-MM-DD'",
            )
    if h.status != "init" and h.started is None:
        yield diag(
            case.path,
            *status_at,
            "DK123",
            f"status {h.status} needs the start date: add 'started: YYYY-MM-DD'",
        )
    if h.status in ("running", "execution"):
        for role, name in (("CM", "case manager"), ("A", "arbitrator")):
            if not case.current_officers(role):
                yield diag(
                    case.path,
                    *status_at,
                    "DK124",
                    f"status {h.status} but no current {name} ({role}) among the officers",
                )


def check_roles(case: Case, config: Config) -> Iterator[Diagnostic]:
    seen: dict[str, int] = {}
    for i, party in enumerate(case.header.parties):
        if party.role in seen:
            yield diag(
                case.path,
                *case.pos("parties", i, "role"),
                "DK125",
                f"party role {party.role} is used twice: number them (C1, C2 / R1, R2)",
            )
        seen[party.role] = i
    current: dict[str, int] = {}
    for i, officer in enumerate(case.header.officers):
        if officer.until is not None:
            continue
        if officer.role in current:
            yield diag(
                case.path,
                *case.pos("officers", i, "role"),
                "DK125",
                f"two current officers hold {officer.role}: give the former one 'until: "
                "YYYY-MM-DD'",
            )
        current[officer.role] = i
