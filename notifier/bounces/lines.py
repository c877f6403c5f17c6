"""`docket bounces classify`: one line per recipient of each message, never an exception."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from notifier.bounces.classes import AUTO_REPLY, COMPLAINT, DELIVERED, OTHER, classify, status_in
from notifier.bounces.derive import DERIVED, REPORT, TEXT, derived_status
from notifier.bounces.findings import Finding, Parsed
from notifier.bounces.mailboxes import Item, messages
from notifier.bounces.parse import parse
from notifier.bounces.readers.known import reasons_for

# Formats no reader recognised: their reports are kept as `other` and said so, once per message.
UNRECOGNISED = ("text", "none")

_NOT_BOUNCE = {"auto-reply": AUTO_REPLY, "complaint": COMPLAINT}
Line = dict[str, Any]


def finding_class(finding: Finding, format_name: str = "") -> tuple[str, bool]:
    """(class, permanent) of one finding, auto-replies and complaints included; `format_name`
    (the reader's) adds that MTA family's own wording to the shared phrases."""
    if finding.action in _NOT_BOUNCE:
        return _NOT_BOUNCE[finding.action], False
    if finding.action in ("delivered", "relayed", "expanded"):
        return DELIVERED, False
    return classify(
        finding.status, finding.reply, finding.action, reasons_for(format_name), finding.context
    )


def status_of(finding: Finding, parsed: Parsed, klass: str) -> tuple[str | None, str | None]:
    """(status, where it came from): the report's, a code in the text, or derived (marked)."""
    quoted = status_in(finding.reply) if finding.reply else None
    if finding.status:
        generic = finding.status.endswith((".0.0", ".1.0"))
        if generic and quoted and quoted != finding.status and quoted[0] == finding.status[0]:
            return quoted, TEXT  # "Status: 5.1.0" with "550 5.1.1 ...": the server's finer code
        return finding.status, REPORT if parsed.format == "rfc3464" else TEXT
    if quoted is not None:
        return quoted, TEXT
    if finding.action not in ("failed", "delayed"):
        return None, None
    first = reasons_for(parsed.format)
    derived = derived_status(klass, finding.reply, finding.context, finding.action, first)
    return (derived, DERIVED) if derived is not None else (None, None)


def unrecognised_note(parsed: Parsed) -> str | None:
    """`unrecognised report from HOST: kept as other` for a report no reader knows that gave no
    class, so that a critical can send us the sample; None otherwise."""
    if parsed.format not in UNRECOGNISED or parsed.kind in ("auto-reply", "complaint"):
        return None
    if any(finding_class(f, parsed.format)[0] != OTHER for f in parsed.findings):
        return None
    return f"unrecognised report from {parsed.reporter or 'an unknown host'}: kept as other"


def lines_of(where: str, parsed: Parsed) -> list[Line]:
    """The output lines for one parsed message, in the report's order; the first carries the
    `note` of an unrecognised report."""
    note = unrecognised_note(parsed)
    if not parsed.findings:
        line = _line(where, None, None, OTHER, False, "", parsed, "none")
        line["status_source"] = None
        if note:
            line["note"] = note
        return [line]
    out = []
    for finding in parsed.findings:
        klass, permanent = finding_class(finding, parsed.format)
        status, source = status_of(finding, parsed, klass)
        line = _line(
            where,
            finding.recipient,
            status,
            klass,
            permanent,
            finding.reply,
            parsed,
            finding.action,
        )
        line["status_source"] = source
        out.append(line)
    if note:
        out[0]["note"] = note
    return out


def _line(
    where: str,
    recipient: str | None,
    status: str | None,
    klass: str,
    permanent: bool,
    reply: str,
    parsed: Parsed,
    action: str,
) -> Line:
    return {
        "file": where,
        "recipient": recipient,
        "status": status,
        "class": klass,
        "permanent": permanent,
        "reply": reply,
        "mta": parsed.mta,
        "format": parsed.format,
        "action": action,
    }


def classify_item(item: Item) -> list[Line]:
    """Lines for one mailbox item; a read or parse failure is one line with an `error`."""
    if item.data is None:
        return [{"file": item.where, "error": item.error or "cannot read"}]
    try:
        return lines_of(item.where, parse(item.data))
    except Exception as exc:  # a parser bug must cost one line, not the run
        return [{"file": item.where, "error": f"cannot parse: {type(exc).__name__}: {exc}"}]


def classify_paths(paths: Iterable[Path]) -> Iterator[Line]:
    for item in messages(paths):
        yield from classify_item(item)


def as_json(line: Line) -> str:
    return json.dumps(line, ensure_ascii=False)


def as_text(line: Line) -> str:
    """`where: recipient: class status (permanent): reply` for a person."""
    if "error" in line:
        return f"{line['file']}: error: {line['error']}"
    note = f"{line['file']}: {line['note']}\n" if line.get("note") else ""
    kind = "permanent" if line["permanent"] else "temporary"
    if line["class"] in ("auto-reply", "complaint", "delivered", "other"):
        kind = "not a bounce" if line["class"] != "other" else "unclassified"
    status = f" {line['status']}" if line["status"] else ""
    if line["status"] and line.get("status_source") == DERIVED:
        status += " (derived)"
    return note + (
        f"{line['file']}: {line['recipient'] or '(no recipient)'}: {line['class']}{status} "
        f"({kind}): {line['reply']}"
    )
