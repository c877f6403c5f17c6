"""Readers for MTA families whose reports have no delivery-status part, one small module each.

A reader is what recognises a family's report (`marks`: wording, a header or a sender only that
family writes) and the family's own words for a reason (`reasons`, tried before the shared table
in notifier/bounces/reasons.py). Finding the failed addresses and the reply near each is the
shared scanner's job (notifier/bounces/text_bounces.py). The marks and wording were learnt from
Sisimai's lhost modules (BSD-2-Clause) and from what the vendors document; written here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from notifier.bounces.reasons import Reason


@dataclass(frozen=True)
class Reader:
    """One MTA family: its format name, cues (lower-case words one of which any report of the
    family contains: a fast test before the marks), what marks its reports, its own reasons."""

    name: str
    cues: tuple[str, ...]
    marks: re.Pattern[str]
    reasons: tuple[Reason, ...] = ()

    def reads(self, head: str, lowered: str) -> bool:
        """Whether the report's head (and its lower-case copy) shows this family's marks."""
        return any(cue in lowered for cue in self.cues) and self.marks.search(head) is not None


def marks(*patterns: str) -> re.Pattern[str]:
    """One pattern for a family's marks, searched in the report's head (multi-line, any case)."""
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I | re.M)
