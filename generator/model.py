"""The case model: what a case file's front matter may say, and the parsed body.

The pydantic classes define the front matter (and so the JSON Schema); `Case` joins them with the
body (sections, history log) and the source positions every check needs to point at a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

CASE_NUMBER_PATTERN = r"a(\d{4})(\d{2})(\d{2})\.(\d+)"
CASE_NUMBER_RE = re.compile(rf"^{CASE_NUMBER_PATTERN}$")

STATUSES = ("init", "running", "execution", "closed", "declined")
PARTY_ROLE_PATTERN = r"^(C|R|RC)\d{0,2}$"
OFFICER_ROLE_PATTERN = r"^(iCM|CM|A\d?|SA)$"


def filing_date(number: str) -> date | None:
    """The date encoded in a case number (a20140408.1 -> 2014-04-08), None when it is no date."""
    match = CASE_NUMBER_RE.match(number)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def case_sort_key(number: str) -> tuple[str, int]:
    """Sort case numbers numerically: a20090618.12 after a20090618.3."""
    stem, _, index = number.partition(".")
    return (stem, int(index) if index.isdigit() else 0)


def _check_case_number(value: str) -> str:
    if not CASE_NUMBER_RE.match(value):
        raise ValueError("a case number looks like aYYYYMMDD.N, for example a20140408.1")
    if filing_date(value) is None:
        raise ValueError("its date part is not a real date (aYYYYMMDD.N)")
    return value


CaseNumber = Annotated[str, AfterValidator(_check_case_number)]
Status = Literal["init", "running", "execution", "closed", "declined"]
PartyRole = Annotated[str, StringConstraints(pattern=PARTY_ROLE_PATTERN)]
OfficerRole = Annotated[str, StringConstraints(pattern=OFFICER_ROLE_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
IssueNumber = Annotated[str, StringConstraints(pattern=r"^s\d{8}\.\d+$")]
MotionNumber = Annotated[str, StringConstraints(pattern=r"^m\d{8}\.(\d+|x)$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Digest = Annotated[str, StringConstraints(pattern=r"^sha256:[0-9a-f]{64}$")]
Rate = Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+)?/(s|m|h)$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Party(_Strict):
    """A claimant (C, C1, C2...), respondent (R, R1...) or counter-claim respondent (RC1...)."""

    role: PartyRole
    name: Text
    note: str | None = None
    joined: date | None = Field(default=None, description="when the party joined the case")
    left: date | None = Field(default=None, description="when the party left the case")


class Officer(_Strict):
    """Initial case manager (iCM), case manager (CM), arbitrator (A, A1..), supervisor (SA)."""

    role: OfficerRole
    name: Text
    since: date | None = None
    until: date | None = Field(default=None, description="set when the officer was replaced")
    note: str | None = None


class Refs(_Strict):
    """Other records this case cites; case numbers in the body are found without listing."""

    cases: list[CaseNumber] = []
    issues: list[IssueNumber] = []
    motions: list[MotionNumber] = []
    bugs: list[int] = []
    policies: list[str] = []


class Audience(_Strict):
    """Who a mail goes to: an SQL file beside the case, run with named parameters."""

    query: Text
    params: dict[str, str | int | float | bool | date] = {}


class Approval(_Strict):
    """Who approved the action, when, and the digest of everything that decides what is sent."""

    by: Text
    on: date
    digest: Digest


class MailAction(_Strict):
    """A mail that the ruling orders: recorded in the case, carried out by `docket notify`."""

    id: Slug
    kind: Literal["mail"]
    audience: Audience
    sender: Text = Field(alias="from")
    return_path: Text | None = Field(default=None, alias="return-path")
    subject: Text
    template: Text = Field(description="Jinja2 file beside the case; per-language variants")
    rate: Rate = "10/s"
    approved: Approval | None = None


class CaseHeader(_Strict):
    """The YAML front matter of a case file."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        title="docket case file front matter",
    )

    case: CaseNumber
    status: Status
    complaint: Text
    relief: str | None = None
    synopsis: str | None = None
    started: date | None = None
    ruled: date | None = None
    closed: date | None = None
    parties: Annotated[list[Party], Field(min_length=1)]
    officers: list[Officer] = []
    refs: Refs = Refs()
    topics: list[Slug] = []
    private: str | None = Field(
        default=None, description="where the private part lives (a pointer, never its text)"
    )
    merged_from: list[CaseNumber] = []
    merged_into: CaseNumber | None = None
    legend: dict[str, str] = Field(
        default={}, description="extra actor codes this case uses in its history log"
    )
    actions: list[MailAction] = []


