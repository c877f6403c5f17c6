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
_SPLIT_ACTORS = re.compile(r"\s*[,;]\s*|\s+\+\s+")
_GROUP = re.compile(r"^#{3,6}[ \t]+(?P<title>.*?)[ \t#]*$")
_SUBLOG = re.compile(rf"^log from case (?P<case>{CASE_NUMBER_PATTERN})\b", re.IGNORECASE)
_FENCES = ("```", "~~~")


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


def parse_history(section: Section, first_group: int = 0) -> ParsedLog:
    """Entries of one History Log section; group numbers start at `first_group` (several
    History Log sections share one numbering)."""
    reader = _LogReader(section.line, first_group)
    lines = section.body.split("\n") if section.body else ()
    for lineno, raw in enumerate(lines, section.body_line):
        reader.read(lineno, raw)
    return reader.finish()


class _LogReader:
    """Reads a History Log one line at a time: `read` tells what the line is and hands it to
    the handler for that kind of line (entry, continuation, quote, inside a fence, heading).

    The state between lines: the entries so far, the open fence, the current group, the date
    the group's entries are ordered by, and where the main log resumes after a sub-log.
    """

    __slots__ = ("fence", "first_group", "group", "last_date", "result", "resume", "rows")

    def __init__(self, heading_line: int, first_group: int) -> None:
        self.result = ParsedLog(groups=[LogGroup(None, heading_line)])
        # The entries in order, with None after a line that nothing continues (a heading, a
        # line that is no entry): indented or quoted text after it belongs to no entry.
        self.rows: list[HistoryEntry | None] = []
        self.first_group = first_group
        self.group = first_group
        self.last_date: date | None = None  # entries of a group must not go back before it
        self.resume: tuple[int, date | None] | None = None  # the log a sub-log interrupted
        self.fence: str | None = None  # the fence (``` or ~~~) of an open fenced block

    def finish(self) -> ParsedLog:
        self.result.entries = [row for row in self.rows if row is not None]
        return self.result

    def read(self, lineno: int, raw: str) -> None:
        if self.fence is not None:
            self._inside_fence(raw)
            return
        if not raw or raw.isspace():
            return
        head = raw[0]
        if head == "-" or head == "*":  # an entry (the common case: no other test needed)
            self._entry(lineno, raw)
            return
        stripped = raw.lstrip()
        if stripped.startswith(_FENCES) or stripped.startswith(">"):
            self._quote(lineno, stripped)
        elif head == "#":
            self._heading(lineno, raw)
        elif head in " \t" and self.rows and self.rows[-1] is not None:
            self._continuation(raw)
        else:
            self._not_an_entry(lineno)

    # -- the handlers, one per kind of line

    def _inside_fence(self, raw: str) -> None:
        """A line of a fenced block (the closing fence too): quoted text of the entry above."""
        self._add_quote(raw)
        if self.fence is not None and raw.strip().startswith(self.fence):
            self.fence = None

    def _quote(self, lineno: int, stripped: str) -> None:
        """`> text`, or the opening fence of a block: belongs to the entry directly above."""
        if not self.rows or self.rows[-1] is None:
            self.rows.append(None)
            self._problem(lineno, 1, "DK302", _QUOTE_WITHOUT_ENTRY)
        else:
            self._add_quote(stripped)
        if stripped.startswith(_FENCES):
            self.fence = stripped[:3]

    def _continuation(self, raw: str) -> None:
        """An indented line: more text of the entry above."""
        last = self.rows[-1]
        assert last is not None  # `read` only sends continuations of an entry
        self.rows[-1] = last._replace(text=f"{last.text}\n{raw.strip()}")

    def _heading(self, lineno: int, raw: str) -> None:
        """`### title`: a new group; `### Log from case aX` a sub-log, `### EOT ...` its end."""
        heading = _GROUP.match(raw)
        if heading is None:
            self._not_an_entry(lineno)
            return
        title = heading["title"]
        self.rows.append(None)  # quoted and indented lines after a heading belong to no entry
        in_sublog = self.result.groups[-1].sublog is not None
        if title[:3].lower() == "eot":
            # the EOT heading is kept as the title of what follows (it is written text)
            resumed = self.resume if in_sublog else None
            self._start_group(LogGroup(title, lineno))
            if resumed is not None:
                self.last_date = resumed[1]  # the outer log resumes where it was
                self.resume = None
            return
        sublog = _SUBLOG.match(title)
        if sublog is not None and not in_sublog:
            self.resume = (self.group, self.last_date)
        elif sublog is None:
            self.resume = None  # a plain heading ends a sub-log; its group is ordered on its own
        self._start_group(LogGroup(title, lineno, sublog["case"] if sublog else None))

    def _entry(self, lineno: int, raw: str) -> None:
        """`- 2014-04-08/09 (A, CM): text`, `- (A): text` or `- undated (A): text`."""
        match = _ENTRY.match(raw)
        if match is None:
            self._not_an_entry(lineno)
            return
        written, end_written, undated, actors, text = match.group(
            "date", "end", "undated", "actors", "text"
        )
        if written is None:  # no date: the previous entry's, or none for `undated`
            entry_date, end, dated = (None if undated else self.last_date), None, False
        else:
            entry_date, end, dated = self._dates(
                lineno, match.start("date") + 1, written, end_written
            )
        # Positional, each argument labelled: by keyword, HistoryEntry (a NamedTuple) costs
        # 0.6 us more per entry, 11% of parse_history (docs/performance.md, "History log as a
        # state machine"). tests/generator/test_history.py pins every field by name.
        self.rows.append(
            HistoryEntry(
                entry_date,  # date
                end,  # end
                dated,  # dated
                _actors(actors),  # actors
                text.strip(),  # text
                lineno,  # line
                match.start("actors") + 1,  # col
                self.group,  # group
            )
        )

    def _not_an_entry(self, lineno: int) -> None:
        self.rows.append(None)  # indented lines after a non-entry do not continue an entry
        self._problem(lineno, 1, "DK302", _NOT_AN_ENTRY)

    # -- what the handlers share

    def _dates(
        self, lineno: int, col: int, written: str, end_written: str | None
    ) -> tuple[date | None, date | None, bool]:
        """A written date or range: its start, its end, and whether it stands (a date that is
        not real is reported, and the entry takes the previous entry's); checks that the range
        runs forward and that the group's order holds."""
        try:
            start = date.fromisoformat(written)
            end = _end_date(start, end_written) if end_written else None
        except ValueError:
            shown = written + (f"/{end_written}" if end_written else "")
            self._problem(lineno, col, "DK304", _bad_date(shown))
            return self.last_date, None, False
        if end is not None and end < start:
            self._problem(lineno, col, "DK304", "the range ends before it starts")
        if self.last_date is not None and start < self.last_date:
            self._problem(
                lineno, col, "DK301",
                f"history log entry is out of order: {start.isoformat()} "
                f"after {self.last_date.isoformat()}",
            )  # fmt: skip
        else:
            self.last_date = start
        return start, end, True

    def _add_quote(self, text: str) -> None:
        last = self.rows[-1] if self.rows else None
        if last is not None:
            quote = f"{last.quote}\n{text}" if last.quote else text
            self.rows[-1] = last._replace(quote=quote)

    def _start_group(self, group: LogGroup) -> None:
        self.result.groups.append(group)
        self.group = self.first_group + len(self.result.groups) - 1
        self.last_date = None  # every group is ordered on its own

    def _problem(self, lineno: int, col: int, code: str, message: str) -> None:
        self.result.problems.append(LogProblem(lineno, col, code, message))


def _actors(written: str) -> tuple[str, ...]:
    """`A, CM`, `board; DRO`, `A + CM`: the actors one by one."""
    text = written.strip()
    if not text:
        return ()
    if "," in text or ";" in text or "+" in text:
        return tuple(a for a in _SPLIT_ACTORS.split(text) if a)
    return (text,)


def _end_date(start: date, end: str) -> date:
    """The end of a range `start/end`, where end is `YYYY-MM-DD`, `MM-DD` or `DD`."""
    parts = end.split("-")
    if len(parts) == 3:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    if len(parts) == 2:
        return date(start.year, int(parts[0]), int(parts[1]))
    return date(start.year, start.month, int(parts[0]))


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
