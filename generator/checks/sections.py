"""The body's shape: a History Log, no section twice, no template placeholders left in."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.checks.text import lowered
from generator.codes import diag
from generator.config import Config
from generator.diagnostics import Diagnostic
from generator.model import Case, SectionKind

PLACEHOLDER_RE = re.compile(
    r"\bname (?:arbitrator|arbitor|case manager|claimant|respondent)\b"
    r"|\b20[0-9]Y-MM-DD\b|\b201Y-MM-DD\b|####-##-##|\ba201YMMDD\.n\b|\bTBD\b",
    re.IGNORECASE,
)
# Cheap substring tests that every placeholder contains: most files need no regex at all.
_HINTS = (
    "name arbit",
    "name case manager",
    "name claimant",
    "name respondent",
    "y-mm-dd",
    "####-##-##",
    "a201ymmdd",
    "tbd",
)
# The hints that start "name ": found from one search for that, not one search each.
_NAME = "name "
_NAME_HINTS = tuple(h for h in _HINTS if h.startswith(_NAME))
_OTHER_HINTS = tuple(h for h in _HINTS if not h.startswith(_NAME))


def check_sections(case: Case, config: Config) -> Iterator[Diagnostic]:
    if case.section(SectionKind.HISTORY) is None:
        yield diag(
            case.path,
            case.body_line,
            1,
            "DK305",
            "no '## History Log' section: add it (every case keeps a log, even an empty one)",
        )
    seen: dict[str, int] = {}
    for section in case.sections:
        key = section.title.lower()
        if key in seen:
            yield diag(
                case.path,
                section.line,
                4,
                "DK402",
                f"section '{section.title}' appears twice (first at line {seen[key]}): merge "
                "them or number them",
            )
        else:
            seen[key] = section.line


def _hinted_lines(low: str) -> list[int]:
    """0-based numbers of the lines holding a hint: ordinary words hold some ("surname
    claimant"), and the regex then runs on those lines only, not on every line of the file."""
    starts: list[int] = []
    at = low.find(_NAME)
    while at >= 0:
        if low.startswith(_NAME_HINTS, at):
            starts.append(at)
        at = low.find(_NAME, at + len(_NAME))
    for hint in _OTHER_HINTS:
        at = low.find(hint)
        while at >= 0:
            starts.append(at)
            at = low.find(hint, at + len(hint))
    return sorted({low.count("\n", 0, at) for at in starts})


def check_placeholders(case: Case, config: Config) -> Iterator[Diagnostic]:
    for index in _hinted_lines(lowered(case)):
        number, line = index + 1, case.line(index + 1)
        for match in PLACEHOLDER_RE.finditer(line):
            yield diag(
                case.path,
                number,
                match.start() + 1,
                "DK401",
                f"template placeholder '{match[0]}' left in: fill in the real value or remove "
                "the line",
            )