class SectionKind(StrEnum):
    HISTORY = "history"
    PRIVATE = "private"
    DISPUTE = "dispute"
    DISCOVERY = "discovery"
    RULING = "ruling"
    EXECUTION = "execution"
    SIMILAR = "similar"
    NOTES = "notes"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Section:
    """A level-2 section of the body; `line` is the heading's line (1-based, in the file)."""

    title: str
    kind: SectionKind
    line: int
    body: str
    body_line: int
    ruling_kind: str | None = None

    @property
    def private(self) -> bool:
        return self.kind is SectionKind.PRIVATE

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-") or "section"


_Date = date


class HistoryEntry(NamedTuple):
    """One history-log line: `- 2014-04-08/09 (A, CM): text`; undated ones inherit the date.

    A NamedTuple: immutable, and several times cheaper to create than a frozen dataclass
    (a 10,000-case check creates half a million)."""

    date: _Date | None
    end: _Date | None
    dated: bool
    actors: tuple[str, ...]
    text: str
    line: int
    col: int


Position = tuple[int, int]
Path = tuple[str | int, ...]


@dataclass(slots=True)
class Case:
    """A whole case file: header, sections in order, parsed history log, source positions."""

    path: str
    header: CaseHeader
    sections: list[Section]
    history: list[HistoryEntry]
    positions: dict[Path, Position] = field(default_factory=dict)
    body_line: int = 1
    intro: str = ""
    text: str = field(default="", repr=False)
    lines: list[str] = field(default_factory=list, repr=False)

    def line(self, number: int) -> str:
        """The text of a 1-based source line ("" past the end)."""
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    @property
    def number(self) -> str:
        return self.header.case

    def pos(self, *path: str | int) -> Position:
        """The (line, col) of a front-matter value, falling back to its nearest parent."""
        key: Path = tuple(path)
        while key:
            if key in self.positions:
                return self.positions[key]
            key = key[:-1]
        return self.positions.get((), (1, 1))

    def section(self, kind: SectionKind) -> Section | None:
        return next((s for s in self.sections if s.kind is kind), None)

    def sections_of(self, kind: SectionKind) -> list[Section]:
        return [s for s in self.sections if s.kind is kind]

    @property
    def public_sections(self) -> list[Section]:
        return [s for s in self.sections if not s.private]

    def current_officers(self, role: str) -> list[Officer]:
        return [o for o in self.header.officers if o.role == role and o.until is None]

    def parties_of(self, prefix: str) -> list[Party]:
        """Parties whose role starts with C or R (RC counts as R)."""
        return [p for p in self.header.parties if p.role.startswith(prefix)]

    @property
    def before_line(self) -> str:
        """The wiki's "Before:" line, derived from parties and officers."""
        parts: list[str] = []
        arbitrators = [o for o in self.header.officers if o.role.startswith("A") and not o.until]
        if arbitrators:
            parts.append("Arbitrator " + " ".join(f"{o.name} ({o.role})" for o in arbitrators))
        respondents = [p for p in self.header.parties if p.role.startswith("R")]
        claimants = [p for p in self.header.parties if p.role.startswith("C")]
        if respondents:
            parts.append("Respondent: " + " ".join(f"{p.name} ({p.role})" for p in respondents))
        if claimants:
            parts.append("Claimant: " + " ".join(f"{p.name} ({p.role})" for p in claimants))
        parts.append(f"Case: {self.number}")
        return "Before: " + ", ".join(parts)

    def known_actors(self, teams: tuple[str, ...] | list[str]) -> set[str]:
        """Every code or name that may stand as an actor in this case's history log (lower)."""
        names: set[str] = {t.lower() for t in teams}
        for party in self.header.parties:
            names.add(party.role.lower())
            names.add(party.name.lower())
        for officer in self.header.officers:
            names.add(officer.role.lower())
            names.add(officer.name.lower())
        names.update(code.lower() for code in self.header.legend)
        return names


def to_jsonable(value: Any) -> Any:
    """Dates become ISO strings; used for JSON output of front-matter values."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value
