"""Single header values: placeholders, dates in the styles pages use, status words, names."""

from __future__ import annotations

import re
from datetime import date

from generator.model import STATUSES

PLACEHOLDER = re.compile(
    r"^(?:name (?:arbitrator|arbitor|case manager|claimant|respondent)|20[0-9X]Y-MM-DD|201Y-MM-DD"
    r"|20XX-XX-XX|20YY-YY-YY|####-##-##|TBD|tba|n/?a|-+|\?+|a20[0-9]YMMDD\.n|a201YMMDD\.n)$",
    re.I,
)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\b")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DASHED_DMY = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for m in names
}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\.? ([A-Za-z]+),? (\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$")
_ICON = re.compile(r"\{[-+0gix!*?]\}", re.I)


def is_placeholder(value: str) -> bool:
    return not value.strip() or PLACEHOLDER.match(value.strip()) is not None


class DateReading:
    """A date value: the date, whether it was a guess from a non-ISO style, or not a date."""

    __slots__ = ("guessed", "value")

    def __init__(self, value: date | None, guessed: bool) -> None:
        self.value = value
        self.guessed = guessed


def read_date(text: str) -> DateReading:
    t = text.strip().rstrip(".")
    try:
        iso = _ISO.match(t)
        if iso:
            return DateReading(date(int(iso[1]), int(iso[2]), int(iso[3])), t != iso[0])
        for pattern in (_DOTTED, _DASHED_DMY):
            m = pattern.match(t)
            if m:
                return DateReading(date(int(m[3]), int(m[2]), int(m[1])), True)
        m = _DAY_MONTH_YEAR.match(t)
        if m and m[2].lower() in _MONTHS:
            return DateReading(date(int(m[3]), _MONTHS[m[2].lower()], int(m[1])), True)
        m = _MONTH_DAY_YEAR.match(t)
        if m and m[1].lower() in _MONTHS:
            return DateReading(date(int(m[3]), _MONTHS[m[1].lower()], int(m[2])), True)
    except ValueError:
        pass
    return DateReading(None, False)


# Words the wiki used for a status, beyond the canonical ones, and whether reading them is a guess.
STATUS_WORDS: dict[str, tuple[str, bool]] = {
    "close": ("closed", False),
    "execute": ("execution", False),
    "ruling": ("execution", True),
    "finished": ("closed", True),
    "open": ("init", True),
    "decline": ("declined", False),
}


def read_status(text: str) -> tuple[str | None, str, bool]:
    """(canonical status or None, the word as written without icons, guessed)."""
    written = _ICON.sub("", text).strip().strip("'").strip()
    word = written.lower()
    if word in STATUSES:
        return word, written, False
    if word in STATUS_WORDS:
        canonical, guess = STATUS_WORDS[word]
        return canonical, written, guess
    return None, written, False


def name_key(name: str) -> str:
    """Spellings of one name compare equal: EvaStöwe, Eva Stöwe, eva stöwe."""
    return re.sub(r"[\W_]+", "", name).casefold()


def split_outside_parens(text: str, separators: str = ",;") -> list[str]:
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        if char in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


_TRAILING_PARENS = re.compile(r"^(?P<name>.*?\S)\s*\((?P<note>[^()]*(?:\([^()]*\)[^()]*)*)\)$")
_AS_ROLE = re.compile(r"^(?P<name>.+?)\s+(?P<note>as\s+.+)$")
_JOINED = re.compile(
    r"^joined(?:\s+(?:into|in|to)\s+(?:the\s+)?case)?\s+(?:at|on)\s+(\d{4}-\d{2}-\d{2})$", re.I
)


def name_and_note(text: str) -> tuple[str, str | None, date | None]:
    """`Michael T (as Organization Admin for CAcert)` -> name, note; `(joined ... at DATE)` ->
    the joining date instead of a note."""
    text = text.strip().strip(",.;").strip() if text.strip().endswith((",", ";")) else text.strip()
    note: str | None = None
    joined: date | None = None
    match = _TRAILING_PARENS.match(text)
    if match:
        text, note = match["name"].strip(), match["note"].strip()
    else:
        as_role = _AS_ROLE.match(text)
        if as_role:
            text, note = as_role["name"].strip(), as_role["note"].strip()
    if note:
        joined_match = _JOINED.match(note)
        if joined_match:
            joined = date.fromisoformat(joined_match[1])
            note = None
    return text, note, joined
