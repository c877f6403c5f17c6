"""SMTP delivery: settings from a URL and the environment, and one pooled connection's send.

Each worker of the pool owns one connection, reuses it for message after message and re-opens it
when the server dropped it. aiosmtplib opens it (TLS, EHLO, STARTTLS, AUTH); the transactions
then run on `notifier.delivery.transaction`'s protocol, pipelined when the server offers
PIPELINING: MAIL, RCPT and DATA in one write, and the next message's MAIL, RCPT and DATA in the
same write as this one's content (RFC 2920 3.1 allows content first and DATA last in a group),
so a message costs one write and one round trip. The phase an error happened in decides the
outcome: a refusal is a reply (4xx deferred, 5xx failed); a connection lost after the message
was handed over may have been delivered, so that recipient is retried but marked uncertain.
"""

from __future__ import annotations

import os
import re
import ssl
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

import aiosmtplib

from notifier.delivery.settings import COMMAND_TIMEOUT, DATA_TIMEOUT
from notifier.delivery.transaction import (
    ConnectionLost,
    Reply,
    TransferProtocol,
    envelope_command,
    frame_message,
    take_over,
)

SMTP_ENV = "DOCKET_SMTP"
PASSWORD_ENV = "DOCKET_SMTP_PASSWORD"
ENHANCED_RE = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")


class SmtpConfigError(Exception):
    """The SMTP settings cannot work (bad URL, unreachable server, refused login)."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to connect; the password comes from the environment, never a case file."""

    host: str
    port: int
    security: str  # "none" | "starttls" | "tls"
    username: str | None = None
    password: str | None = None
    timeout: float = COMMAND_TIMEOUT
    data_timeout: float = DATA_TIMEOUT
    validate_certs: bool = True
    pipelining: bool = True

    def describe(self) -> str:
        user = f"{self.username}@" if self.username else ""
        scheme = {"none": "smtp", "starttls": "smtp+starttls", "tls": "smtps"}[self.security]
        return f"{scheme}://{user}{self.host}:{self.port}"


def parse_smtp_url(
    value: str | None,
    *,
    timeout: float = COMMAND_TIMEOUT,
    data_timeout: float = DATA_TIMEOUT,
    pipelining: bool = True,
) -> SmtpSettings:
    """smtp://host:port, smtp+starttls://user@host:587, smtps://user@host:465."""
    raw = value or os.environ.get(SMTP_ENV, "")
    if not raw:
        raise SmtpConfigError(f"no SMTP server: pass --smtp URL or set {SMTP_ENV}")
    parts = urlsplit(raw)
    schemes = {"smtp": ("none", 25), "smtp+starttls": ("starttls", 587), "smtps": ("tls", 465)}
    if parts.scheme not in schemes or not parts.hostname:
        raise SmtpConfigError(
            f"SMTP URL must look like smtp://host:port, smtp+starttls://user@host:587 or "
            f"smtps://user@host:465 (got scheme {parts.scheme or 'none'!r})"
        )
    if parts.password:
        raise SmtpConfigError(f"put the SMTP password in {PASSWORD_ENV}, not in the URL")
    security, default_port = schemes[parts.scheme]
    username = unquote(parts.username) if parts.username else None
    password = os.environ.get(PASSWORD_ENV) if username else None
    if username and not password:
        raise SmtpConfigError(f"SMTP user {username!r} given but {PASSWORD_ENV} is not set")
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or default_port,
        security=security,
        username=username,
        password=password,
        timeout=timeout,
        data_timeout=data_timeout,
        pipelining=pipelining,
    )


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of one attempt: kind is sent, temporary, permanent, or server (a refusal of
    the sender or the relay, not of this recipient); `after_data` = maybe sent; `stage` is
    where it happened: connect, mail, rcpt, data (the DATA command) or content (the final dot).
    """

    kind: str
    reply: str
    code: int = 0
    after_data: bool = False
    stage: str = ""

    @property
    def policy(self) -> bool:
        """A 5.7.x reply: the receiving side refuses on policy (spam filter, blocklist)."""
        match = ENHANCED_RE.match(self.reply.partition(" ")[2])
        return self.kind == "permanent" and match is not None and match[2] == "7"


@dataclass(frozen=True, slots=True)
class Envelope:
    """Whom one message is from (the return path) and to, as the MAIL, RCPT and DATA commands;
    `eightbit` declares BODY=8BITMIME. Made once, before the message's turn, so that it can go
    ahead in the previous message's write."""

    recipient: str
    commands: tuple[bytes, bytes, bytes]  # MAIL FROM, RCPT TO, DATA

    @classmethod
    def of(cls, sender: str, recipient: str, eightbit: bool = False) -> Envelope:
        """ValueError for an address that cannot go into an SMTP command."""
        body = (b"BODY=8BITMIME",) if eightbit else ()
        mail = envelope_command(b"MAIL FROM", sender, *body)
        return cls(recipient, (mail, envelope_command(b"RCPT TO", recipient), b"DATA\r\n"))


