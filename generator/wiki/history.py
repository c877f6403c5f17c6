"""History-log lines in every shape the wiki wrote them, as the case file's log syntax.

` . 2014-04-08 (A): text` (raw), `- 2014-04-08 (A): text` (print), without the colon, without the
parentheses (`2014-04-08 A: text`), without the bullet, without an actor, undated dialogue lines
(`C: text`), sub-bullets under an entry. Text that fits none of them stays where it is: quoted under
the entry above it, or an undated entry without actor when no entry is above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.wiki.facts import LogLine
from generator.wiki.markup import Dropped, inline
from generator.wiki.shapes import SrcLine
from generator.wiki.wrap import unwrap

_DATE = r"\d{4}-\d{2}-\d{2}(?:/(?:\d{4}-\d{2}-\d{2}|\d{2}-\d{2}|\d{2}))?"
_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?P<bullet>[.*-])[ \t]+")
_ENTRY = re.compile(
    rf"^(?P<date>{_DATE})?[ \t]*"
    r"(?:\((?P<actors>[^()]*)\)[ \t]*:?|(?P<bare>[A-Za-z][\w.\-]{0,24})[ \t]*:(?=\s|$))?"
    r"[ \t]*(?P<text>.*)$"
)
# An undated `X: text` line is dialogue only when X looks like a role code or a team.
_DIALOGUE_ACTOR = re.compile(
    r"^(?:[A-Z]{1,4}\d{0,2}|iCM|[Ss]upport|[Bb]oard|DRO|[Tt]riage|[Ss]oftware|[Cc]ritical)$"
)
_SUBLOG = re.compile(r"^(?:EOT[ \t]+)?log from case[ \t]+a\d{8}\.\d+", re.I)


@dataclass(slots=True)
class ConvertedLog:
    lines: list[LogLine] = field(default_factory=list)
    dropped: Dropped = field(default_factory=Dropped)
    # free text between entries (an arbitrator's reasoning): kept in place, quoted under the
    # entry above it, or as an undated entry without actor when no entry is above it
    paragraphs: list[SrcLine] = field(default_factory=list)


def _text(text: str, raw: bool, dropped: Dropped, emphasis: bool = False) -> str:
    """An entry's text (emphasis marks dropped: the archive shows log entries as plain text with
    code and links), or with `emphasis` a quoted paragraph's (shown as Markdown)."""
    return inline(text, dropped, emphasis) if raw else re.sub(r"[ \t]+", " ", text).strip()


def convert_log(lines: list[SrcLine], raw: bool) -> ConvertedLog:
    result = ConvertedLog()
    lines = lines if raw else _unwrapped(lines)  # printed pages: wrapped lines joined again
    entries = 0  # in the current group: quotes and sub-bullets need an entry above them
    block: list[str] | None = None
    # the last line written was free text (a paragraph quoted under an entry); `gap`: a blank
    # line (raw) or a new line (rendered, one paragraph a line) came since
    in_text = False
    gap = False
    for line in lines:
        text = line.text
        if block is not None:  # a {{{ }}} block under an entry: quoted text of that entry
            head, closed, _ = text.partition("}}}")
            if head.strip():
                block.append(head.rstrip().replace("```", "'''"))
            if closed:
                result.lines.extend(LogLine(q, line.where) for q in ["```", *block, "```"])
                block = None
            continue
        if not text.strip():
            gap = True
            continue
        stripped = text.strip()
        quoting = stripped.startswith(">") or (
            raw and stripped.startswith("{{{") and "}}}" not in stripped
        )
        if quoting and not entries:
            # quoted text with no entry above it (right after a sub-heading): an undated entry
            # without actor holds it, so that it stays where it is
            result.paragraphs.append(line)
            result.lines.append(LogLine("- undated ():", line.where))
            entries += 1
        if quoting and stripped.startswith(">"):
            result.lines.append(LogLine(_text(stripped, raw, result.dropped, True), line.where))
            in_text = False
            continue
        if quoting:
            block = [stripped[3:].strip()] if stripped[3:].strip() else []
            in_text = False
            continue
        unbold = re.sub(r"'{2,}", "", stripped).strip()  # a bold sub-log heading too
        if _SUBLOG.match(unbold) or stripped.startswith("### "):
            title = unbold if _SUBLOG.match(unbold) else stripped.removeprefix("### ").strip()
            result.lines.append(LogLine("### " + title, line.where, heading=True))
            entries = 0
            continue
        bullet = _BULLET.match(text)
        indent = len(bullet["indent"].expandtabs(2)) if bullet else 0
        body = text[bullet.end() :] if bullet else stripped
        sub = bullet is not None and entries > 0 and indent >= (2 if raw else 1)
        match = _ENTRY.match(body.strip())
        if sub and (match is None or not match["date"]):
            result.lines.append(LogLine("  - " + _text(body, raw, result.dropped), line.where))
            continue
        converted = _entry(match, raw, result.dropped) if match else None
        if converted is None:
            quoted = bool(entries) and bullet is None
            paragraph = _text(body.strip() if bullet else stripped, raw, result.dropped, quoted)
            result.paragraphs.append(line)
            if bullet is not None:  # a log item without date or actor: undated, no actor
                entries += 1
                result.lines.append(LogLine(f"- undated (): {paragraph}", line.where))
                in_text, gap = False, False
                continue
            if entries and in_text and (gap or not raw):
                result.lines.append(LogLine(">", line.where))  # a new paragraph of the quote
            if entries:
                result.lines.append(LogLine("> " + paragraph, line.where))
                in_text, gap = True, False
            else:
                entries += 1  # the text is an entry of its own: what follows may quote it
                result.lines.append(LogLine(f"- undated (): {paragraph}", line.where))
                in_text, gap = False, False
            continue
        in_text, gap = False, False
        entries += 1
        result.lines.append(LogLine(converted, line.where))
    if block is not None:
        result.lines.extend(LogLine(q, lines[-1].where) for q in ["```", *block, "```"])
    return result


def _unwrapped(lines: list[SrcLine]) -> list[SrcLine]:
    """A printed or rendered page's log: a hard-wrapped entry or paragraph is one line again."""
    return unwrap(
        lines,
        lambda line: line.text,
        lambda a, b: SrcLine(a.text.rstrip() + " " + b.text.strip(), a.where),
    )


def _entry(match: re.Match[str], raw: bool, dropped: Dropped) -> str | None:
    date, actors, bare = match["date"], match["actors"], match["bare"]
    text = _text(match["text"], raw, dropped)
    if actors is not None:
        who = re.sub(r"\s+", " ", actors.strip())
    elif bare is not None and (date or _DIALOGUE_ACTOR.match(bare)):
        who = bare
    elif date:
        who = ""
    else:
        return None
    if not text and not who:
        return None
    if date:
        return f"- {date} ({who}): {text}".rstrip()
    if actors is not None:
        return f"- ({who}): {text}".rstrip()  # the wiki's own continuation of the date above
    return f"- undated ({who}): {text}".rstrip()
