"""Mail that comes back but is no bounce: RFC 3834 auto-replies and RFC 5965 ARF complaints."""

from __future__ import annotations

import re
from email.header import decode_header, make_header
from email.message import Message

from notifier.bounces.dsn import blocks_of, typed_value
from notifier.bounces.text import Headers

_AUTO_SUBJECT_RE = re.compile(
    r"^\s*(auto(matic)?[ -]?(reply|response|antwort)|auto:|out of (the )?office|abwesen"
    r"|absence|away from|on vacation|vacation|i am (away|out|on)|r[ée]ponse automatique"
    r"|respuesta autom[aá]tica)",
    re.I,
)
_BOUNCE_SUBJECT_RE = re.compile(
    r"undeliver|deliver(y|ies)? (status|failure|failed|has failed|problem|notification)"
    r"|returned mail|mail delivery|failure notice|non.?delivery|could not be delivered"
    r"|delivery failed|unzustellbar|nicht zustellbar|rejected|not delivered|user unknown"
    r"|delivery failure|^mail (system )?error",
    re.I,
)
_DAEMON_RE = re.compile(
    r"mailer-daemon|postmaster|mail delivery|mail-daemon|mailer@|\bmdaemon@", re.I
)


def looks_like_bounce(headers: Headers) -> bool:
    """From a daemon, with a delivery-failure subject, or Exim's X-Failed-Recipients."""
    if headers.get("X-Failed-Recipients"):
        return True
    sender = headers.get("From")
    subject = decoded(headers.get("Subject"))
    return bool(_DAEMON_RE.search(sender)) or bool(_BOUNCE_SUBJECT_RE.search(subject))


def decoded(value: str) -> str:
    """A header's RFC 2047 encoded words as text ("=?utf-8?B?...?="); as it is when malformed."""
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # a malformed encoded word or charset: the raw value is still a subject
        return value


def is_auto_reply(headers: Headers) -> bool:
    """RFC 3834's Auto-Submitted: auto-replied, the older vacation headers, or the subject."""
    auto = headers.get("Auto-Submitted").lower()
    if auto.startswith("auto-replied"):
        return True
    if any(headers.get(h) for h in ("X-Autoreply", "X-Autorespond", "X-Vacation")):
        return True
    if headers.get("Precedence").lower() == "auto_reply":
        return True
    return bool(_AUTO_SUBJECT_RE.search(headers.get("Subject")))


def complaint_of(report: Message) -> tuple[str, str | None]:
    """(feedback type, complained-about recipient) from a message/feedback-report part."""
    fields: dict[str, str] = {}
    for block in blocks_of(report):
        fields.update(block)
    kind = fields.get("feedback-type", "abuse").split()[0].lower() if fields else "abuse"
    recipient = typed_value(fields.get("original-rcpt-to", "")) or None
    return kind, recipient