def reply_text(code: int, message: str) -> str:
    return f"{code} {' '.join(message.split())}"[:500]


class Connection:
    """One pooled SMTP connection, opened lazily and re-opened after a drop.

    aiosmtplib opens it (TLS, EHLO, STARTTLS, AUTH); the transactions then run on
    `notifier.delivery.transaction`'s protocol, pipelined when the server offers PIPELINING.
    """

    def __init__(self, settings: SmtpSettings, local_hostname: str = "localhost") -> None:
        self.settings = settings
        self.local_hostname = local_hostname
        self.protocol: TransferProtocol | None = None
        self.pipelining = False
        self.offers_pipelining = False
        self.eightbit = False
        self.size_limit: int | None = None
        # an envelope written after the last message's content, and the connection it is on
        self._ahead: tuple[Envelope, TransferProtocol] | None = None

    async def open(self) -> TransferProtocol:
        s = self.settings
        context = ssl.create_default_context() if s.security != "none" else None
        client = aiosmtplib.SMTP(
            hostname=s.host,
            port=s.port,
            timeout=s.timeout,
            use_tls=s.security == "tls",
            start_tls=s.security == "starttls",
            tls_context=context,
            validate_certs=s.validate_certs,
            local_hostname=self.local_hostname,
            username=s.username,
            password=s.password,
        )
        try:
            await client.connect()
            if client.last_ehlo_response is None:
                await client.ehlo()
        except BaseException:
            client.close()
            raise
        self.offers_pipelining = client.supports_extension("pipelining")
        self.pipelining = s.pipelining and self.offers_pipelining
        self.eightbit = client.supports_extension("8bitmime")
        size = client.esmtp_extensions.get("size", "")
        self.size_limit = int(size) if size.isdigit() and int(size) > 0 else None
        if client.transport is None or client.transport.is_closing():
            raise ConnectionLost("the server closed the connection after EHLO")
        self.protocol = take_over(client.transport)
        return self.protocol

    async def close(self) -> None:
        """QUIT politely; a server that does not answer in 5 seconds is just disconnected."""
        if self._ahead is not None:
            self.cancel_ahead()  # the server waits for a message: QUIT would be its content
        protocol, self.protocol = self.protocol, None
        if protocol is None:
            return
        try:
            if protocol.is_open:
                protocol.write(b"QUIT\r\n")
                await protocol.reply(5.0)
        except (OSError, TimeoutError):
            pass
        protocol.close()

    async def send(
        self, envelope_from: str, recipient: str, message: bytes, eightbit: bool = False
    ) -> Outcome:
        """MAIL, RCPT, DATA and the message for one recipient; never raises for server or
        network trouble."""
        refused = await self.begin(Envelope.of(envelope_from, recipient, eightbit))
        return refused if refused is not None else await self.transfer(message)

    async def begin(self, envelope: Envelope) -> Outcome | None:
        """MAIL, RCPT and DATA (or only their replies, when they went ahead with the last
        message's content): None when the server waits for the content, else the outcome."""
        written = self._take_ahead(envelope)
        phase = "connect"
        try:
            protocol = self.protocol
            if protocol is None or not protocol.is_open:
                protocol = await self.open()
            phase = "envelope"
            timeout = self.settings.timeout
            replies = await self._envelope(protocol, envelope.commands, timeout, written)
            refusal = _refusal(replies)
            if refusal is None:
                return None
            if replies[-1].code == 354:
                # RFC 2920 3.1: DATA was accepted although a recipient was not; an empty
                # message to nobody ends the transaction.
                protocol.write(b".\r\n")
                await protocol.reply(timeout)
            return await self._refused(refusal, ("mail", "rcpt", "data")[replies.index(refusal)])
        except aiosmtplib.SMTPAuthenticationError as exc:
            reply = reply_text(exc.code, exc.message)
            raise SmtpConfigError(f"SMTP login refused: {reply}") from None
        except aiosmtplib.SMTPResponseException as exc:
            # a refused greeting, EHLO or STARTTLS: the server refuses us, not this recipient
            return Outcome("server", f"connect: {reply_text(exc.code, exc.message)}", exc.code,
                           stage="connect")  # fmt: skip
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            self._drop()
            return Outcome("temporary", f"{phase}: {_detail(exc)}")

    async def transfer(self, message: bytes, ahead: Envelope | None = None) -> Outcome:
        """The content, after `begin` said the server waits for it; with PIPELINING the next
        message's MAIL, RCPT and DATA (`ahead`) go in the same write, and the next `begin`, which
        must be for that envelope, reads their replies."""
        content = frame_message(message)
        try:
            protocol = self.protocol
            if protocol is None:
                raise ConnectionLost("connection closed")
            if ahead is not None and self.pipelining:
                protocol.write(content + b"".join(ahead.commands))
                self._ahead = (ahead, protocol)
            else:
                protocol.write(content)
            await protocol.drain()
            final = await protocol.reply(self.settings.data_timeout)
        except (OSError, TimeoutError) as exc:
            self._drop()
            return Outcome("temporary", f"connection lost after DATA: {_detail(exc)}", 0, True)
        if final.code != 250:
            return await self._refused(final, "content")
        return Outcome("sent", str(final)[:500], final.code)

    def cancel_ahead(self) -> None:
        """The message whose envelope went ahead will not be sent: the connection is dropped,
        for once the server waits for content, only a message (or a hang-up) ends that."""
        if self._ahead is not None:
            self._drop()

    def _take_ahead(self, envelope: Envelope) -> bool:
        """Whether this envelope's commands are already on this connection."""
        ahead, self._ahead = self._ahead, None
        if ahead is None:
            return False
        if ahead[0] is envelope and ahead[1] is self.protocol and ahead[1].is_open:
            return True
        if ahead[1] is self.protocol:
            self._drop()  # another envelope went ahead: that transaction must not go on
        return False

    async def _envelope(
        self,
        protocol: TransferProtocol,
        commands: tuple[bytes, ...],
        timeout: float,
        written: bool = False,
    ) -> list[Reply]:
        """The replies to MAIL, RCPT and DATA: one write when pipelining (none when `written`),
        else one by one.

        Reading stops at the first refusal in lock-step, and at a 421 (the server is closing) in
        either mode; a connection lost after a refusal leaves the refusal as the answer.
        """
        replies: list[Reply] = []
        if self.pipelining and not written:
            protocol.write(b"".join(commands))
        try:
            for command in commands:
                if not self.pipelining:
                    protocol.write(command)
                replies.append(await protocol.reply(timeout))
                code = replies[-1].code
                if code == 421 or (code >= 400 and not self.pipelining):
                    break
        except (OSError, TimeoutError):
            if _refusal(replies) is None:
                raise
            self._drop()
        return replies

    async def _refused(self, reply: Reply, stage: str) -> Outcome:
        """A refusal is the recipient's outcome unless it is about the sender or the relay (a
        refusal of MAIL FROM, a 530 wanting AUTH); the connection is reset for the next one."""
        kind = "permanent" if 500 <= reply.code < 600 else "temporary"
        if reply.code == 530 or (stage == "mail" and reply.code != 421):
            kind = "server"
        outcome = Outcome(kind, str(reply)[:500], reply.code, stage=stage)
        protocol = self.protocol
        if reply.code == 421 or protocol is None:
            self._drop()  # the server is closing this connection, or has closed it
            return outcome
        if stage == "content":
            # the reply to the final dot ends the transaction whatever it says (RFC 5321
            # 4.1.1.4); an RSET now would be read as the content of a message gone ahead
            return outcome
        try:
            protocol.write(b"RSET\r\n")
            if (await protocol.reply(self.settings.timeout)).code != 250:
                self._drop()
        except (OSError, TimeoutError):
            self._drop()
        return outcome

    def _drop(self) -> None:
        protocol, self.protocol = self.protocol, None
        self._ahead = None
        if protocol is not None:
            protocol.transport.abort()


