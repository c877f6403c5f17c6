"""Parse the History Log into entries: `- 2014-04-08 (A): text`, `- 2014-04-08/09 (software): ...`,
`- (infrastructure): ...` (no date: the previous entry's date). Indented lines continue an entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from generator.model import HistoryEntry, Section

_ENTRY = re.compile(
    r"^[-*][ \t]+"
    r"(?:(?P<date>\d{4}-\d{2}-\d{2})(?:/(?P<end>\d{4}-\d{2}-\d{2}|\d{2}-\d{2}|\d{2}))?[ \t]+)?"
    r"\((?P<actors>[^()]*)\):?[ \t]*(?P<text>.*)$"
)
_SPLIT_ACTORS = re.compile(r"\s*[,;]\s*|\s+\+\s+")


@dataclass(frozen=True, slots=True)
class LogProblem:
    line: int
    col: int
    code: str
    message: str


@dataclass(slots=True)
class ParsedLog:
    entries: list[HistoryEntry] = field(default_factory=list)
    problems: list[LogProblem] = field(default_factory=list)


def _end_date(start: date, end: str) -> date:
    parts = end.split("-")
    if len(parts) == 3:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    if len(parts) == 2:
        return date(start.year, int(parts[0]), int(parts[1]))
    return date(start.year, start.month, int(parts[0]))


def parse_history(section: Section) -> ParsedLog:
    result = ParsedLog()
    problems = result.problems
    current: date | None = None
    first = section.body_line
    # Entries are collected as lists so continuation lines can extend the text cheaply.
    rows: list[list[object]] = []
    for offset, raw in enumerate(section.body.split("\n") if section.body else ()):
        if not raw or raw.isspace():
            continue
        lineno = first + offset
        if raw[0] in " \t" and rows and rows[-1]:
            rows[-1][4] = f"{rows[-1][4]}\n{raw.strip()}"
            continue
        match = _ENTRY.match(raw)
        if match is None:
            rows.append([])  # indented lines after a non-entry do not continue an entry
            problems.append(LogProblem(lineno, 1, "DK302", _NOT_AN_ENTRY))
            continue
        entry_date: date | None = current
        end: date | None = None
        text_date = match["date"]
        dated = text_date is not None
        if dated:
            col = match.start("date") + 1
            try:
                entry_date = date.fromisoformat(text_date)
                if match["end"]:
                    end = _end_date(entry_date, match["end"])
            except ValueError:
                shown = text_date + (f"/{match['end']}" if match["end"] else "")
                problems.append(LogProblem(lineno, col, "DK304", _bad_date(shown)))
                entry_date = current
                dated = False
            else:
                if end is not None and end < entry_date:
                    problems.append(
                        LogProblem(lineno, col, "DK304", "the range ends before it starts")
                    )
                if current is not None and entry_date < current:
                    problems.append(
                        LogProblem(
                            lineno,
                            col,
                            "DK301",
                            f"history log entry is out of order: {entry_date.isoformat()} "
                            f"after {current.isoformat()}",
                        )
                    )
                else:
                    current = entry_date
        actors_text = match["actors"].strip()
        if not actors_text:
            actors: tuple[str, ...] = ()
        elif "," in actors_text or ";" in actors_text or "+" in actors_text:
            actors = tuple(a for a in _SPLIT_ACTORS.split(actors_text) if a)
        else:
            actors = (actors_text,)
        rows.append(
            [
                entry_date,
                end,
                dated,
                actors,
                match["text"].strip(),
                lineno,
                match.start("actors") + 1,
            ]
        )
    result.entries = [HistoryEntry(*row) for row in rows if row]  # type: ignore[arg-type]
    return result


_NOT_AN_ENTRY = (
    "line is not a history log entry: write '- YYYY-MM-DD (actor): text' "
    "(the date may be left out to continue the previous one)"
)


def _bad_date(shown: str) -> str:
    return f"'{shown}' is not a real date or range (YYYY-MM-DD or YYYY-MM-DD/DD)"
