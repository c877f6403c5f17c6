"""One person across spellings: `EvaStöwe` and `Eva Stöwe`, `Martin P` and `Martin Pangert`.

Person pages key on an officer's `account` (else the name). The `[people]` table of
`docket.toml` says which spellings are one person; the importer writes `account:` for every
officer spelt as listed there. Without an entry, two spellings are one person when the page
says so (the header abbreviates the name its own `Before:` line gives: `Martin P` and `Martin
Pangert`) or when they are the same letters (only spaces, capitals or punctuation differ); the
importer writes `account:` and proposes a table entry. A name that only abbreviates another on
other pages is a guess: proposed, never written.
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
    """Write `account` where the table, the page's own `Before:` line or the same letters say
    whose spelling it is; return the `[people]` entries worth adding (person -> spellings not
    listed yet)."""
    officers: list[tuple[Extracted, OfficerFact]] = [(f, o) for f in pages for o in f.officers]
    proposal: defaultdict[str, list[str]] = defaultdict(list)
    unlisted: list[tuple[Extracted, OfficerFact]] = []
    for facts, officer in officers:
        person = config.person_of(officer.name)
        if person is not None:
            officer.account = person if person != officer.name else None
        else:
            unlisted.append((facts, officer))
    for facts, officer in unlisted:
        # the header abbreviates the name the page's own `Before:` line gives this officer
        full = next(
            (b for a, b in facts.spellings if a == officer.name and _abbreviates(a, b)), None
        )
        if full is not None and config.person_of(full) is None:
            officer.account = full
            facts.report(
                officer.where,
                f"{officer.name} is {full} by the page's 'Before:' line: written as one person "
                f"(account: {full}); add the [people] entry proposed below to docket.toml",
            )
    by_key: defaultdict[str, list[str]] = defaultdict(list)  # name_key -> who, as spelt
    for _, officer in unlisted:
        who = officer.account or officer.name
        if who not in by_key[name_key(who)]:
            by_key[name_key(who)].append(who)
    for spellings in by_key.values():
        person = _person_name(spellings)
        for facts, officer in unlisted:
            who = officer.account or officer.name
            if who in spellings and who != person:
                officer.account = person
                facts.report(
                    officer.where,
                    f"{who} and {person} are one spelling apart: written as one person "
                    f"(account: {person}); add the [people] entry proposed below to docket.toml",
                )
    for _, officer in unlisted:
        person = officer.account or officer.name
        if officer.name != person and officer.name not in proposal[person]:
            proposal[person].append(officer.name)
    # a name that only abbreviates another on other pages is a guess: proposed, not written
    people = sorted({officer.account or officer.name for _, officer in unlisted})
    for short in people:
        for long in people:
            if _abbreviates(short, long) and short not in proposal[long]:
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
