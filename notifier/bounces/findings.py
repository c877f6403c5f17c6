"""What a parsed mail says: per message its kind, per recipient the action, status and reply."""

from __future__ import annotations

from dataclasses import dataclass, field

BOUNCE = "bounce"
AUTO_REPLY = "auto-reply"
COMPLAINT = "complaint"
DELIVERED = "delivered"
OTHER = "other"


@dataclass(frozen=True, slots=True)
class Finding:
    """One recipient named in a report: `action` is RFC 3464's (failed, delayed, delivered...).

    `context` is the report's text, read (above the returned message) for a reason only when
    `reply` gives none (a report that states its reason once for every recipient, or in prose).
    """

    recipient: str | None
    action: str
    status: str | None
    reply: str
    original_recipient: str | None = None
    reply_type: str = "smtp"
    context: str = ""


@dataclass(slots=True)
class Parsed:
    """One message: its kind, its recipients (in the report's order) and what identifies them."""

    kind: str
    format: str
    findings: list[Finding] = field(default_factory=list)
    mta: str | None = None
    date: str | None = None
    delivered_to: list[str] = field(default_factory=list)
    message_ids: list[str] = field(default_factory=list)
    reporter: str | None = None
