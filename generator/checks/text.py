"""A case's text in lower case, made once for all the checks that search it case-blind (the
placeholder and script prefilters): lowering a 14 KB file costs as much as a check."""

from __future__ import annotations

from generator.model import Case

# The last text lowered, and its lower case: checks run one case after another, so one entry
# is all the reuse there is (a tuple, swapped whole: safe if threads share it).
_last: tuple[str, str] = ("", "")


def lowered(case: Case) -> str:
    global _last
    text = case.text
    last = _last
    if last[0] is text:
        return last[1]
    low = text.lower()
    _last = (text, low)
    return low
