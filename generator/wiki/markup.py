"""MoinMoin markup to Markdown: links, bold and italics, `{{{ }}}` blocks, `||` tables, list
bullets, and the macros that exports reduce to `<>` (counted, so that nothing goes silently).

Printed and rendered pages hold no markup; their lines only get the escapes Markdown needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.wiki.wrap import unwrap_texts

# `[[target]]` or `[[target|label]]`; generator/wiki/sections.py reads the same links.
WIKI_LINK = re.compile(r"\[\[(?P<target>[^|\]]*)(?:\|(?P<label>[^\]]*))?\]\]")
_CASE_PAGE = re.compile(r"^(?:Arbitrations/)?(a\d{8}\.\d+)$")
_BOLD = re.compile(r"'''(.+?)'''")
_ITALIC = re.compile(r"''(.+?)''")
_INLINE_CODE = re.compile(r"\{\{\{(.+?)\}\}\}")
_INCLUDE = re.compile(r"<<Include\((?P<target>[^)]*)\)>>", re.I)
_MACRO = re.compile(r"<<[^<>]*>>|<>")
_URL = re.compile(r"^(?:https?|ftp|mailto):", re.I)
_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?:[.*]|\d+\.)[ \t]+(?P<text>.*)$")
_PROCESSING = re.compile(r"#(?:acl|format|language|pragma|deprecated|refresh|redirect)\b", re.I)
_RULE_LIKE = re.compile(r"^[ \t]*(?:=+|-{2,}|_{3,}|\*{3,})[ \t]*$")


@dataclass(slots=True)
class Dropped:
    """What conversion left out: macros (`<>`) and `##` template comments."""

    macros: int = 0
    comments: int = 0


def _link(match: re.Match[str], markdown: bool) -> str:
    target = match["target"].strip()
    label = (match["label"] or "").strip()
    case = _CASE_PAGE.match(target)
    if case:
        return label if label and label != case[1] and not markdown else case[1]
    if _URL.match(target):
        if not markdown:
            return label or target
        return f"[{label}]({target})" if label else f"<{target}>"
    if markdown and label and label not in (target, target.rsplit("/", 1)[-1]):
        return f"{label} (wiki page `{target}`)"  # the target is kept: it names the page
    return label or target


# MoinMoin's `!WikiName` only stops the word from becoming a link: the `!` is no text.
_NO_LINK = re.compile(r"(?<![\w!])!(?=[A-Z][a-z0-9]+[A-Z])")


def plain(text: str) -> str:
    """A header value without markup: links become their label, bold marks go."""
    text = WIKI_LINK.sub(lambda m: _link(m, markdown=False), text)
    text = _NO_LINK.sub("", text)
    text = _BOLD.sub(r"\1", text)
    text = _ITALIC.sub(r"\1", text)
    return text.strip()


def inline(text: str, dropped: Dropped, emphasis: bool = True) -> str:
    """One line of raw markup as Markdown; without `emphasis` bold and italics lose their marks
    (a history-log entry is shown as text with code and links only, never with `**`)."""
    text = _INCLUDE.sub(lambda m: f"(the wiki includes page {m['target'].strip()} here)", text)
    text, count = _MACRO.subn("", text)
    dropped.macros += count
    text = _INLINE_CODE.sub(lambda m: "`" + m[1].strip().replace("`", "'") + "`", text)
    text = WIKI_LINK.sub(lambda m: _link(m, markdown=True), text)
    text = _NO_LINK.sub("", text)
    text = _BOLD.sub(r"**\1**" if emphasis else r"\1", text)
    text = _ITALIC.sub(r"*\1*" if emphasis else r"\1", text)
    return re.sub(r"[ \t]{2,}", " ", text).rstrip()


def escape_line(text: str) -> str:
    """Keep a text line from becoming a Markdown heading or rule in the case file."""
    stripped = text.lstrip()
    if stripped.startswith("#") or _RULE_LIKE.match(text):
        return text[: len(text) - len(stripped)] + "\\" + stripped
    return text


def _table_row(text: str, dropped: Dropped) -> tuple[list[str], str]:
    """Cells of a `||a||b||` row and any text after its last `||`."""
    body, _, rest = text.strip().rpartition("||")
    cells = body.split("||")[1:] if body.startswith("||") else body.split("||")
    cleaned = [
        inline(re.sub(r"^\s*<[^>]*>", "", c), dropped).strip().replace("|", "\\|") for c in cells
    ]
    return cleaned, rest.strip()


def convert(lines: list[str], raw: bool, dropped: Dropped) -> list[str]:
    """Lines of a section body (raw markup or rendered text) as Markdown lines."""
    if not raw:
        return [escape_line(line.rstrip()) for line in unwrap_texts(lines)]
    out: list[str] = []
    table: list[list[str]] = []
    fence: list[str] | None = None

    def flush_table() -> None:
        if table:
            width = max(len(row) for row in table)
            rows = [row + [""] * (width - len(row)) for row in table]
            out.append("| " + " | ".join(rows[0]) + " |")
            out.append("|" + "---|" * width)
            out.extend("| " + " | ".join(row) + " |" for row in rows[1:])
            table.clear()

    for line in lines:
        if fence is not None:
            if "}}}" in line:
                head, _, tail = line.partition("}}}")
                if head.strip():
                    fence.append(head.rstrip())
                out.extend(["```", *fence, "```"])
                fence = None
                if tail.strip():
                    out.append(escape_line(inline(tail.strip(), dropped)))
            else:
                fence.append(line.rstrip().replace("```", "'''"))
            continue
        stripped = line.strip()
        if (stripped.startswith("##") and not stripped.startswith("###")) or _PROCESSING.match(
            stripped
        ):
            dropped.comments += 1
            continue
        if stripped.startswith("||"):
            cells, rest = _table_row(stripped, dropped)
            table.append(cells)
            if rest:
                flush_table()
                out.append(escape_line(inline(rest, dropped)))
            continue
        flush_table()
        if "{{{" in line and "}}}" not in line.split("{{{", 1)[1]:
            head, _, tail = line.partition("{{{")
            if head.strip():
                out.append(escape_line(inline(head.strip(), dropped)))
            fence = [tail.strip()] if tail.strip() else []
            continue
        bullet = _BULLET.match(line) if line[:1] in " \t.*" else None
        if bullet is not None:
            depth = max(0, len(bullet["indent"].expandtabs(2)) - 1)
            out.append("  " * depth + "- " + inline(bullet["text"], dropped))
            continue
        out.append(escape_line(inline(stripped, dropped)))
    flush_table()
    if fence is not None:
        out.extend(["```", *fence, "```"])
    return out
