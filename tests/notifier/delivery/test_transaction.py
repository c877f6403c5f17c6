"""Message framing and envelope commands; framing is checked against aiosmtplib's own."""

from __future__ import annotations

import pytest
from aiosmtplib.protocol import PERIOD_REGEX, normalize_message_line_endings
from hypothesis import given
from hypothesis import strategies as st

from notifier.delivery.transaction import envelope_command, frame_message


def reference_frame(message: bytes) -> bytes:
    """What aiosmtplib sends for DATA content (its regular expressions)."""
    return PERIOD_REGEX.sub(b"..", normalize_message_line_endings(message)) + b".\r\n"


@pytest.mark.parametrize(
    ("message", "framed"),
    [
        (b"a\r\nb\r\n", b"a\r\nb\r\n.\r\n"),
        (b".start\r\n", b"..start\r\n.\r\n"),
        (b"a\r\n.\r\nb", b"a\r\n..\r\nb\r\n.\r\n"),  # a lone dot line cannot end the message
        (b"a\nb\rc\r\n", b"a\r\nb\r\nc\r\n.\r\n"),  # bare LF and CR become CRLF
        (b"a\n.b", b"a\r\n..b\r\n.\r\n"),
        (b"", b"\r\n.\r\n"),
    ],
)
def test_frame_message(message: bytes, framed: bytes) -> None:
    assert frame_message(message) == framed
    assert framed == reference_frame(message)


@given(st.lists(st.sampled_from([b"a", b".", b"\r", b"\n", b"\r\n", b"..", b"x y"])).map(b"".join))
def test_frame_message_matches_aiosmtplib(message: bytes) -> None:
    assert frame_message(message) == reference_frame(message)


def test_envelope_command() -> None:
    assert envelope_command(b"MAIL FROM", "a@example.org") == b"MAIL FROM:<a@example.org>\r\n"
    assert (
        envelope_command(b"MAIL FROM", "a@example.org", b"BODY=8BITMIME")
        == b"MAIL FROM:<a@example.org> BODY=8BITMIME\r\n"
    )


@pytest.mark.parametrize(
    "address",
    ["a@example.org\r\nRCPT TO:<b@example.org>", "a@example.org>", "<a@example.org", "a b@x.org",
     "a@example.org\n", "zoë@example.org", "a\x00@example.org"],
)  # fmt: skip
def test_envelope_command_refuses_what_could_break_the_line(address: str) -> None:
    with pytest.raises(ValueError, match="cannot go into an SMTP command"):
        envelope_command(b"RCPT TO", address)
