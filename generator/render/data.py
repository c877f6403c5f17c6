"""The archive as data: `cases.json` (one line of facts per case) and `cases/<case>.json`.

Both shapes are pydantic models, so their JSON Schemas are exported beside the data and the
tests read the output back through the same models. Private sections are left out entirely.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache, partial
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from generator.model import UNKNOWN, Case, CaseHeader, SectionKind
from generator.render.context import Context
from generator.render.urls import case_json_url, case_url


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PersonRef(_Out):
    role: str | None
    name: str
    until: dt.date | Literal["unknown"] | None = None


class SectionOut(_Out):
    title: str
    kind: str
    markdown: str


class HistoryOut(_Out):
    date: dt.date | None
    end: dt.date | None
    dated: bool
    actors: list[str]
    text: str


class CaseSummary(_Out):
    """One case in `cases.json`."""

    case: str
    status: str
    complaint: str
    synopsis: str | None
    relief: str | None
    started: dt.date | Literal["unknown"] | None
    ruled: dt.date | Literal["unknown"] | None
    closed: dt.date | Literal["unknown"] | None
    topics: list[str]
    parties: list[PersonRef]
    officers: list[PersonRef]
    url: str
    json_url: str
    sections: list[str]


class CaseIndex(_Out):
    """The whole of `cases.json`."""

    version: int = 1
    count: int
    cases: list[CaseSummary]


class CaseRecord(_Out):
    """`cases/<case>.json`: the public record of one case."""

    version: int = 1
    case: str
    url: str
    header: dict[str, Any]
    before: str
    intro: str
    sections: list[SectionOut]
    history: list[HistoryOut]
    cited_by: list[str]
    related: list[str]


def _day(value: object) -> dt.date | Literal["unknown"] | None:
    if isinstance(value, dt.date):
        return value
    return "unknown" if value is UNKNOWN else None


@dataclass(frozen=True, slots=True)
class SummaryInputs:
    """Everything a case's line in cases.json is made from, and so its memo key: the header
    and the sections' titles and kinds (not their text, which the line does not show)."""

    number: str
    header: CaseHeader
    sections: tuple[tuple[str, SectionKind], ...]

    @classmethod
    def of(cls, case: Case) -> SummaryInputs:
        return cls(case.number, case.header, tuple((s.title, s.kind) for s in case.sections))


def summary(inputs: SummaryInputs, base: str) -> CaseSummary:
    h = inputs.header
    return CaseSummary(
        case=inputs.number,
        status=h.status,
        complaint=h.complaint,
        synopsis=h.synopsis,
        relief=h.relief,
        started=_day(h.started),
        ruled=_day(h.ruled),
        closed=_day(h.closed),
        topics=list(h.topics),
        parties=[PersonRef(role=p.role, name=p.name) for p in h.parties],
        officers=[PersonRef(role=o.role, name=o.name, until=_day(o.until)) for o in h.officers],
        url=base + case_url(inputs.number),
        json_url=base + case_json_url(inputs.number),
        sections=[title for title, kind in inputs.sections if kind is not SectionKind.EOT],
    )


@dataclass(frozen=True, slots=True)
class RecordInputs:
    """Everything a case's JSON record is made from, and so its memo key: the case, who cites
    it and what it relates to (the site's address is in the render's own key)."""

    case: Case
    cited_by: tuple[str, ...]
    related: tuple[str, ...]

    @classmethod
    def of(cls, case: Case, ctx: Context) -> RecordInputs:
        cited_by = tuple(ctx.graph.cited_by.get(case.number, ()))
        return cls(case, cited_by, tuple(ctx.graph.related(case)))


def record(inputs: RecordInputs, base: str) -> CaseRecord:
    case = inputs.case
    return CaseRecord(
        case=case.number,
        url=base + case_url(case.number),
        # acknowledgements are working notes of the case file, like its comments: not published
        header=case.header.model_dump(
            mode="json", by_alias=True, exclude_defaults=True, exclude={"allow"}
        ),
        before=case.before_line,
        intro=case.intro,
        sections=[
            SectionOut(title=s.title, kind=str(s.kind), markdown=s.body)
            for s in case.public_sections
        ],
        history=[
            HistoryOut(date=e.date, end=e.end, dated=e.dated, actors=list(e.actors), text=e.text)
            for e in case.history
        ],
        cited_by=list(inputs.cited_by),
        related=list(inputs.related),
    )


def _base(ctx: Context) -> str:
    """The site's address with one slash, or nothing: data files then hold relative URLs."""
    url = ctx.settings.site_url
    return url.rstrip("/") + "/" if url else ""


def index_json(ctx: Context) -> bytes:
    base = _base(ctx)
    entries = []
    for case in ctx.cases:
        inputs = SummaryInputs.of(case)
        entries.append(
            ctx.remember(f"summary:{case.number}", inputs, partial(summary, inputs, base))
        )
    index = CaseIndex(count=len(ctx.cases), cases=entries)
    return index.model_dump_json(indent=1).encode("utf-8")


def record_json(case: Case, ctx: Context) -> bytes:
    inputs, base = RecordInputs.of(case, ctx), _base(ctx)
    return ctx.remember(
        f"record:{case.number}", inputs, lambda: record(inputs, base).model_dump_json().encode()
    )


@cache
def schemas() -> dict[str, bytes]:
    """JSON Schemas of both files, published beside them."""
    return {
        "schema/cases.schema.json": json.dumps(CaseIndex.model_json_schema(), indent=1).encode(
            "utf-8"
        ),
        "schema/case.schema.json": json.dumps(CaseRecord.model_json_schema(), indent=1).encode(
            "utf-8"
        ),
    }
