"""Map `Field: value` header items onto the case's facts, with the spellings the wiki used.

Placeholders (`name arbitrator`, `201Y-MM-DD`, `TBD`) count as empty; an empty date is absent
while the status says it cannot exist yet, and `unknown` otherwise (never a made-up value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.model import OPEN_STATUSES, UNKNOWN
from generator.wiki.facts import DateValue, Extracted, OfficerFact, PartyFact, Where
from generator.wiki.layout import HeaderItem
from generator.wiki.markup import plain
from generator.wiki.values import (
    is_placeholder,
    name_and_note,
    read_date,
    read_status,
    split_outside_parens,
)


@dataclass(frozen=True, slots=True)
class _Field:
    kind: str  # case, status, party, officer, date, text
    key: str  # which one: claimant/respondent, iCM/CM/A/SA, started/ruled/closed, ...
    former: bool = False
    number: str = ""


def classify_label(label: str) -> _Field | None:
    t = re.sub(r"\s+", " ", label.strip().lower())
    former = t.startswith("former ")
    t_core = t.removeprefix("former ")
    if t == "case number":
        return _Field("case", "case")
    if t == "status":
        return _Field("status", "status")
    party = re.match(r"^(claimant|respondent)s? ?(\d*)$", t)
    if party:
        return _Field("party", party[1], number=party[2])
    if re.match(r"^(?:(?:new|first) )?(?:initial|inital) case manager$", t):
        return _Field("officer", "iCM", former=t.startswith("first "))
    if t_core == "case manager":
        return _Field("officer", "CM", former=former)
    if t_core == "arbitrator":
        return _Field("officer", "A", former=former)
    if t == "supervising arbitrator":
        return _Field("officer", "SA")
    dates = {
        "date of arbitration start": "started",
        "date of ruling": "ruled",
        "case closed": "closed",
    }
    if t in dates:
        return _Field("date", dates[t])
    if t in ("complaint", "relief"):
        return _Field("text", t)
    return None


def _value(item: HeaderItem) -> str:
    parts = [item.value, *(line.text for line in item.more)]
    return "\n".join(p for p in parts if p.strip())


def _block_text(value: str) -> str:
    """A complaint or relief: `{{{ mail }}}` loses its braces, bullets stay bullets."""
    text = value.strip()
    if text.startswith("{{{"):
        text = text[3:]
        text = text[: text.rfind("}}}")] if "}}}" in text else text
        lines = [line.strip() for line in text.strip().split("\n")]
        return "\n".join(line for line in lines if line)
    if "{{{" in text or "}}}" in text:  # a quoted mail inside the value: its text, no braces
        text = re.sub(r"[ \t]*(?:\{\{\{|\}\}\})[ \t]*", " ", text).strip()
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if lines and re.match(r"^[*.-] ", lines[0]) and len(lines) == 1 and " * " in lines[0]:
        lines = ["* " + p.strip() for p in lines[0].lstrip("*").split(" * ") if p.strip()]
    if not any(re.match(r"^[*.-] ", line) for line in lines):
        return plain(" ".join(lines))  # a value that runs onto the following lines
    bullets = [re.sub(r"^[*.] ", "- ", line) for line in lines]
    return "\n".join(plain(line) for line in bullets)


def map_header(items: list[HeaderItem], facts: Extracted) -> list[tuple[HeaderItem, str]]:
    """Fill `facts` from the header items; returns the items it could not map (with why)."""
    unmapped: list[tuple[HeaderItem, str]] = []
    raw_dates: dict[str, tuple[str, Where]] = {}
    seen: dict[tuple[str, str], Where] = {}
    for item in items:
        spec = classify_label(item.label)
        value = _value(item)
        if spec is None:
            unmapped.append((item, "header field not in the case-file format"))
            continue
        facts.has_header = True
        key = (spec.kind, spec.key + spec.number + str(spec.former))
        if key in seen and spec.kind in ("case", "status", "date", "text"):
            unmapped.append(
                (item, f"second '{item.label}' field (the first, line {seen[key].line}, is kept)")
            )
            continue
        seen[key] = item.where
        if spec.kind == "case":
            continue  # the importer settles the number from every source at once
        if spec.kind == "status":
            _status(plain(value), item.where, facts)
        elif spec.kind == "party":
            _parties(value, spec, item.where, facts)
        elif spec.kind == "officer":
            _officer(value, spec, item, facts)
        elif spec.kind == "date":
            raw_dates[spec.key] = (plain(value), item.where)
        else:
            _text(value, spec.key, item, facts)
    for name in ("started", "ruled", "closed"):
        if name in raw_dates:
            setattr(facts, name, _date(name, *raw_dates[name], facts))
    _settle_dates(facts, raw_dates)
    return unmapped


def _status(value: str, where: Where, facts: Extracted) -> None:
    canonical, written, guessed = read_status(value)
    if is_placeholder(written):
        facts.report(where, "status is empty on the page: imported as unknown")
        return
    if canonical is None:
        facts.report(
            where, f"status '{written}' is none of the case-file words: imported as unknown"
        )
        facts.notes.append(f"The wiki page gives the status as '{written}'.")
        return
    facts.status = canonical
    facts.status_written = written
    if guessed:
        facts.report(where, f"status '{written}' read as '{canonical}' (a guess: check the page)")
    elif written.lower() != canonical:
        facts.report(where, f"status '{written}' read as '{canonical}'")


def _parties(value: str, spec: _Field, where: Where, facts: Extracted) -> None:
    side = spec.key
    text = plain(value.replace("\n", " "))
    if is_placeholder(text):
        facts.report(where, f"{side} is a placeholder or empty ('{text}'): no {side} imported")
        return
    names = split_outside_parens(text)
    prefix = "C" if side == "claimant" else "R"
    for n, raw_name in enumerate(names):
        name, note, joined = name_and_note(raw_name)
        if name.lower() in ("none", "-", "nobody", "n/a") or is_placeholder(name):
            facts.report(where, f"{side} '{name}': no {side} imported")
            continue
        role = f"{prefix}{spec.number}" if spec.number and len(names) == 1 else None
        if spec.number and len(names) > 1:
            role = f"{prefix}{int(spec.number) + n}" if spec.number.isdigit() else None
        facts.parties.append(PartyFact(name, side, role, note=note, joined=joined, where=where))


_OFFICER_NOTE = re.compile(r"^(?P<name>.*?\S)\s+-\s+(?P<note>.+)$")


def _officer(value: str, spec: _Field, item: HeaderItem, facts: Extracted) -> None:
    text = plain(value.split("\n")[0])
    note: str | None = None
    match = _OFFICER_NOTE.match(text)
    if match:
        text, note = match["name"], match["note"]
    extra = [plain(line.text).lstrip("- ").strip() for line in item.more if line.text.strip()]
    if extra:
        note = "; ".join([n for n in (note, *extra) if n])
    if is_placeholder(text):
        facts.report(
            item.where, f"{item.label.strip()} is a placeholder or empty ('{text}'): none imported"
        )
        return
    later = _LATER.match(text)
    if later is not None:
        first, _ = split_name(later["first"])
        second, rest = split_name(later["rest"])
        if first and second:
            more = "; ".join(n for n in (rest, note) if n) or None
            facts.officers.append(OfficerFact(spec.key, first, True, None, item.where))
            facts.officers.append(OfficerFact(spec.key, second, spec.former, more, item.where))
            facts.report(
                item.where,
                f"'{item.label.strip()}: {text}' read as {spec.key} {first} (until a date the page "
                f"does not give), then {spec.key} {second}"
                + (f" with the note '{more}'" if more else ""),
            )
            return
    several = split_outside_parens(text, ",;&") if "," in text or ";" in text else []
    if len(several) > 1 and all(split_name(part)[0] and _name_only(part) for part in several):
        # `Arbitrator: AnnaBerg, OttoWeg`: several officers of the role, each with its own note
        for part in several:
            name, rest = split_name(part)
            facts.officers.append(
                OfficerFact(spec.key, name, spec.former, rest or note, item.where)
            )
        facts.report(
            item.where,
            f"'{item.label.strip()}: {text}' read as {len(several)} officers {spec.key} "
            "(the page names several)",
        )
        return
    name, rest = split_name(text)
    if rest and name:
        note = "; ".join(n for n in (rest, note) if n)
        facts.report(
            item.where,
            f"'{item.label.strip()}: {text}' read as {spec.key} {name} with the note '{rest}' "
            "(a name is not made of a sentence)",
        )
        text = name
    facts.officers.append(OfficerFact(spec.key, text.strip(), spec.former, note, item.where))


_LATER = re.compile(
    r"^(?P<first>.+?)\s*[,;]?\s+(?:later|then|now|afterwards)\s*:?\s+(?P<rest>\S.*)$"
)
_NAME_WORD = re.compile(r"^(?:[^\W\d_][\w.'-]*[^\W_]\.?|[^\W\d_]\.?)$")
_PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "zu", "ter"}
)


def _name_only(part: str) -> bool:
    """A name, perhaps with a note in parentheses after it: `EvaStöwe (since 2016-11-20)`."""
    rest = split_name(part)[1]
    return not rest or (part.strip().endswith(")") and "(" + rest + ")" in part)


def split_name(text: str) -> tuple[str, str]:
    """A name and the text after it: `EvaStöwe disclosed the dispute` -> (`EvaStöwe`,
    `disclosed the dispute`). A name is up to four words, each capitalised (or a particle such as
    `van`); a short value (three words at most, no comma) is a name as it stands."""
    text = text.strip().strip(",;").strip()
    words = text.split()
    if len(words) <= 3 and "," not in text and all(_NAME_WORD.match(w) for w in words):
        return text, ""
    taken: list[str] = []
    for word in words[:4]:
        bare = word.rstrip(",;:")
        if not _NAME_WORD.match(bare) or not (bare[:1].isupper() or bare in _PARTICLES):
            break
        taken.append(bare)
        if bare != word:  # a comma ends the name
            break
    while taken and taken[-1] in _PARTICLES:
        taken.pop()
    if not taken:
        return "", text
    rest = text[text.index(taken[-1]) + len(taken[-1]) :].strip(" ,;:-")
    if re.fullmatch(r"\([^()]*\)", rest):  # `Sebastian K (SA)`: the parentheses hold a note
        rest = rest[1:-1].strip()
    return " ".join(taken), rest


def _text(value: str, key: str, item: HeaderItem, facts: Extracted) -> None:
    text = _block_text(value)
    if is_placeholder(text):
        if key == "complaint":
            facts.report(item.where, "complaint is empty on the page: imported as unknown")
        return
    if key == "complaint":
        facts.complaint = text
    else:
        facts.relief = text


def _date(key: str, value: str, where: Where, facts: Extracted) -> DateValue:
    if is_placeholder(value):
        return None  # settled below from the status
    reading = read_date(value)
    if reading.value is None:
        facts.report(where, f"'{value}' is not a date: '{key}' imported as unknown")
        return UNKNOWN
    if reading.guessed:
        facts.report(where, f"'{value}' read as {reading.value.isoformat()}")
    return reading.value


def _settle_dates(facts: Extracted, raw: dict[str, tuple[str, Where]]) -> None:
    """An empty or placeholder date is absent when the status says it cannot exist yet."""
    status = facts.status
    not_yet = {
        "started": status == "init",
        "ruled": status in ("init", "running", "declined"),
        "closed": status in OPEN_STATUSES,
    }
    for key in ("started", "ruled", "closed"):
        if getattr(facts, key) is None or (key not in raw and facts.has_header):
            setattr(facts, key, None if not_yet[key] else UNKNOWN)
            if key in raw and not not_yet[key]:
                facts.report(raw[key][1], f"'{key}' is empty on the page: imported as unknown")


def assign_roles(parties: list[PartyFact]) -> None:
    """A lone claimant is C and a lone respondent R (the wiki's own convention); several without
    codes on the page keep only their side."""
    for side, code in (("claimant", "C"), ("respondent", "R")):
        group = [p for p in parties if p.side == side]
        if len(group) == 1 and group[0].role is None:
            group[0].role = code
