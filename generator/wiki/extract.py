"""One page's text to its facts: shape, layout, header, `Before:` line, sections, log, refs.

Findings point into the source page. A page that cannot be a case page raises PageError.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import PurePath

from generator.model import UNKNOWN, SectionKind, Unknown, filing_date
from generator.references import EMAIL_RE
from generator.sections import classify, is_final_ruling_kind
from generator.wiki.before import BeforeLine, BeforeName, parse_before
from generator.wiki.facts import Extracted, OfficerFact, PartyFact, RulingFact, Where
from generator.wiki.header import assign_roles, map_header
from generator.wiki.layout import KNOWN_HEADING, Layout, lay_out
from generator.wiki.markup import Dropped, convert, plain
from generator.wiki.refs import find_refs
from generator.wiki.sections import map_sections
from generator.wiki.shapes import PageError, Shape, SrcLine, decode, detect, split_lines
from generator.wiki.values import name_key

_NUMBER = re.compile(r"a\d{8}\.\d+")
_CASE_KINDS = re.compile(r"history log|private part|dispute|discovery|ruling", re.I)
EmailAllowed = Callable[[str], bool]


def extract(path: str, data: bytes, email_allowed: EmailAllowed) -> Extracted:
    text = decode(data)
    if not text.strip():
        raise PageError(Where(1), "the file is empty: nothing to import (export the page again)")
    shape = detect(text)
    lines = split_lines(text, shape)
    layout = lay_out(lines, shape)
    number, number_where, source, disagree = _number(path, layout)
    facts = Extracted(path=path, shape=shape.value, number=number, number_where=number_where)
    if source != "the header":
        facts.report(number_where, f"case number {number} taken from {source}")
    for other, other_where, other_source in disagree:
        facts.report(
            other_where,
            f"{other_source} names case {other}, {source} {number}: imported as {number}",
        )
    facts.sources.append(path)
    for item, why in map_header(layout.header, facts):
        facts.report(
            item.where,
            f"'{item.label.strip()}: {plain(item.value)[:60]}': {why}; kept in the Import Notes",
        )
        facts.notes.append(
            f"Header field on the wiki page: {item.label.strip()}: {plain(item.value)}"
        )
    if layout.before is not None:
        _apply_before(parse_before(layout.before.text), layout.before.where, facts)
    layout.preamble = _former_parties(layout.preamble, facts)
    assign_roles(facts.parties)
    _check_roles(facts)
    dropped = Dropped()
    raw = shape is Shape.RAW
    facts.intro = convert([line.text for line in layout.preamble], raw, dropped)
    map_sections(layout.blocks, raw, facts, dropped)
    _rulings(facts)
    if dropped.macros:
        facts.report(
            Where(1),
            f"{dropped.macros} wiki macro(s) the export had already emptied ('<>') left out",
        )
        facts.notes.append(
            f"{dropped.macros} wiki macro(s) that the export had reduced to '<>' were left out."
        )
    if dropped.comments:
        facts.notes.append(f"{dropped.comments} wiki comment line(s) ('## ...') were left out.")
    if layout.footer is not None:
        facts.notes.append("The wiki page's footer: " + layout.footer.text.strip())
    if layout.toc:
        facts.report(
            layout.toc[0].where,
            f"the page's table of contents ({len(layout.toc) - 1} line(s)) left out: the "
            "headings it lists are imported where they stand",
        )
    if not facts.has_header and layout.before is None:
        facts.report(
            Where(1),
            "the page has neither a header nor a 'Before:' line: parties, officers, status and "
            "dates imported as unknown",
        )
        if shape is not Shape.RAW:  # raw source is the page itself: then the wiki lacks them
            _head_missing(facts, layout)
    _truncation(text, lines, facts)
    _scrub(facts, email_allowed)
    facts.refs = find_refs(_public_texts(facts), facts.number, facts.merged_from)
    return facts


def _number(path: str, layout: Layout) -> tuple[str, Where, str, list[tuple[str, Where, str]]]:
    """The case number: header, else `Before:` line, else footer, else the file name."""
    found: list[tuple[str, Where, str]] = []
    for item in layout.header:
        if re.sub(r"\s+", " ", item.label.strip().lower()) == "case number":
            value = plain(item.value)
            match = _NUMBER.search(value)
            if match and filing_date(match[0]):
                found.append((match[0], item.where, "the header"))
    if layout.before is not None:
        before = parse_before(layout.before.text)
        if before.case and filing_date(before.case):
            found.append((before.case, layout.before.where, "the Before: line"))
    if layout.footer is not None:
        match = _NUMBER.search(layout.footer.text)
        if match and filing_date(match[0]):
            found.append((match[0], layout.footer.where, "the page footer"))
    for line in [*layout.preamble[:3], *(b.lines[0] for b in layout.blocks[:1] if b.lines)]:
        match = _PAGE_URL.search(line.text)
        if match and filing_date(match[1]):
            found.append((match[1], line.where, "the page's URL"))
            break
    name = PurePath(path).name
    private_page = _PRIVATE_PAGE.search(name) or any(
        _PRIVATE_URL.search(line.text) for line in layout.preamble[:3]
    )
    if private_page and not layout.header and layout.before is None:
        raise PageError(
            Where(1),
            "this is the export of a private part page (Arbitrations/priv/...): its text is "
            "private and is never imported; import the case's public page",
        )
    match = _NUMBER.search(name)
    if match and filing_date(match[0]):
        found.append((match[0], Where(1), "the file name"))
    case_like = (
        bool(layout.header)
        or layout.before is not None
        or any(
            _CASE_KINDS.search(b.title) and KNOWN_HEADING.match(b.title.strip().rstrip(":"))
            for b in layout.blocks
        )
    )
    named = [f for f in found if f[2] in ("the file name", "the page's URL", "the page footer")]
    if not found or (not case_like and not named):
        what = (
            "no case number" if not found else "no header, no 'Before:' line and no case sections"
        )
        raise PageError(
            Where(1),
            f"not a case page ({what}): a case page has a 'Case Number:' header, a 'Before: ... "
            "Case: aYYYYMMDD.N' line or the case's sections; nothing imported",
        )
    number, where, source = found[0]
    disagree = [(o, w, src) for o, w, src in found[1:] if o != number]
    return number, where, source, disagree


# The address of a case page (a saved rendered page often keeps it on its first lines); not the
# private page (`Arbitrations/priv/aX`).
_PRIVATE_PAGE = re.compile(r"(?:^|[^a-z])priv[/_.\-]*a\d{8}\.\d+", re.I)
_PRIVATE_URL = re.compile(r"https?://\S*?/Arbitrations/priv/a\d{8}\.\d+", re.I)
_PAGE_URL = re.compile(r"https?://\S*?/Arbitrations/(a\d{8}\.\d+)\b")


_SIGN_OFF_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def _rulings(facts: Extracted) -> None:
    """Several ruling sections: each with its sign-off date (the last date in its text); the
    last one that is no intermediate, interim or preliminary ruling is the final one, dated as
    the header's "Date of ruling" says when it says."""
    rulings = [s for s in facts.sections if classify(s.title)[0] is SectionKind.RULING]
    if len(rulings) < 2:
        return
    final_index = max(
        (i for i, s in enumerate(rulings) if is_final_ruling_kind(classify(s.title)[1])),
        default=None,
    )
    for i, section in enumerate(rulings):
        dates = [m[1] for line in section.lines for m in _SIGN_OFF_DATE.finditer(line)]
        signed: date | Unknown = UNKNOWN
        if dates:
            try:
                signed = date.fromisoformat(dates[-1])
            except ValueError:
                signed = UNKNOWN
        final = i == final_index
        if final and isinstance(facts.ruled, date):
            if isinstance(signed, date) and signed != facts.ruled:
                facts.report(
                    section.where,
                    f"'{section.title}' is signed {signed.isoformat()}, the header's date of "
                    f"ruling is {facts.ruled.isoformat()}: the header's is kept",
                )
            signed = facts.ruled
        facts.rulings.append(RulingFact(section.title, signed, final))


