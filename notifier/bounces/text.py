"""Text out of mail parts, whatever they claim: a wrong or unknown charset never raises."""

from __future__ import annotations

import codecs
from email.message import Message

MAX_TEXT = 64 * 1024


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


def header(message: Message, name: str) -> str:
    """One header as clean text ('' when absent); encoded words are left as they are."""
    value = message.get(name)
    if value is None:
        return ""
    return " ".join(clean(str(value)).split())
