"""Write the extracted facts as case-file text (format v2: `unknown`, status words as written,
`side`/`formerly` for parties, `until: unknown` for former officers, `undated` log entries,
`allow:` acknowledgements).

The YAML is written by hand so that it reads like a hand-written case file: flow mappings for
parties and officers, plain scalars where YAML keeps them text, JSON-style quotes otherwise.
"""

from __future__ import annotations

import json
import re
from datetime import date

from generator.model import UNKNOWN, Unknown
from generator.wiki.facts import Extracted, OfficerFact, PartyFact

_PLAIN = re.compile(r"^[^\W\d_][\w .'()/+-]*$")
_PLAIN_BLOCK = re.compile(r"^[^\W\d_][\w .,'()/+\[\]-]*$")
_RESERVED = frozenset(
    {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "unknown", "undated", "none", "~"}
)
_IMPORT_NOTES = "Import Notes"


def scalar(value: str | int | date | Unknown | None, flow: bool = True) -> str:
    if value is UNKNOWN:
        return "unknown"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    text = str(value)
    pattern = _PLAIN if flow else _PLAIN_BLOCK
    if (
        pattern.match(text)
        and not text.endswith(" ")
        and text.lower() not in _RESERVED
        and " #" not in text
        and ": " not in text
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def _text_value(key: str, value: str | Unknown) -> list[str]:
    if isinstance(value, str) and "\n" in value:
        return [f"{key}: |-", *("  " + line if line else "" for line in value.split("\n"))]
    return [f"{key}: {scalar(value, flow=False)}"]


def _party(p: PartyFact) -> str:
    items: list[tuple[str, str]] = []
    if p.role:
        items.append(("role", p.role))
    else:
        items.append(("side", p.side))
    if p.formerly:
        items.append(("formerly", "[" + ", ".join(p.formerly) + "]"))
    items.append(("name", scalar(p.name)))
    if p.note:
        items.append(("note", scalar(p.note)))
    if p.joined:
        items.append(("joined", p.joined.isoformat()))
    if p.left is not None:
        items.append(("left", scalar(p.left)))
    return "  - {" + ", ".join(f"{k}: {v}" for k, v in items) + "}"


def _officer(o: OfficerFact) -> str:
    items = [("role", o.role), ("name", scalar(o.name))]
    if o.account and o.account != o.name:
        items.append(("account", scalar(o.account)))
    if o.former:
        items.append(("until", "unknown"))
    if o.note:
        items.append(("note", scalar(o.note)))
    return "  - {" + ", ".join(f"{k}: {v}" for k, v in items) + "}"


def _flow_list(values: list[str] | list[int]) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def front_matter(facts: Extracted, allow: dict[str, str]) -> list[str]:
    out = ["---", f"case: {facts.number}"]
    status = facts.status_written if facts.status_written is not None else facts.status
    out.append(f"status: {scalar(status, flow=False)}")
    out.extend(_text_value("complaint", facts.complaint))
    if facts.relief:
        out.extend(_text_value("relief", facts.relief))
    for key in ("started", "ruled", "closed"):
        value = getattr(facts, key)
        if value is not None:
            out.append(f"{key}: {scalar(value)}")
    if facts.parties:
        out.append("parties:")
        out.extend(_party(p) for p in facts.parties)
    else:
        out.append("parties: []")
    if facts.officers:
        out.append("officers:")
        out.extend(_officer(o) for o in facts.officers)
    if facts.rulings:
        out.append("rulings:")
        for ruling in facts.rulings:
            final = ", final: true" if ruling.final else ""
            out.append(f"  - {{title: {scalar(ruling.title)}, date: {scalar(ruling.date)}{final}}}")
    refs = facts.refs
    listed = [(k, getattr(refs, k)) for k in ("issues", "motions", "bugs", "cases", "policies")]
    if any(values for _, values in listed):
        out.append("refs:")
        out.extend(f"  {k}: {_flow_list(v)}" for k, v in listed if v)
    if facts.private:
        out.append(f"private: {scalar(facts.private, flow=False)}")
    if facts.merged_from:
        out.append(f"merged_from: {_flow_list(facts.merged_from)}")
    if allow:
        out.append("allow:")
        out.extend(
            f"  {code}: {scalar(reason, flow=False)}" for code, reason in sorted(allow.items())
        )
    out.append("---")
    return out


def _kind(line: str) -> str:
    stripped = line.lstrip()
    if not stripped:
        return "blank"
    if stripped.startswith(("- ", "* ")) or re.match(r"^\d+\. ", stripped):
        return "list"
    if stripped.startswith("|"):
        return "table"
    if stripped.startswith(">"):
        return "quote"
    return "text"


def _paragraphs(lines: list[str], separate: bool) -> list[str]:
    """Blank lines where Markdown needs them: between blocks of different kinds, and between
    text lines of printed or rendered pages (each was a paragraph of its own there)."""
    out: list[str] = []
    fenced = False
    previous = "blank"
    for line in lines:
        if line.startswith("```"):
            if not fenced and previous != "blank":
                out.append("")
            out.append(line)
            fenced = not fenced
            previous = "blank" if not fenced else "fence"
            if not fenced:
                out.append("")
            continue
        if fenced:
            out.append(line)
            continue
        kind = _kind(line)
        if kind == "blank":
            if previous != "blank":
                out.append("")
            previous = "blank"
            continue
        if line.startswith("#"):
            if previous != "blank":
                out.append("")
            out.extend([line, ""])
            previous = "blank"
            continue
        if previous != "blank" and (kind != previous or (kind == "text" and separate)):
            out.append("")
        out.append(line)
        previous = kind
    while out and not out[-1]:
        out.pop()
    return out


def _log_lines(facts: Extracted) -> list[str]:
    """Entries one per line; quoted text directly under its entry; sub-headings apart."""
    out: list[str] = []
    for line in facts.history:
        if line.heading:
            if out and out[-1]:
                out.append("")
            out.extend([line.text, ""])
        else:
            out.append(line.text)
    while out and not out[-1]:
        out.pop()
    return out


def body(facts: Extracted) -> list[str]:
    separate = True
    out: list[str] = []
    if facts.intro:
        out.extend(_paragraphs(facts.intro, separate))
        out.append("")
    for section in facts.sections:
        out.extend([f"## {section.title}", ""])
        if section.title == facts.history_title:
            out.extend(_log_lines(facts))
        else:
            out.extend(_paragraphs(section.lines, separate))
        if out[-1] != "":
            out.append("")
    notes = notes_section(facts)
    if notes:
        out.extend([f"## {_IMPORT_NOTES}", "", *notes, ""])
    while out and not out[-1]:
        out.pop()
    return out


def notes_section(facts: Extracted) -> list[str]:
    lines: list[str] = []
    for note in facts.notes:
        lines.append(f"- {note}")
    return lines


def case_text(facts: Extracted, allow: dict[str, str] | None = None) -> str:
    lines = [*front_matter(facts, allow or {}), *body(facts)]
    return "\n".join(lines) + "\n"
