"""One person across spellings: `EvaStöwe` and `Eva Stöwe`, `Martin P` and `Martin Pangert`.

Person pages key on an officer's `account` (else the name). The `[people]` table of
`docket.toml` says which spellings are one person; the importer writes `account:` for every
officer spelt as listed there. Spellings of the same letters (only spaces, capitals or
punctuation differ) are one person without asking: the importer writes `account:` and proposes a
table entry. A spelling that only abbreviates another (`Martin P`) is a guess: proposed, never
written.
"""

from __future__ import annotations

import re
from collections import defaultdict

from generator.config import Config
from generator.wiki.facts import Extracted, OfficerFact
from generator.wiki.values import name_key

Proposal = dict[str, list[str]]


def _person_name(spellings: list[str]) -> str:
    """Of spellings of the same letters, the account-like one (no spaces), else the first."""
    return next((s for s in spellings if " " not in s), spellings[0])


def _abbreviates(short: str, long: str) -> bool:
    """`Martin P` abbreviates `Martin Pangert`: same first word, initials for the others."""
    a, b = short.split(), long.split()
    if len(a) != len(b) or len(a) < 2 or short == long:
        return False
    if name_key(a[0]) != name_key(b[0]):
        return False
    rest = list(zip(a[1:], b[1:], strict=True))
    initial = [re.fullmatch(r"[^\W\d_]\.?", x) is not None for x, _ in rest]
    return any(initial) and all(
        (name_key(x) == name_key(y)) or (ok and name_key(y).startswith(name_key(x)))
        for (x, y), ok in zip(rest, initial, strict=True)
    )


def settle_people(pages: list[Extracted], config: Config) -> Proposal:
    """Write `account` where the table (or the same letters) says whose spelling it is; return
    the `[people]` entries worth adding (person -> spellings not listed yet)."""
    officers: list[tuple[Extracted, OfficerFact]] = [(f, o) for f in pages for o in f.officers]
    proposal: defaultdict[str, list[str]] = defaultdict(list)
    unlisted: defaultdict[str, list[str]] = defaultdict(list)  # name_key -> spellings
    for _, officer in officers:
        person = config.person_of(officer.name)
        if person is not None:
            officer.account = person if person != officer.name else None
        elif officer.name not in unlisted[name_key(officer.name)]:
            unlisted[name_key(officer.name)].append(officer.name)
    for spellings in unlisted.values():
        if len(spellings) < 2:
            continue
        person = _person_name(spellings)
        proposal[person].extend(s for s in spellings if s != person)
        for facts, officer in officers:
            if officer.name in spellings and officer.name != person:
                officer.account = person
                facts.report(
                    officer.where,
                    f"{officer.name} and {person} are one spelling apart: written as one person "
                    f"(account: {person}); add the [people] entry proposed below to docket.toml",
                )
    names = [s for spellings in unlisted.values() for s in spellings]
    pairs = [(a, b) for a in names for b in names if _abbreviates(a, b)]
    for facts in pages:
        pairs += [
            (a, b) if _abbreviates(a, b) else (b, a)
            for a, b in facts.spellings
            if config.person_of(a) is None and config.person_of(b) is None
        ]
    for short, long in pairs:
        if short not in proposal[long] and long not in proposal[short]:
            proposal[long].append(short)
    return {person: spellings for person, spellings in proposal.items() if spellings}


def proposal_toml(proposal: Proposal) -> str:
    """The proposal as lines to paste into docket.toml."""
    lines = ["[people]"]
    for person, spellings in sorted(proposal.items(), key=lambda item: item[0].casefold()):
        listed = ", ".join(_quote(s) for s in spellings)
        lines.append(f"{_quote(person)} = [{listed}]")
    return "\n".join(lines)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
