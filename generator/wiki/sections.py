"""Headed blocks of a page as the case file's sections, the History Log as log lines, and the
private part as a pointer only.

Headings keep their wiki spelling (`Similiar Cases`, `origianl Dispute`): the case-file loader
knows them. Of a private block only its pointer survives (the `<<Include(...)>>` target or the
"Link to ... (Private Part)" line); its text is counted, never copied, never quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.model import SectionKind
from generator.sections import classify
from generator.wiki.facts import Extracted, OutSection, Where
from generator.wiki.history import convert_log
from generator.wiki.layout import Block, is_heading
from generator.wiki.markup import WIKI_LINK, Dropped, convert
from generator.wiki.shapes import PageError, SrcLine

_INCLUDE = re.compile(r"<<Include\((?P<target>[^),]*)[^)]*\)>>", re.I)
# The pointer a page shows for its private part, and nothing after it: any other text on the
# line may be private.
_LINK_LINE = re.compile(
    r"(?:\blink to |(?<![\w/])(?=arbitration case))arbitration case\s+\S*\s*\(private part\)"
    r"(?:,?\s*access for\s+(?:\([A-Za-z]+\)|[A-Za-z]+)(?:\s*[+,&]\s*(?:\([A-Za-z]+\)|[A-Za-z]+))*"
    r"(?:\s+only)?)?",
    re.I,
)
_PRIV_PAGE = re.compile(r"\b(?:Arbitrations/)?priv/a\d{8}\.\d+\b")
_EOT_PRIVATE = re.compile(r"^eot private part$", re.I)
_SUBLOG = re.compile(r"^(?:eot )?log from case (?P<case>a\d{8}\.\d+)", re.I)


# The heading for public text that follows the end-of-private marker with no heading of its own
# (it must not read as a private heading itself).
AFTER_EOT = "Text after the EOT marker"
NOTE_NO_LOG = "The History Log's entries are not in the exported page."
INCLUDED_UNNAMED = "included on the wiki page (the export does not name the included page)"
NOTE_INCLUDED = (
    "The wiki page includes its private part from another page; the export does not name it."
)


@dataclass(slots=True)
class PrivatePart:
    pointers: list[str] = field(default_factory=list)
    include_seen: bool = False
    left_out: int = 0
    where: Where | None = None


def _is_private(title: str) -> bool:
    return classify(title)[0] is SectionKind.PRIVATE and not _EOT_PRIVATE.match(title.strip())


def _inside_private(blocks: list[Block]) -> set[int]:
    """Blocks between a private heading and the `EOT Private Part` that closes it: private,
    whatever their headings say (privacy first: the marker is what ends the private part)."""
    inside: set[int] = set()
    start: int | None = None
    for index, block in enumerate(blocks):
        title = block.title.strip()
        if _EOT_PRIVATE.match(title):
            if start is not None:
                inside.update(range(start + 1, index))
            start = None
        elif start is None and _is_private(title):
            start = index
    return {i for i in inside if not _is_private(blocks[i].title.strip())}


def map_sections(blocks: list[Block], raw: bool, facts: Extracted, dropped: Dropped) -> None:
    private = PrivatePart()
    current: OutSection | None = None
    private_section: OutSection | None = None
    mode = "public"  # public | history | private
    log_lines: list[SrcLine] = []
    inside = _inside_private(blocks)
    for index, block in enumerate(blocks):
        title = block.title.strip()
        if index in inside:  # a heading between a private heading and its end marker
            _private_lines(block.lines, private)
            private.left_out += 1
            continue
        sublog = _SUBLOG.match(title)
        if mode == "history" and (sublog or block.level > 2):
            log_lines.append(SrcLine(title if sublog else "### " + title, block.where))
            if (
                sublog
                and not title.lower().startswith("eot")
                and sublog["case"] not in facts.merged_from
            ):
                facts.merged_from.append(sublog["case"])
            log_lines.extend(block.lines)
            continue
        if mode == "history":  # this block ends the log
            _finish_log(facts, log_lines, raw, dropped, facts.history_where or block.where)
            mode = "public"
        if mode == "private" and raw and block.level > 2:
            _private_lines(block.lines, private)
            private.left_out += 1  # the sub-heading itself
            continue
        if _EOT_PRIVATE.match(title):
            current = _end_private(block, private_section, raw, facts, dropped)
            mode = "public"
            continue
        kind, _ = classify(title)
        if kind is SectionKind.HISTORY:
            mode = "history"
            facts.history_where = block.where
            facts.history_title = facts.history_title or title
            log_lines = list(block.lines)
            facts.sections.append(OutSection(title, [], block.where))
            current = None
            continue
        if _is_private(title):
            continued = mode == "private" and private_section is not None
            opened = _open_private(block, title, continued, private, facts)
            private_section = opened if opened is not None else private_section
            mode = "private"
            continue
        mode = "public"
        if raw and block.level > 2 and current is not None:
            current.lines.append("")
            current.lines.append("#" * min(block.level, 6) + " " + title)
            current.lines.extend(convert([ln.text for ln in block.lines], raw, dropped))
            continue
        current = OutSection(
            title, convert([ln.text for ln in block.lines], raw, dropped), block.where
        )
        facts.sections.append(current)
        if kind is SectionKind.OTHER:
            facts.report(
                block.where,
                f"heading '{title}' is not one the case format knows: kept as a section of its own",
            )
    if mode == "history":
        _finish_log(facts, log_lines, raw, dropped, facts.history_where or Where(1))
    _settle_private(facts, private, private_section)


def _end_private(
    block: Block, private_section: OutSection | None, raw: bool, facts: Extracted, dropped: Dropped
) -> OutSection | None:
    """`EOT Private Part`: closes the private part; text under the marker itself (no heading)
    becomes a public section of its own, returned as the current one."""
    if private_section is None:
        raise PageError(
            block.where,
            "'EOT Private Part' with no private part above it: the private part's "
            "heading is missing, so private text cannot be told from public text; "
            "nothing imported (restore the heading on the page, then import again)",
        )
    private_section.lines.append("EOT Private Part")
    if not any(line.text.strip() for line in block.lines):
        return None
    after = OutSection(
        AFTER_EOT, convert([ln.text for ln in block.lines], raw, dropped), block.where
    )
    facts.sections.append(after)
    facts.report(
        block.where,
        f"text after 'EOT Private Part' without a heading: kept under '{AFTER_EOT}'",
    )
    return after


def _open_private(
    block: Block, title: str, continued: bool, private: PrivatePart, facts: Extracted
) -> OutSection | None:
    """A private heading (or a link to the private page): its text is left out, counted. A new
    placeholder section unless it is only a link inside a private part already open
    (`continued`); returns the new section, or None when it continues the open one."""
    link = _LINK_LINE.match(title)
    is_link = link is not None
    if link is not None:
        private.pointers.append(link[0])
        if title[link.end() :].strip(" ,.;:"):
            private.left_out += 1
    known = is_heading(title)
    if not is_link and not known:
        private.left_out += 1  # a private heading with more words: they may be private
    opened = None
    if not (is_link and continued):
        opened = OutSection(title if known and not is_link else "Private Part", [], block.where)
        facts.sections.append(opened)
    if private.where is None:
        private.where = block.where
    _private_lines(block.lines, private)
    return opened


def _finish_log(
    facts: Extracted, lines: list[SrcLine], raw: bool, dropped: Dropped, where: Where
) -> None:
    log = convert_log(lines, raw)
    dropped.macros += log.dropped.macros
    facts.history = log.lines
    for entry in log.lines:  # a sub-log opened by a line of the log, not by a heading
        sublog = _SUBLOG.match(entry.text.removeprefix("### ")) if entry.heading else None
        opens = sublog is not None and not entry.text.lower().startswith("### eot")
        if opens and sublog is not None and sublog["case"] not in facts.merged_from:
            facts.merged_from.append(sublog["case"])
    for line in log.paragraphs:
        facts.report(
            line.where,
            "text in the History Log that is no entry: kept in its place, as quoted text of the "
            "entry above it (an undated entry when none is above it)",
        )
    if not any(not line.heading for line in log.lines):
        facts.report(
            where, "the History Log has no entries in this export (rendered pages lose them)"
        )
        facts.notes.append(NOTE_NO_LOG)


def _private_lines(lines: list[SrcLine], private: PrivatePart) -> None:
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        rest = text
        for match in _INCLUDE.finditer(text):
            private.pointers.append("wiki page " + match["target"].strip())
            rest = rest.replace(match[0], " ")
        for link in WIKI_LINK.finditer(text):
            target, label = link["target"].strip(), (link["label"] or "").strip()
            if _PRIV_PAGE.search(target):
                private.pointers.append("wiki page " + target)
            rest = rest.replace(link[0], label or " ")
        if "<>" in rest:
            private.include_seen = True
            rest = rest.replace("<>", " ")
        rest = rest.strip()
        pointer = _LINK_LINE.search(rest)
        if pointer is not None:
            private.pointers.append(pointer[0])
            before, after = rest[: pointer.start()], rest[pointer.end() :]
            if before.strip(" ,.;:").lower() not in ("", "private part") or after.strip(" ,.;:"):
                private.left_out += 1
            continue
        if rest.strip():
            private.left_out += 1


def _settle_private(facts: Extracted, private: PrivatePart, section: OutSection | None) -> None:
    if section is None:
        return
    where = private.where or section.where
    pages = [p for p in private.pointers if p.startswith("wiki page ")]
    links = [p for p in private.pointers if not p.startswith("wiki page ")]
    for pointer in links:
        section.lines.insert(
            len(section.lines) - (1 if section.lines[-1:] == ["EOT Private Part"] else 0), pointer
        )
    for page in pages:
        target = page.removeprefix("wiki page ")
        line = (
            f"Included on the wiki from `{target}`"
            if _PRIV_PAGE.search(target)
            else f"Link to the private part: wiki page `{target}`"
        )
        section.lines.insert(0, line)
    if pages:
        access = next(
            (
                re.sub(r"^.*?\(private part\),?\s*", "", p, flags=re.I)
                for p in links
                if "access" in p.lower()
            ),
            "",
        )
        facts.private = ", ".join([p for p in pages] + ([access] if access else []))
    elif links:
        facts.private = links[0]
    elif private.include_seen:
        facts.private = INCLUDED_UNNAMED
        facts.notes.append(NOTE_INCLUDED)
    if private.left_out:
        facts.report(
            where,
            f"{private.left_out} line(s) of private-part text left out: only the pointer is "
            "imported",
        )
        facts.notes.append(
            f"{private.left_out} line(s) of the private part were left out; only the pointer is "
            "kept."
        )
