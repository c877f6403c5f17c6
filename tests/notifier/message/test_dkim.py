"""DKIM signing: every signature checked by dkimpy against the key's public record (DNS answered
by a function, never the network), on messages as `Composer` builds them and as a relay gets them."""

from __future__ import annotations

import asyncio
import os
import pwd
from collections.abc import Callable
from pathlib import Path

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from dkim.canonicalization import Relaxed
from hypothesis import given, settings
from hypothesis import strategies as st

from notifier.message.compose import Composer, TemplateSet
from notifier.message.dkim import (
    AsyncSigner,
    DkimKey,
    DkimKeyError,
    DkimSignError,
    Signer,
    SigningPool,
    canonical_body,
    canonical_header,
    load_key,
    split_message,
    verify_with_key,
)
from tests.notifier.conftest import Sink

Dns = Callable[..., bytes | None]


def write_key(path: Path, key: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey) -> Path:
    fmt = (
        serialization.PrivateFormat.TraditionalOpenSSL
        if isinstance(key, rsa.RSAPrivateKey)
        else serialization.PrivateFormat.PKCS8
    )
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())
    )
    path.chmod(0o600)
    return path


@pytest.fixture(scope="session")
def rsa_private() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def rsa_key(tmp_path: Path, rsa_private: rsa.RSAPrivateKey) -> DkimKey:
    return load_key(
        write_key(tmp_path / "rsa.pem", rsa_private), selector="s2026", domain="example.org"
    )


@pytest.fixture
def ed_key(tmp_path: Path) -> DkimKey:
    path = write_key(tmp_path / "ed.pem", ed25519.Ed25519PrivateKey.generate())
    return load_key(path, selector="e2026", domain="example.org")


def dns_for(*keys: DkimKey) -> Dns:
    """dkimpy's dnsfunc: the keys' own TXT records, nothing else."""
    records = {k.dns_name().encode(): k.dns_record().encode() for k in keys}

    def answer(name: bytes, timeout: int = 5) -> bytes | None:
        return records.get(name.rstrip(b"."))

    return answer


def verifies(message: bytes, dns: Dns, index: int = 0) -> bool:
    """dkimpy's verdict on the index-th signature (it raises for some failures, e.g. a body hash)."""
    try:
        return bool(dkim.DKIM(message).verify(idx=index, dnsfunc=dns))
    except dkim.DKIMException:
        return False


def signatures(message: bytes) -> int:
    head = message.split(b"\r\n\r\n", 1)[0]
    return sum(1 for line in head.split(b"\r\n") if line.lower().startswith(b"dkim-signature:"))


@pytest.fixture
def composer(tmp_path: Path) -> Callable[..., Composer]:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "notice.txt.j2").write_text(
        "Dear {{ fname }},\n\nYour  certificate   needs\treplacing. \n\n\n", encoding="utf-8"
    )
    (folder / "notice.de.txt.j2").write_text(
        "Liebe(r) {{ fname }},\nGrüße aus Köln — Ihr Zertifikat muss ersetzt werden.\n"
        + "ä" * 400
        + "\n",
        encoding="utf-8",
    )
    templates = TemplateSet(folder / "notice.txt.j2")

    def make(eightbit: bool = False, subject: str = "Heartbleed") -> Composer:
        return Composer(
            templates,
            case="a20140408.1",
            action="heartbleed",
            sender="CAcert Arbitration <arbitration@example.org>",
            subject=subject,
            run_id="run-1",
            eightbit=eightbit,
        )

    return make


def test_a_composed_message_verifies_and_covers_the_listed_headers(
    composer: Callable[..., Composer], rsa_key: DkimKey
) -> None:
    message = composer().compose("alice@example.net", {"fname": "Alice", "language": "en"}).data
    signed = Signer([rsa_key]).sign(message)
    assert signed.endswith(message)
    assert signatures(signed) == 1
    assert dkim.verify(signed, dnsfunc=dns_for(rsa_key))
    fields = dkim.util.parse_tag_value(dkim.rfc822_parse(signed)[0][0][1].replace(b"\r\n", b""))
    assert fields[b"a"] == b"rsa-sha256"
    assert fields[b"c"] == b"relaxed/relaxed"
    assert fields[b"d"] == b"example.org"
    h = [n.strip() for n in fields[b"h"].split(b":")]
    for name in (b"from", b"to", b"subject", b"date", b"message-id", b"mime-version",
                 b"content-type", b"content-transfer-encoding"):  # fmt: skip
        assert name in h
    assert h.count(b"from") == 2  # oversigned: a second From cannot be added
    head = signed[: len(signed) - len(message)]
    assert all(len(line) <= 78 for line in head.split(b"\r\n")), head


