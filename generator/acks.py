"""Acknowledged findings, like ruff's `# noqa: CODE`: a case keeps a wart as written and says why.

On a line: `<!-- docket: allow DK301 log order as kept on the wiki -->` at the end of the
offending line, or alone on the line directly above it. For the whole case: the front matter's
`allow:` map (code -> reason). An acknowledged finding is not counted, but listed by
`docket check --show-allowed`; an acknowledgement that suppresses nothing is itself a warning
(DK701), one without a reason or naming no known code an error (DK702).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from generator.codes import CODES, diag
from generator.diagnostics import Diagnostic
from generator.model import Case

# Anything that opens like an acknowledgement is read as one, so that a malformed one is reported
# instead of silently suppressing nothing.
ACK_COMMENT_RE = re.compile(r"<!--\s*docket:(?P<inner>.*?)-->")
_ALLOW_RE = re.compile(
    r"^\s*allow\s+(?P<codes>[A-Za-z]{2}\d{3}(?:\s*,\s*[A-Za-z]{2}\d{3})*)(?:\s+(?P<reason>.*?))?\s*$"
)
# Acknowledgements cannot acknowledge acknowledgement findings.
_NOT_ACKNOWLEDGEABLE = ("DK701", "DK702")


@dataclass(frozen=True, slots=True)
class Ack:
    """One acknowledgement: which codes, why, where it is written, and which line it covers
    (None: the whole case, from the front matter)."""

    codes: tuple[str, ...]
    reason: str
    line: int
    col: int
    target: int | None
    problem: str | None = None


# The last text asked about, and whether it holds "docket:": loading a file, splitting its
# sections and summarising it ask one after another (a 14 KB search each time otherwise). A
# tuple, swapped whole: safe if threads share it.
_last: tuple[str, bool] = ("", False)


def has_ack_comments(text: str) -> bool:
    """Whether `text` may hold an acknowledgement comment (it holds "docket:")."""
    global _last
    last = _last
    if last[0] is text:
        return last[1]
    found = "docket:" in text
    _last = (text, found)
    return found


def strip_ack_comments(text: str) -> str:
    """The text without acknowledgement comments (they are never published)."""
    return ACK_COMMENT_RE.sub("", text) if "docket:" in text else text


def parse_acks(case: Case) -> tuple[Ack, ...]:
    acks: list[Ack] = []
    for code, reason in case.header.allow.items():
        line, col = case.pos("allow", code, "__key__")
        problem = _problem((code,), reason or "")
        acks.append(Ack((code,), (reason or "").strip(), line, col, None, problem))
    if has_ack_comments(case.text):
        acks.extend(_line_acks(case.lines))
    return tuple(acks)


def _line_acks(lines: list[str]) -> Iterator[Ack]:
    for number, text in enumerate(lines, start=1):
        if "docket:" not in text:
            continue
        for match in ACK_COMMENT_RE.finditer(text):
            alone = not (text[: match.start()] + text[match.end() :]).strip()
            target = number + 1 if alone else number
            allow = _ALLOW_RE.match(match["inner"])
            col = match.start() + 1
            if allow is None:
                problem = (
                    "acknowledgement not understood: write "
                    "'<!-- docket: allow DK301 reason why the finding is kept -->'"
                )
                yield Ack((), "", number, col, target, problem)
                continue
            codes = tuple(c.strip().upper() for c in allow["codes"].split(","))
            reason = (allow["reason"] or "").strip()
            yield Ack(codes, reason, number, col, target, _problem(codes, reason))


def _problem(codes: tuple[str, ...], reason: str) -> str | None:
    unknown = [c for c in codes if c not in CODES or c in _NOT_ACKNOWLEDGEABLE]
    if unknown:
        return (
            f"acknowledgement names {', '.join(unknown)}, which is no code it can allow: "
            "see docs/checks.md for the codes"
        )
    if not reason.strip():
        return (
            f"acknowledgement of {', '.join(codes)} has no reason: say why the finding is kept "
            "(for example 'log order as kept on the wiki')"
        )
    return None


def apply_acks(
    diagnostics: Iterable[Diagnostic], acks_by_path: dict[str, tuple[Ack, ...]]
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Split findings into (reported, acknowledged); add DK701/DK702 for the acknowledgements
    themselves. An acknowledged finding carries its reason in `allowed`."""
    reported: list[Diagnostic] = []
    allowed: list[Diagnostic] = []
    used: set[tuple[str, int, int, str]] = set()
    for d in diagnostics:
        acks = acks_by_path.get(d.path)
        ack = _matching(d, acks) if acks and d.code not in _NOT_ACKNOWLEDGEABLE else None
        if ack is None:
            reported.append(d)
            continue
        used.add((d.path, ack.line, ack.col, d.code))
        allowed.append(replace(d, allowed=ack.reason))
    for path, acks in acks_by_path.items():
        for ack in acks:
            if ack.problem is not None:
                reported.append(diag(path, ack.line, ack.col, "DK702", ack.problem))
                continue
            for code in ack.codes:
                if (path, ack.line, ack.col, code) in used:
                    continue
                where = f"line {ack.target}" if ack.target is not None else "this case"
                reported.append(
                    diag(
                        path, ack.line, ack.col, "DK701",
                        f"'allow {code}' suppresses nothing: {where} has no {code} finding; "
                        "remove the acknowledgement",
                    )
                )  # fmt: skip
    return reported, allowed


def _matching(d: Diagnostic, acks: tuple[Ack, ...]) -> Ack | None:
    whole_case: Ack | None = None
    for ack in acks:
        if ack.problem is not None or d.code not in ack.codes:
            continue
        if ack.target == d.line:
            return ack
        if ack.target is None and whole_case is None:
            whole_case = ack
    return whole_case
