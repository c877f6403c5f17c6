"""Preflight findings: for each kind a message that has the problem and one that does not, the
clean ones as `Composer` builds them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notifier.message.compose import Composer, TemplateSet
from notifier.message.preflight import (
    Finding,
    PreflightContext,
    aligned,
    check_message,
    organisational_domain,
    preflight,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "preflight"
GOOD = PreflightContext(return_path="bounces@example.org", dkim_domain="example.org")


@pytest.fixture
def composer(tmp_path: Path) -> Composer:
    (tmp_path / "notice.txt.j2").write_text(
        "Dear {{ fname }},\nrevoke your certificate at https://www.example.org/revoke\n",
        encoding="utf-8",
    )
    (tmp_path / "notice.de.txt.j2").write_text(
        "Liebe(r) {{ fname }},\nGrüße, und schreiben Sie an support@example.org\n",
        encoding="utf-8",
    )
    return Composer(
        TemplateSet(tmp_path / "notice.txt.j2"),
        case="a20140408.1",
        action="heartbleed",
        sender="CAcert Arbitration <arbitration@example.org>",
        subject="Heartbleed",
        run_id="run-1",
        eightbit=True,
    )


@pytest.fixture
def samples(composer: Composer) -> list[tuple[str, bytes]]:
    return [
        ("default", composer.compose("alice@example.net", {"fname": "Alice"}).data),
        ("de", composer.compose("bob@example.net", {"fname": "Bob", "language": "de"}).data),
    ]


def kinds(data: bytes, context: PreflightContext = GOOD) -> list[str]:
    return [kind for kind, _ in check_message(data, context)]


def messages(data: bytes, context: PreflightContext = GOOD) -> list[str]:
    return [message for _, message in check_message(data, context)]


def test_composed_samples_have_no_findings(samples: list[tuple[str, bytes]]) -> None:
    context = PreflightContext(
        return_path="bounces@lists.example.org",
        dkim_domain="mail.example.org",
        flagged=["example.com", "spam@example.net"],
        size_limit=10_000,
    )
    assert preflight(samples, context) == []


def test_signed_samples_have_no_findings_and_their_d_counts(
    samples: list[tuple[str, bytes]], tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from notifier.message.dkim import Signer, load_key

    path = tmp_path / "k.pem"
    path.write_bytes(
        rsa.generate_private_key(public_exponent=65537, key_size=1024).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    context = PreflightContext(return_path="bounces@example.org")
    for domain, expected in (("mail.example.org", []), ("example.com", ["alignment"])):
        signer = Signer([load_key(path, selector="s1", domain=domain)])
        signed = [(variant, signer.sign(data)) for variant, data in samples]
        assert [f.kind for f in preflight(signed, context)] == expected


# --- flagged addresses and domains ----------------------------------------------------------


def test_a_flagged_domain_in_the_body_is_found_in_every_form(
    samples: list[tuple[str, bytes]],
) -> None:
    context = PreflightContext(flagged=["example.org"])
    findings = preflight(samples, context)
    lines = [f.line() for f in findings]
    assert (
        "preflight: flagged [default]: the text/plain body names www.example.org, which the"
        " configuration flags (example.org): some receivers refuse mail that mentions it;"
        " reword the template"
    ) in lines
    assert any(line.startswith("preflight: flagged [de]: the text/plain body names example.org")
               for line in lines), lines  # fmt: skip
    # the From field names it too, in both variants: one finding for both
    assert any("From names" in line and "[default, de]" in line for line in lines), lines
    assert all(line.startswith("preflight: flagged") for line in lines)
    assert all("reword the template" in line for line in lines)


def test_a_flagged_address_matches_only_itself(samples: list[tuple[str, bytes]]) -> None:
    found = preflight(samples, PreflightContext(flagged=["Support@Example.org"]))
    assert [(f.kind, f.variants) for f in found] == [("flagged", ("de",))]
    assert "support@example.org" in found[0].message
    assert preflight(samples, PreflightContext(flagged=["other@example.org"])) == []


def test_a_flagged_domain_does_not_match_a_longer_name() -> None:
    data = (
        b"From: a@example.org\r\nDate: x\r\nMessage-ID: <1@example.org>\r\n\r\n"
        b"see notexample.com, example.com.evil.net and www.example.community\r\n"
    )
    assert kinds(data, PreflightContext(flagged=["example.com"])) == []
    found = messages(
        data + b"but also mail.example.com.\r\n", PreflightContext(flagged=["example.com"])
    )
    assert len(found) == 1 and "mail.example.com" in found[0]


def test_a_flagged_entry_that_is_no_domain_is_refused() -> None:
    with pytest.raises(ValueError, match="neither a domain nor an address"):
        PreflightContext(flagged=["not a domain"])


def test_a_flagged_domain_in_an_encoded_subject_is_found() -> None:
    data = (
        b"From: a@example.org\r\nDate: x\r\nMessage-ID: <1@example.org>\r\n"
        b"Subject: =?utf-8?b?R3LDvMOfZSB2b24gbmV3LmV4YW1wbGU=?=\r\n\r\nhi\r\n"
    )
    found = messages(data, PreflightContext(flagged=["new.example"]))
    assert len(found) == 1 and found[0].startswith("Subject names new.example")


# --- alignment --------------------------------------------------------------------------------


def test_organisational_domain_is_the_last_two_labels() -> None:
    assert organisational_domain("Mail.Lists.Example.ORG.") == "example.org"
    assert aligned("bounces.example.org", "example.org")
    assert not aligned("example.org", "example.com")


def test_dkim_domain_not_aligned_with_from(samples: list[tuple[str, bytes]]) -> None:
    data = samples[0][1]
    assert "alignment" not in kinds(data, PreflightContext(dkim_domain="mail.example.org"))
    found = messages(data, PreflightContext(dkim_domain="relay.example.com"))
    assert found == [
        "DKIM d=relay.example.com does not align with the From domain example.org (DMARC):"
        " sign with a key published under example.org"
    ]


def test_the_d_of_a_signature_already_in_the_sample_counts(
    samples: list[tuple[str, bytes]],
) -> None:
    signed = b"DKIM-Signature: v=1; a=rsa-sha256;\r\n d=other.net; s=x; b=abc\r\n" + samples[0][1]
    assert "d=other.net does not align" in messages(signed, PreflightContext())[0]


def test_return_path_not_aligned(samples: list[tuple[str, bytes]]) -> None:
    data = samples[0][1]
    with_dkim = messages(
        data, PreflightContext(return_path="b@bounce.example.net", dkim_domain="example.org")
    )
    assert len(with_dkim) == 1 and "the DKIM signature carries it alone" in with_dkim[0]
    unsigned = messages(data, PreflightContext(return_path="b@bounce.example.net"))
    assert len(unsigned) == 1
    assert "neither the return path b@bounce.example.net nor a DKIM signature aligns" in unsigned[0]
    assert "DMARC fails" in unsigned[0]
    assert kinds(data, PreflightContext(return_path="b@bounce.example.org")) == []


# --- headers, lines, size -----------------------------------------------------------------------


def test_missing_date_or_message_id(samples: list[tuple[str, bytes]]) -> None:
    data = samples[0][1]
    assert kinds(data) == []
    no_date = b"".join(
        line for line in data.splitlines(keepends=True) if not line.startswith(b"Date:")
    )
    assert messages(no_date) == [
        "no Date field: receivers junk or refuse such mail; compose adds it"
    ]
    no_id = data.replace(b"Message-ID:", b"X-Message-ID:")
    assert kinds(no_id) == ["header"] and "no Message-ID" in messages(no_id)[0]
    twice = data.replace(b"\r\n\r\n", b"\r\nSubject: again\r\n\r\n", 1)
    assert messages(twice) == ["2 Subject fields (RFC 5322 allows one): remove the extra ones"]


def test_a_line_over_998_octets(samples: list[tuple[str, bytes]]) -> None:
    data = samples[0][1]
    assert kinds(data + b"x" * 998 + b"\r\n") == []
    found = messages(data + b"x" * 999 + b"\r\n" + b"y" * 2000 + b"\r\n")
    assert len(found) == 1
    assert "is 999 octets (and 1 more), over SMTP's limit of 998" in found[0]


def test_a_message_over_the_relays_size(samples: list[tuple[str, bytes]]) -> None:
    data = samples[0][1]
    assert kinds(data, PreflightContext(size_limit=len(data))) == []
    found = messages(data, PreflightContext(size_limit=len(data) - 1))
    assert found == [
        f"the message is {len(data)} octets, over the relay's SIZE limit of {len(data) - 1}:"
        " it will be refused; shorten the template or link to attachments"
    ]


# --- charset labels -----------------------------------------------------------------------------


def _plain(content_type: bytes, body: bytes, cte: bytes = b"8bit") -> bytes:
    return (
        b"From: a@example.org\r\nDate: Sun, 06 Dec 2026 19:00:00 +0000\r\n"
        b"Message-ID: <1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: " + content_type
        + b"\r\nContent-Transfer-Encoding: " + cte + b"\r\n\r\n" + body
    )  # fmt: skip


def test_non_ascii_text_without_a_charset() -> None:
    assert kinds(_plain(b"text/plain", b"plain ascii\r\n")) == []
    found = messages(_plain(b"text/plain", "Grüße\r\n".encode()))
    assert found == [
        'text/plain part has non-ASCII text but no charset label: add charset="utf-8" to its'
        " Content-Type"
    ]
    qp = _plain(b"text/plain", b"Gr=C3=BC=C3=9Fe\r\n", b"quoted-printable")
    assert kinds(qp) == ["charset"]


def test_a_charset_label_that_does_not_fit_the_text() -> None:
    assert kinds(_plain(b'text/plain; charset="utf-8"', "Grüße\r\n".encode())) == []
    assert kinds(_plain(b"text/plain; charset=iso-8859-1", "Grüße\r\n".encode("latin-1"))) == []
    wrong = messages(_plain(b"text/plain; charset=utf-8", "Grüße\r\n".encode("latin-1")))
    assert (
        len(wrong) == 1 and "labelled charset=utf-8 but is not valid utf-8 at octet 2" in wrong[0]
    )
    ascii_label = messages(_plain(b"text/plain; charset=us-ascii", "Grüße\r\n".encode()))
    assert len(ascii_label) == 1 and "not valid us-ascii" in ascii_label[0]
    unknown = messages(_plain(b"text/plain; charset=klingon-8", b"Qapla'\r\n"))
    assert unknown == ["text/plain part is labelled with an unknown charset 'klingon-8'"]


def test_8bit_octets_labelled_7bit() -> None:
    found = messages(_plain(b"text/plain; charset=utf-8", "Grüße\r\n".encode(), b"7bit"))
    assert len(found) == 1 and "Content-Transfer-Encoding 7bit" in found[0]


def test_raw_8bit_octets_in_a_header(samples: list[tuple[str, bytes]]) -> None:
    data = samples[0][1]
    raw = data.replace(b"Subject: Heartbleed", "Subject: Grüße".encode())
    found = messages(raw)
    assert len(found) == 1
    assert "raw 8-bit octets in the header (Subject)" in found[0]


# --- links ----------------------------------------------------------------------------------------


def test_links_whose_text_shows_another_target() -> None:
    good = (FIXTURES / "links-good.eml").read_bytes()
    assert check_message(good, GOOD) == []
    found = messages((FIXTURES / "links-bad.eml").read_bytes())
    assert found == [
        "a link shows https://www.example.org/revoke but goes to"
        " https://example.org.tracker.example.com/r?u=1: spam filters take that for phishing;"
        " show the target itself or plain words",
        "a link shows https://example.org/faq but goes to the unencrypted"
        " http://example.org/faq: link to the https address",
        "a link shows support@example.org but goes to mailto:collect@example.com: spam filters"
        " take that for phishing; show the target itself or plain words",
    ]


def test_a_finding_is_one_line_naming_its_variants() -> None:
    finding = Finding("size", "too big", ("default", "de"))
    assert finding.line() == "preflight: size [default, de]: too big"
    assert "\n" not in finding.line()


# --- robustness ---------------------------------------------------------------------------------


def test_broken_encodings_are_findings_not_crashes() -> None:
    data = _plain(b"text/html; charset=klingon-8", b"<a href='http://a.example'>b.example</a>\r\n")
    data = data.replace(b"From:", b"Subject: =?klingon-8?b?AAAA?= =?utf-8?b?!!?=\r\nFrom:")
    found = kinds(data, PreflightContext(flagged=["b.example"]))
    assert "charset" in found and "link" in found and "flagged" in found


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                b"From: a@example.org",
                b"Subject: =?utf-8?q?x?=",
                b"Content-Type: text/html; charset=x",
                b"Content-Transfer-Encoding: base64",
                b"",
                b"<a href=x>y.example</a>",
                b"=?",
                b"\xff\xfe",
                b"MIME-Version: 1.0",
                b"Content-Type: multipart/mixed; boundary=b",
                b"--b",
                b" folded",
                b"x" * 1000,
            ]
        ),
        max_size=12,
    )
)
def test_any_message_gives_findings_without_raising(lines: list[bytes]) -> None:
    data = b"\r\n".join(lines)
    for finding in check_message(data, PreflightContext(flagged=["y.example"], size_limit=10)):
        assert "\n" not in finding[1]
