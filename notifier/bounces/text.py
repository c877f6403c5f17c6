"""Text out of mail parts, whatever they claim: a wrong or unknown charset never raises."""

from __future__ import annotations

import codecs
import re
from email.message import Message

MAX_TEXT = 64 * 1024
MAX_WORDS = 2000
# Where the returned copy of the message starts: addresses below it are not failures.
_RETURNED_RE = re.compile(
    r"^\s*(-{2,}.*(below this line|copy of (the|your) message|original message|returned "
    r"message|undelivered message|unsent message)|original message headers:|"
    r"content-type: message/rfc822|received: from )",
    re.I | re.M,
)


def failure_text(text: str) -> str:
    """The part of a bounce's text above the returned message."""
    found = _RETURNED_RE.search(text)
    return text if found is None else text[: found.start()]


def report_words(text: str) -> str:
    """A report's own words (above the returned message), on one line and at most MAX_WORDS
    characters: what is read for a reason when the reply near an address names none."""
    return " ".join(failure_text(text[: MAX_WORDS * 2]).split())[:MAX_WORDS]


def clean(text: str) -> str:
    """Undo the parser's surrogate escapes: UTF-8 bytes become text, the rest U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes in the declared charset, UTF-8 when it is unknown or wrong, never an exception."""
    data = data[:MAX_TEXT]
    if charset:
        try:
            codecs.lookup(charset)
        except LookupError:
            charset = None
    for candidate in (charset, "utf-8"):
        if candidate:
            try:
                return data.decode(candidate)
            except UnicodeDecodeError:
                continue
    return data.decode(charset or "utf-8", "replace")


def part_text(part: Message) -> str:
    """A leaf part's decoded text (transfer encoding undone); '' for a multipart."""
    if part.is_multipart():
        return ""
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # a broken transfer encoding: keep what is there
        raw = part.get_payload()
        return clean(raw if isinstance(raw, str) else "")[:MAX_TEXT]
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset()
    return decode_bytes(payload, charset)


class Headers:
    """A message's top-level headers by lower-case name, read once (Message.get scans them all
    on every call, and a bounce is asked about a dozen)."""

    def __init__(self, message: Message) -> None:
        self._values: dict[str, list[str]] = {}
        for name, value in message.items():
            self._values.setdefault(name.lower(), []).append(str(value))

    def get(self, name: str) -> str:
        """The first such header as clean text ('' when absent); encoded words stay as they are."""
        values = self._values.get(name.lower())
        return " ".join(clean(values[0]).split()) if values else ""

    def get_all(self, name: str) -> list[str]:
        return [clean(v) for v in self._values.get(name.lower(), [])]