_FORMER = re.compile(
    r"^former(?: additional)? (?P<label>parties|respondents?|claimants?)\s*:\s*(?P<names>.*)$",
    re.I,
)


def _former_parties(preamble: list[SrcLine], facts: Extracted) -> list[SrcLine]:
    """`Former parties: Uwe K (R3)` lines after `Before:`: parties who left (date not given)."""
    kept: list[SrcLine] = []
    for line in preamble:
        match = _FORMER.match(line.text.strip())
        if match is None:
            kept.append(line)
            continue
        label = match["label"].lower()
        prefix = {"p": "", "c": "Claimants: ", "r": "Respondents: "}[label[0]]
        parsed = parse_before("Before: " + prefix + match["names"]).names
        names = [n for n in parsed if n.side != "officer" and not n.placeholder and not n.none]
        for entry in names:
            facts.parties.append(
                PartyFact(
                    entry.name, entry.side, entry.code, entry.formerly, entry.note,
                    where=line.where, left=UNKNOWN,
                )
            )  # fmt: skip
        facts.report(
            line.where,
            f"'{line.text.strip()}' read as {len(names)} former party(ies), who left at a date "
            "the page does not give",
        )
    return kept


def _same(a: str, b: str) -> bool:
    ka, kb = name_key(a), name_key(b)
    return ka == kb or (len(min(ka, kb, key=len)) >= 4 and (ka.startswith(kb) or kb.startswith(ka)))