def test_folded_headers_and_an_8bit_utf8_body_verify(
    composer: Callable[..., Composer], rsa_key: DkimKey
) -> None:
    subject = "Heartbleed: Ihr Zertifikat — bitte ersetzen Sie es bald, " * 3
    built = composer(eightbit=True, subject=subject).compose(
        "bob@example.net",
        {"fname": "Jörg-Björn Ünal-Müller von und zu Langenachname-Doppelname", "language": "de"},
    )
    assert built.eightbit
    head = built.data.split(b"\r\n\r\n", 1)[0]
    assert b"\r\n " in head  # the To and Subject fields are folded
    assert "Grüße".encode() in built.data  # 8bit, not quoted-printable
    signed = Signer([rsa_key]).sign(built.data)
    assert dkim.verify(signed, dnsfunc=dns_for(rsa_key))
    assert verify_with_key(signed, rsa_key)


def test_a_quoted_printable_body_with_whitespace_runs_verifies(
    composer: Callable[..., Composer], rsa_key: DkimKey
) -> None:
    built = composer(eightbit=False).compose(
        "carol@example.net", {"fname": "Carol", "language": "de"}
    )
    assert b"quoted-printable" in built.data
    signed = Signer([rsa_key]).sign(built.data)
    assert dkim.verify(signed, dnsfunc=dns_for(rsa_key))


def test_a_changed_body_or_header_fails(
    composer: Callable[..., Composer], rsa_key: DkimKey
) -> None:
    signed = Signer([rsa_key]).sign(
        composer().compose("alice@example.net", {"fname": "Alice", "language": "en"}).data
    )
    dns = dns_for(rsa_key)
    assert dkim.verify(signed, dnsfunc=dns)
    assert not dkim.verify(signed.replace(b"Dear Alice", b"Dear Mallory"), dnsfunc=dns)
    assert not dkim.verify(signed + b"P.S. click here\r\n", dnsfunc=dns)
    assert not dkim.verify(signed.replace(b"Subject: Heartbleed", b"Subject: Win"), dnsfunc=dns)
    # a From added below is what verifiers pick first (bottom up); one added on top is caught
    # only because From is signed once more than it occurs (oversigned)
    below = signed.replace(b"\r\n\r\n", b"\r\nFrom: evil@example.com\r\n\r\n", 1)
    assert not dkim.verify(below, dnsfunc=dns)
    assert not dkim.verify(b"From: evil@example.com\r\n" + signed, dnsfunc=dns)
    assert not dkim.verify(b"Subject: Win a prize\r\n" + signed, dnsfunc=dns)


def test_what_relaxed_canonicalisation_forgives_still_verifies(
    composer: Callable[..., Composer], rsa_key: DkimKey
) -> None:
    """A relay that re-folds a header or adds trailing blank lines does not break the signature."""
    signed = Signer([rsa_key]).sign(
        composer().compose("alice@example.net", {"fname": "Alice", "language": "en"}).data
    )
    refolded = signed.replace(b"Subject: Heartbleed", b"Subject:\r\n \t Heartbleed ")
    assert dkim.verify(refolded + b"\r\n\r\n", dnsfunc=dns_for(rsa_key))
    assert dkim.verify(b"Received: from relay\r\n" + signed, dnsfunc=dns_for(rsa_key))


