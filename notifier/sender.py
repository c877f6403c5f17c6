"""SMTP delivery: settings from a URL and the environment, and one pooled connection's send.

Each worker of the pool owns one aiosmtplib connection, reuses it for message after message and
re-opens it when the server dropped it. The phase an error happened in decides the outcome: a
refusal is a reply (4xx deferred, 5xx failed); a connection lost after the message was handed
over may have been delivered, so that recipient is retried but marked uncertain.
"""

from __future__ import annotations

import os
import re
import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import aiosmtplib

SMTP_ENV = "DOCKET_SMTP"
PASSWORD_ENV = "DOCKET_SMTP_PASSWORD"
# RFC 5321 4.5.3.2: five minutes for commands, ten for the reply to the final dot.
COMMAND_TIMEOUT = 300.0
DATA_TIMEOUT = 600.0
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

    def describe(self) -> str:
        user = f"{self.username}@" if self.username else ""
        scheme = {"none": "smtp", "starttls": "smtp+starttls", "tls": "smtps"}[self.security]
        return f"{scheme}://{user}{self.host}:{self.port}"


def parse_smtp_url(
    value: str | None,
    *,
    timeout: float = COMMAND_TIMEOUT,
    data_timeout: float = DATA_TIMEOUT,
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
    )


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of one attempt: kind is sent, temporary, permanent; `after_data` = maybe sent."""

    kind: str
    reply: str
    code: int = 0
    after_data: bool = False

    @property
    def policy(self) -> bool:
        """A 5.7.x reply: the receiving side refuses on policy (spam filter, blocklist)."""
        match = ENHANCED_RE.match(self.reply.partition(" ")[2])
        return self.kind == "permanent" and match is not None and match[2] == "7"


def reply_text(code: int, message: str) -> str:
    return f"{code} {' '.join(message.split())}"[:500]


class Connection:
    """One pooled SMTP connection, opened lazily and re-opened after a drop."""

    def __init__(self, settings: SmtpSettings, local_hostname: str = "localhost") -> None:
        self.settings = settings
        self.local_hostname = local_hostname
        self.client: aiosmtplib.SMTP | None = None

    async def open(self) -> aiosmtplib.SMTP:
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
        await client.connect()
        if client.last_ehlo_response is None:
            await client.ehlo()
        self.client = client
        return client

    async def close(self) -> None:
        client, self.client = self.client, None
        if client is None:
            return
        try:
            if client.is_connected:
                await client.quit(timeout=5)
        except (aiosmtplib.SMTPException, OSError, TimeoutError):
            client.close()

    async def send(
        self, envelope_from: str, recipient: str, message: bytes, eightbit: bool = False
    ) -> Outcome:
        """MAIL, RCPT, DATA for one recipient; never raises for server or network trouble."""
        phase = "connect"
        try:
            client = self.client
            if client is None or not client.is_connected:
                client = await self.open()
            phase = "envelope"
            # Both addresses passed validate_address (a plain addr-spec), so `<addr>` is their
            # quoted form; aiosmtplib's own quoting re-parses each one (a third of a message's
            # client-side cost).
            options = (b"BODY=8BITMIME",) if eightbit else ()
            sender = b"FROM:<" + envelope_from.encode("ascii") + b">"
            response = await client.execute_command(b"MAIL", sender, *options)
            if response.code != 250:
                raise aiosmtplib.SMTPSenderRefused(response.code, response.message, envelope_from)
            response = await client.execute_command(
                b"RCPT", b"TO:<" + recipient.encode("ascii") + b">"
            )
            if response.code not in (250, 251):
                raise aiosmtplib.SMTPRecipientRefused(response.code, response.message, recipient)
            phase = "data"
            response = await client.data(message, timeout=self.settings.data_timeout)
            return Outcome("sent", reply_text(response.code, response.message), response.code)
        except aiosmtplib.SMTPAuthenticationError as exc:
            self.client = None
            reply = reply_text(exc.code, exc.message)
            raise SmtpConfigError(f"SMTP login refused: {reply}") from None
        except aiosmtplib.SMTPResponseException as exc:
            if phase == "connect":
                self.client = None
                return Outcome("temporary", f"connect: {reply_text(exc.code, exc.message)}")
            await self._reset()
            kind = "permanent" if 500 <= exc.code < 600 else "temporary"
            return Outcome(kind, reply_text(exc.code, exc.message), exc.code)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            await self._drop()
            what = type(exc).__name__
            detail = " ".join(str(exc).split()) or what
            if phase == "data":
                return Outcome("temporary", f"connection lost after DATA: {detail}", 0, True)
            return Outcome("temporary", f"{phase}: {detail}")

    async def _reset(self) -> None:
        client = self.client
        if client is None:
            return
        try:
            await client.rset()
        except (aiosmtplib.SMTPException, OSError, TimeoutError):
            await self._drop()

    async def _drop(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            client.close()


async def probe(settings: SmtpSettings) -> bool:
    """Connect, log in if asked, and quit: the plan fails here, before anything is sent.

    Returns whether the server takes 8-bit bodies (8BITMIME), which spares encoding them.
    """
    connection = Connection(settings)
    try:
        client = await connection.open()
    except aiosmtplib.SMTPAuthenticationError as exc:
        raise SmtpConfigError(
            f"SMTP login refused by {settings.describe()}: {reply_text(exc.code, exc.message)}"
        ) from None
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise SmtpConfigError(f"cannot reach SMTP server {settings.describe()}: {detail}") from None
    if client.last_ehlo_response is None:
        await client.ehlo()
    eightbit = client.supports_extension("8bitmime")
    await connection.close()
    return eightbit
