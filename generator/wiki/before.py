"""Parse the `Before:` line into parties and officers, and the case number it ends with.

`Before: Arbitrator EvaStöwe (A), Respondent: CAcert (R), Claimant: Michael T (C) Ron C (C2),
Case: a20140408.1`, and its variants: colons or not, periods or no commas between segments,
plural labels, codes with history (`(C, later C1)`), names that hold parentheses themselves,
`None`/`-` respondents, template placeholders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.wiki.markup import plain
from generator.wiki.values import is_placeholder, name_and_note, split_outside_parens

_CODE = r"(?:RC|iCM|CM|SA|A|R|C)\d{0,2}"
_CODE_GROUP = re.compile(
    rf"\(\s*(?P<code>{_CODE})(?:\s*,?\s*(?P<how>later|former|formerly|previously|now)\s+(?P<other>{_CODE}))?\s*\)"
)
_LABEL = re.compile(
    r"(?<![\w-])(?<!name )(?P<label>Appeal\s+Before\s+Arbitrators|Arbitrators?"
    r"|Respondents?(?:\s+to\s+(?:the\s+)?counter-?\s?claim)?"
    r"|Claimants?|Case)(?:\s*(?P<number>\d+))?\s*(?::|(?=\s)|$)",
    re.I,
)
_CASE = re.compile(r"\bCase\s*:?\s*(?P<number>a[0-9A-Za-z#]{8}\.[0-9A-Za-z#]+)")
_NAME_ARBITRATOR = re.compile(r"(?<!\bname)\s+arbitrator\s*(?=\(A\d?\))", re.I)
_NONE = ("none", "-", "--", "nobody", "n/a")


@dataclass(slots=True)
class BeforeName:
    name: str
    side: str  # claimant | respondent | counter-respondent | officer
    code: str | None
    formerly: list[str] = field(default_factory=list)
    note: str | None = None
    placeholder: bool = False
    none: bool = False


@dataclass(slots=True)
class BeforeLine:
    names: list[BeforeName] = field(default_factory=list)
    case: str | None = None
    empty: bool = False


def _side(label: str | None, code: str | None) -> str:
    if code:
        if code.startswith("RC"):
            return "counter-respondent"
        if code[0] in "AS" or code.endswith("CM"):
            return "officer"
        return "claimant" if code[0] == "C" else "respondent"
    if label is None:
        return "unknown"
    t = label.lower()
    if "counter" in t:
        return "counter-respondent"
    if t.startswith("arbitrator") or t.startswith("appeal"):
        return "officer"
    return "claimant" if t.startswith("claimant") else "respondent"


def _clean(chunk: str) -> str:
    return chunk.strip().lstrip(",.;:& ").removeprefix("and ").strip().rstrip(",;:& ").strip()


def parse_before(text: str) -> BeforeLine:
    """`text` is the whole line, `Before:` included."""
    body = plain(
        re.sub(r"^(?:'''\s*)?(?:Review\s+)?Before\s*:\s*(?:''')?", "", text.strip(), flags=re.I)
    )
    result = BeforeLine()
    case = _CASE.search(body)
    if case:
        number = case["number"]
        result.case = number if re.fullmatch(r"a\d{8}\.\d+", number) else None
        body = body[: case.start()] + body[case.end() :]
    body = _NAME_ARBITRATOR.sub(" ", body)
    if not body.strip(" ,.;"):
        result.empty = True
        return result
    segments: list[tuple[str | None, str]] = []
    last_label: str | None = None
    position = 0
    for match in _LABEL.finditer(body):
        if match["label"].lower() == "case":
            continue
        segments.append((last_label, body[position : match.start()]))
        last_label = match["label"]
        position = match.end()
    segments.append((last_label, body[position:]))
    for label, chunk in segments:
        _segment(label, chunk, result)
    return result


def _segment(label: str | None, chunk: str, result: BeforeLine) -> None:
    position = 0
    found = False
    for match in _CODE_GROUP.finditer(chunk):
        name = _clean(chunk[position : match.start()])
        position = match.end()
        found = True
        code = match["code"]
        formerly: list[str] = []
        if match["how"]:
            if match["how"].lower() in ("later", "now"):
                formerly, code = [code], match["other"]
            else:
                formerly = [match["other"]]
        _add(result, name, label, code, formerly)
    rest = _clean(chunk[position:])
    if rest and (not found or label is not None):
        names = split_outside_parens(rest) if not found else [rest]
        for name in names:
            _add(result, name, label, None, [])


def _add(
    result: BeforeLine, text: str, label: str | None, code: str | None, formerly: list[str]
) -> None:
    if not text and code is None:
        return
    side = _side(label, code)
    if side == "unknown":
        return
    name, note, _ = name_and_note(text) if text else ("", None, None)
    entry = BeforeName(name, side, code, formerly, note)
    if name.lower() in _NONE:
        entry.none = True
    elif not name or is_placeholder(name) or name.lower().startswith("name "):
        entry.placeholder = True
    result.names.append(entry)
