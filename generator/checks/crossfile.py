"""Checks that need every case: one file per number, and cited cases that exist."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

from generator.acks import Ack, has_ack_comments, parse_acks
from generator.codes import diag
from generator.config import Config
from generator.diagnostics import Diagnostic
from generator.model import CASE_NUMBER_RE, Case, Position, filing_date


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """What the cross-file checks need of a case: small, so worker processes ship it cheaply."""

    number: str
    path: str
    number_pos: Position
    cited: tuple[tuple[str, int, int], ...]
    # False for a file that failed to load: known only by its name, so that citing it is not
    # reported as well (its own errors already are)
    loaded: bool = True
    acks: tuple[Ack, ...] = ()


# generator.references.CASE_REF_RE's matches, found from their "." (rare in text) instead of
# their "a" (common): the look-behind holds the "a", the eight digits and what must not stand
# before them; a match is the number from the "." on. Four times faster, the same matches
# (tests/generator/test_fast_paths.py compares them).
_CASE_REF_TAIL_RE = re.compile(r"\.(?<=(?<![\w/.-])a\d{8}\.)\d+(?![\w-])")


def summarize(case: Case) -> CaseSummary:
    return CaseSummary(
        case.number, case.path, case.pos("case"), tuple(cited_cases(case)), acks=parse_acks(case)
    )


def tree_numbers(cases_dir: Path, checked: set[Path]) -> list[CaseSummary]:
    """Every case a repository defines, known by its file name only (`a20241105.1.md`): what a
    run on some files (the pre-commit hook) needs to know which cited cases exist, without
    reading the 10,000 files. `checked` (resolved paths) are left out: they are read anyway."""
    found: list[CaseSummary] = []
    checked_names = {p.name for p in checked}
    stack = [cases_dir]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if name.endswith(".md"):
                number = name[:-3]
                if not CASE_NUMBER_RE.match(number):
                    continue
                if name in checked_names and Path(entry.path).resolve() in checked:
                    continue  # resolving every path would cost more than the rest of the run
                found.append(CaseSummary(number, entry.path, (1, 1), (), loaded=False))
            elif not CASE_NUMBER_RE.match(name) and entry.is_dir():
                stack.append(Path(entry.path))  # a case's attachment folder holds no cases
    return found


def summarize_unloaded(path: str) -> CaseSummary | None:
    """A file that did not load but is named like a case (`a20241105.1.md`) still defines it."""
    number = PurePath(path).name.removesuffix(".md")
    if not CASE_NUMBER_RE.match(number):
        return None
    return CaseSummary(number, path, (1, 1), (), loaded=False)


def check_duplicates(cases: list[CaseSummary], config: Config) -> Iterator[Diagnostic]:
    by_number: dict[str, list[CaseSummary]] = {}
    for case in cases:
        if not case.loaded:
            continue
        by_number.setdefault(case.number, []).append(case)
    for number, same in by_number.items():
        if len(same) < 2:
            continue
        for case in same:
            others = ", ".join(c.path for c in same if c is not case)
            yield diag(
                case.path,
                *case.number_pos,
                "DK201",
                f"case number {number} is also defined in {others}: give one a new number",
            )


def cited_cases(case: Case) -> Iterator[tuple[str, int, int]]:
    """(number, line, col) of every case number the public text of `case` mentions, except the
    cases merged into it: a case merged away normally has no file of its own."""
    merged = set(case.header.merged_from)
    for i, number in enumerate(case.header.refs.cases):
        if number not in merged:
            yield (number, *case.pos("refs", "cases", i))
    if case.header.merged_into:
        yield (case.header.merged_into, *case.pos("merged_into"))
    blocks = [(case.body_line, case.intro)] + [(s.body_line, s.body) for s in case.public_sections]
    # Without acknowledgement comments a block is its source lines as written (its end
    # stripped of spaces only), so its matches are the source's; else the source is searched.
    stripped = has_ack_comments(case.text)
    for first, body in blocks:
        if stripped:
            if not _CASE_REF_TAIL_RE.search(body):
                continue
            body = "\n".join(case.lines[first - 1 : first + body.count("\n")])
        line, start = first, 0
        for match in _CASE_REF_TAIL_RE.finditer(body):
            at = match.start() - 9  # where the number starts: "a" and eight digits before
            breaks = body.count("\n", start, at)
            if breaks:
                line += breaks
                start = body.rfind("\n", start, at) + 1
            number = body[at : match.end()]
            if number not in merged:
                yield number, line, at - start + 1


def check_references(cases: list[CaseSummary], config: Config) -> Iterator[Diagnostic]:
    """Once per cited number and file (the first place it is cited; `refs` and the body citing
    one case are one finding); none for cases the repository declares may be missing."""
    known = {case.number for case in cases}
    missing_before = config.missing_cases_before
    for case in cases:
        first: dict[str, tuple[int, int]] = {}
        times: dict[str, int] = {}
        for number, line, col in case.cited:
            if number in known:
                continue
            if missing_before is not None:
                filed = filing_date(number)
                if filed is not None and filed < missing_before:
                    continue
            first.setdefault(number, (line, col))
            times[number] = times.get(number, 0) + 1
        for number, (line, col) in first.items():
            count = f" ({times[number]} times)" if times[number] > 1 else ""
            yield diag(
                case.path,
                line,
                col,
                "DK202",
                f"case {number} is cited{count} but no file defines it: check the number or add "
                "the case",
            )
