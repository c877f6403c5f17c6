"""DKIM signing of composed messages: RSA-SHA256, and optionally Ed25519-SHA256 (RFC 8463) too.

dkimpy is the reference for DKIM in Python, but its RSA is pure Python (about 120 RSA-2048
signatures a second here: 23 CPU-minutes for 170,000 messages). So this module canonicalises
(relaxed/relaxed, RFC 6376 3.4.2 and 3.4.4) and hashes the message itself, in a few regular
expressions over the exact bytes `Composer.compose` produces, and hands the RSA or Ed25519 step to
`cryptography` (OpenSSL). dkimpy stays the judge: the tests verify every signature with
`dkim.verify`, and `verify_with_key` lets a preflight check a signed sample the same way.

One signature per key, the RSA one first and always present (Gmail does not verify Ed25519);
a second, Ed25519 signature is opt-in because some relays (Amazon SES) refuse a message that
carries more than one DKIM-Signature. A `SigningPool` runs the same signer in worker processes
when one core cannot keep up with the sender; `AsyncSigner` is what the sending coroutines
await, in process or over such a pool.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa

RSA_SHA256 = "rsa-sha256"
ED25519_SHA256 = "ed25519-sha256"
MIN_RSA_BITS = 1024  # RFC 8301 3.2: signers MUST use at least 1024 bits (2048 recommended)
# What the signature covers, in this order; a field the message lacks is left out of h=.
SIGNED_HEADERS = (
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
)
# Signed once more than they occur, so a copy with an added From or Subject fails (RFC 6376 8.15).
OVERSIGNED_HEADERS = ("from", "subject")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_SELECTOR_RE = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")
_DOMAIN_RE = re.compile(rf"^(?:{_LABEL}\.)+[A-Za-z]{{2,63}}$")
_WSP_RUN = re.compile(rb"[\t ]+")
_WSP_AT_EOL = re.compile(rb"[\t ]+\r\n")
_BARE_LF = re.compile(rb"(?<!\r)\n")
_FIELD_NAME = re.compile(rb"^([\x21-\x39\x3b-\x7e]+)[\t ]*:")
_FOLD_AT = 76  # header lines of the signature stay under 78 characters


class DkimKeyError(Exception):
    """A DKIM key that cannot be used: missing, unreadable, open to others, malformed, too weak.

    The message names the file and says what to do.
    """


class DkimSignError(ValueError):
    """A message that cannot be signed as it is (no header/body separator, no From)."""


@dataclass(frozen=True)
class DkimKey:
    """A private key and where its public half is published: `<selector>._domainkey.<domain>`.

    `pem` is kept (not the key object) so a key can be handed to worker processes.
    """

    path: Path
    algorithm: str
    selector: str
    domain: str
    pem: bytes = field(repr=False)

    def private_key(self) -> rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey:
        """The key object (parsed again per call: keep the result)."""
        key = serialization.load_pem_private_key(self.pem, password=None)
        assert isinstance(key, rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey)
        return key

    def dns_name(self) -> str:
        """The name of the TXT record receivers look up."""
        return f"{self.selector}._domainkey.{self.domain}"

    def dns_record(self) -> str:
        """The TXT record value to publish at `dns_name()` (RFC 6376 3.6.1, RFC 8463 4)."""
        public = self.private_key().public_key()
        if isinstance(public, ed25519.Ed25519PublicKey):
            raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            return f"v=DKIM1; k=ed25519; p={base64.b64encode(raw).decode('ascii')}"
        der = public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return f"v=DKIM1; k=rsa; p={base64.b64encode(der).decode('ascii')}"


def load_key(path: Path, *, selector: str, domain: str) -> DkimKey:
    """Read a PEM private key (RSA or Ed25519, PKCS#1 or PKCS#8, unencrypted) for signing.

    Refuses a key file that others (not owner, not group) may read or write: whoever can read it
    can sign mail as the domain. Every error is a DkimKeyError naming the file.
    """
    if not _SELECTOR_RE.match(selector):
        raise DkimKeyError(f"{path}: selector {selector!r} is not a DNS label (letters, digits, -)")
    if not _DOMAIN_RE.match(domain):
        raise DkimKeyError(f"{path}: signing domain {domain!r} is not a domain name")
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DkimKeyError(f"{path}: DKIM key file not found") from None
    except OSError as exc:
        raise DkimKeyError(f"{path}: cannot read the DKIM key: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise DkimKeyError(f"{path}: the DKIM key is not a regular file")
    if info.st_mode & (stat.S_IROTH | stat.S_IWOTH):
        mode = stat.S_IMODE(info.st_mode)
        raise DkimKeyError(
            f"{path}: the DKIM private key is readable or writable by others (mode {mode:04o});"
            f" run: chmod o-rwx {path}"
        )
    try:
        pem = path.read_bytes()
    except OSError as exc:
        raise DkimKeyError(f"{path}: cannot read the DKIM key: {exc.strerror}") from None
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except TypeError:
        raise DkimKeyError(
            f"{path}: the DKIM key is encrypted; store it unencrypted with mode 0600"
        ) from None
    except (ValueError, UnsupportedAlgorithm):
        raise DkimKeyError(
            f"{path}: not a PEM private key (expected '-----BEGIN PRIVATE KEY-----' or"
            " '-----BEGIN RSA PRIVATE KEY-----')"
        ) from None
    if isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < MIN_RSA_BITS:
            raise DkimKeyError(
                f"{path}: RSA key of {key.key_size} bits; DKIM needs at least {MIN_RSA_BITS}"
                " (make a 2048-bit one)"
            )
        algorithm = RSA_SHA256
    elif isinstance(key, ed25519.Ed25519PrivateKey):
        algorithm = ED25519_SHA256
    else:
        raise DkimKeyError(f"{path}: DKIM keys are RSA or Ed25519, not {type(key).__name__}")
    return DkimKey(path, algorithm, selector, domain.lower(), pem)


def canonical_body(body: bytes) -> bytes:
    """RFC 6376 3.4.4 relaxed body canonicalisation (bare LF counted as the CRLF it is sent as)."""
    if b"\n" in body and body.count(b"\n") != body.count(b"\r\n"):
        body = _BARE_LF.sub(b"\r\n", body)
    if b" \r\n" in body or b"\t" in body or b"  " in body:
        body = _WSP_RUN.sub(b" ", _WSP_AT_EOL.sub(b"\r\n", body))
    end = len(body)
    while body.endswith(b"\r\n", 0, end):
        end -= 2
    return body[:end] + b"\r\n" if end else b""


def canonical_header(name: bytes, value: bytes) -> bytes:
    """RFC 6376 3.4.2 relaxed: lower-case name, value unfolded, WSP runs as one space, trimmed."""
    if b"\n" in value:
        value = value.replace(b"\r\n", b"").replace(b"\n", b"")
    if b"\t" in value or b"  " in value:
        value = _WSP_RUN.sub(b" ", value)
    return name.lower().rstrip() + b":" + value.strip()


def split_message(message: bytes) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """The header fields (name, raw value with its folds) in order, and the body."""
    cut = message.find(b"\r\n\r\n")
    if cut < 0:
        if message.endswith(b"\r\n"):
            cut = len(message) - 2
        else:
            raise DkimSignError("message has no blank line between header and body")
        body = b""
    else:
        body = message[cut + 4 :]
    fields: list[tuple[bytes, bytes]] = []
    for line in message[:cut].split(b"\r\n"):
        if line[:1] in (b" ", b"\t") and fields:
            name, value = fields[-1]
            fields[-1] = (name, value + b"\r\n" + line)
            continue
        match = _FIELD_NAME.match(line)
        if match is None:
            raise DkimSignError(f"not a header field: {line[:60]!r}")
        fields.append((match.group(1), line[match.end() :]))
    return fields, body


def _fold(pieces: Sequence[tuple[str, str]], first: int) -> str:
    """Pieces (separator, text) on lines of at most `_FOLD_AT` characters where they fit,
    folding ("CRLF SP") in place of a separator; `first` is what precedes on the first line."""
    out: list[str] = []
    column = first
    for separator, text in pieces:
        if out and column + len(separator) + len(text) > _FOLD_AT:
            out.append("\r\n " + text)
            column = 1 + len(text)
        else:
            out.append((separator if out else "") + text)
            column += len(separator if len(out) > 1 else "") + len(text)
    return "".join(out)


def _signature_value(tags: Sequence[str], names: Sequence[str], body_hash: str) -> str:
    """The DKIM-Signature value up to an empty b=, folded; h= may fold after a colon (FWS is
    allowed around its colons, RFC 6376 3.5)."""
    pieces: list[tuple[str, str]] = [(" ", tag + ";") for tag in tags]
    for index, name in enumerate(names):
        colon = ":" if index < len(names) - 1 else ";"
        pieces.append((" ", "h=" + name + colon) if index == 0 else ("", name + colon))
    pieces.append((" ", f"bh={body_hash};"))
    pieces.append((" ", "b="))
    return _fold(pieces, len("DKIM-Signature: "))


class Signer:
    """Signs composed messages with one RSA key and optionally one Ed25519 key.

    `sign(message)` returns the message with the DKIM-Signature field(s) put on top; the rest
    of the bytes are unchanged, so what was signed is what goes to DATA.
    """

    def __init__(
        self,
        keys: Sequence[DkimKey],
        *,
        headers: Sequence[str] = SIGNED_HEADERS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not keys or keys[0].algorithm != RSA_SHA256:
            raise DkimKeyError(
                "the first DKIM key must be RSA: receivers such as Gmail do not verify Ed25519"
            )
        if len(keys) > 2 or (len(keys) == 2 and keys[1].algorithm != ED25519_SHA256):
            raise DkimKeyError("DKIM signs with one RSA key and at most one Ed25519 key")
        if "from" not in (h.lower() for h in headers):
            raise ValueError("a DKIM signature must cover From (RFC 6376 5.4)")
        self.keys = tuple(keys)
        self._signers = [(key, key.private_key()) for key in keys]
        self.headers = tuple(h.lower().encode("ascii") for h in headers)
        self.clock = clock
        self.domain = keys[0].domain
        self._values: dict[tuple[str, str, str, tuple[bytes, ...], int], str] = {}

    def sign(self, message: bytes) -> bytes:
        """The message with its DKIM-Signature field(s) prepended (RSA first)."""
        return self.fields(message) + message

    def fields(self, message: bytes) -> bytes:
        """The DKIM-Signature field(s) to put before the message (what a signing worker sends
        back: a few hundred bytes instead of the message)."""
        fields, body = split_message(message)
        body_hash = base64.b64encode(hashlib.sha256(canonical_body(body)).digest()).decode("ascii")
        chosen, names = self._select(fields)
        if not any(name.lower() == b"from" for name, _ in chosen):
            raise DkimSignError("message has no From field to sign")
        signed = b"".join(canonical_header(n, v) + b"\r\n" for n, v in chosen)
        stamp = str(int(self.clock()))
        out: list[bytes] = []
        for key, private in self._signers:
            value = self._value(key, names, stamp, body_hash)
            data = signed + canonical_header(b"DKIM-Signature", value.encode("ascii"))
            if isinstance(private, rsa.RSAPrivateKey):
                signature = private.sign(data, padding.PKCS1v15(), hashes.SHA256())
            else:
                signature = private.sign(hashlib.sha256(data).digest())
            b64 = base64.b64encode(signature).decode("ascii")
            folded = "\r\n ".join(b64[i : i + 72] for i in range(0, len(b64), 72))
            out.append(f"DKIM-Signature: {value}\r\n {folded}\r\n".encode("ascii"))
        return b"".join(out)

    def _value(self, key: DkimKey, names: list[bytes], stamp: str, body_hash: str) -> str:
        """The folded value up to b=; folded once per key, h= and length of t= (the lengths
        of t= and bh= decide the folds, so placeholders of those lengths stand in for them)."""
        cache_key = (key.algorithm, key.domain, key.selector, tuple(names), len(stamp))
        template = self._values.get(cache_key)
        if template is None:
            tags = (
                "v=1",
                f"a={key.algorithm}",
                "c=relaxed/relaxed",
                f"d={key.domain}",
                f"s={key.selector}",
                "t=" + "\x00" * len(stamp),
            )
            h = [n.decode("ascii") for n in names]
            template = _signature_value(tags, h, "\x01" * 44)
            if len(self._values) < 64:
                self._values[cache_key] = template
        return template.replace("\x00" * len(stamp), stamp).replace("\x01" * 44, body_hash)

    def _select(
        self, fields: list[tuple[bytes, bytes]]
    ) -> tuple[list[tuple[bytes, bytes]], list[bytes]]:
        """The fields to hash and the h= names: each listed name from the bottom up
        (RFC 6376 5.4.2), plus one empty instance of the oversigned ones."""
        by_name: dict[bytes, list[tuple[bytes, bytes]]] = {}
        for name, value in fields:
            by_name.setdefault(name.lower(), []).append((name, value))
        chosen: list[tuple[bytes, bytes]] = []
        names: list[bytes] = []
        for wanted in self.headers:
            present = by_name.get(wanted, [])
            for item in reversed(present):
                chosen.append(item)
                names.append(wanted)
        for extra in OVERSIGNED_HEADERS:
            encoded = extra.encode("ascii")
            if encoded in self.headers:
                names.append(encoded)  # no field left: hashes nothing, forbids another
        return chosen, names


_worker_signer: Signer | None = None


def _start_worker(keys: tuple[DkimKey, ...], headers: tuple[str, ...]) -> None:
    global _worker_signer
    _worker_signer = Signer(keys, headers=headers)


def _sign_in_worker(batch: list[bytes]) -> list[bytes | str]:
    """Each message's DKIM-Signature field(s), or the reason it cannot be signed (one bad
    message spoils no batch)."""
    assert _worker_signer is not None
    out: list[bytes | str] = []
    for message in batch:
        try:
            out.append(_worker_signer.fields(message))
        except DkimSignError as exc:
            out.append(str(exc))
    return out


def _signed(message: bytes, result: bytes | str) -> bytes:
    if isinstance(result, str):
        raise DkimSignError(result)
    return result + message


class SigningPool:
    """A `Signer` in each of `workers` processes, for when one core signs slower than the
    relays take mail. Batches keep the per-call cost (pickling, pipes) small against the RSA."""

    def __init__(
        self, keys: Sequence[DkimKey], *, workers: int = 2, headers: Sequence[str] = SIGNED_HEADERS
    ) -> None:
        Signer(keys, headers=headers)  # the same checks, here, before any process starts
        self.keys = tuple(keys)
        self.workers = workers
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            initializer=_start_worker,
            initargs=(self.keys, tuple(headers)),
        )

    def submit(self, batch: list[bytes]) -> Future[list[bytes | str]]:
        """Sign a batch in a worker: per message its DKIM-Signature field(s) to prepend, or a
        str saying why it could not be signed (what `Signer.sign` raises DkimSignError for)."""
        return self._executor.submit(_sign_in_worker, batch)

    def map(self, messages: Iterable[bytes], batch_size: int = 200) -> Iterator[bytes]:
        """Signed messages in the input order, `batch_size` to a task, `workers` in flight
        ahead of the consumer at most (memory stays bounded on a long input); DkimSignError
        at a message that cannot be signed."""
        pending: list[tuple[list[bytes], Future[list[bytes | str]]]] = []
        batch: list[bytes] = []
        for message in messages:
            batch.append(message)
            if len(batch) >= batch_size:
                pending.append((batch, self.submit(batch)))
                batch = []
                if len(pending) > self.workers:
                    sent, future = pending.pop(0)
                    yield from map(_signed, sent, future.result())
        if batch:
            pending.append((batch, self.submit(batch)))
        for sent, future in pending:
            yield from map(_signed, sent, future.result())

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> SigningPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncSigner:
    """`await signer.sign(message)` for the sending coroutines: in this process
    (`workers=0`, the default: one core signs 2,000+ messages a second), or in a
    `SigningPool`, the calls made while the event loop was busy going to the workers in
    batches of at most `max_batch`, so no coroutine waits for a batch to fill and, with more
    sending coroutines than `max_batch`, several batches are in flight: the workers sign while
    this process composes and sends.
    """

    def __init__(
        self,
        keys: Sequence[DkimKey],
        *,
        workers: int = 0,
        max_batch: int = 16,
        headers: Sequence[str] = SIGNED_HEADERS,
    ) -> None:
        self.signer = Signer(keys, headers=headers)
        self.max_batch = max_batch
        self.pool = SigningPool(keys, workers=workers, headers=headers) if workers else None
        self.batches = 0
        self._waiting: list[tuple[bytes, asyncio.Future[bytes]]] = []

    async def sign(self, message: bytes) -> bytes:
        """The signed message; DkimSignError if it cannot be signed."""
        if self.pool is None:
            return self.signer.sign(message)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bytes] = loop.create_future()
        if not self._waiting:
            loop.call_soon(self._flush)
        self._waiting.append((message, future))
        if len(self._waiting) >= self.max_batch:
            self._flush()
        return await future

    def _flush(self) -> None:
        assert self.pool is not None
        waiting, self._waiting = self._waiting, []
        if not waiting:
            return
        self.batches += 1
        done = asyncio.wrap_future(self.pool.submit([message for message, _ in waiting]))

        def hand_out(batch: asyncio.Future[list[bytes | str]]) -> None:
            error = None if batch.cancelled() else batch.exception()
            for index, (message, future) in enumerate(waiting):
                if future.done():
                    continue
                if batch.cancelled():
                    future.cancel()
                elif error is not None:
                    future.set_exception(error)
                else:
                    result = batch.result()[index]
                    if isinstance(result, str):
                        future.set_exception(DkimSignError(result))
                    else:
                        future.set_result(result + message)

        done.add_done_callback(hand_out)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()


def verify_with_key(message: bytes, key: DkimKey, index: int = 0) -> bool:
    """Whether dkimpy verifies the message's `index`-th DKIM-Signature against `key`'s own
    public record (no DNS asked): a self-check of a signed sample before a run."""
    import dkim

    record = key.dns_record().encode("ascii")
    wanted = key.dns_name().encode("ascii")

    def answer(name: bytes | str, timeout: int = 5) -> bytes | None:
        asked = name if isinstance(name, bytes) else name.encode("ascii")
        return record if asked.rstrip(b".").lower() == wanted.lower() else None

    checker = dkim.DKIM(message, minkey=MIN_RSA_BITS)
    try:
        return bool(checker.verify(idx=index, dnsfunc=answer))
    except dkim.DKIMException:
        return False
