"""Preflight: what in the rendered samples would make receivers refuse or junk the mail.

It reads one rendered message per template variant (the bytes as they go to DATA, signed if
the run signs) before 170,000 copies go out, and returns findings, each one line that says what
is wrong and what to do. The checks are the ones a mass mail has tripped over: an address or
domain in the text that the configuration flags (in 2014 some servers refused the Heartbleed
notice for an address in its text on a "too new domain" list), From / DKIM d= / return-path
domains that do not align (DMARC), a missing Date or Message-ID, a line over 998 octets, a
missing or wrong charset label, a message over the relay's SIZE, and HTML links whose text shows
one address and whose target is another.

Alignment compares organisational domains by a simple rule, the last two labels
(`mail.example.org` -> `example.org`); it does not know the public suffix list, so under a
two-label suffix (`example.co.uk`) every domain of that suffix counts as aligned: a missed
finding, never a false one.
"""

from __future__ import annotations

import codecs
import email
import email.message
import email.policy
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from email.errors import HeaderParseError
from email.header import decode_header
from email.utils import collapse_rfc2231_value, parseaddr
from html.parser import HTMLParser
from urllib.parse import urlsplit

MAX_LINE_OCTETS = 998  # RFC 5321 4.5.3.1.6 and RFC 5322 2.1.1, without the CRLF
# Fields a message must carry exactly once (RFC 5322 3.6); receivers refuse or junk otherwise.
REQUIRED_ONCE = ("From", "Date", "Message-ID")
SINGLETONS = ("From", "Date", "Message-ID", "Subject", "To", "Sender", "Reply-To")
# Where a flagged address or domain is looked for besides the body (To is the recipient's own).
SEARCHED_HEADERS = ("From", "Sender", "Reply-To", "Subject")
_DOMAIN_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_ADDRESS_RE = re.compile(r"^[^@\s]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_NOT_BEFORE = r"(?<![A-Za-z0-9._%+-])"
_NOT_AFTER = r"(?![A-Za-z0-9-]|\.[A-Za-z0-9])"
_URL_TEXT = re.compile(r"^(?:(?:https?|ftp)://|www\.)\S+$|^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/\S*)?$")


@dataclass(frozen=True)
class Finding:
    """One thing to fix before sending; `variants` are the template variants that show it."""

    kind: str
    message: str
    variants: tuple[str, ...] = ()

    def line(self) -> str:
        """`preflight: <kind> [<variants>]: <what and what to do>` (one line)."""
        where = f" [{', '.join(self.variants)}]" if self.variants else ""
        return f"preflight: {self.kind}{where}: {self.message}"


@dataclass(frozen=True)
class PreflightContext:
    """What the samples are checked against.

    `return_path`: the envelope sender (MAIL FROM) or None; `dkim_domain`: the d= the run signs
    with, or None (then the d= of a DKIM-Signature already in a sample counts); `flagged`:
    domains and addresses the configuration names as trouble; `size_limit`: the smallest SIZE
    any relay announced in EHLO, or None.
    """

    return_path: str | None = None
    dkim_domain: str | None = None
    flagged: Sequence[str] = ()
    size_limit: int | None = None
    _patterns: tuple[tuple[str, re.Pattern[str]], ...] = field(
        default=(), init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        patterns: list[tuple[str, re.Pattern[str]]] = []
        for raw in self.flagged:
            entry = raw.strip().lower().lstrip("@").rstrip(".")
            if not entry:
                continue
            if _ADDRESS_RE.match(entry):
                body = re.escape(entry)
            elif _DOMAIN_RE.match(entry):
                body = r"(?:[a-z0-9-]+\.)*" + re.escape(entry)
            else:
                raise ValueError(f"flagged entry {raw!r} is neither a domain nor an address")
            patterns.append((entry, re.compile(_NOT_BEFORE + body + _NOT_AFTER, re.IGNORECASE)))
        object.__setattr__(self, "_patterns", tuple(patterns))


def organisational_domain(domain: str) -> str:
    """The last two labels, lower-cased: the documented stand-in for the public suffix list."""
    labels = domain.strip().rstrip(".").lower().split(".")
    return ".".join(labels[-2:])


def aligned(domain: str, other: str) -> bool:
    """DMARC relaxed alignment (RFC 7489 3.1): the same organisational domain."""
    return organisational_domain(domain) == organisational_domain(other)


def domain_of(address: str) -> str:
    """The domain of an address or `Name <address>` ('' when there is none)."""
    return parseaddr(address)[1].rpartition("@")[2].lower()


def preflight(samples: Iterable[tuple[str, bytes]], context: PreflightContext) -> list[Finding]:
    """Findings on (variant, message bytes) samples; a finding several variants share is one."""
    merged: dict[tuple[str, str], list[str]] = {}
    for variant, data in samples:
        for kind, message in check_message(data, context):
            variants = merged.setdefault((kind, message), [])
            if variant not in variants:
                variants.append(variant)
    return [Finding(kind, message, tuple(v)) for (kind, message), v in merged.items()]


def check_message(data: bytes, context: PreflightContext) -> list[tuple[str, str]]:
    """(kind, message) findings for one message."""
    parsed = email.message_from_bytes(data, policy=email.policy.compat32)
    findings: list[tuple[str, str]] = []
    findings += _header_findings(parsed)
    findings += _alignment_findings(parsed, context)
    findings += _long_line_findings(data)
    findings += _charset_findings(data, parsed)
    findings += _size_findings(data, context)
    findings += _flagged_findings(parsed, context)
    findings += _link_findings(parsed)
    return findings


def _header_findings(parsed: email.message.Message) -> list[tuple[str, str]]:
    findings = []
    for name in REQUIRED_ONCE:
        if parsed.get(name) is None:
            findings.append(
                ("header", f"no {name} field: receivers junk or refuse such mail; compose adds it")
            )
    for name in SINGLETONS:
        count = len(parsed.get_all(name) or [])
        if count > 1:
            findings.append(
                ("header", f"{count} {name} fields (RFC 5322 allows one): remove the extra ones")
            )
    return findings


def _dkim_domains(parsed: email.message.Message, context: PreflightContext) -> list[str]:
    if context.dkim_domain:
        return [context.dkim_domain.lower()]
    found = []
    for value in parsed.get_all("DKIM-Signature") or []:
        match = re.search(r"(?:^|;)\s*d\s*=\s*([^;\s]+)", str(value).replace("\r\n", ""))
        if match:
            found.append(match.group(1).lower())
    return found


def _alignment_findings(
    parsed: email.message.Message, context: PreflightContext
) -> list[tuple[str, str]]:
    sender = domain_of(str(parsed.get("From", "")))
    if not sender:
        return []
    findings = []
    dkim_domains = _dkim_domains(parsed, context)
    dkim_ok = any(aligned(d, sender) for d in dkim_domains)
    for d in dkim_domains:
        if not aligned(d, sender):
            findings.append(
                (
                    "alignment",
                    f"DKIM d={d} does not align with the From domain {sender} (DMARC): sign with"
                    f" a key published under {organisational_domain(sender)}",
                )
            )
    if context.return_path is None:
        return findings
    path = domain_of(context.return_path)
    if not path or aligned(path, sender):
        return findings
    if dkim_ok:
        findings.append(
            (
                "alignment",
                f"return path {context.return_path} does not align with the From domain {sender}:"
                " SPF cannot pass DMARC, the DKIM signature carries it alone; use a return"
                f" path under {organisational_domain(sender)} if the relay allows",
            )
        )
    else:
        signed = f"DKIM d={', '.join(dkim_domains)}" if dkim_domains else "a DKIM signature"
        findings.append(
            (
                "alignment",
                f"neither the return path {context.return_path} nor {signed} aligns with the"
                f" From domain {sender}: DMARC fails and domains with p=reject refuse the mail;"
                f" use a return path under {organisational_domain(sender)} or sign with a key"
                " of the From domain",
            )
        )
    return findings


def _long_line_findings(data: bytes) -> list[tuple[str, str]]:
    lengths = (len(line.removesuffix(b"\r")) for line in data.split(b"\n"))
    long = [
        (number, octets) for number, octets in enumerate(lengths, 1) if octets > MAX_LINE_OCTETS
    ]
    if not long:
        return []
    number, octets = long[0]
    more = f" (and {len(long) - 1} more)" if len(long) > 1 else ""
    return [
        (
            "long-line",
            f"line {number} of the message is {octets} octets{more}, over SMTP's limit of"
            f" {MAX_LINE_OCTETS}: relays break or refuse it; use quoted-printable or shorter"
            " lines in the template",
        )
    ]


def _charset_findings(data: bytes, parsed: email.message.Message) -> list[tuple[str, str]]:
    findings = []
    head = data.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in data else data.split(b"\n\n", 1)[0]
    if not head.isascii():
        names = sorted(
            {
                line.split(b":", 1)[0].decode("ascii", "replace")
                for line in head.split(b"\n")
                if not line.isascii() and b":" in line and line[:1] not in (b" ", b"\t")
            }
        )
        where = ", ".join(names) if names else "a folded header line"
        findings.append(
            (
                "charset",
                f"raw 8-bit octets in the header ({where}): encode them as RFC 2047 encoded"
                " words (=?utf-8?b?...?=)",
            )
        )
    for part in parsed.walk():
        if part.is_multipart() or part.get_content_maintype() != "text":
            continue
        kind = part.get_content_type()
        raw = part.get_payload(decode=False)
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not isinstance(raw, str):
            continue
        cte = str(part.get("Content-Transfer-Encoding", "7bit")).strip().lower()
        raw_bytes = raw.encode("utf-8", "surrogateescape")
        if cte in ("7bit", "") and not raw_bytes.isascii():
            findings.append(
                (
                    "charset",
                    f"{kind} part has 8-bit octets but Content-Transfer-Encoding {cte or '7bit'}:"
                    " label it 8bit (with a relay offering 8BITMIME) or use quoted-printable",
                )
            )
        charset = part.get_param("charset")
        if isinstance(charset, tuple):
            charset = collapse_rfc2231_value(charset)
        if charset is None:
            if not payload.isascii():
                findings.append(
                    (
                        "charset",
                        f"{kind} part has non-ASCII text but no charset label: add"
                        ' charset="utf-8" to its Content-Type',
                    )
                )
            continue
        try:
            codecs.lookup(charset)
        except LookupError:
            findings.append(
                ("charset", f"{kind} part is labelled with an unknown charset {charset!r}")
            )
            continue
        try:
            payload.decode(charset)
        except UnicodeDecodeError as exc:
            findings.append(
                (
                    "charset",
                    f"{kind} part is labelled charset={charset} but is not valid {charset} at"
                    f" octet {exc.start}: label it with the charset it is written in (utf-8?)",
                )
            )
    return findings


def _size_findings(data: bytes, context: PreflightContext) -> list[tuple[str, str]]:
    if context.size_limit is None or len(data) <= context.size_limit:
        return []
    return [
        (
            "size",
            f"the message is {len(data)} octets, over the relay's SIZE limit of"
            f" {context.size_limit}: it will be refused; shorten the template or link to"
            " attachments",
        )
    ]


def _decode(payload: bytes, charset: str | None) -> str:
    """Text for searching, whatever the label says (an unknown one reads as UTF-8)."""
    try:
        return payload.decode(charset or "utf-8", "replace")
    except LookupError:
        return payload.decode("utf-8", "replace")


def _header_text(value: str) -> str:
    """A header's text with RFC 2047 encoded words decoded (as it stands if they are broken)."""
    try:
        chunks = decode_header(value)
    except (HeaderParseError, ValueError):
        return value
    return "".join(
        _decode(chunk, charset) if isinstance(chunk, bytes) else chunk for chunk, charset in chunks
    )


def _texts(parsed: email.message.Message) -> list[tuple[str, str]]:
    """(where, text) pairs to search: the searched headers and each text part, decoded."""
    texts = []
    for name in SEARCHED_HEADERS:
        for value in parsed.get_all(name) or []:
            texts.append((name, _header_text(str(value))))
    for part in parsed.walk():
        if part.is_multipart() or part.get_content_maintype() != "text":
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            text = _decode(payload, part.get_content_charset())
            texts.append((f"the {part.get_content_type()} body", text))
    return texts


def _flagged_findings(
    parsed: email.message.Message, context: PreflightContext
) -> list[tuple[str, str]]:
    if not context._patterns:
        return []
    findings = []
    for where, text in _texts(parsed):
        for entry, pattern in context._patterns:
            found = sorted({m.group(0).lower() for m in pattern.finditer(text)})
            for match in found:
                findings.append(
                    (
                        "flagged",
                        f"{where} names {match}, which the configuration flags ({entry}): some"
                        " receivers refuse mail that mentions it; reword the template",
                    )
                )
    return findings


class _Links(HTMLParser):
    """(shown text, href) of every <a href> in an HTML part."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((" ".join("".join(self._text).split()), self._href.strip()))
            self._href = None


def _target(value: str) -> tuple[str, str] | None:
    """(scheme, host or address) of a URL, a bare host, or a mail address; None for words."""
    text = value.strip().strip("<>").lower()
    if text.startswith("mailto:"):
        return "mailto", text[7:].split("?", 1)[0]
    if "@" in text and " " not in text and "/" not in text:
        return "mailto", text
    if not _URL_TEXT.match(text):
        return None
    parts = urlsplit(text if "://" in text else "http://" + text)
    host = (parts.hostname or "").removeprefix("www.")
    return (parts.scheme if "://" in text else ""), host


def _link_findings(parsed: email.message.Message) -> list[tuple[str, str]]:
    findings = []
    for part in parsed.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        reader = _Links()
        reader.feed(_decode(payload, part.get_content_charset()))
        reader.close()
        for text, href in reader.links:
            shown, target = _target(text), _target(href)
            if shown is None or target is None:
                continue
            if shown[1] != target[1]:
                findings.append(
                    (
                        "link",
                        f"a link shows {text} but goes to {href}: spam filters take that for"
                        " phishing; show the target itself or plain words",
                    )
                )
            elif shown[0] == "https" and target[0] == "http":
                findings.append(
                    (
                        "link",
                        f"a link shows {text} but goes to the unencrypted {href}: link to the"
                        " https address",
                    )
                )
    return findings
