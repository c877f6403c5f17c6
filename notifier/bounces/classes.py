"""Bounce classes: RFC 3463 status code first, the diagnostic text only where the code is generic.

The classes answer 2014's question ("dead addresses, misconfigured servers or spam filters?"):
they follow Sisimai's reason taxonomy, folded into fewer, wider classes (see docs/bounces.md).
"""

from __future__ import annotations

import re

USER_UNKNOWN = "user-unknown"
HOST_UNKNOWN = "host-unknown"
MAILBOX_DISABLED = "mailbox-disabled"
MAILBOX_FULL = "mailbox-full"
POLICY = "policy"
MESSAGE = "message"
EXPIRED = "expired"
NETWORK = "network"
SYSTEM = "system"
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

_RULES: list[tuple[str, str]] = [
    (
        HOST_UNKNOWN,
        r"host (or domain name )?not found|domain (name )?not found|unknown host|host unknown"
        r"|no such domain|domain does not exist|no mx|nxdomain|null mx|unrouteable mail domain"
        r"|name service error|domain (is )?not (configured|valid)",
    ),
    (
        USER_UNKNOWN,
        r"user unknown|unknown user|no such (user|mailbox|recipient|account|address|local user)"
        r"|mailbox not found|mailbox unavailable|user not found|recipient not found|recipnotfound"
        r"|unknown recipient|invalid recipient|invalid mailbox|recipient address rejected"
        r"|address (not found|unknown|rejected)|(does not|doesn't|not) exist|no mailbox here"
        r"|addressee unknown|unrouteable address|unknown local.part|not a valid (mailbox|recipient)"
        r"|not our customer|no longer (valid|available|in use)|has moved|unknown address|unbekannt"
        r"|doesn't have an? [\w.-]+ account|bad destination mailbox|invalid address",
    ),
    (
        MAILBOX_DISABLED,
        r"(account|mailbox|user|recipient)( is| has been)? (disabled|suspended|inactive|locked"
        r"|deactivated|closed|frozen|expired|blocked)|(disabled|inactive|suspended) "
        r"(user|account|mailbox)|not (an )?active|account (is )?unavailable",
    ),
    (
        MAILBOX_FULL,
        r"mailbox (is )?full|full mailbox|over ?quota|quota (exceeded|full)|exceeded (storage|"
        r"quota)|mailbox size limit|file too large|insufficient storage for the user|user is over"
        r"|mailbox has exceeded|too many messages in (the )?mailbox|storage allocation",
    ),
    (
        MESSAGE,
        r"message (is )?too (big|large|long)|message size|size limit|message length|too many "
        r"recipients|line too long|invalid mime|malformed (message|header)|header (error|syntax)"
        r"|8.?bit|content error",
    ),
    (
        EXPIRED,
        r"retry time(out)? (was )?exceeded|delivery time expired|message expired|too long in "
        r"(the )?queue|gave up|could not be delivered for \d+|retry timeout|expired",
    ),
    (
        NETWORK,
        r"connection (refused|timed out|reset|lost|closed)|timed? ?out|network (is )?unreachable"
        r"|no route to host|lost connection|mail loop|loops back to myself|too many hops|loop",
    ),
    (
        POLICY,
        r"spam|block|black.?list|deny.?list|listed (at|in|on|by)|\brbl\b|reputation|\bspf\b"
        r"|\bdkim\b|\bdmarc\b|\bptr\b|reverse (dns|lookup)|\brdns\b|relay(ing)? (denied|not "
        r"permitted|access denied|prohibited)|not permitted|access denied|refused|policy"
        r"|content filter|banned|virus|unsolicited|not authori[sz]ed|authentication required"
        r"|greylist|graylist|rate limit|too many (connections|messages)|too new domain"
        r"|suspicious|rejected (for|due to|because|by)",
    ),
    (SYSTEM, r"system (error|failure)|internal error|resources|configuration error|i/o error"),
]
_COMPILED = [(name, re.compile(pattern, re.I)) for name, pattern in _RULES]
STATUS_RE = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.]*\d)")
REPLY_CODE_RE = re.compile(r"(?<!\d)([245]\d\d)(?=[ -]|$)")


def by_text(text: str) -> str | None:
    """The first class whose phrases the text contains, in the documented order."""
    for name, pattern in _COMPILED:
        if pattern.search(text):
            return name
    return None


def status_in(text: str) -> str | None:
    """The first RFC 3463 code quoted in a text ("550 5.1.1 ...", qmail's "#5.1.1")."""
    found = STATUS_RE.search(text)
    return None if found is None else ".".join(found.groups())


def classify(status: str | None, text: str, action: str = "failed") -> tuple[str, bool]:
    """(class, permanent) for one failed recipient: the code decides unless it is generic."""
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
    if name is None:
        name = by_text(text)
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
