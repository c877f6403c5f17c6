"""The case model: what a case file's front matter may say, and the parsed body.

The pydantic classes define the front matter (and so the JSON Schema); `Case` joins them with the
body (sections, history log) and the source positions every check needs to point at a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

CASE_NUMBER_PATTERN = r"a(\d{4})(\d{2})(\d{2})\.(\d+)"
CASE_NUMBER_RE = re.compile(rf"^{CASE_NUMBER_PATTERN}$")

STATUSES = ("init", "running", "execution", "closed", "declined")
# Real status words of the wiki, read as the canonical status they mean.
STATUS_ALIASES = {"close": "closed", "execute": "execution", "ruling": "execution"}
# A case in one of these is still open: listed as open, not yet closed, checked for a ruling.
OPEN_STATUSES = ("init", "running", "execution")
PARTY_ROLE_PATTERN = r"^(C|R|RC)\d{0,2}$"
OFFICER_ROLE_PATTERN = r"^(iCM|CM|A\d?|SA)$"


class Unknown(str):
    """The bare word `unknown`: the page does not say. Absent (None) means "none / not yet".

    One instance (`UNKNOWN`), also across pickling; a str, so it prints and serialises as
    "unknown" everywhere, and `value is UNKNOWN` tells it from a real value.
    """

    _one: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._one is None:
            cls._one = super().__new__(cls, "unknown")
        return cls._one

    def __reduce__(self) -> str:
        return "UNKNOWN"

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __copy__(self) -> Unknown:
        return self

    def __deepcopy__(self, memo: Any) -> Unknown:
        return self


UNKNOWN = Unknown()


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_ADAPTER: TypeAdapter[date] = TypeAdapter(date)


def _date_or_unknown(value: Any) -> date | Unknown:
    """A date (YYYY-MM-DD), or the word `unknown` as UNKNOWN.

    One plain function: a wrap validator around pydantic's date costs three times as much per
    field, and a union would split a bad date's error into one per member. Whatever the fast
    path does not take is judged by pydantic's own date validation, with its error."""
    if isinstance(value, str):
        if value == "unknown":
            return UNKNOWN
        if _ISO_DATE.match(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
    try:
        return _DATE_ADAPTER.validate_python(value)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        reason = first.get("ctx", {}).get("error", first["msg"])
        raise PydanticCustomError(
            first["type"], str(first["msg"]), {"error": str(reason)}
        ) from None


def _serialise_date(value: date | Unknown, info: core_schema.SerializationInfo) -> Any:
    if value is UNKNOWN or not info.mode_is_json():
        return value
    return value.isoformat() if isinstance(value, date) else value


class _DateOrUnknown:
    """Annotated marker for `MaybeDate`: validation, serialisation and JSON Schema."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(
            _date_or_unknown,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _serialise_date, info_arg=True
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"anyOf": [{"type": "string", "format": "date"}, _UNKNOWN_SCHEMA]}


_UNKNOWN_SCHEMA: dict[str, Any] = {"const": "unknown", "description": "not on the record"}


def _unknown_text(value: str) -> str:
    return UNKNOWN if value == "unknown" else value


def _status_word(value: str) -> str:
    word = value.strip().lower()
    if word == "unknown":
        return UNKNOWN
    if word not in STATUSES and word not in STATUS_ALIASES:
        raise ValueError(f"unknown status word {value!r}")
    return value.strip()


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


_STATUS_WORD_PATTERN = (
    "^(" + "|".join(_any_case(w) for w in (*STATUSES, *STATUS_ALIASES, "unknown")) + ")$"
)


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
MaybeDate = Annotated[date | Unknown, _DateOrUnknown()]
PartyRole = Annotated[str, StringConstraints(pattern=PARTY_ROLE_PATTERN)]
OfficerRole = Annotated[str, StringConstraints(pattern=OFFICER_ROLE_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
# Text that may be the word `unknown` (then the UNKNOWN sentinel, still a str).
MaybeText = Annotated[
    str, StringConstraints(min_length=1, strip_whitespace=True), AfterValidator(_unknown_text)
]
StatusWord = Annotated[
    str,
    AfterValidator(_status_word),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _STATUS_WORD_PATTERN,
            "description": "init, running, execution, closed, declined in any letter case; "
            "the wiki's close, execute, ruling; or unknown",
        }
    ),
]
Side = Literal["claimant", "respondent", "counter-respondent"]
AckCode = Annotated[str, StringConstraints(pattern=r"^DK\d{3}$")]
IssueNumber = Annotated[str, StringConstraints(pattern=r"^s\d{8}\.\d+$")]
MotionNumber = Annotated[str, StringConstraints(pattern=r"^m\d{8}\.(\d+|x)$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Digest = Annotated[str, StringConstraints(pattern=r"^sha256:[0-9a-f]{64}$")]
Rate = Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+)?/(s|m|h)$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def side_of_role(role: str) -> str:
    """claimant / respondent / counter-respondent for a party role code."""
    if role.startswith("RC"):
        return "counter-respondent"
    return "claimant" if role.startswith("C") else "respondent"


class Party(_Strict):
    """A claimant (C, C1, C2...), respondent (R, R1...) or counter-claim respondent (RC1...).

    A page may give no role code: then `side` says which side the party is on."""

    role: PartyRole | None = None
    side: Side | None = Field(default=None, description="when the page gives no role code")
    # default_factory: a factory call is cheaper than copying a default for every party
    formerly: list[PartyRole] = Field(
        default_factory=list, description="earlier role codes, oldest first"
    )
    name: MaybeText
    note: str | None = None
    joined: MaybeDate | None = Field(default=None, description="when the party joined the case")
    left: MaybeDate | None = Field(
        default=None, description="when the party left the case (a former party)"
    )

    @property
    def party_side(self) -> str:
        """The side: from the role code when there is one, else `side` (claimant if neither)."""
        if self.role:
            return side_of_role(self.role)
        return self.side or "claimant"

    @property
    def code(self) -> str:
        return self.role or ""

    @property
    def former(self) -> bool:
        return self.left is not None

    @property
    def roles_shown(self) -> str:
        """ "R, later R1" for a party whose role changed, "R1" otherwise, "" with no code."""
        codes = [*self.formerly, self.role] if self.role else list(self.formerly)
        return ", later ".join(codes)


class Officer(_Strict):
    """Initial case manager (iCM), case manager (CM), arbitrator (A, A1..), supervisor (SA)."""

    role: OfficerRole
    name: MaybeText
    account: Text | None = Field(
        default=None, description="the wiki account (CamelCase) when the display name differs"
    )
    since: MaybeDate | None = None
    until: MaybeDate | None = Field(
        default=None, description="set when the officer was replaced (unknown: date not given)"
    )
    note: str | None = None

    @property
    def person(self) -> str | None:
        """Whom person pages key on: the account, else the name; None when not on the record."""
        if self.account:
            return self.account
        return None if self.name is UNKNOWN else self.name


class Ruling(_Strict):
    """One of several dated rulings (preliminary, intermediate, follow-up, final)."""

    title: Text = Field(description="the body heading of this ruling")
    date: MaybeDate
    final: bool = False


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
        populate_by_name=False,
        title="docket case file front matter",
    )

    case: CaseNumber
    status_written: StatusWord = Field(alias="status")
    complaint: MaybeText
    relief: MaybeText | None = None
    synopsis: str | None = None
    started: MaybeDate | None = None
    ruled: MaybeDate | None = Field(default=None, description="the date of the (final) ruling")
    closed: MaybeDate | None = None
    parties: list[Party] = Field(description="[] when the page names no party at all")
    officers: list[Officer] = []
    rulings: list[Ruling] = Field(
        default_factory=list, description="several dated rulings, in order"
    )
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
    allow: dict[AckCode, str | None] = Field(
        default_factory=dict, description="acknowledged findings for the whole case: code -> reason"
    )

    @cached_property
    def status(self) -> str:
        """The canonical status (init ... declined), or UNKNOWN (computed once: checks ask
        often)."""
        written = self.status_written
        if written is UNKNOWN:
            return UNKNOWN
        word = written.lower()
        return STATUS_ALIASES.get(word, word)

    @property
    def final_ruling(self) -> Ruling | None:
        return next((r for r in self.rulings if r.final), None)


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
    # `## EOT Private Part`: the end-of-private marker written as a section; never published
    EOT = "eot"


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
        """Not published: a Private Part, and the end-of-private marker section."""
        return self.kind is SectionKind.PRIVATE or self.kind is SectionKind.EOT

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-") or "section"


_Date = date


class HistoryEntry(NamedTuple):
    """One history-log line: `- 2014-04-08/09 (A, CM): text`; undated ones inherit the date,
    except `- undated (C): text`, which has none.

    A NamedTuple: immutable, and several times cheaper to create than a frozen dataclass
    (a 10,000-case check creates half a million)."""

    date: _Date | None
    end: _Date | None
    dated: bool
    actors: tuple[str, ...]
    text: str
    line: int
    col: int
    group: int = 0
    quote: str = ""


@dataclass(frozen=True, slots=True)
class LogGroup:
    """A part of the History Log: the main log (no title), a `###` sub-heading's group, or the
    sub-log of a merged case (`### Log from case a20100209.2` ... `### EOT log from ...`)."""

    title: str | None
    line: int
    sublog: str | None = None


Position = tuple[int, int]
# Where a value sits in the front matter: its keys and list indexes, e.g.
# ("actions", 0, "audience", "query"). Not a file path.
KeyPath = tuple[str | int, ...]


@dataclass(slots=True)
class Case:
    """A whole case file: header, sections in order, parsed history log, source positions."""

    path: str
    header: CaseHeader
    sections: list[Section]
    history: list[HistoryEntry]
    log_groups: list[LogGroup] = field(default_factory=lambda: [LogGroup(None, 0)])
    positions: dict[KeyPath, Position] = field(default_factory=dict)
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
        key: KeyPath = tuple(path)
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

    @property
    def before_line(self) -> str:
        """The wiki's "Before:" line, derived from current officers and parties."""
        return before_line(self.header)

    @property
    def former_parties_line(self) -> str:
        """ "Former parties: ..." (the parties that have left), "" when none has."""
        former = [p for p in self.header.parties if p.former]
        return "Former parties: " + ", ".join(_person(p) for p in former) if former else ""

    def known_actors(self, teams: tuple[str, ...] | list[str]) -> set[str]:
        """Every code or name that may stand as an actor in this case's history log (lower)."""
        names: set[str] = {t.lower() for t in teams}
        for party in self.header.parties:
            if party.role:
                names.add(party.role.lower())
            else:  # a party without a code still stands as its side's plain code (C, R, RC)
                names.add(_SIDE_CODES[party.party_side])
            names.update(code.lower() for code in party.formerly)
            if party.name is not UNKNOWN:
                names.add(party.name.lower())
        for officer in self.header.officers:
            names.add(officer.role.lower())
            if officer.name is not UNKNOWN:
                names.add(officer.name.lower())
            if officer.account:
                names.add(officer.account.lower())
        names.update(code.lower() for code in self.header.legend)
        return names


_SIDE_CODES = {"claimant": "c", "respondent": "r", "counter-respondent": "rc"}


def _person(party: Party) -> str:
    roles = party.roles_shown
    return f"{party.name} ({roles})" if roles else str(party.name)


_SEGMENTS = (
    ("respondent", "Respondent", "Respondents"),
    ("claimant", "Claimant", "Claimants"),
    ("counter-respondent", "Respondent to counter-claim", "Respondents to counter-claim"),
)


def before_line(header: CaseHeader) -> str:
    """`Before: Arbitrator EvaStöwe (A), Respondent: CAcert (R), Claimant: Michael T (C),
    Ron C (C2), Case: a20140408.1`: current officers only, parties that have not left."""
    parts: list[str] = []
    arbitrators = [o for o in header.officers if o.role.startswith("A") and o.until is None]
    if arbitrators:
        label = "Arbitrators" if len(arbitrators) > 1 else "Arbitrator"
        parts.append(label + " " + ", ".join(f"{o.name} ({o.role})" for o in arbitrators))
    current = [p for p in header.parties if not p.former]
    for side, one, several in _SEGMENTS:
        on_side = [p for p in current if p.party_side == side]
        if on_side:
            label = several if len(on_side) > 1 else one
            parts.append(f"{label}: " + ", ".join(_person(p) for p in on_side))
    parts.append(f"Case: {header.case}")
    return "Before: " + ", ".join(parts)


def to_jsonable(value: Any) -> Any:
    """Dates become ISO strings; used for JSON output of front-matter values."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value
