"""Front-matter facts that must agree with each other, the file's name and its sections."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import PurePath

from generator.codes import diag
from generator.config import Config
from generator.diagnostics import Diagnostic
from generator.model import (
    OPEN_STATUSES,
    STATUS_ALIASES,
    UNKNOWN,
    Case,
    Section,
    SectionKind,
    filing_date,
    side_of_role,
)
from generator.sections import is_final_ruling_kind


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
    chain: list[tuple[str, object]] = [
        ("filing date in the case number", filing_date(h.case)),
        ("started", h.started),
        ("ruled", h.ruled),
        ("closed", h.closed),
    ]
    previous: tuple[str, date] | None = None
    for name, value in chain:
        if not isinstance(value, date):
            continue  # absent, or not on the record: nothing to compare
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


def is_final_ruling(section: Section) -> bool:
    """A Ruling section with text that is not an intermediate, interim or preliminary one."""
    return (
        section.kind is SectionKind.RULING
        and is_final_ruling_kind(section.ruling_kind)
        and bool(section.body.strip())
    )


def check_status(case: Case, config: Config) -> Iterator[Diagnostic]:
    h = case.header
    status_at = case.pos("status")
    written = h.status_written
    if written is not UNKNOWN and written.lower() in STATUS_ALIASES:
        yield diag(
            case.path, *status_at, "DK109",
            f"status '{written}' is the wiki's word for {h.status}: write 'status: "
            f"{h.status}', or acknowledge it to keep the page's word",
        )  # fmt: skip
    yield from _unknown_facts(case)
    if h.status is UNKNOWN:
        return  # what the status requires cannot be judged
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
        final = h.final_ruling is not None or any(is_final_ruling(s) for s in case.sections)
        if not final:
            yield diag(
                case.path, *status_at, "DK122",
                f"status {h.status} needs a final ruling: add a '## Ruling' section with its "
                "text (an intermediate or preliminary ruling is not enough), or mark the "
                "final one in 'rulings' with 'final: true'",
            )  # fmt: skip
        elif h.ruled is None and (h.final_ruling is None or h.final_ruling.date is UNKNOWN):
            yield diag(
                case.path,
                *status_at,
                "DK122",
                f"status {h.status} needs the date of the ruling: add 'ruled: YYYY-MM-DD' "
                "(or 'ruled: unknown' when the page does not say)",
            )
    if h.status != "init" and h.started is None:
        yield diag(
            case.path,
            *status_at,
            "DK123",
            f"status {h.status} needs the start date: add 'started: YYYY-MM-DD' "
            "(or 'started: unknown' when the page does not say)",
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


def _unknown_facts(case: Case) -> Iterator[Diagnostic]:
    """`unknown` is fine for the record of a past case; a current one should know its facts."""
    h = case.header
    if h.status is UNKNOWN:
        if h.closed is None:
            yield diag(
                case.path, *case.pos("status"), "DK126",
                "status is unknown and the case has no 'closed' date: if the case is still "
                "open, write its status (or 'closed: unknown' for a past case)",
            )  # fmt: skip
        return
    if h.status not in OPEN_STATUSES:
        return
    if h.complaint is UNKNOWN:
        yield diag(
            case.path, *case.pos("complaint"), "DK126",
            f"the complaint of a {h.status} case is unknown: write what the dispute is about",
        )  # fmt: skip
    for i, officer in enumerate(h.officers):
        if officer.until is None and officer.name is UNKNOWN and officer.role in ("CM", "A"):
            yield diag(
                case.path, *case.pos("officers", i, "name"), "DK126",
                f"the current {officer.role} of a {h.status} case is unknown: name them",
            )  # fmt: skip


def check_rulings(case: Case, config: Config) -> Iterator[Diagnostic]:
    """Each `rulings` entry names a ruling heading; the final one agrees with `ruled`."""
    h = case.header
    if not h.rulings:
        return
    titles = {_heading_key(s.title) for s in case.sections}
    finals = 0
    for i, ruling in enumerate(h.rulings):
        if _heading_key(ruling.title) not in titles:
            yield diag(
                case.path, *case.pos("rulings", i, "title"), "DK127",
                f"ruling '{ruling.title}' has no section of that title: add "
                f"'## {ruling.title}' with its text, or correct the title",
            )  # fmt: skip
        if not ruling.final:
            continue
        finals += 1
        if finals > 1:
            yield diag(
                case.path, *case.pos("rulings", i, "final"), "DK128",
                "more than one ruling is marked 'final: true': mark only the last one",
            )  # fmt: skip
        if isinstance(ruling.date, date) and isinstance(h.ruled, date) and ruling.date != h.ruled:
            yield diag(
                case.path, *case.pos("rulings", i, "date"), "DK128",
                f"the final ruling is dated {ruling.date.isoformat()} but 'ruled' is "
                f"{h.ruled.isoformat()}: make them agree",
            )  # fmt: skip


def _heading_key(title: str) -> str:
    return " ".join(title.strip().rstrip(":").lower().split())


def check_roles(case: Case, config: Config) -> Iterator[Diagnostic]:
    seen: dict[str, int] = {}
    for i, party in enumerate(case.header.parties):
        if party.role is None and party.side is None:
            yield diag(
                case.path, *case.pos("parties", i), "DK129",
                "party has neither 'role' nor 'side': give its role code (C, R1, RC2 ...) or, "
                "when the page gives none, 'side: claimant' (respondent, counter-respondent)",
            )  # fmt: skip
        elif party.role and party.side and side_of_role(party.role) != party.side:
            yield diag(
                case.path, *case.pos("parties", i, "side"), "DK129",
                f"party role {party.role} is a {side_of_role(party.role)}, but 'side' says "
                f"{party.side}: correct one of them",
            )  # fmt: skip
        if party.role is None:
            continue
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
