"""RFC 3464 delivery-status fields: the per-message block, then one block per recipient.

The email package splits a message/delivery-status body into header blocks; a truncated or
mislabelled report (text/plain holding the fields) is split here by blank lines, so both give
the same fields.
"""

from __future__ import annotations

from email.message import Message

from notifier.bounces.findings import Finding
from notifier.bounces.text import clean, part_text

STATUS_TYPES = ("message/delivery-status", "message/global-delivery-status")
Fields = dict[str, str]


def blocks_of(part: Message) -> list[Fields]:
    """The header blocks of a delivery-status part, field names in lower case."""
    payload = part.get_payload()
    blocks: list[Fields] = []
    if isinstance(payload, list):
        for block in payload:
            if not isinstance(block, Message):
                continue
            fields = {k.lower(): _unfold(clean(str(v))) for k, v in block.items()}
            if fields:
                blocks.append(fields)
        if blocks:
            return blocks
    return blocks_of_text(part_text(part) if not isinstance(payload, list) else "")


def blocks_of_text(text: str) -> list[Fields]:
    """Header blocks from plain text: `Name: value` lines, continuation lines, blank separators."""
    blocks: list[Fields] = []
    current: Fields = {}
    last: str | None = None
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            if current:
                blocks.append(current)
            current, last = {}, None
            continue
        if line[0] in " \t" and last is not None:
            current[last] = _unfold(current[last] + " " + line)
            continue
        name, colon, value = line.partition(":")
        if colon and name and " " not in name.strip():
            last = name.strip().lower()
            current[last] = _unfold(value)
    if current:
        blocks.append(current)
    return blocks


def _unfold(value: str) -> str:
    return " ".join(value.split())


def typed_value(value: str) -> str:
    """`rfc822; a@b` -> `a@b`, `smtp; 550 ...` -> `550 ...` (the address or text after the type)."""
    _kind, semi, rest = value.partition(";")
    text = rest if semi else value
    return (
        text.strip().strip("<>").strip()
        if "@" in text and " " not in text.strip()
        else text.strip()
    )


def findings_of(blocks: list[Fields]) -> tuple[str | None, list[Finding]]:
    """(reporting MTA, one finding per recipient block) in the report's order."""
    mta: str | None = None
    findings: list[Finding] = []
    for fields in blocks:
        if "reporting-mta" in fields and mta is None:
            mta = typed_value(fields["reporting-mta"]) or None
        if not any(k in fields for k in ("final-recipient", "original-recipient", "action")):
            continue
        recipient = typed_value(fields.get("final-recipient", "")) or None
        original = typed_value(fields.get("original-recipient", "")) or None
        status_field = fields.get("status", "")
        status = status_field.split(" ")[0].strip() or None
        raw_diagnostic = fields.get("diagnostic-code", "")
        diagnostic = typed_value(raw_diagnostic)
        if (
            not diagnostic
        ):  # "Status: 5.0.0 (recipient reached disk quota)": the words are the reply
            diagnostic = _comment(status_field)
        reply_type = (
            raw_diagnostic.partition(";")[0].strip().lower() if ";" in raw_diagnostic else ""
        )

        action = _action(fields.get("action", ""))
        findings.append(
            Finding(
                recipient=_address(recipient) or _address(original),
                action=action,
                status=status,
                reply=diagnostic,
                original_recipient=_address(original),
                reply_type=reply_type,
            )
        )
    return mta, findings


def _comment(status_field: str) -> str:
    """The words in parentheses after a status code, unless they only restate RFC 3463's name
    for the code ("Persistent transient failure - ..." says nothing the code does not)."""
    _code, _space, rest = status_field.partition(" ")
    rest = rest.strip()
    if not (rest.startswith("(") and rest.endswith(")")):
        return ""
    words = rest[1:-1].strip()
    lowered = words.lower()
    if lowered.startswith(("persistent transient", "permanent failure", "other or undefined")):
        return ""
    return words


def _action(value: str) -> str:
    """RFC 3464's action, also when misspelt ("fail", "Delayed."); unknown ones count as failed."""
    word = value.strip().split(" ")[0].strip(".;").lower()
    for known in ("failed", "delayed", "delivered", "relayed", "expanded"):
        if word and known.startswith(word[:4]):
            return known
    return "failed"


def _address(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().strip("<>").strip()
    return value if "@" in value else None
