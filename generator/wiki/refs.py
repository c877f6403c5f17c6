"""Records a page cites, normalised: support tickets (`[s20140408.5]`), motions, policy
decisions and clauses, bugs (`bug 1131`, `bug #855`, `Bug reported as #894`, `bug-1265`), cases.

Only public text is scanned: the private part never reaches this step.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.references import CASE_REF_RE, ISSUE_REF_RE, MOTION_REF_RE
from generator.wiki.facts import Refs

# (not "bug 2014-07-29": a number that starts a date is no bug number)
_BUG = re.compile(
    r"\bbug(?:[ -]?#?|[ \t]+reported[ \t]+as[ \t]+#|[ \t]+no\.?[ \t]*)(\d{1,6})\b(?![-/.]\d)",
    re.I,
)
_POLICY_DECISION = re.compile(r"(?<![\w/.-])p\d{8}(?:\.\d+)?(?![\w-])")
# A clause is its name and number on one line ("CCA 2.5.2"), never a name at a line's end and
# the date that starts the next ("...the CCA\n\n2014-07-29").
_CLAUSE = re.compile(r"\b(?:CCA|DRP|AP|SP|PoP|DPP|OAP|TTP|CPS|CP)[ \t]+\d+(?:\.\d+)*\b(?![-/]\d)")


def _add(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)


def find_refs(texts: Iterable[str], own: str, merged: Iterable[str] = ()) -> Refs:
    refs = Refs()
    skip = {own, *merged}
    text = "\n".join(texts)  # one pass of each pattern over all the text
    for match in ISSUE_REF_RE.finditer(text):
        _add(refs.issues, match[0])
    for match in MOTION_REF_RE.finditer(text):
        _add(refs.motions, match[0])
    for match in CASE_REF_RE.finditer(text):
        if match[0] not in skip:
            _add(refs.cases, match[0])
    for match in _POLICY_DECISION.finditer(text):
        _add(refs.policies, match[0])
    for match in _CLAUSE.finditer(text):
        _add(refs.policies, match[0])
    for match in _BUG.finditer(text):
        number = int(match[1])
        if number not in refs.bugs:
            refs.bugs.append(number)
    return refs
