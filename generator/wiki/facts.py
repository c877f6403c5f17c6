"""What the importer extracted from a page, before it becomes a case file, and its findings.

Every fact remembers where on the source page it came from, so that every finding can point there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from generator.model import UNKNOWN, Unknown


@dataclass(frozen=True, slots=True)
class Where:
    """A position on the source page (1-based); `col` only for pages flattened onto one line."""

    line: int
    col: int | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """Something the importer could not map, guessed, or left out: `path:line: message`."""

    path: str
    where: Where
    message: str
    failed: bool = False

    def __str__(self) -> str:
        col = f":{self.where.col}" if self.where.col is not None else ""
        return f"{self.path}:{self.where.line}{col}: {self.message}"


@dataclass(slots=True)
class PartyFact:
    name: str | Unknown
    side: str  # claimant | respondent | counter-respondent
    role: str | None = None
    formerly: list[str] = field(default_factory=list)
    note: str | None = None
    joined: date | None = None
    where: Where = Where(1)
    left: date | Unknown | None = None


@dataclass(slots=True)
class OfficerFact:
    role: str
    name: str
    former: bool = False
    note: str | None = None
    where: Where = Where(1)
    account: str | None = None  # the person this spelling belongs to (docket.toml's [people])


DateValue = date | Unknown | None


@dataclass(slots=True)
class LogLine:
    """One history-log line in the case file's syntax (already converted), or a sub-heading."""

    text: str
    where: Where
    heading: bool = False


@dataclass(slots=True)
class OutSection:
    """A body section as it will be written: heading title and Markdown lines."""

    title: str
    lines: list[str]
    where: Where
    level: int = 2


@dataclass(slots=True)
class RulingFact:
    title: str
    date: date | Unknown
    final: bool = False


@dataclass(slots=True)
class Refs:
    cases: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    motions: list[str] = field(default_factory=list)
    bugs: list[int] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Extracted:
    """All facts of one page (or of several pages of one case, merged)."""

    path: str
    shape: str
    number: str
    number_where: Where
    status: str | Unknown = UNKNOWN
    status_written: str | None = None
    complaint: str | Unknown = UNKNOWN
    relief: str | None = None
    started: DateValue = UNKNOWN
    ruled: DateValue = UNKNOWN
    closed: DateValue = UNKNOWN
    parties: list[PartyFact] = field(default_factory=list)
    officers: list[OfficerFact] = field(default_factory=list)
    has_header: bool = False
    intro: list[str] = field(default_factory=list)
    history: list[LogLine] = field(default_factory=list)
    history_where: Where | None = None
    history_title: str | None = None
    sections: list[OutSection] = field(default_factory=list)
    rulings: list[RulingFact] = field(default_factory=list)
    private: str | None = None
    merged_from: list[str] = field(default_factory=list)
    refs: Refs = field(default_factory=Refs)
    notes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    truncated: bool = False
    head_missing: bool = False  # the export starts inside the page (no header, no Before:)
    sources: list[str] = field(default_factory=list)
    # two spellings the page uses for one person (the header's and the Before: line's)
    spellings: list[tuple[str, str]] = field(default_factory=list)

    def report(self, where: Where, message: str) -> None:
        self.findings.append(Finding(self.path, where, message))
