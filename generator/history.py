"""Parse the History Log into entries: `- 2014-04-08 (A): text`, `- 2014-04-08/09 (software): ...`,
`- (infrastructure): ...` (no date: the previous entry's date), `- undated (C): ...` (no date, and
none inherited). Indented lines continue an entry; blockquote (`> ...`) and fenced lines directly
under an entry are quoted text that belongs to it.

`###` sub-headings group the log; every group is ordered on its own. `### Log from case
a20100209.2` starts the sub-log of a merged case, closed by a heading starting with `EOT` (the main
log then resumes where it was) or by the next group heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from generator.model import CASE_NUMBER_PATTERN, HistoryEntry, LogGroup, Section

_ENTRY = re.compile(
    r"^[-*][ \t]+"
    r"(?:(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:/(?P<end>\d{4}-\d{2}-\d{2}|\d{2}-\d{2}|\d{2}))?[ \t]+|(?P<undated>undated)[ \t]+)?"
    r"\((?P<actors>[^()]*)\):?[ \t]*(?P<text>.*)$"
)
# The loop takes the groups by number (cheaper than by name): 1 date, 2 end, 3 undated,
# 4 actors, 5 text.
_SPLIT_ACTORS = re.compile(r"\s*[,;]\s*|\s+\+\s+")
_GROUP = re.compile(r"^#{3,6}[ \t]+(?P<title>.*?)[ \t#]*$")
_SUBLOG = re.compile(rf"^log from case (?P<case>{CASE_NUMBER_PATTERN})\b", re.IGNORECASE)
_FENCES = ("```", "~~~")
_new = tuple.__new__


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
    groups: list[LogGroup] = field(default_factory=lambda: [LogGroup(None, 0)])


def _end_date(start: date, end: str) -> date:
    parts = end.split("-")
    if len(parts) == 3:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    if len(parts) == 2:
        return date(start.year, int(parts[0]), int(parts[1]))
    return date(start.year, start.month, int(parts[0]))


def parse_history(section: Section, first_group: int = 0) -> ParsedLog:
    """Entries of one History Log section; group numbers start at `first_group` (several
    History Log sections share one numbering)."""
    result = ParsedLog(groups=[])
    problems = result.problems
    groups = result.groups
    first = section.body_line
    # None marks a line after which nothing continues an entry; the rare continuation line
    # replaces the entry before it with a longer one.
    rows: list[HistoryEntry | None] = []
    group = first_group
    groups.append(LogGroup(None, section.line))
    # the ordering state (last date) of each group; a sub-log's end resumes the outer group
    current: date | None = None
    resume: tuple[int, date | None] | None = None
    fence: str | None = None
    for offset, raw in enumerate(section.body.split("\n") if section.body else ()):
        lineno = first + offset
        if fence is not None:
            last = rows[-1] if rows else None
            if last is not None:
                rows[-1] = last._replace(quote=f"{last.quote}\n{raw}")
            if raw.strip().startswith(fence):
                fence = None
            continue
        if not raw or raw.isspace():
            continue
        head = raw[0]
        # the common case first: an entry line needs none of the tests below
        stripped = raw if head == "-" or head == "*" else raw.lstrip()
        if head != "-" and (stripped[:3] in _FENCES or stripped[:1] == ">"):
            last = rows[-1] if rows else None
            if last is None:
                rows.append(None)
                problems.append(LogProblem(lineno, 1, "DK302", _QUOTE_WITHOUT_ENTRY))
                if stripped[:3] in _FENCES:
                    fence = stripped[:3]
                continue
            quote = last.quote
            rows[-1] = last._replace(quote=f"{quote}\n{stripped}" if quote else stripped)
            if stripped[:3] in _FENCES:
                fence = stripped[:3]
            continue
        if raw[0] == "#":
            heading = _GROUP.match(raw)
            if heading is None:
                rows.append(None)
                problems.append(LogProblem(lineno, 1, "DK302", _NOT_AN_ENTRY))
                continue
            title = heading["title"]
            rows.append(None)  # quoted and indented lines after a heading belong to no entry
            in_sublog = groups[-1].sublog is not None
            if title[:3].lower() == "eot":
                # the EOT heading is kept as the title of what follows (it is written text)
                groups.append(LogGroup(title, lineno))
                if in_sublog and resume is not None:
                    current = resume[1]  # the outer log resumes where it was
                    resume = None
                else:
                    current = None
                group = first_group + len(groups) - 1
                continue
            sub = _SUBLOG.match(title)
            if sub is not None and not in_sublog:
                resume = (group, current)
            elif sub is None:
                resume = None  # a plain heading ends a sub-log; its group is ordered on its own
            groups.append(LogGroup(title, lineno, sub["case"] if sub else None))
            group = first_group + len(groups) - 1
            current = None
            continue
        if raw[0] in " \t" and rows:
            last = rows[-1]
            if last is not None:
                rows[-1] = last._replace(text=f"{last.text}\n{raw.strip()}")
                continue
        match = _ENTRY.match(raw)
        if match is None:
            rows.append(None)  # indented lines after a non-entry do not continue an entry
            problems.append(LogProblem(lineno, 1, "DK302", _NOT_AN_ENTRY))
            continue
        entry_date: date | None = current
        end: date | None = None
        text_date, end_text, undated, actors_raw, text = match.groups()
        dated = text_date is not None
        if not dated:
            if undated:
                entry_date = None
        else:
            col = match.start(1) + 1  # the date
            try:
                entry_date = date.fromisoformat(text_date)
                if end_text:
                    end = _end_date(entry_date, end_text)
            except ValueError:
                shown = text_date + (f"/{end_text}" if end_text else "")
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
        actors_text = actors_raw.strip()
        if not actors_text:
            actors: tuple[str, ...] = ()
        elif "," in actors_text or ";" in actors_text or "+" in actors_text:
            actors = tuple(a for a in _SPLIT_ACTORS.split(actors_text) if a)
        else:
            actors = (actors_text,)
        # tuple.__new__ is what HistoryEntry._make does, without a Python call per entry
        rows.append(
            _new(
                HistoryEntry,
                (
                    entry_date,
                    end,
                    dated,
                    actors,
                    text.strip(),
                    lineno,
                    match.start(4) + 1,  # the actors
                    group,
                    "",
                ),
            )
        )
    result.entries = [row for row in rows if row is not None]
    return result


_NOT_AN_ENTRY = (
    "line is not a history log entry: write '- YYYY-MM-DD (actor): text' "
    "(the date may be left out to continue the previous one, or be 'undated')"
)
_QUOTE_WITHOUT_ENTRY = (
    "quoted text ('> ...' or a fenced block) belongs under a history log entry: "
    "put it directly below the entry it quotes"
)


def _bad_date(shown: str) -> str:
    return f"'{shown}' is not a real date or range (YYYY-MM-DD or YYYY-MM-DD/DD)"
