"""`--record`: append one line to the case file's Execution section and touch nothing else."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from generator.atomic import write_atomic
from notifier.ledger.journal import State

_H2_RE = re.compile(r"^##\s+(.*?)\s*#*\s*$")
_SUB_RE = re.compile(r"^#{3,}\s")
_ENTRY_RE = re.compile(r"^-\s+(\d{4}-\d{2}-\d{2}|\()")
_FENCE_RE = re.compile(r"^(```|~~~)")


class RecordError(Exception):
    """The case file has no Execution section to record into."""


def record_line(
    day: date, action: str, counts: dict[str, int], bounced: dict[str, int] | None = None
) -> str:
    """The Execution line; `bounced` (by class), once a mailbox was folded, adds the bounces."""
    line = (
        f"- {day.isoformat()} (notifier): {action}: {counts.get(State.SENT, 0)} sent, "
        f"{counts.get(State.DEFERRED, 0)} deferred, {counts.get(State.FAILED, 0)} failed, "
        f"{counts.get(State.INVALID, 0)} invalid"
    )
    if bounced is not None:
        classes = ", ".join(f"{n} {k}" for k, n in bounced.items())
        line += f"; {sum(bounced.values())} of the sent bounced later" + (
            f" ({classes})" if classes else ""
        )
    return line


def append_execution_line(case_file: Path, line: str) -> int:
    """Insert `line` after the last log entry of the Execution section; returns its line number.

    Without entries, the line goes after the section's text, before any subsection. The file is
    replaced atomically; every other byte stays as it was.
    """
    text = case_file.read_bytes().decode("utf-8")  # keep CRLF files CRLF
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    start = end = None
    fenced = False
    in_front = bool(lines) and lines[0].strip() == "---"
    for i, raw in enumerate(lines):
        if in_front:
            if i > 0 and raw.strip() == "---":
                in_front = False
            continue
        if _FENCE_RE.match(raw):
            fenced = not fenced
        if fenced:
            continue
        heading = _H2_RE.match(raw)
        if heading and not raw.startswith("###"):
            if start is not None:
                end = i
                break
            if heading[1].lower().startswith("execution"):
                start = i
    if start is None:
        raise RecordError(f"{case_file}: no '## Execution' section to record the run in")
    if end is None:
        end = len(lines)
    last_entry = None
    stop = end
    for i in range(start + 1, end):
        if _SUB_RE.match(lines[i]):
            stop = i
            break
        if _ENTRY_RE.match(lines[i]):
            last_entry = i
    if last_entry is not None:
        at = last_entry + 1
        while at < stop and lines[at].startswith(("  ", "\t")) and lines[at].strip():
            at += 1  # a continuation line of the last entry
        lines.insert(at, line)
    else:
        at = stop
        while at > start + 1 and not lines[at - 1].strip():
            at -= 1
        insert = [line] if at == start + 1 else ["", line]
        if at == start + 1:
            insert = ["", line]
        if at < len(lines) and lines[at].strip():
            insert.append("")
        lines[at:at] = insert
        at += insert.index(line)
    write_atomic(case_file, newline.join(lines))
    return at + 1


def record_outcome(
    case_file: Path, action: str, counts: dict[str, int], bounced: dict[str, int] | None
) -> tuple[str, int]:
    """`--record`: today's Execution line for a run's outcome, appended; (line, its number).

    `bounced` is None before any mailbox was folded (the line then says nothing of bounces),
    else the bounced recipients by class (empty: none bounced, and the line says so).
    """
    line = record_line(date.today(), action, counts, bounced)
    return line, append_execution_line(case_file, line)