def _detail(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _refusal(replies: list[Reply]) -> Reply | None:
    """The first reply that refuses the transaction (MAIL 250, RCPT 250/251, DATA 354 expected)."""
    for reply, expected in zip(replies, ((250,), (250, 251), (354,)), strict=False):
        if reply.code not in expected:
            return reply
    return None


class Capabilities(NamedTuple):
    """What the server offers that changes how docket sends."""

    eightbit: bool
    pipelining: bool
    size: int | None = None  # the largest message it takes (EHLO SIZE), if it says

    def describe(self, use_pipelining: bool = True) -> str:
        pipelining = "PIPELINING" if self.pipelining else "no PIPELINING"
        if self.pipelining and not use_pipelining:
            pipelining += " (not used: --no-pipelining)"
        return f"{pipelining}, {'8BITMIME' if self.eightbit else 'no 8BITMIME'}"


async def probe(settings: SmtpSettings) -> Capabilities:
    """Connect, log in if asked, and quit: the plan fails here, before anything is sent.

    8BITMIME spares encoding bodies; PIPELINING makes a message one round trip instead of four.
    """
    connection = Connection(settings)
    try:
        await connection.open()
    except aiosmtplib.SMTPAuthenticationError as exc:
        raise SmtpConfigError(
            f"SMTP login refused by {settings.describe()}: {reply_text(exc.code, exc.message)}"
        ) from None
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        raise SmtpConfigError(
            f"cannot reach SMTP server {settings.describe()}: {_detail(exc)}"
        ) from None
    capabilities = Capabilities(
        connection.eightbit, connection.offers_pipelining, connection.size_limit
    )
    await connection.close()
    return capabilities
