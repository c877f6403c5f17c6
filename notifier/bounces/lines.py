"""`docket bounces classify`: one line per recipient of each message, never an exception."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from notifier.bounces.classes import AUTO_REPLY, COMPLAINT, DELIVERED, OTHER, classify, status_in
from notifier.bounces.findings import Finding, Parsed
from notifier.bounces.mailboxes import Item, messages
from notifier.bounces.parse import parse

_NOT_BOUNCE = {"auto-reply": AUTO_REPLY, "complaint": COMPLAINT}
Line = dict[str, Any]


def finding_class(finding: Finding) -> tuple[str, bool]:
    """(class, permanent) of one finding, auto-replies and complaints included."""
    if finding.action in _NOT_BOUNCE:
        return _NOT_BOUNCE[finding.action], False
    if finding.action in ("delivered", "relayed", "expanded"):
        return DELIVERED, False
    return classify(finding.status, finding.reply, finding.action)


def lines_of(where: str, parsed: Parsed) -> list[Line]:
    """The output lines for one parsed message, in the report's order."""
    if not parsed.findings:
        return [_line(where, None, None, OTHER, False, "", parsed, "none")]
    out = []
    for finding in parsed.findings:
        klass, permanent = finding_class(finding)
        status = finding.status or (status_in(finding.reply) if finding.reply else None)
        out.append(
            _line(
                where,
                finding.recipient,
                status,
                klass,
                permanent,
                finding.reply,
                parsed,
                finding.action,
            )
        )
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
    kind = "permanent" if line["permanent"] else "temporary"
    if line["class"] in ("auto-reply", "complaint", "delivered", "other"):
        kind = "not a bounce" if line["class"] != "other" else "unclassified"
    status = f" {line['status']}" if line["status"] else ""
    return (
        f"{line['file']}: {line['recipient'] or '(no recipient)'}: {line['class']}{status} "
        f"({kind}): {line['reply']}"
    )
