"""Which section states a case's outcome, and the canonical anchor of each kind of section.

A case may hold several rulings ("Intermediate Ruling #1", "Final Ruling", "Adjusted Ruling");
the outcome is the final one. The header card, the feed and the `#ruling` anchor all use the
same choice, so a link or a feed entry never quotes an intermediate ruling as the outcome.
"""

from __future__ import annotations

from generator.model import Case, Section, SectionKind
from generator.sections import is_final_ruling_kind

# the anchor every case has for a kind of section, whatever its heading says
CANONICAL_IDS: dict[SectionKind, str] = {
    SectionKind.HISTORY: "history-log",
    SectionKind.PRIVATE: "private-part",
    SectionKind.DISPUTE: "original-dispute",
    SectionKind.DISCOVERY: "discovery",
    SectionKind.RULING: "ruling",
    SectionKind.EXECUTION: "execution",
    SectionKind.SIMILAR: "similar-cases",
    SectionKind.NOTES: "notes",
}


def final_ruling(case: Case) -> Section | None:
    """The ruling that decides the case: the last "Final Ruling", else the last ruling that is
    not provisional, else the last ruling; only public sections with text count."""
    rulings = [s for s in case.sections_of(SectionKind.RULING) if not s.private and s.body.strip()]
    for choose in (
        lambda s: s.ruling_kind == "final",
        lambda s: is_final_ruling_kind(s.ruling_kind),
        lambda s: True,
    ):
        found = [s for s in rulings if choose(s)]
        if found:
            return found[-1]
    return None


def canonical_sections(case: Case) -> dict[int, str]:
    """Section index -> canonical anchor: the first section of each kind, the final ruling."""
    chosen: dict[int, str] = {}
    ruling = final_ruling(case)
    seen: set[SectionKind] = set()
    for index, section in enumerate(case.sections):
        kind = section.kind
        if kind not in CANONICAL_IDS:
            continue
        if kind is SectionKind.RULING:
            if section is ruling:
                chosen[index] = CANONICAL_IDS[kind]
            continue
        if kind not in seen:
            seen.add(kind)
            chosen[index] = CANONICAL_IDS[kind]
    return chosen
