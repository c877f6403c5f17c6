"""The page's parts: header items, the `Before:` line, the text before the first heading, headed
blocks, and the footer. Raw pages mark headings (`== X ==`); printed and rendered pages do not,
so there a line is a heading only when it is one of the headings case pages use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.wiki.facts import Where
from generator.wiki.shapes import HEADER_LABEL, Shape, SrcLine


@dataclass(slots=True)
class HeaderItem:
    label: str
    value: str
    where: Where
    more: list[SrcLine] = field(default_factory=list)


@dataclass(slots=True)
class Block:
    title: str
    level: int
    where: Where
    lines: list[SrcLine] = field(default_factory=list)


@dataclass(slots=True)
class Layout:
    header: list[HeaderItem] = field(default_factory=list)
    before: SrcLine | None = None
    preamble: list[SrcLine] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    footer: SrcLine | None = None
    # a printed or rendered page's table of contents (left out; its numbering tells which
    # headings are sub-headings of the History Log)
    toc: list[SrcLine] = field(default_factory=list)
    log_subheadings: set[str] = field(default_factory=set)


_KNOWN_LABEL = re.compile(
    rf"^[ \t]*[-*]?[ \t]*(?P<label>{HEADER_LABEL})[ \t]*:[ \t]*(?P<value>.*)$", re.I
)
_BULLET_LABEL = re.compile(
    r"^[ \t]*[-*][ \t]*(?P<label>[A-Za-z][A-Za-z0-9 ]{0,40}?)[ \t]*:[ \t]*(?P<value>.*)$"
)
_BEFORE = re.compile(r"^(?:'''[ \t]*)?(?:Review[ \t]+)?Before[ \t]*:", re.I)
_RAW_HEADING = re.compile(r"^[ \t]*(?P<eq>={1,6})[ \t]+(?P<title>.*?)[ \t]+(?P=eq)[ \t]*$")
_FOOTER = re.compile(r"^Arbitrations/(?P<case>a\d{8}\.\d+)[ \t]+\(last edited [^)]*\)[ \t]*$")
_CONTINUED = ("complaint", "relief")
_LATE_HEADER = re.compile(r"^[ \t]*[-*]?[ \t]*case[ \t]+number[ \t]*:", re.I)
# A template comment (`## ...`) or a processing instruction (`#format wiki`, `#acl ...`).
_COMMENT = re.compile(
    r"^[ \t]*(?:##(?!#)|#(?:acl|format|language|pragma|deprecated|refresh|redirect)\b)", re.I
)

KNOWN_HEADING = re.compile(
    r"^(?:history log|(?:eot )?private part"
    r"|original dispute, discovery \(private part\)(?: \(optional\))?"
    r"|link to arbitration case \S*[ ]?\(private part\).*"
    r"|(?:(?:original|origianl) )?dispute(?: \(.{1,40}\)| by .{1,200})?|second dispute"
    r"|discovery(?: \d+[a-z]?| [ivx]+)?(?: \(.{1,40}\)| for .{1,80})?|discovery and deliberations?"
    r"|deliberations?"
    r"|(?:(?:intermediate|interim|preliminary|final|follow[- ]up|adjusted) )?ruling"
    r"(?: #? ?\d+| [ivx]+)?(?: \(.{1,80}\))?"
    r"|additional second ruling after extended investigation"
    r"|preliminary order \(ruling\)(?: #?\d+)?"
    r"|execution(?: details)?|simil+i?ar cases|contents|clarifications?"
    r"|grounds for appeal|appeal review|pre-arbitration activity"
    r"|initial decisions? by (?:the )?arbitrator|initial arbitrator decision about parties in "
    r"this case"
    r"|communication prior re-opening|re-opening of case|elaboration|conclusion"
    r"|post arbitration notes?|(?:eot )?log from case a\d{8}\.\d+)$",
    re.I,
)


def is_heading(text: str) -> bool:
    """A line of a printed or rendered page that is one of the headings case pages use."""
    t = text.strip().rstrip(":").strip()
    return len(t) <= 240 and KNOWN_HEADING.match(t) is not None


def _label_match(text: str, shape: Shape) -> re.Match[str] | None:
    match = _KNOWN_LABEL.match(text)
    if match is None and shape is not Shape.RENDERED:
        match = _BULLET_LABEL.match(text)
    return match


def lay_out(lines: list[SrcLine], shape: Shape) -> Layout:
    layout = Layout()
    in_header = True
    in_block = False
    fenced = False
    toc: list[str] | None = None  # the titles of the table of contents being read
    for line in lines:
        text = line.text
        if _FOOTER.match(text.strip()):
            layout.footer = line
            continue
        if toc is not None:
            if _toc_entry(text, toc):
                layout.toc.append(line)
                continue
            toc = None
            _log_subheadings(layout)
        if shape is not Shape.RAW and not fenced and text.strip().rstrip(":").lower() == "contents":
            toc = []  # a printed or rendered page's table of contents: not a section
            layout.toc.append(line)
            in_header = False
            continue
        if shape is not Shape.RAW and text.strip().rstrip(":").lower() in layout.log_subheadings:
            layout.blocks.append(Block(text.strip(), 3, line.where))
            in_header, in_block = False, True
            continue
        heading = _heading(text, shape, fenced)
        if heading is not None:
            title, level = heading
            layout.blocks.append(Block(title, level, line.where))
            in_header, in_block = False, True
            continue
        if (
            _PRIVATE_LINK.search(text.strip())
            and not _in_private(layout)
            and not _table_of_contents(layout, text)
            and not _LOG_ENTRY.match(text)
        ):
            # a line naming the private part with no heading above it (lost or glued to other
            # text) still starts the private part: privacy first
            layout.blocks.append(Block("Private Part", 2, line.where, [line]))
            in_header, in_block = False, True
            continue
        if layout.before is None and not in_block and _BEFORE.match(text.strip()):
            layout.before = line
            in_header = False
            continue
        if in_header and not fenced and shape is Shape.RAW and _COMMENT.match(text):
            # a template comment ("## please keep the header fields below up to date") above or
            # among the header items does not end the header; it is counted and left out
            layout.preamble.append(line)
            continue
        if not in_header and not in_block and not layout.header and _LATE_HEADER.match(text):
            # the header after other lines (a saved page's navigation, the `Before:` line):
            # every header starts with the case number
            in_header = True
        if in_header:
            match = _label_match(text, shape)
            if match is not None:
                layout.header.append(HeaderItem(match["label"], match["value"].strip(), line.where))
                fenced = "{{{" in match["value"] and "}}}" not in match["value"]
                continue
            last = layout.header[-1] if layout.header else None
            if last is not None and (fenced or _continues(last, text)):
                last.more.append(line)
                if "}}}" in text:
                    fenced = False
                continue
            if layout.header or text.strip():
                in_header = False
        target = layout.blocks[-1].lines if in_block else layout.preamble
        target.append(line)
    return layout


_TOC_NUMBERED = re.compile(r"^(?P<number>\d+(?:\.\d+)*)\.?[ \t]+(?P<title>\S.*)$")


def _toc_entry(text: str, titles: list[str]) -> bool:
    """A line of the table of contents: a numbered title, or a bare heading not listed yet (the
    second "History Log" is the section itself)."""
    stripped = text.strip()
    if not stripped:
        return True
    numbered = _TOC_NUMBERED.match(stripped)
    if numbered is not None:
        titles.append("#" + numbered["title"].strip().rstrip(":").lower())
        return True
    title = stripped.rstrip(":").lower()
    if titles and titles[0].startswith("#"):
        return False  # a numbered table of contents ends at the first line without a number
    if is_heading(stripped) and title not in titles:
        titles.append(title)
        return True
    return False


def _log_subheadings(layout: Layout) -> None:
    """Titles the table of contents numbers under the History Log ("1.1 Interim steps" under
    "1. History Log") are the log's own sub-headings."""
    log_number: str | None = None
    for line in layout.toc:
        match = _TOC_NUMBERED.match(line.text.strip())
        if match is None:
            continue
        number, title = match["number"], match["title"].strip().rstrip(":")
        if "." not in number:
            log_number = number if title.lower().startswith("history log") else None
        elif log_number is not None and number.split(".")[0] == log_number:
            layout.log_subheadings.add(title.lower())