def test_ed25519_is_a_second_signature_only_when_asked(
    composer: Callable[..., Composer], rsa_key: DkimKey, ed_key: DkimKey
) -> None:
    message = (
        composer(eightbit=True)
        .compose("dora@example.net", {"fname": "Dora", "language": "de"})
        .data
    )
    dns = dns_for(rsa_key, ed_key)
    single = Signer([rsa_key]).sign(message)
    assert signatures(single) == 1
    dual = Signer([rsa_key, ed_key]).sign(message)
    assert signatures(dual) == 2
    assert b"a=rsa-sha256" in dual.split(b"DKIM-Signature:")[1]  # RSA on top
    assert verifies(dual, dns, 0)
    assert verifies(dual, dns, 1)
    assert verify_with_key(dual, ed_key, index=1)
    changed = dual.replace("Grüße".encode(), b"Gruesse")
    assert not verifies(changed, dns, 1)


def test_signatures_at_other_times_and_of_other_header_sets_verify(
    rsa_key: DkimKey, ed_key: DkimKey
) -> None:
    """The folded signature value is kept per key and header set: each one must still fit."""
    base = b"From: a@example.org\r\nTo: b@example.net\r\nSubject: s\r\n"
    dns = dns_for(rsa_key, ed_key)
    for clock in (lambda: 999_999_999.5, lambda: 1_796_000_000.0):
        signer = Signer([rsa_key, ed_key], clock=clock)
        for extra in (b"", b"Date: Sun, 06 Dec 2026 19:00:00 +0000\r\nMessage-ID: <1@x.org>\r\n"):
            signed = signer.sign(base + extra + b"\r\nbody\r\n")
            assert f"t={int(clock())};".encode() in signed
            assert verifies(signed, dns, 0) and verifies(signed, dns, 1)


def test_rsa_is_required_and_first(rsa_key: DkimKey, ed_key: DkimKey) -> None:
    with pytest.raises(DkimKeyError, match="first DKIM key must be RSA"):
        Signer([ed_key])
    with pytest.raises(DkimKeyError, match="at most one Ed25519"):
        Signer([rsa_key, rsa_key])
    with pytest.raises(ValueError, match="must cover From"):
        Signer([rsa_key], headers=("to", "subject"))


def test_a_message_without_from_or_separator_is_refused(rsa_key: DkimKey) -> None:
    with pytest.raises(DkimSignError, match="no From"):
        Signer([rsa_key]).sign(b"To: a@example.net\r\nSubject: x\r\n\r\nbody\r\n")
    with pytest.raises(DkimSignError, match="blank line"):
        Signer([rsa_key]).sign(b"From: a@example.org\r\nSubject: x")
    with pytest.raises(DkimSignError, match="not a header field"):
        Signer([rsa_key]).sign(b"From: a@example.org\r\nno colon here\r\n\r\nbody\r\n")


def test_verify_with_key_refuses_another_key(
    composer: Callable[..., Composer], rsa_key: DkimKey, tmp_path: Path
) -> None:
    signed = Signer([rsa_key]).sign(
        composer().compose("alice@example.net", {"fname": "Alice", "language": "en"}).data
    )
    other = write_key(
        tmp_path / "other.pem", rsa.generate_private_key(public_exponent=65537, key_size=1024)
    )
    assert not verify_with_key(signed, load_key(other, selector="s2026", domain="example.org"))


def test_a_signed_message_verifies_as_the_relay_received_it(
    composer: Callable[..., Composer], rsa_key: DkimKey, ed_key: DkimKey, sink: Sink
) -> None:
    """Signed bytes through a real SMTP transaction (dot-stuffing, 8BITMIME) still verify."""
    from notifier.delivery.connection import Connection, SmtpSettings

    make = composer(eightbit=True)
    built = [
        make.compose("alice@example.net", {"fname": "Alice", "language": "en"}),
        make.compose("bob@example.net", {"fname": "Bob", "language": "de"}),
    ]
    signer = Signer([rsa_key, ed_key])

    async def send() -> None:
        connection = Connection(SmtpSettings(sink.host, sink.port, "none"))
        for item, to in zip(built, ("alice@example.net", "bob@example.net"), strict=True):
            outcome = await connection.send(
                "bounces@example.org", to, signer.sign(item.data), item.eightbit
            )
            assert outcome.kind == "sent", outcome
        await connection.close()

    asyncio.run(send())
    dns = dns_for(rsa_key, ed_key)
    assert len(sink.received) == 2
    for received in sink.received:
        assert verifies(received.content, dns, 0)
        assert verifies(received.content, dns, 1)


