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
    current: date | None = None
    lines = section.body.split("\n") if section.body else []
    first = section.body_line
    pending: dict[str, object] | None = None

    def flush() -> None:
        if pending is not None:
            result.entries.append(HistoryEntry(**pending))  # type: ignore[arg-type]

    for offset, raw in enumerate(lines):
        lineno = first + offset
        if not raw.strip():
            continue
        if raw[:1] in (" ", "\t") and pending is not None:
            pending["text"] = f"{pending['text']}\n{raw.strip()}"
            continue
        match = _ENTRY.match(raw)
        if not match:
            flush()
            pending = None
            result.problems.append(
                LogProblem(
                    lineno,
                    1,
                    "DK302",
                    "line is not a history log entry: write '- YYYY-MM-DD (actor): text' "
                    "(the date may be left out to continue the previous one)",
                )
            )
            continue
        flush()
        entry_date: date | None = current
        end: date | None = None
        dated = match["date"] is not None
        if dated:
            col = match.start("date") + 1
            try:
                entry_date = date.fromisoformat(match["date"])
                if match["end"]:
                    end = _end_date(entry_date, match["end"])
            except ValueError:
                result.problems.append(
                    LogProblem(
                        lineno,
                        col,
                        "DK304",
                        f"'{match['date']}{'/' + match['end'] if match['end'] else ''}' "
                        "is not a real date or range (YYYY-MM-DD or YYYY-MM-DD/DD)",
                    )
                )
                entry_date = current
                dated = False
            else:
                if end is not None and end < entry_date:
                    result.problems.append(
                        LogProblem(lineno, col, "DK304", "the range ends before it starts")
                    )
                if current is not None and entry_date < current:
                    result.problems.append(
                        LogProblem(
                            lineno,
                            col,
                            "DK301",
                            f"history log entry is out of order: {entry_date.isoformat()} "
                            f"after {current.isoformat()}",
                        )
                    )
                current = max(current, entry_date) if current else entry_date
        actors = tuple(a for a in _SPLIT_ACTORS.split(match["actors"].strip()) if a)
        pending = {
            "date": entry_date,
            "end": end,
            "dated": dated,
            "actors": actors,
            "text": match["text"].strip(),
            "line": lineno,
            "col": match.start("actors") + 1,
        }
    flush()
    return result
