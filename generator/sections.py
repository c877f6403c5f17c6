"""Split a case body into its level-2 sections and name each by its canonical kind.

The wiki spelt headings many ways ("origianl Dispute", "Similiar Cases", "Intermediate Ruling #2",
"Original Dispute, Discovery (Private Part)"); all map onto a few kinds; titles stay as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.acks import strip_ack_comments
from generator.model import Section, SectionKind

_HEADING = re.compile(r"^##[ \t]+(?P<title>.+?)[ \t#]*$")
_FENCES = ("```", "~~~")
# Rulings that do not decide the case: the final ruling is the last ruling of another kind.
# The checker (DK1xx) and the wiki importer both decide by `is_final_ruling_kind`.
NOT_FINAL_RULING_KINDS = ("intermediate", "interim", "preliminary")
_RULING_KINDS = (
    *NOT_FINAL_RULING_KINDS,
    "final",
    "follow-up",
    "follow up",
    "adjusted",
    "additional",
)
_PRIVATE = re.compile(r"private part|\(private\)|^private$")
_PUBLIC_PART = re.compile(r"\(public part\)")
_SIMILAR = re.compile(r"simil+i?ar cases")
_NOTES = re.compile(r"post[- ]arbitration notes?")
_RULING = re.compile(r"\bruling\b")
# The end-of-private marker, whatever its level or case: `## EOT Private Part`,
# `#### EOT private part`, the wiki's `==== EOT private part ====`.
EOT_PRIVATE_RE = re.compile(r"^[#=\s]*eot\b[\s\w-]*private[^#=]*?[#=\s]*$", re.IGNORECASE)


def is_final_ruling_kind(ruling_kind: str | None) -> bool:
    """Whether a ruling of this kind (`classify`'s second value) can be the final ruling."""
    return ruling_kind not in NOT_FINAL_RULING_KINDS


def classify(title: str) -> tuple[SectionKind, str | None]:
    """The kind of a heading, and for rulings which ruling (intermediate, final, ...)."""
    t = title.strip().rstrip(":").strip().lower()
    if "eot" in t and EOT_PRIVATE_RE.match(t):
        return SectionKind.EOT, None
    if _PRIVATE.search(t) and not _PUBLIC_PART.search(t):
        return SectionKind.PRIVATE, None
    if t.startswith("history log") or t == "history":
        return SectionKind.HISTORY, None
    if _SIMILAR.match(t):
        return SectionKind.SIMILAR, None
    if _NOTES.match(t):
        return SectionKind.NOTES, None
    if t.startswith("execution"):
        return SectionKind.EXECUTION, None
    if t.startswith("discovery"):  # "Discovery for intermediate ruling" is a discovery
        return SectionKind.DISCOVERY, None
    if _RULING.search(t) and "dispute" not in t:
        kind = next((k for k in _RULING_KINDS if t.startswith(k)), None)
        return SectionKind.RULING, (kind or "ruling").replace(" ", "-")
    if "dispute" in t:
        return SectionKind.DISPUTE, None
    return SectionKind.OTHER, None


@dataclass(slots=True)
class SplitBody:
    intro: str
    intro_line: int
    sections: list[Section]


def split_sections(lines: list[str], first_line: int, ack_comments: bool = True) -> SplitBody:
    """`lines` is the body; `first_line` the file line number of lines[0]; `ack_comments`
    False when the file holds no acknowledgement comment (then no section is searched for
    one)."""
    headings: list[tuple[int, str]] = []
    in_fence = False
    # only the lines that may open or close a fence (```, ~~~, also indented) or be a heading
    candidates = [i for i, line in enumerate(lines) if line and line[0] in "#`~ "]
    for i in candidates:
        line = lines[i]
        head = line[:3]
        if head in _FENCES or (line[:1] == " " and line.lstrip()[:3] in _FENCES):
            in_fence = not in_fence
            continue
        if head[:2] == "##" and head != "###" and not in_fence:
            match = _HEADING.match(line)
            if match:
                headings.append((i, match["title"]))
    end = headings[0][0] if headings else len(lines)
    intro_start = 0
    while intro_start < end and not lines[intro_start].strip():
        intro_start += 1
    intro = "\n".join(lines[intro_start:end])
    if ack_comments:
        intro = strip_ack_comments(intro)
    intro = intro.rstrip()
    sections: list[Section] = []
    for n, (index, title) in enumerate(headings):
        stop = headings[n + 1][0] if n + 1 < len(headings) else len(lines)
        kind, ruling_kind = classify(title)
        body_start = index + 1
        while body_start < stop and not lines[body_start].strip():
            body_start += 1
        body = "\n".join(lines[body_start:stop])
        if ack_comments and "docket:" in body:
            body = strip_ack_comments(body)
        body = body.rstrip()
        sections.append(
            Section(
                title=title.strip(),
                kind=kind,
                line=first_line + index,
                body=body,
                body_line=first_line + body_start,
                ruling_kind=ruling_kind,
            )
        )
    return SplitBody(intro=intro, intro_line=first_line + intro_start, sections=sections)