def test_a_pool_of_two_signs_in_order(composer: Callable[..., Composer], rsa_key: DkimKey) -> None:
    make = composer()
    messages = [
        make.compose(f"m{i}@example.net", {"fname": f"M{i}", "language": "en"}).data
        for i in range(45)
    ]
    with SigningPool([rsa_key], workers=2) as pool:
        signed = list(pool.map(messages, batch_size=4))
    assert len(signed) == len(messages)
    for original, result in zip(messages, signed, strict=True):
        assert result.endswith(original)
        assert dkim.verify(result, dnsfunc=dns_for(rsa_key))


@pytest.mark.parametrize("workers", [0, 2])
def test_the_async_signer_signs_for_many_coroutines(
    composer: Callable[..., Composer], rsa_key: DkimKey, workers: int
) -> None:
    """Calls made while the loop is busy go to the pool in batches of at most max_batch; a
    message that cannot be signed fails alone."""
    make = composer()
    messages = [
        make.compose(f"m{i}@example.net", {"fname": f"M{i}", "language": "en"}).data
        for i in range(30)
    ]
    bad = b"To: x@example.net\r\n\r\nno from\r\n"
    signer = AsyncSigner([rsa_key], workers=workers, max_batch=20)

    async def main() -> list[bytes | BaseException]:
        calls = [signer.sign(m) for m in messages[:15]] + [signer.sign(bad)]
        calls += [signer.sign(m) for m in messages[15:]]
        return await asyncio.gather(*calls, return_exceptions=True)

    try:
        results = asyncio.run(main())
    finally:
        signer.close()
    assert isinstance(results[15], DkimSignError) and "no From" in str(results[15])
    signed = results[:15] + results[16:]
    for original, result in zip(messages, signed, strict=True):
        assert isinstance(result, bytes) and result.endswith(original)
        assert dkim.verify(result, dnsfunc=dns_for(rsa_key))
    assert signer.batches == (2 if workers else 0)  # 31 calls: 20 + 11


def test_a_pool_map_raises_at_the_message_that_cannot_be_signed(rsa_key: DkimKey) -> None:
    good = b"From: a@example.org\r\n\r\nbody\r\n"
    with SigningPool([rsa_key], workers=1) as pool:
        results = pool.map([good, good, b"no header\r\n\r\n", good], batch_size=2)
        assert next(results).endswith(good)
        assert next(results).endswith(good)
        with pytest.raises(DkimSignError, match="not a header field"):
            next(results)


def test_a_pool_checks_its_keys_before_starting(ed_key: DkimKey) -> None:
    with pytest.raises(DkimKeyError, match="must be RSA"):
        SigningPool([ed_key])


# --- canonicalisation against dkimpy's --------------------------------------------------------

_line = st.text(alphabet=st.sampled_from(["a", "b", " ", "\t", "ü", "."]), max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(_line, max_size=8), st.sampled_from(["", "\r\n", "\r\n\r\n", "\r\n \r\n"]))
def test_body_canonicalisation_matches_dkimpy(lines: list[str], tail: str) -> None:
    body = ("\r\n".join(lines) + tail).encode("utf-8")
    assert canonical_body(body) == Relaxed.canonicalize_body(body)


def test_body_canonicalisation_edge_cases() -> None:
    assert canonical_body(b"") == b""
    assert canonical_body(b"\r\n\r\n") == b""
    assert canonical_body(b"a  b \t\r\n\r\n") == b"a b\r\n"
    assert canonical_body(b"no newline") == b"no newline\r\n"
    assert canonical_body(b"bare\nlf\n") == b"bare\r\nlf\r\n"


@settings(max_examples=200, deadline=None)
@given(st.lists(_line, min_size=1, max_size=4))
def test_header_canonicalisation_matches_dkimpy(parts: list[str]) -> None:
    value = (" " + "\r\n ".join(parts)).encode("utf-8")
    ours = canonical_header(b"Sub-Ject ", value) + b"\r\n"
    name, theirs = Relaxed.canonicalize_headers([(b"Sub-Ject ", value)])[0]
    assert ours == name + b":" + theirs


