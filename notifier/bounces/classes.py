"""Bounce classes: RFC 3463 status code first, the diagnostic text only where the code is generic.

The classes answer 2014's question ("dead addresses, misconfigured servers or spam filters?"):
they follow Sisimai's reason taxonomy, folded into fewer, wider classes (see docs/bounces.md).
"""

from __future__ import annotations

import re

from notifier.bounces.reasons import (  # the classes a reason can give, named once there
    EXPIRED,
    HOST_UNKNOWN,
    MAILBOX_DISABLED,
    MAILBOX_FULL,
    MESSAGE,
    NETWORK,
    POLICY,
    SYSTEM,
    USER_UNKNOWN,
    Reason,
    reason_of,
)
from notifier.bounces.text import report_words

OTHER = "other"
AUTO_REPLY = "auto-reply"
COMPLAINT = "complaint"
DELIVERED = "delivered"
BOUNCE_CLASSES = (
    USER_UNKNOWN,
    HOST_UNKNOWN,
    MAILBOX_DISABLED,
    MAILBOX_FULL,
    POLICY,
    MESSAGE,
    EXPIRED,
    NETWORK,
    SYSTEM,
    OTHER,
)
NOT_BOUNCES = (AUTO_REPLY, COMPLAINT, DELIVERED)

# subject.detail of RFC 3463 (and RFC 7505, RFC 3886's additions); None: too generic, ask the text.
BY_STATUS: dict[str, str | None] = {
    "0.0": None,
    "1.0": None,
    "1.1": USER_UNKNOWN,  # bad destination mailbox address
    "1.2": HOST_UNKNOWN,  # bad destination system address
    "1.3": USER_UNKNOWN,  # bad destination mailbox address syntax
    "1.4": USER_UNKNOWN,  # destination mailbox address ambiguous
    "1.6": USER_UNKNOWN,  # destination mailbox has moved, no forwarding address
    "1.7": POLICY,  # bad sender's mailbox address syntax
    "1.8": POLICY,  # bad sender's system address
    "1.10": None,  # null MX (RFC 7505), but Exchange says "RecipientNotFound" with it
    "2.0": None,
    "2.1": MAILBOX_DISABLED,  # mailbox disabled, not accepting messages
    "2.2": MAILBOX_FULL,
    "2.3": MESSAGE,  # message length exceeds administrative limit
    "2.4": SYSTEM,  # mailing list expansion problem
    "3.0": None,
    "3.1": SYSTEM,  # mail system full
    "3.2": SYSTEM,  # system not accepting network messages
    "3.3": MESSAGE,  # system not capable of selected features
    "3.4": MESSAGE,  # message too big for system
    "3.5": SYSTEM,  # system incorrectly configured
    "4.0": None,
    "4.1": NETWORK,  # no answer from host
    "4.2": NETWORK,  # bad connection
    "4.3": NETWORK,  # directory server failure
    "4.4": HOST_UNKNOWN,  # unable to route
    "4.5": SYSTEM,  # mail system congestion
    "4.6": NETWORK,  # routing loop detected
    "4.7": EXPIRED,  # delivery time expired
    "5.0": None,
    "5.1": SYSTEM,  # invalid command
    "5.2": SYSTEM,  # syntax error
    "5.3": MESSAGE,  # too many recipients
    "5.4": SYSTEM,  # invalid command arguments
    "5.5": SYSTEM,  # wrong protocol version
    "6.0": MESSAGE,
    "7.0": None,
    "7.1": None,  # "delivery not authorized": policy, but also used for "user unknown"
    "7.13": MAILBOX_DISABLED,  # user account disabled (RFC 3463 addition)
}
_SUBJECT_DEFAULT: dict[str, str | None] = {
    "1": USER_UNKNOWN,
    "2": None,
    "3": SYSTEM,
    "4": NETWORK,
    "5": SYSTEM,
    "6": MESSAGE,
}

STATUS_RE = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.]*\d)")
# An SMTP reply code: not a part of a number or phone number ("480-624-2500"), but "550-5.7.1"
# (a multi-line reply) and "550: 5.1.1" (Yahoo's) are.
REPLY_CODE_RE = re.compile(r"(?<![\d.-])([245]\d\d)(?=[ ]|:[ ]|-(?:[245]\.\d|\D)|$)")


def by_text(text: str, first: tuple[Reason, ...] = ()) -> str | None:
    """The class of the first reason whose phrases the text contains (bounces/reasons.py)."""
    reason = reason_of(text, first)
    return None if reason is None else reason.klass


def status_in(text: str) -> str | None:
    """The first RFC 3463 code quoted in a text ("550 5.1.1 ...", qmail's "#5.1.1")."""
    found = STATUS_RE.search(text)
    return None if found is None else ".".join(found.groups())


def classify(
    status: str | None,
    text: str,
    action: str = "failed",
    first: tuple[Reason, ...] = (),
    context: str = "",
) -> tuple[str, bool]:
    """(class, permanent) for one failed recipient: the code decides unless it is generic.

    `first` are the reading MTA's own phrases, tried before the shared table; `context` is the
    report's own text, read for a reason only when the reply near the address gives none.
    """
    code = status if status and STATUS_RE.fullmatch(status) else None
    if code is None:
        code = status_in(text)
    name: str | None = None
    if code is not None:
        klass, subject, detail = code.split(".")
        key = f"{subject}.{detail}"
        name = BY_STATUS[key] if key in BY_STATUS else _SUBJECT_DEFAULT.get(subject)
        if klass == "2" and action in ("delivered", "relayed", "expanded"):
            return DELIVERED, False
        if key == "4.1" and action == "failed":
            name = EXPIRED  # no answer from host, and the MTA gave up: Sisimai's expired
        elif key == "4.4" and klass == "4":
            name = NETWORK  # unable to route, for now (Sisimai: 4.4.4 networkerror)
    if name is None:
        name = by_text(text, first) or (by_text(report_words(context), first) if context else None)
        if name is None and code is not None:
            subject = code.split(".")[1]
            name = POLICY if subject == "7" else _SUBJECT_DEFAULT.get(subject)
    if name is None:
        basic = REPLY_CODE_RE.search(text)
        name = MAILBOX_FULL if basic is not None and basic[1] == "552" else OTHER
    if code is not None:
        permanent = code.startswith("5")
    else:
        basic = REPLY_CODE_RE.search(text)
        permanent = basic[1].startswith("5") if basic is not None else action == "failed"
    if action == "delayed":
        permanent = False
    elif name == EXPIRED:
        permanent = True
    return name, permanent