def _apply_before(before: BeforeLine, where: Where, facts: Extracted) -> None:
    """Parties and officers from the `Before:` line, cross-checked against the header."""
    if before.empty:
        facts.report(where, "the 'Before:' line is empty")
        return
    header = facts.has_header
    header_parties = list(facts.parties)
    for entry in before.names:
        if entry.side == "officer":
            _before_officer(entry, where, facts, header)
            continue
        if entry.none:
            facts.report(
                where, f"the 'Before:' line names no {entry.side} ('{entry.name}'): none imported"
            )
            continue
        if entry.placeholder:
            facts.report(
                where,
                f"the 'Before:' line holds a template placeholder for the {entry.side} "
                f"('{entry.name}')",
            )
            continue
        match = next(
            (p for p in header_parties if p.side == entry.side and _same(str(p.name), entry.name)),
            None,
        )
        if match is not None:
            if str(match.name) != entry.name:
                _disagree(facts, where, match, entry.name, f"{entry.side} ")
            if entry.code and match.role and match.role != entry.code:
                facts.report(
                    where,
                    f"the 'Before:' line gives {entry.name} the code {entry.code}, the header "
                    f"{match.role}: the header's is kept",
                )
            elif entry.code:
                match.role = entry.code
            match.formerly = match.formerly or entry.formerly
            match.note = match.note or entry.note
            continue
        if header and any(p.side == entry.side for p in header_parties):
            label = f"{entry.side} {entry.name}{f' ({entry.code})' if entry.code else ''}"
            facts.report(
                where,
                f"the 'Before:' line names {label}, the header does not: the header is kept",
            )
            facts.notes.append(f"The 'Before:' line also names {label}; the header does not.")
            continue
        side = entry.side
        facts.parties.append(
            PartyFact(entry.name, side, entry.code, entry.formerly, entry.note, where=where)
        )
    named = [e for e in before.names if e.side != "officer" and not e.placeholder and not e.none]
    for party in header_parties:
        if any(e.side == party.side for e in named) and not any(
            _same(str(party.name), e.name) for e in named
        ):
            facts.report(
                party.where,
                f"the header names {party.side} {party.name}, the 'Before:' line does not",
            )
            party.note = _with_note(party.note, "not named on the 'Before:' line")


