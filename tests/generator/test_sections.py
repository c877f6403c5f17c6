from __future__ import annotations

import pytest

from generator.model import SectionKind
from generator.sections import classify, split_sections


@pytest.mark.parametrize(
    ("title", "kind", "ruling"),
    [
        ("History Log", SectionKind.HISTORY, None),
        ("Private Part", SectionKind.PRIVATE, None),
        ("Original Dispute, Discovery (Private Part) (optional)", SectionKind.PRIVATE, None),
        ("Discovery (private)", SectionKind.PRIVATE, None),
        ("Discovery (Public Part)", SectionKind.DISCOVERY, None),
        ("origianl Dispute", SectionKind.DISPUTE, None),
        ("Original Dispute by C1 (Reinhard) against R1 (Ian)", SectionKind.DISPUTE, None),
        ("Discovery 4a", SectionKind.DISCOVERY, None),
        ("Discovery II", SectionKind.DISCOVERY, None),
        (
            "Intermediate Ruling #2 (confirmed by Supervising-Arbitrator)",
            SectionKind.RULING,
            "intermediate",
        ),
        ("Interim Ruling", SectionKind.RULING, "interim"),
        ("Preliminary Ruling", SectionKind.RULING, "preliminary"),
        ("Final Ruling", SectionKind.RULING, "final"),
        ("Follow up ruling", SectionKind.RULING, "follow-up"),
        ("Ruling:", SectionKind.RULING, "ruling"),
        ("Execution", SectionKind.EXECUTION, None),
        ("Similiar Cases", SectionKind.SIMILAR, None),
        ("Similar Cases", SectionKind.SIMILAR, None),
        ("Post Arbitration Notes", SectionKind.NOTES, None),
        ("Clarifications", SectionKind.OTHER, None),
    ],
)
def test_classify(title: str, kind: SectionKind, ruling: str | None) -> None:
    assert classify(title) == (kind, ruling)


def test_headings_inside_code_fences_and_level_three_are_not_sections() -> None:
    lines = ["intro", "## A", "text", "```", "## not a heading", "```", "### sub", "## B", "", "b"]
    split = split_sections(lines, first_line=10)
    assert split.intro == "intro"
    assert [(s.title, s.line, s.body_line) for s in split.sections] == [
        ("A", 11, 12),
        ("B", 17, 19),
    ]
    assert "## not a heading" in split.sections[0].body and "### sub" in split.sections[0].body