def test_split_message_keeps_folds_and_order() -> None:
    fields, body = split_message(b"A: 1\r\nB: 2\r\n\t3\r\nA: 4\r\n\r\nbody\r\n")
    assert fields == [(b"A", b" 1"), (b"B", b" 2\r\n\t3"), (b"A", b" 4")]
    assert body == b"body\r\n"


# --- key loading ----------------------------------------------------------------------------


def test_the_dns_records_are_what_dkimpy_reads(rsa_key: DkimKey, ed_key: DkimKey) -> None:
    assert rsa_key.dns_name() == "s2026._domainkey.example.org"
    assert rsa_key.dns_record().startswith("v=DKIM1; k=rsa; p=MII")
    assert ed_key.dns_record().startswith("v=DKIM1; k=ed25519; p=")
    assert len(ed_key.dns_record().rpartition("p=")[2]) == 44  # 32 bytes, base64


def test_a_missing_key_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pem"
    with pytest.raises(DkimKeyError, match=f"{missing}: DKIM key file not found"):
        load_key(missing, selector="s", domain="example.org")


def test_a_key_others_can_read_is_refused(tmp_path: Path, rsa_private: rsa.RSAPrivateKey) -> None:
    path = write_key(tmp_path / "open.pem", rsa_private)
    path.chmod(0o644)
    with pytest.raises(
        DkimKeyError, match=r"readable or writable by others \(mode 0644\).*chmod o-rwx"
    ):
        load_key(path, selector="s", domain="example.org")
    path.chmod(0o640)  # a group (say the mail system's) may read it
    assert load_key(path, selector="s", domain="example.org").algorithm == "rsa-sha256"


def test_not_a_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cert.pem"
    path.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    path.chmod(0o600)
    with pytest.raises(DkimKeyError, match=f"{path}: not a PEM private key"):
        load_key(path, selector="s", domain="example.org")
    with pytest.raises(DkimKeyError, match="not a regular file"):
        load_key(tmp_path, selector="s", domain="example.org")


def test_an_encrypted_key_is_refused(tmp_path: Path, rsa_private: rsa.RSAPrivateKey) -> None:
    path = tmp_path / "locked.pem"
    path.write_bytes(
        rsa_private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"secret"),
        )
    )
    path.chmod(0o600)
    with pytest.raises(DkimKeyError, match="encrypted"):
        load_key(path, selector="s", domain="example.org")


def test_other_key_types_and_bad_names_are_refused(
    tmp_path: Path, rsa_private: rsa.RSAPrivateKey
) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    path = tmp_path / "ec.pem"
    path.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    with pytest.raises(DkimKeyError, match="RSA or Ed25519"):
        load_key(path, selector="s", domain="example.org")
    good = write_key(tmp_path / "rsa.pem", rsa_private)
    with pytest.raises(DkimKeyError, match="selector"):
        load_key(good, selector="bad selector;", domain="example.org")
    with pytest.raises(DkimKeyError, match="domain"):
        load_key(good, selector="s", domain="example")


def test_an_unreadable_key_names_the_file(tmp_path: Path, rsa_private: rsa.RSAPrivateKey) -> None:
    """Root reads any file: as root (CI), a forked child becomes `nobody` and tries."""
    path = write_key(tmp_path / "mine.pem", rsa_private)
    if os.geteuid() != 0:
        path.chmod(0o000)
        with pytest.raises(DkimKeyError, match=f"{path}: cannot read the DKIM key"):
            load_key(path, selector="s", domain="example.org")
        return
    path.chmod(0o600)  # root's own key: nobody else may read it
    for parent in path.parents:  # but `nobody` must reach it
        if parent == Path("/"):
            break
        parent.chmod(parent.stat().st_mode | 0o011)
    nobody = pwd.getpwnam("nobody")
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        os.close(reader)
        try:
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            load_key(path, selector="s", domain="example.org")
            said = "read it"
        except DkimKeyError as exc:
            said = str(exc)
        except BaseException as exc:
            said = f"{type(exc).__name__}: {exc}"
        os.write(writer, said.encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        said = pipe.read().decode()
    os.waitpid(child, 0)
    assert said.startswith(f"{path}: cannot read the DKIM key"), said
