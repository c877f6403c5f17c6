"""Compose the messages: templates in a sandbox, constant headers built once, per-recipient parts.

Building an `EmailMessage` per recipient costs about 1.7 ms; a whole run of 170,000 would spend
five minutes in the email package alone. So the email package composes what is the same for every
recipient (From, Subject, MIME headers) once, and per recipient only the address, the display name,
the Message-ID, the Date and the body are encoded, each by the same rules (RFC 2047 encoded words,
quoted-printable), after the values were validated: nothing a directory row holds can add a header
or a recipient.
"""

from __future__ import annotations

import base64
import binascii
import email.policy
import hashlib
import re
import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from jinja2.sandbox import SandboxedEnvironment

LANG_RE = re.compile(r"^([a-z]{2,3})(?:_([A-Z]{2}))?$")
# RFC 5321 dot-atom local part and LDH domain labels; ASCII only (no SMTPUTF8 needed).
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
ADDRESS_RE = re.compile(
    rf"^{_ATEXT}(?:\.{_ATEXT})*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}$"
)
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_ATOM_NAME_RE = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]*$")
# control characters other than tab and line feed: a body holding one goes quoted-printable
_NOT_TEXT = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])
_CTE_QP = b"Content-Transfer-Encoding: quoted-printable\r\n"
_CTE_8BIT = b"Content-Transfer-Encoding: 8bit\r\n"
_CTE_7BIT = b"Content-Transfer-Encoding: 7bit\r\n"
ENGINE_VARIABLES = ("case", "action", "language")
MAX_LINE_OCTETS = 998  # RFC 5321 4.5.3.1.6 and RFC 5322 2.1.1, without the CRLF


class TemplateError(Exception):
    """A template problem, with the file and line it is at."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}:1: {message}")
        self.path = path
        self.line = line
        self.message = message


class HeaderValueError(ValueError):
    """A value that must not reach a header (CR/LF, control characters, malformed address)."""


def validate_address(address: str) -> str:
    """The address if it is a plain, deliverable-looking ASCII addr-spec; else HeaderValueError."""
    if _CONTROL_RE.search(address):
        raise HeaderValueError("address contains a line break or control character")
    if len(address) > 254 or not ADDRESS_RE.match(address):
        raise HeaderValueError("malformed address")
    local, _, _domain = address.rpartition("@")
    if len(local) > 64:
        raise HeaderValueError("local part longer than 64 characters")
    return address


def address_key(address: str) -> str:
    """The key duplicates share: mailbox providers treat addresses case-insensitively."""
    return address.strip().casefold()


def normalize_language(value: object) -> str | None:
    """'de-DE.UTF-8' -> 'de_DE', 'DE' -> 'de', '' -> None."""
    if not isinstance(value, str):
        return None
    text = value.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_")
    if not text:
        return None
    lang, _, region = text.partition("_")
    result = lang.lower() + (f"_{region.upper()}" if region else "")
    return result if LANG_RE.match(result) else None


def clean_display_name(name: str) -> str:
    """A display name with every line break and control character turned into one space."""
    return " ".join(_CONTROL_RE.sub(" ", name).split())


def encode_mailbox(name: str, address: str) -> str:
    """`"Name" <addr>` for a header, RFC 2047-encoded and folded when long or non-ASCII."""
    name = clean_display_name(name)
    if not name:
        return address
    if name.isascii() and len(name) + len(address) < 60:
        if _ATOM_NAME_RE.match(name):
            return f"{name} <{address}>"
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{quoted}" <{address}>'
    words = encoded_words(name)
    if len(words) == 1 and len(words[0]) + len(address) < 70:
        return f"{words[0]} <{address}>"
    return "\r\n ".join(words) + f"\r\n <{address}>"


def encoded_words(text: str) -> list[str]:
    """RFC 2047 base64 encoded words of at most 75 characters, split between characters."""
    raw = text.encode("utf-8")
    if len(raw) <= 45:
        return [f"=?utf-8?b?{base64.b64encode(raw).decode('ascii')}?="]
    words: list[str] = []
    chunk = bytearray()
    for char in text:
        piece = char.encode("utf-8")
        if len(chunk) + len(piece) > 45:
            words.append(f"=?utf-8?b?{base64.b64encode(chunk).decode('ascii')}?=")
            chunk = bytearray()
        chunk += piece
    if chunk:
        words.append(f"=?utf-8?b?{base64.b64encode(chunk).decode('ascii')}?=")
    return words


def quoted_printable(text: str) -> bytes:
    """A text body as quoted-printable with CRLF line ends (for text that cannot go as it is)."""
    return binascii.b2a_qp(text.encode("utf-8"), istext=True).replace(b"\n", b"\r\n")


def body_encoding(text: str, eightbit: bool) -> tuple[bytes, bytes]:
    """The body's bytes and its Content-Transfer-Encoding field: the text as it is when it
    can go so, quoted-printable otherwise.

    RFC 2045 2.7: US-ASCII text whose lines are at most 998 octets (RFC 5321 4.5.3.1.6) needs
    no encoding (7bit), nor does UTF-8 text within the same limit when the server offers
    8BITMIME (RFC 6152; octets, not characters: Cyrillic takes two a letter). A longer line,
    a control character, or 8-bit text for a server without 8BITMIME needs quoted-printable.
    """
    if text.isascii():
        encoded, field = text.encode("ascii"), _CTE_7BIT
    elif eightbit:
        encoded, field = text.encode("utf-8"), _CTE_8BIT
    else:
        return quoted_printable(text), _CTE_QP
    fits = len(encoded) <= MAX_LINE_OCTETS or max(map(len, encoded.split(b"\n"))) <= MAX_LINE_OCTETS
    # bytes.translate drops the control characters at C speed (a regular expression's search
    # took a third of this function's time): any dropped, and the text needs encoding
    if not fits or len(encoded.translate(None, _NOT_TEXT)) != len(encoded):
        return quoted_printable(text), _CTE_QP
    return encoded.replace(b"\n", b"\r\n"), field


class TemplateEnvironment(SandboxedEnvironment):
    """The sandbox, with each template's globals as one plain dict (a copy of the sandbox's).

    jinja2 keeps them as a ChainMap over the environment's, which every render copies into
    its context by iterating in Python: 5 of the 8 microseconds a render of the seed notice
    takes. Nothing changes globals after a template is loaded (as jinja2's `make_globals`
    asks), so a copy made at load time is the same map.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


