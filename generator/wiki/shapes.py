"""Read a page's bytes, tell which of the three shapes it is, and cut it into positioned lines.

The same wiki page comes out as raw MoinMoin source (often flattened onto one line), as a printed
rendering that keeps the `- Field: value` header, or as a rendered page whose header is gone.
Later steps work on `SrcLine`s that remember where on the page they were.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from enum import StrEnum

from generator.wiki.facts import Where


class Shape(StrEnum):
    RAW = "raw"
    PRINT = "print"
    RENDERED = "rendered"


class PageError(Exception):
    """The page cannot be imported at all; the message says why and what to do."""

    def __init__(self, where: Where, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


@dataclass(frozen=True, slots=True)
class SrcLine:
    text: str
    where: Where


def decode(data: bytes) -> str:
    """UTF-8 text with \\n line ends; PageError naming the first bad byte otherwise."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise PageError(Where(line), "the file is binary (NUL byte), not an exported wiki page")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PageError(
            Where(line, col),
            f"byte 0x{data[exc.start]:02x} is not UTF-8: export the page again as UTF-8 "
            "(or convert it, e.g. iconv -f latin1 -t utf-8)",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Header labels as the wiki wrote them (see the layout reference, section a).
HEADER_LABEL = (
    r"(?:(?:new|first)\s+)?(?:initial|inital)\s+case\s+manager|(?:former\s+)?case\s+manager"
    r"|(?:former\s+|supervising\s+)?arbitrator|case\s+number|status|claimants?(?:\s*\d+)?"
    r"|respondents?(?:\s*\d+)?|date\s+of\s+arbitration\s+start|date\s+of\s+ruling"
    r"|case\s+closed|complaint|relief"
)
_PRINT_MARK = re.compile(r"^[ \t]*-[ \t]*Case Number[ \t]*:", re.M | re.I)
_RAW_MARK = re.compile(
    r"(?:^|\s)\*[ \t]+Case Number[ \t]*:|^[ \t]*(={2,6})[ \t].*?[ \t]\1[ \t]*$"
    r"|(?:^|\s)\.[ \t]\d{4}-\d\d-\d\d|<<Include\(|(?:^|\s)(={2,6}) [^=\n]+ \2(?:\s|$)",
    re.M | re.I,
)
_RAW_CUTS = re.compile(
    rf"(?<=\s)\*\s+(?=(?:{HEADER_LABEL})\s*:)"
    r"|(?<=\s)\*[ \t]+(?=[^\s*])"  # a list item
    r"|(?<=\w[.!?]\s)(?=\d{4}-\d\d-\d\d[ \t]*\()"  # a dated entry after a sentence
    r"|(?<=[^\s.]\s)(?=\d{4}-\d\d-\d\d[ \t]*\([^()]{1,30}\):)"  # or with actor and colon
    r"|(?<=\s)(?='''\s*Before\s*:|(?:Review\s+)?Before\s*:)"
    r"|(?<!\S)(?P<heading>(?P<eq>={1,6}) \S.*? (?P=eq))(?!\S)"
    r"|(?<=\s)\.\s(?=\d{4}-\d\d-\d\d|\()"
    r"|(?<=\s)(?=EOT log from case)"
    r"|(?<=\|\|)\s+(?=\|\|)",
    re.I,
)


def detect(text: str) -> Shape:
    if _PRINT_MARK.search(text):
        return Shape.PRINT
    if _RAW_MARK.search(text):
        return Shape.RAW
    return Shape.RENDERED


def is_flattened(text: str, shape: Shape) -> bool:
    """Raw source whose line breaks were lost: (almost) everything on one long line."""
    return shape is Shape.RAW and text.strip().count("\n") <= 1 and len(text) > 200


def split_lines(text: str, shape: Shape) -> list[SrcLine]:
    """The page as lines; a flattened raw page is cut before each header item, heading and
    log entry, and each piece keeps its column on line 1."""
    if not is_flattened(text, shape):
        plain = [SrcLine(line.rstrip(), Where(n)) for n, line in enumerate(text.split("\n"), 1)]
        if shape is Shape.RAW:  # a heading glued to other text must still end what is above it
            return [piece for line in plain for piece in _heading_pieces(line)]
        return plain
    lines: list[SrcLine] = []
    for number, physical in enumerate(text.split("\n"), 1):
        cuts = {0, len(physical)}
        for match in _RAW_CUTS.finditer(physical):
            if match["heading"]:
                cuts.update((match.start("heading"), match.end("heading")))
            else:
                cuts.add(match.start())
        cuts.update(_numbered_items(physical))
        ordered = sorted(cuts)
        for start, end in itertools.pairwise(ordered):
            piece = physical[start:end]
            stripped = piece.strip()
            if stripped:
                col = start + (len(piece) - len(piece.lstrip())) + 1
                lines.append(SrcLine(stripped, Where(number, col)))
    return lines


_NUMBERED = re.compile(r"(?<=\s)(\d{1,2})\.[ \t]+(?=[A-ZÄÖÜ])")


def _numbered_items(text: str) -> set[int]:
    """Where the items of a numbered list start on a flattened line: "1. Identity 2. Points
    3. Selection" (a number counts only next to the one before or after it, so "section 5. The"
    alone cuts nothing)."""
    found = [(int(m[1]), m.start()) for m in _NUMBERED.finditer(text)]
    numbers = {n for n, _ in found}
    return {at for n, at in found if n - 1 in numbers or n + 1 in numbers}


_INLINE_HEADING = re.compile(r"(?<!\S)(?P<eq>={2,6}) \S.*? (?P=eq)(?!\S)")


def _heading_pieces(line: SrcLine) -> list[SrcLine]:
    """A raw line cut before and after a `== Heading ==` that does not start it."""
    text = line.text
    if "= " not in text:
        return [line]
    found = list(_INLINE_HEADING.finditer(text))
    if len(found) == 1 and found[0].group(0) == text.strip():
        return [line]  # one heading, the whole line (`== A == text == B ==` is two and text)
    cuts = {0, len(text)}
    for match in _INLINE_HEADING.finditer(text):
        cuts.update((match.start(), match.end()))
    ordered = sorted(cuts)
    pieces = []
    for start, end in itertools.pairwise(ordered):
        piece = text[start:end]
        if piece.strip():
            col = start + (len(piece) - len(piece.lstrip())) + 1
            keep = piece.rstrip() if start == 0 else piece.strip()
            pieces.append(SrcLine(keep, Where(line.where.line, col if start else None)))
    return pieces or [line]
