"""Hard-wrapped lines of printed and rendered pages joined again.

A rendered page copied from a browser keeps one paragraph a line, but some exports wrap long
paragraphs at a fixed width. A line continues the one above when that one stops where no
sentence stops (no closing punctuation, or a word such as "the" or "and") and the line itself
starts like the middle of a sentence (a lowercase word), or when the line above ends in a word no
sentence ends with. Lists, tables, log entries and headings are never joined.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

_STOPS = re.compile(r"[.!?:;)\]\"'|=]$")
_STARTS_BLOCK = re.compile(
    r"^(?:[-*.>|#]|\d+[.)]\s|\d{4}-\d\d-\d\d|\(|\{\{\{|```|(?:eot\s+)?log from case\b)", re.I
)
_MID_SENTENCE = re.compile(r"^[a-zäöüß0-9]")  # a lowercase word or a number ("2.5 and ...")
_NEVER_LAST = frozenset(
    {"the", "a", "an", "of", "to", "and", "or", "with", "for", "in", "on", "by", "from", "that"}
    | {"which", "as", "at", "his", "her", "their", "our", "my", "your", "is", "are", "was"}
    | {"were", "be", "been", "has", "have", "had", "not", "no"}
)


def continues(previous: str, line: str) -> bool:
    """`line` is the hard-wrapped rest of `previous`."""
    before, text = previous.rstrip(), line.strip()
    if not before or not text or _STARTS_BLOCK.match(text) or _STOPS.search(before):
        return False
    if before.lstrip()[:1] in ("|", "#") or before.lstrip().startswith("```"):
        return False
    last = before.split()[-1].lower()
    return bool(_MID_SENTENCE.match(text)) or last in _NEVER_LAST


def unwrap(items: Sequence[T], text: Callable[[T], str], join: Callable[[T, T], T]) -> list[T]:
    """`items` (lines, or objects holding a line) with each wrapped line joined to the one above."""
    out: list[T] = []
    for item in items:
        if out and continues(text(out[-1]), text(item)):
            out[-1] = join(out[-1], item)
        else:
            out.append(item)
    return out


def unwrap_texts(lines: Sequence[str]) -> list[str]:
    return unwrap(lines, lambda s: s, lambda a, b: a.rstrip() + " " + b.strip())
