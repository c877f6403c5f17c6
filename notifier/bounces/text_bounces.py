"""Bounces without a delivery-status part (qmail, Exim, old Sendmail, Exchange, Gmail, Yahoo,
Amazon SES, Postfix without DSN): the failed addresses and the SMTP reply quoted in the text.

Like flufl.bounce's detectors this finds the addresses from the wording each MTA uses; unlike it,
it also keeps the reply near each address so that the reason can be classified. One scanner for
all shapes: each address line opens a segment, the reply is the first SMTP reply in it.
"""

from __future__ import annotations

import re

from notifier.bounces.classes import REPLY_CODE_RE, status_in
from notifier.bounces.findings import Finding
from notifier.bounces.readers.known import first_reader, last_reader
from notifier.bounces.text import failure_text

# (format name, a phrase only that MTA writes); one pass of one pattern finds the first of them.
_MARKS = (
    ("qmail", r"this is the qmail-send program"),
    ("postfix", r"this is the (?:mail system at host|postfix program)"),
    ("exim", r"this message was created automatically by mail delivery software"),
    ("sendmail", r"transcript of session follows|following addresses had permanent fatal"),
    ("amazon_ses", r"amazonses\.com|an error occurred while trying to deliver the mail to"),
    ("gmail", r"delivery to the following recipient failed|the response from the remote "
     r"server was|googlemail\.com|message wasn't delivered to"),
    ("yahoo", r"unable to deliver your message to the following address|yahoo"),
    ("outlook", r"outlook\.com|hotmail\.com"),
    ("exchange", r"delivery has failed to these recipients|diagnostic information for "
     r"administrators|remote server returned"),
)  # fmt: skip
MARKERS = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _MARKS), re.I)
ADDRESS_RE = re.compile(r"<?([A-Za-z0-9._%+'=/!#$&*?^`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)>?")
# A quoted header of the returned message ("  To: a@b", "* From: a@b", "Subject: ..."): the
# addresses on it are failures only when the report names no other.
_QUOTED_HEADER_RE = re.compile(
    r"^\s*(?:[*>]\s*|&nbsp;|\xa0)*(?:to|cc|bcc|from|reply-to|sender|subject|sent|date|message-id"
    r"|return-path|errors-to|de|para|an|von)\s*:",
    re.I,
)
# An X.400 or Exchange prefix before an address ("dda:SMTP=a@b", "[SMTP:a@b]").
_PREFIX_RE = re.compile(r"^(?:smtp[=:])", re.I)
_DAEMONS = ("mailer-daemon@", "postmaster@", "mail-daemon@", "mailerdaemon@", "noreply@")
_VERP_RE = re.compile(r"\+\d+\.[0-9a-f]{16}@", re.I)
MAX_REPLY = 300


def detect_format(text: str, sender: str, headers: str = "") -> str:
    """The MTA shape by its wording (and, given `headers`, its header marks); 'text' when no
    reader knows it: a specific family's reader first, the shared shapes, then the variants."""
    body = text[:4000] + "\n" + sender
    head = f"{headers}\n{body}" if headers else body
    reader = first_reader(head)
    if reader is not None:
        return reader.name
    found = MARKERS.search(body)
    if found is not None and found.lastgroup is not None:
        return found.lastgroup.replace("_", "-")
    reader = last_reader(head)
    return "text" if reader is None else reader.name


def find_failures(text: str, ignore: set[str], failed: list[str] | None = None) -> list[Finding]:
    """One finding per failed address, in the order the text names them.

    `failed` (Exim's X-Failed-Recipients) are the addresses when given; otherwise every address
    in the text that is not the bounce's own sender, a postmaster or a return path of ours.
    """
    text = failure_text(text.replace("\r\n", "\n"))
    wanted = {a.lower() for a in failed or []}
    segments: dict[str, list[str]] = {}
    order: list[str] = []
    preamble: list[str] = []
    quoted: list[str] = []
    current: list[str] | None = None
    for line in text.split("\n"):
        opened = False
        header_like = _QUOTED_HEADER_RE.match(line) is not None
        for match in ADDRESS_RE.finditer(line):
            address = _PREFIX_RE.sub("", match[1].rstrip(".").lstrip("'"))
            key = address.lower()
            if wanted and key not in wanted:
                continue
            if not wanted and (key in ignore or key.startswith(_DAEMONS) or _VERP_RE.search(key)):
                continue
            if header_like:
                if key not in (q.lower() for q in quoted):
                    quoted.append(address)
                continue
            if key not in segments:
                segments[key] = []
                order.append(address)
            current = segments[key]
            current.append(line)
            opened = True
            break
        if not opened:
            (current if current is not None else preamble).append(line)
    if not order and not wanted:
        for address in quoted:  # the report names its recipient only as a quoted header
            segments[address.lower()] = []
            order.append(address)
    for address in failed or []:
        if address.lower() not in segments:
            segments[address.lower()] = []
            order.append(address)
    default_reply = _reply_in(preamble)
    findings = []
    for address in order:
        lines = segments[address.lower()]
        reply = _reply_in(lines) or default_reply or _plain(lines)
        joined = " ".join(lines)
        status = status_in(reply) or status_in(joined) or status_in(default_reply)
        findings.append(Finding(address, "failed", status, reply))
    return findings


def find_reply(text: str) -> str:
    """The first SMTP reply in a bounce's own text (for a bounce that names no address)."""
    return _reply_in(failure_text(text.replace("\r\n", "\n")).split("\n"))


def _reply_in(lines: list[str]) -> str:
    """The first SMTP reply ('550 5.1.1 ...') with its continuation lines, or ''."""
    for i, line in enumerate(lines):
        found = REPLY_CODE_RE.search(line)
        if found is None or line[: found.start()].rstrip().endswith("["):
            continue
        if found[1][0] == "2":  # a transcript's "220 ready" or "250 ok": not the failure
            continue
        parts = [line[found.start() :].strip()]
        multiline = line[found.end() : found.end() + 1] == "-"
        for more in lines[i + 1 : i + 6]:
            again = REPLY_CODE_RE.match(more.strip())
            if more.startswith((" ", "\t")) and more.strip() and not again:
                parts.append(more.strip())
            elif multiline and again is not None:
                parts.append(more.strip()[again.end() + 1 :].strip())
                multiline = more.strip()[again.end() : again.end() + 1] == "-"
            else:
                break
        return _short(" ".join(parts))
    return ""


def _plain(lines: list[str]) -> str:
    """No SMTP reply: the words around the address (a local delivery agent's reason)."""
    kept: list[str] = []
    for line in lines:
        if not line.strip():
            if kept:
                break
            continue
        kept.append(line.strip())
    words = " ".join(kept)
    first = ADDRESS_RE.match(words)
    if first is not None:
        words = words[first.end() :].lstrip(" :")
    return _short(words)


def _short(text: str) -> str:
    text = " ".join(text.split())
    if text[:1] == "(" and text[-1:] == ")":
        text = text[1:-1]
    return text[:MAX_REPLY]