def _before_officer(entry: BeforeName, where: Where, facts: Extracted, header: bool) -> None:
    role = entry.code or "A"
    current = [o for o in facts.officers if o.role == role and not o.former]
    if entry.placeholder:
        if not entry.name:
            facts.report(
                where, f"the 'Before:' line gives the code {role} without a name: none imported"
            )
        elif current:
            facts.report(
                where,
                f"the 'Before:' line holds a placeholder for {role} ('{entry.name}'), the header "
                f"names {current[0].name}: the header is kept",
            )
        else:
            facts.report(
                where,
                f"the 'Before:' line holds a placeholder for {role} ('{entry.name}'): none "
                "imported",
            )
        return
    if current:
        same = next((o for o in current if _same(o.name, entry.name)), None)
        if same is None:
            facts.report(
                where,
                f"the 'Before:' line names {entry.name} ({role}), the header {current[0].name}: "
                "the header is kept",
            )
            current[0].note = _with_note(
                current[0].note, f"the 'Before:' line names {entry.name} ({role})"
            )
        elif same.name != entry.name:
            _disagree(facts, where, same, entry.name, "")
        return
    if header and any(o.role == role and _same(o.name, entry.name) for o in facts.officers):
        return
    facts.officers.append(OfficerFact(role, entry.name, note=entry.note, where=where))


def _with_note(note: str | None, more: str) -> str:
    return f"{note}; {more}" if note else more


def _disagree(
    facts: Extracted, where: Where, item: PartyFact | OfficerFact, other: str, what: str
) -> None:
    """The header and the `Before:` line spell one name differently: printed, and kept in the
    item's note (the header's spelling is its name)."""
    facts.report(
        where,
        f"the header names {what}{item.name}, the 'Before:' line {other}: the header's spelling "
        "is kept, the other in its note",
    )
    item.note = _with_note(item.note, f"the 'Before:' line names {other}")
    if isinstance(item, OfficerFact) and name_key(item.name) != name_key(other):
        facts.spellings.append((item.name, other))  # perhaps one person (see wiki.people)


def _check_roles(facts: Extracted) -> None:
    seen: dict[str, PartyFact] = {}
    for party in facts.parties:
        if party.role is None:
            continue
        if party.role in seen:
            facts.report(
                party.where,
                f"{party.name} and {seen[party.role].name} both have the code {party.role} on the "
                "page",
            )
        seen[party.role] = party
    if not any(p.side == "claimant" for p in facts.parties) and (facts.has_header or facts.parties):
        facts.report(facts.number_where, "no claimant is named on the page")


# A last line that ends like this is a whole line: punctuation, a closing bracket or quote, a
# table row, or a sign-off with a date in it ("2009-05-02, Hamburg").
_TERMINAL = re.compile(r"[.!?)\]\"'>:;]$|[=|]$|\d{4}-\d{2}-\d{2}\D{0,40}$")


def _truncation(text: str, lines: list[SrcLine], facts: Extracted) -> None:
    """Exports are often cut off mid-page: say so when the page ends inside a block or a word."""
    if text.count("{{{") > text.count("}}}"):
        last = lines[-1] if lines else None
        where = last.where if last is not None else Where(1)
        _cut(facts, where, "a '{{{' block is not closed")
        return
    content = [line for line in lines if line.text.strip()]
    if not content:
        return
    last = content[-1]
    tail = last.text.strip()
    if _EMPTY_ENTRY.match(tail):
        _cut(facts, last.where, "the last log entry has a date but no text")
        return
    if _TERMINAL.search(tail) or KNOWN_HEADING.match(tail.rstrip(":")):
        return
    words = tail.split()
    if len(words) >= 5 or (
        len(words) >= 3 and _LOWER_WORD.match(words[-1]) and not _CLOSING.search(tail)
    ):
        # Not quoted: the line may belong to the private part.
        _cut(facts, last.where, "the last line ends in the middle of a sentence")