_PRIVATE_LINK = re.compile(
    r"^\[\[[^|\]]*\bpriv/a\d{8}\.\d+[^\]]*\]\]|^link to arbitration case\b.*\(private part\)"
    r"|^(?:'''\s*)?private part\b|\(private part\)",
    re.I,
)


# A history-log entry that mentions the private part is an entry, not the private part.
_LOG_ENTRY = re.compile(r"^\s*(?:[-.*]\s*)?(?:\d{4}-\d{2}-\d{2}|\()")
_TOC_ENTRY = re.compile(r"^\s*(?:\d+\.)+\d*\s|^\s*\d+\s")


def _table_of_contents(layout: Layout, text: str) -> bool:
    """A numbered entry of a rendered page's table of contents ("3. Original Dispute, Discovery
    (Private Part)") names a heading; it starts nothing."""
    return (
        bool(layout.blocks)
        and layout.blocks[-1].title.lower() == "contents"
        and bool(_TOC_ENTRY.match(text))
    )


def _in_private(layout: Layout) -> bool:
    if not layout.blocks:
        return False
    title = layout.blocks[-1].title.lower()
    return "private" in title and not title.startswith("eot")


def _continues(item: HeaderItem, text: str) -> bool:
    label = re.sub(r"\s+", " ", item.label.lower())
    return bool(text.strip()) and label in _CONTINUED and _BEFORE.match(text.strip()) is None


def _heading(text: str, shape: Shape, fenced: bool) -> tuple[str, int] | None:
    if fenced:
        return None
    if shape is Shape.RAW:
        match = _RAW_HEADING.match(text)
        return (match["title"].strip(), len(match["eq"])) if match else None
    if is_heading(text):
        return text.strip(), 2
    return None