class TemplateSet:
    """An action's templates: the default file and its per-language variants, sandboxed.

    `notice.txt.j2` is the default; `notice.de.txt.j2` and `notice.de_DE.txt.j2` are variants.
    A recipient's language picks the most specific one: de_DE, then de, then the default.
    """

    def __init__(self, template: Path) -> None:
        self.path = template
        self.directory = template.parent
        name = template.name
        self.stem, dot, rest = name.partition(".")
        self.suffix = dot + rest
        if not template.is_file():
            raise TemplateError(template, 1, f"template {name} not found")
        self.env = TemplateEnvironment(
            loader=jinja2.FileSystemLoader(str(self.directory)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            auto_reload=False,
        )
        self.variants: dict[str, jinja2.Template] = {}
        self._sources: dict[str, Path] = {}
        for key, path in self._variant_files().items():
            self._sources[key] = path
            self.variants[key] = self._load(path)
        self._choice: dict[str | None, tuple[str, jinja2.Template]] = {}

    def _variant_files(self) -> dict[str, Path]:
        files = {"": self.path}
        for path in sorted(self.directory.glob(f"{self.stem}.*{self.suffix}")):
            middle = path.name[len(self.stem) + 1 : len(path.name) - len(self.suffix)]
            if LANG_RE.match(middle):
                files[middle] = path
        return files

    def _load(self, path: Path) -> jinja2.Template:
        source = path.read_text(encoding="utf-8")
        try:
            return self.env.from_string(source)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(path, exc.lineno, f"template syntax error: {exc.message}") from None

    def files(self) -> list[Path]:
        """Every template file in the folder: what the approval digest covers (includes too)."""
        return sorted(p for p in self.directory.glob("*.j2") if p.is_file())

    def variables(self) -> set[str]:
        """Variables the templates use that the engine does not provide: the query must."""
        names: set[str] = set()
        for path in self._sources.values():
            ast = self.env.parse(path.read_text(encoding="utf-8"))
            names |= jinja2.meta.find_undeclared_variables(ast)
        return names - set(ENGINE_VARIABLES)

    def choose(self, language: str | None) -> tuple[str, jinja2.Template]:
        """The variant for a normalized language, falling back de_DE -> de -> default."""
        cached = self._choice.get(language)
        if cached is not None:
            return cached
        key = ""
        if language:
            base = language.split("_", 1)[0]
            for candidate in (language, base):
                if candidate in self.variants:
                    key = candidate
                    break
        choice = (key or "default", self.variants[key])
        self._choice[language] = choice
        return choice

    def source_of(self, key: str) -> Path:
        return self._sources["" if key == "default" else key]

    def error_location(self, exc: BaseException, variant: str) -> tuple[Path, int]:
        """Where a template error was raised: the innermost template line, in an included file
        too (jinja2 rewrites the traceback to template lines), else the variant's line 1."""
        if isinstance(exc, jinja2.TemplateSyntaxError) and exc.lineno:
            return (Path(exc.filename) if exc.filename else self.source_of(variant)), exc.lineno
        found: tuple[Path, int] | None = None
        tb = exc.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name == "<template>":
                found = (self.source_of(variant), tb.tb_lineno)
            elif name.endswith(".j2") or self.directory in Path(name).parents:
                found = (Path(name), tb.tb_lineno)
            tb = tb.tb_next
        return found or (self.source_of(variant), getattr(exc, "lineno", None) or 1)


@dataclass(frozen=True, slots=True)
class Composed:
    """One message, ready for DATA; `variant` is the template language that rendered it."""

    data: bytes
    message_id: str
    variant: str
    eightbit: bool = False


class Composer:
    """Builds each recipient's message from the constant header block and the rendered body."""

    def __init__(
        self,
        templates: TemplateSet,
        *,
        case: str,
        action: str,
        sender: str,
        subject: str,
        run_id: str,
        eightbit: bool = False,
        sign: Callable[[bytes], bytes] | None = None,
    ) -> None:
        self.templates = templates
        self.eightbit = eightbit
        self.sign = sign  # DKIM (notifier.message.dkim.Signer.sign), for relays that do not sign
        self.case = case
        self.action = action
        self.run_id = run_id
        for label, value in (("from", sender), ("subject", subject)):
            if _CONTROL_RE.search(value):
                raise HeaderValueError(f"{label} contains a line break or control character")
        _name, sender_addr = parseaddr(sender)
        validate_address(sender_addr)
        self.domain = sender_addr.rpartition("@")[2]
        constant = EmailMessage(policy=email.policy.SMTP)
        constant["From"] = sender
        constant["Subject"] = subject
        constant["MIME-Version"] = "1.0"
        constant["Content-Type"] = 'text/plain; charset="utf-8"'
        constant["Auto-Submitted"] = "auto-generated"
        constant["Precedence"] = "bulk"
        constant["X-Docket-Case"] = f"{case} {action}"
        self._constant = bytes(constant)
        if self._constant.endswith(b"\r\n\r\n"):
            self._constant = self._constant[:-2]
        self._languages: dict[str | None, tuple[str, str, jinja2.Template]] = {}
        self._date_second = -1
        self._date = b""

    def message_id(self, key: str) -> str:
        """Deterministic per run and recipient: a resend after a crash carries the same id."""
        return message_id_for(self.run_id, key, self.action, self.case, self.domain)

    def _date_header(self) -> bytes:
        now = int(time.time())
        if now != self._date_second:
            self._date_second = now
            stamp = format_datetime(datetime.fromtimestamp(now, UTC), usegmt=True)
            self._date = f"Date: {stamp}\r\n".encode("ascii")
        return self._date

    def render(self, data: Mapping[str, Any]) -> tuple[str, str]:
        """The body text and the variant key for one recipient's row (StrictUndefined)."""
        raw = data.get("language")
        known = self._languages.get(raw) if isinstance(raw, str | None) else None
        if known is None:
            language = normalize_language(raw)
            variant, template = self.templates.choose(language)
            known = (language or "", variant, template)
            if isinstance(raw, str | None) and len(self._languages) < 10_000:
                self._languages[raw] = known
        language_value, variant, template = known
        values = dict(data)
        for name, value in data.items():
            if value is None:
                values[name] = ""
            elif isinstance(value, str) and _CONTROL_RE.search(value):
                values[name] = clean_display_name(value)
        values["case"] = self.case
        values["action"] = self.action
        values["language"] = language_value
        return template.render(values), variant

    def variant_for(self, data: Mapping[str, Any]) -> str:
        """The template variant a row's language picks."""
        return self.templates.choose(normalize_language(data.get("language")))[0]

    def describe_error(self, exc: BaseException, data: Mapping[str, Any]) -> str:
        """One line for a recipient's reply: the template file, its line and the exception."""
        path, line = self.templates.error_location(exc, self.variant_for(data))
        where = self.templates.directory
        name = path.relative_to(where) if where in path.parents else Path(path.name)
        kind = "" if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: "
        text = " ".join(str(exc).split())[:300]
        return f"template error at {name}:{line}: {kind}{text}"

    def compose(self, address: str, data: Mapping[str, Any], key: str | None = None) -> Composed:
        """The full message for one recipient; raises HeaderValueError for unusable values."""
        validate_address(address)
        body, variant = self.render(data)
        message_id = self.message_id(key if key is not None else address_key(address))
        to = encode_mailbox(display_name(data), address)
        text = body.replace("\r\n", "\n").replace("\r", "\n") if "\r" in body else body
        if not text.endswith("\n"):
            text += "\n"
        encoded, cte = body_encoding(text, self.eightbit)
        eightbit = cte is _CTE_8BIT
        head = b"".join(
            (
                self._constant,
                cte,
                b"To: ",
                to.encode("ascii"),
                b"\r\nMessage-ID: ",
                message_id.encode("ascii"),
                b"\r\n",
                self._date_header(),
                b"\r\n",
            )
        )
        message = head + encoded
        if self.sign is not None:
            message = self.sign(message)  # what is signed is exactly what goes to DATA
        return Composed(message, message_id, variant, eightbit)


def message_id_for(run_id: str, key: str, action: str, case: str, domain: str) -> str:
    """A run's Message-ID for one recipient key (also for the run registry's record)."""
    digest = hashlib.sha256(f"{run_id}\0{key}".encode()).hexdigest()[:32]
    return f"<{digest}.{action}.{case}@{domain}>"


def display_name(data: Mapping[str, Any]) -> str:
    """The To display name: a `name` column, else `fname lname`, else nothing."""
    name = data.get("name")
    if isinstance(name, str) and name.strip():
        return name
    parts = [data.get("fname"), data.get("lname")]
    return " ".join(str(p) for p in parts if p not in (None, ""))
