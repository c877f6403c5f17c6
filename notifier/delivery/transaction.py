"""The mail transaction on an open SMTP connection: MAIL, RCPT, DATA and the message.

aiosmtplib opens each pooled connection (TCP or TLS, EHLO, STARTTLS, AUTH); then this protocol
takes over the transport for the transactions. It reads replies into a queue in the order they
arrive, so when the server offers PIPELINING (RFC 2920) MAIL, RCPT and DATA go out in one write
(the one carrying the previous message's content) and their three replies are read after: one
round trip a message instead of four. aiosmtplib's own
protocol keeps one reply at a time and drops the rest of a pipelined group, which is why this
exists. The message is framed here too: dot-stuffing with one bytes.replace on a message that
already has CRLF line ends (the composer's), where aiosmtplib runs two regular expressions over
every message.
"""

from __future__ import annotations

import asyncio
import collections
import re
from typing import NamedTuple, cast

# A reply line is short; a whole reply (EHLO's are the longest) a few KB. Bound what a hostile
# server can make us buffer.
MAX_LINE = 8192
MAX_REPLY = 4 * MAX_LINE
_LINE_ENDS_RE = re.compile(rb"\r\n|\n|\r(?!\n)")
_ENVELOPE_UNSAFE_RE = re.compile(r"[\x00-\x20\x7f<>]")


class Reply(NamedTuple):
    """One SMTP reply; a multi-line reply's lines are joined with newlines."""

    code: int
    message: str

    def __str__(self) -> str:
        return f"{self.code} {' '.join(self.message.split())}"


class ConnectionLost(ConnectionError):
    """The server closed the connection (or it broke) while a reply was awaited."""


class ProtocolViolation(ConnectionError):
    """The server sent something that is not an SMTP reply; the connection cannot go on."""


def frame_message(message: bytes) -> bytes:
    """The message as DATA content: CRLF line ends, leading dots doubled, ending in CRLF.CRLF."""
    crlf = message.count(b"\r\n")
    if message.count(b"\r") != crlf or message.count(b"\n") != crlf:
        message = _LINE_ENDS_RE.sub(b"\r\n", message)
    if message.startswith(b"."):
        message = b"." + message
    message = message.replace(b"\r\n.", b"\r\n..")
    if not message.endswith(b"\r\n"):
        message += b"\r\n"
    return message + b".\r\n"


def envelope_command(verb: bytes, address: str, *options: bytes) -> bytes:
    """`MAIL FROM:<a>` or `RCPT TO:<a>` for an address that cannot break the command line."""
    if _ENVELOPE_UNSAFE_RE.search(address) or not address.isascii():
        raise ValueError(f"address {address!r} cannot go into an SMTP command")
    parts = [verb + b":<" + address.encode("ascii") + b">", *options]
    return b" ".join(parts) + b"\r\n"


class TransferProtocol(asyncio.Protocol):
    """Queues each complete reply; `reply()` hands them out in order, with a timeout."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        self._loop = asyncio.get_running_loop()
        self._buffer = bytearray()
        self._replies: collections.deque[Reply] = collections.deque()
        self._waiter: asyncio.Future[None] | None = None
        self._error: ConnectionError | None = None
        self._paused = False
        self._drained: asyncio.Future[None] | None = None

    # -- asyncio.Protocol --------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        try:
            self._parse()
        except ProtocolViolation as exc:
            self._fail(exc)
            self.transport.abort()
            return
        if self._replies:
            self._wake()

    def eof_received(self) -> bool:
        self._fail(ConnectionLost("the server closed the connection"))
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        error = ConnectionLost(f"connection lost: {exc}" if exc else "connection closed")
        self._fail(error)
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)

    def pause_writing(self) -> None:
        self._paused = True

    def resume_writing(self) -> None:
        self._paused = False
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)

    # -- for the sender ----------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._error is None and not self.transport.is_closing()

    def write(self, data: bytes) -> None:
        if self._error is not None:
            raise self._error
        if self.transport.is_closing():
            raise ConnectionLost("connection closed")
        self.transport.write(data)

    async def drain(self) -> None:
        """Wait while the transport's buffer is over its high-water mark (a slow reader)."""
        if self._paused and self._error is None:
            self._drained = self._loop.create_future()
            await self._drained
        if self._error is not None:
            raise self._error

    async def reply(self, timeout: float) -> Reply:
        """The next reply in order; TimeoutError after `timeout` seconds without one."""
        if not self._replies:
            if self._error is not None:
                raise self._error
            waiter = self._loop.create_future()
            self._waiter = waiter
            timer = self._loop.call_later(timeout, self._time_out, waiter)
            try:
                await waiter
            finally:
                timer.cancel()
                self._waiter = None
            if not self._replies:
                raise self._error or ConnectionLost("connection closed")
        return self._replies.popleft()

    def close(self) -> None:
        self.transport.close()

    # -- internals ---------------------------------------------------------------------------

    def _parse(self) -> None:
        buffer = self._buffer
        start = 0
        while True:
            code = -1
            lines: list[bytes] = []
            offset = start
            complete = False
            while (end := buffer.find(b"\n", offset)) != -1:
                line = bytes(buffer[offset : end + 1])
                if len(line) > MAX_LINE:
                    raise ProtocolViolation("reply line too long")
                head = line[:3]
                if not head.isdigit() or line[3:4] not in (b" ", b"-", b"\r", b"\n"):
                    text = line.decode("utf-8", "replace").strip()
                    raise ProtocolViolation(f"not an SMTP reply: {text[:80]!r}")
                if code != -1 and int(head) != code:
                    raise ProtocolViolation("reply lines with different codes")
                code = int(head)
                lines.append(line[4:].strip(b" \t\r\n"))
                offset = end + 1
                if line[3:4] != b"-":
                    complete = True
                    break
            if not complete:
                if len(buffer) - start > MAX_REPLY:
                    raise ProtocolViolation("reply too long")
                break
            message = b"\n".join(lines).decode("utf-8", "surrogateescape")
            self._replies.append(Reply(code, message))
            start = offset
        if start:
            del buffer[:start]

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _fail(self, error: ConnectionError) -> None:
        if self._error is None:
            self._error = error
        self._wake()

    def _time_out(self, waiter: asyncio.Future[None]) -> None:
        if not waiter.done():
            waiter.set_exception(TimeoutError("no reply from the SMTP server in time"))


def take_over(transport: asyncio.BaseTransport) -> TransferProtocol:
    """Install a TransferProtocol on an open connection whose previous protocol is done with it."""
    # uvloop's transports are not asyncio.Transport subclasses, though they implement it
    protocol = TransferProtocol(cast(asyncio.Transport, transport))
    transport.set_protocol(protocol)
    return protocol