# `- 2011-01-30 (A):`: a log entry the export cut off right after its date and actor.
# (A bare date is a sign-off, not an entry.)
_EMPTY_ENTRY = re.compile(
    r"^(?:[-.*][ \t]*\d{4}-\d{2}-\d{2}(?:/[\d-]+)?[ \t]*(?:\([^()]*\)|[A-Za-z]{1,4}\d?)?"
    r"|\d{4}-\d{2}-\d{2}(?:/[\d-]+)?[ \t]*(?:\([^()]*\)|[A-Za-z]{1,4}\d?))[ \t]*:?$"
)
# A short last line ending in a lowercase word ("Support reset the poi") stops mid-sentence;
# not a closing formula ("with kind regards").
_LOWER_WORD = re.compile(r"^[a-zäöüß]+,?$")
_CLOSING = re.compile(r"\b(?:regards|greetings|wishes|thanks|yours)\W*$", re.I)


NOTE_HEAD_MISSING = (
    "The exported page seems to start inside the page: it has neither a header nor a 'Before:' "
    "line, so parties, officers, status and dates are not in this file (imported as unknown)."
)


def _head_missing(facts: Extracted, layout: Layout) -> None:
    """Every case page starts with its header and `Before:` line: a printed or rendered export
    without both seems to start inside the page (saved from the middle, a fragment). Said, and
    what it lacks is acknowledged as cut off, never as the wiki's own state."""
    facts.head_missing = True
    facts.notes.append(NOTE_HEAD_MISSING)
    if not any(KNOWN_HEADING.match(b.title.strip().rstrip(":")) for b in layout.blocks):
        facts.report(
            Where(1),
            "none of the case's sections is on the page either: its text is imported as it "
            "stands, before any section",
        )


def _cut(facts: Extracted, where: Where, why: str) -> None:
    facts.truncated = True
    facts.report(
        where, f"the page seems cut off here ({why}): the rest of the case is not in this export"
    )
    facts.notes.append(
        "The exported page seems cut off before its end; what followed is not in this file."
    )


def _public_texts(facts: Extracted) -> Iterator[str]:
    for value in (facts.complaint, facts.relief):
        if isinstance(value, str):
            yield value
    for officer in facts.officers:
        if officer.note:
            yield officer.note
    for party in facts.parties:
        if party.note:
            yield party.note
    yield from facts.intro
    for line in facts.history:
        yield line.text
    for section in facts.sections:
        if (
            section.title.lower() not in ("private part",)
            and "private part" not in section.title.lower()
        ):
            yield section.title
            yield from section.lines


def _scrub(facts: Extracted, allowed: EmailAllowed) -> None:
    """Personal e-mail addresses in public text become `<email anonymized>` (and are reported)."""

    def clean(text: str, where: Where) -> str:
        if "@" not in text:
            return text

        def replace(match: re.Match[str]) -> str:
            if allowed(match[1]):
                return match[0]
            facts.report(
                where, "an e-mail address in public text was replaced by '<email anonymized>'"
            )
            return "<email anonymized>"

        return EMAIL_RE.sub(replace, text)

    if isinstance(facts.complaint, str):
        facts.complaint = clean(facts.complaint, facts.number_where)
    if facts.relief:
        facts.relief = clean(facts.relief, facts.number_where)
    facts.intro = [clean(line, facts.number_where) for line in facts.intro]
    for line in facts.history:
        line.text = clean(line.text, line.where)
    for section in facts.sections:
        section.lines = [clean(line, section.where) for line in section.lines]
    facts.notes = [clean(note, facts.number_where) for note in facts.notes]
    for officer in facts.officers:
        officer.name = clean(officer.name, officer.where)
        if officer.note:
            officer.note = clean(officer.note, officer.where)
    for party in facts.parties:
        if isinstance(party.name, str):
            party.name = clean(party.name, party.where)
        if party.note:
            party.note = clean(party.note, party.where)
