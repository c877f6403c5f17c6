"""One mail in, what it says out: a DSN, an ARF complaint, an auto-reply, a text bounce or other.

The standard library's email package parses (compat32: several times faster than the default
policy, and it never raises on malformed input); only the first MAX_BYTES are read, since what
matters is at the top and a returned message can be large.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from email.message import Message
from email.parser import BytesParser, HeaderParser
from email.policy import compat32

from notifier.bounces import dsn, not_bounces, text_bounces
from notifier.bounces.classes import by_text
from notifier.bounces.findings import (
    AUTO_REPLY,
    BOUNCE,
    COMPLAINT,
    DELIVERED,
    OTHER,
    Finding,
    Parsed,
)
from notifier.bounces.text import Headers, clean, part_text

MAX_BYTES = 256 * 1024
_PARSER = BytesParser(policy=compat32)
_MESSAGE_ID_RE = re.compile(r"^message-id:\s*(<[^<>\s]+>)", re.I | re.M)
_TAG_RE = re.compile(r"<[^>]*>")
_DELIVERED_TO = ("X-Original-To", "Delivered-To", "Envelope-To", "X-Envelope-To", "To")
_DONE = ("delivered", "relayed", "expanded")
# The headers a reader's marks may name (X-Mailer of Exchange or WorkMail, Courier's Message-ID).
_MARK_HEADERS = ("Subject", "From", "Message-ID", "X-Mailer", "X-Original-Mailer", "X-MimeOLE",
                 "X-MS-Embedded-Report", "Content-Type")  # fmt: skip
_HOST_RE = re.compile(r"@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")


class Parts:
    """The parts of a message that matter, without descending into returned messages."""

    def __init__(self, message: Message) -> None:
        self.status: list[Message] = []
        self.feedback: list[Message] = []
        self.texts: list[str] = []
        self.html: list[str] = []
        self.returned: list[str] = []
        self.embedded: list[Message] = []
        self._visit(message, depth=0)

    def _visit(self, part: Message, depth: int) -> None:
        kind = part.get_content_type()
        if part.is_multipart() and not kind.startswith("message/") and depth < 8:
            for sub in part.get_payload():
                if isinstance(sub, Message):
                    self._visit(sub, depth + 1)
            return
        if kind in dsn.STATUS_TYPES:
            self.status.append(part)
        elif kind == "message/feedback-report":
            self.feedback.append(part)
        elif kind in ("message/rfc822", "message/global", "text/rfc822-headers"):
            self.returned.append(_returned_headers(part))
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                self.embedded.append(inner[0])
        elif kind == "text/plain" and not _is_attachment(part):
            self.texts.append(part_text(part))
        elif kind == "text/html" and not _is_attachment(part):
            self.html.append(html.unescape(_TAG_RE.sub(" ", part_text(part))))

    def text(self) -> str:
        return "\n".join(self.texts) if self.texts else "\n".join(self.html)


def _is_attachment(part: Message) -> bool:
    return str(part.get("Content-Disposition", "")).lower().startswith("attachment")


def _returned_headers(part: Message) -> str:
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        inner = payload[0]
        return "\n".join(f"{k}: {clean(str(v))}" for k, v in inner.items())
    if isinstance(payload, str):
        head = HeaderParser(policy=compat32).parsestr(clean(payload[:65536]), headersonly=True)
        return "\n".join(f"{k}: {clean(str(v))}" for k, v in head.items())
    return ""


def parse(raw: bytes) -> Parsed:
    """What one mail says; malformed input gives `other` or a partial report, never an error."""
    message = _PARSER.parsebytes(raw[:MAX_BYTES])
    parts = Parts(message)
    if not (parts.status or parts.feedback) and parts.embedded:
        # a report forwarded whole (beside a disclaimer at most): read the report; a bounce of a
        # bounce says in its own words what happened, and its returned report stays returned
        inner = parts.embedded[0]
        if inner.get_content_type() == "multipart/report" and (
            text_bounces.detect_format(parts.text(), "") == "text"
        ):
            message, parts = inner, Parts(inner)
    headers = Headers(message)
    text = parts.text()
    sender = headers.get("From")
    parsed = Parsed(kind=OTHER, format="none", date=headers.get("Date") or None)
    for name in _DELIVERED_TO:
        parsed.delivered_to += headers.get_all(name)
    parsed.message_ids = _MESSAGE_ID_RE.findall("\n".join(parts.returned)) or (
        _MESSAGE_ID_RE.findall(text)
    )
    ignore = {a.lower() for a in _addresses(sender)}
    ignore.update(a.lower() for v in parsed.delivered_to for a in _addresses(v))
    if parts.feedback:
        kind, recipient = not_bounces.complaint_of(parts.feedback[0])
        if recipient is None:
            recipient = _first_to("\n".join(parts.returned))
        parsed.kind, parsed.format = COMPLAINT, "arf"
        parsed.findings = [Finding(recipient, "complaint", None, f"feedback-type: {kind}")]
        return parsed
    if parts.status:
        blocks = [b for part in parts.status for b in dsn.blocks_of(part)]
        mta, findings = dsn.findings_of(blocks)
        if findings:
            parsed.mta = mta
            parsed.format = "rfc3464"
            parsed.reporter = _reporter(parsed, headers)
            parsed.findings = [
                replace(f, context=text) for f in _with_text_replies(findings, text, ignore)
            ]
            done = all(f.action in _DONE for f in findings)
            parsed.kind = DELIVERED if done else BOUNCE
            return parsed
    if not_bounces.is_auto_reply(headers) and not not_bounces.looks_like_bounce(headers):
        parsed.kind, parsed.format = AUTO_REPLY, "rfc3834"
        who = next(iter(_addresses(sender)), None)
        parsed.findings = [Finding(who, "auto-reply", None, headers.get("Subject")[:160])]
        return parsed
    shape = text_bounces.detect_format(text, sender)
    if parts.status or not_bounces.looks_like_bounce(headers) or shape != "text":
        failed = [a for v in headers.get_all("X-Failed-Recipients") for a in _addresses(v)]
        marked = "\n".join(f"{h}: {headers.get(h)}" for h in _MARK_HEADERS if headers.get(h))
        parsed.kind = BOUNCE
        parsed.format = text_bounces.detect_format(text, sender, marked)
        parsed.findings = [
            replace(f, context=text)
            for f in text_bounces.find_failures(text, ignore, failed)
            or [Finding(None, "failed", None, text_bounces.find_reply(text))]
        ]
        parsed.reporter = _reporter(parsed, headers)
    elif not parsed.findings:
        parsed.reporter = _reporter(parsed, headers)
    return parsed


def _reporter(parsed: Parsed, headers: Headers) -> str | None:
    """The host that wrote the report: its Reporting-MTA, else its sender's or Message-ID's host."""
    if parsed.mta:
        return parsed.mta
    for name in ("From", "Message-ID", "Return-Path"):
        found = _HOST_RE.search(headers.get(name))
        if found is not None:
            return found[1].lower()
    return None


def _with_text_replies(findings: list[Finding], text: str, ignore: set[str]) -> list[Finding]:
    """A DSN's reply is its Diagnostic-Code; where that is missing or no SMTP reply (Postfix's
    `x-unix; input/output error`), the human-readable part's words for that recipient."""
    if all(f.reply and f.reply_type == "smtp" for f in findings):
        return findings
    by_address = {
        (f.recipient or "").lower(): f.reply for f in text_bounces.find_failures(text, ignore)
    }
    out = []
    for f in findings:
        better = by_address.get((f.recipient or "").lower(), "") or by_address.get(
            (f.original_recipient or "").lower(), ""
        )
        weak = not f.reply or f.reply_type != "smtp"
        # the text's words, unless only the DSN's own words name a reason
        if better and weak and (not f.reply or by_text(better) or not by_text(f.reply)):
            f = replace(f, reply=better)
        out.append(f)
    return out


_ADDRESS_RE = text_bounces.ADDRESS_RE


def _addresses(value: str) -> list[str]:
    return [m[1] for m in _ADDRESS_RE.finditer(value)]


def _first_to(headers: str) -> str | None:
    for line in headers.split("\n"):
        if line.lower().startswith("to:"):
            found = _addresses(line)
            if found:
                return found[0]
    return None
