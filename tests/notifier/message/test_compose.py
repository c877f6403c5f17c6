"""Message composition: header safety, encodings, language choice, sandbox, determinism."""

from __future__ import annotations

import email
import email.policy
from email.header import decode_header, make_header
from pathlib import Path

import jinja2
import pytest
from jinja2.sandbox import SecurityError

from notifier.message.compose import (
    Composer,
    HeaderValueError,
    TemplateError,
    TemplateSet,
    body_encoding,
    normalize_language,
    validate_address,
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def templates(tmp_path: Path) -> TemplateSet:
    write(
        tmp_path, "notice.txt.j2", "Dear {{ fname }} {{ lname }},\n.dot line\nEnglish {{ case }}\n"
    )
    write(tmp_path, "notice.de.txt.j2", "Hallo {{ fname }},\nDeutsch\n")
    write(tmp_path, "notice.de_AT.txt.j2", "Servus {{ fname }},\n")
    return TemplateSet(tmp_path / "notice.txt.j2")


def composer(templates: TemplateSet, run_id: str = "run-1", subject: str = "Hi") -> Composer:
    return Composer(
        templates,
        case="a20200102.1",
        action="test-notice",
        sender="Test Team <notices@example.org>",
        subject=subject,
        run_id=run_id,
    )


def raw_header(data: bytes, name: str) -> str:
    """A header decoded by RFC 2047's rules (the modern parser spaces out adjacent words)."""
    value = email.message_from_bytes(data, policy=email.policy.compat32)[name]
    return str(make_header(decode_header(value)))


def parse(data: bytes) -> email.message.EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


EXPECTED_HEADERS = {
    "from", "subject", "mime-version", "content-type", "content-transfer-encoding",
    "auto-submitted", "precedence", "x-docket-case", "to", "message-id", "date",
}  # fmt: skip


def test_headers_and_body(templates: TemplateSet) -> None:
    data = composer(templates).compose("anna@example.org", {"fname": "Anna", "lname": "A"}).data
    message = parse(data)
    assert {k.lower() for k in message} == EXPECTED_HEADERS
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Precedence"] == "bulk"
    assert message["X-Docket-Case"] == "a20200102.1 test-notice"
    assert message["To"] == "Anna A <anna@example.org>"
    body = message.get_content().replace("\r\n", "\n")
    assert body == "Dear Anna A,\n.dot line\nEnglish a20200102.1\n"
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


@pytest.mark.parametrize(
    "name",
    [
        "Eve\r\nBcc: victim@example.net",
        "Eve\nTo: other@example.net",
        "Eve\rCc: other@example.net",
        "Eve\u2028Bcc: x@example.net",
        "Eve\x00\x0bBcc: x@example.net",
    ],
)
def test_line_breaks_in_a_name_never_add_a_header(templates: TemplateSet, name: str) -> None:
    data = composer(templates).compose("eve@example.org", {"fname": name, "lname": "X"}).data
    message = parse(data)
    assert {k.lower() for k in message} == EXPECTED_HEADERS
    assert message.get_all("Bcc") is None and message.get_all("Cc") is None
    assert len(message.get_all("To") or []) == 1
    to = raw_header(data, "To")
    assert to.endswith("<eve@example.org>")
    assert "\n" not in to and "\r" not in to
    header_block = data.split(b"\r\n\r\n", 1)[0]
    assert not any(
        line.lower().startswith((b"bcc:", b"cc:")) for line in header_block.split(b"\r\n")
    )


@pytest.mark.parametrize(
    "address",
    [
        "eve@example.org\r\nBcc: victim@example.net",
        "eve@example.org\nRCPT TO:<x@example.net>",
        "eve@example.org>, <victim@example.net",
        "no-at-sign.example.org",
        "two@@example.org",
        "space in@example.org",
        "x@example..org",
        "dots..x@example.org",
        "jürgen@example.org",
        "a" * 65 + "@example.org",
        "",
    ],
)
def test_unusable_addresses_are_refused(templates: TemplateSet, address: str) -> None:
    with pytest.raises(HeaderValueError):
        validate_address(address)
    with pytest.raises(HeaderValueError):
        composer(templates).compose(address, {"fname": "E", "lname": "X"})


def test_non_ascii_and_over_long_names(templates: TemplateSet) -> None:
    name = "Jürgen Łukasz François " + "Überlang" * 60
    data = composer(templates).compose("j@example.org", {"fname": name, "lname": "Weiß"}).data
    header_block = data.split(b"\r\n\r\n", 1)[0]
    lines = header_block.split(b"\r\n")
    to_at = next(i for i, line in enumerate(lines) if line.startswith(b"To: "))
    to_lines = [lines[to_at]] + [line for line in lines[to_at + 1 :] if line.startswith(b" ")]
    assert len(to_lines) > 5 and max(len(line) for line in to_lines) <= 78
    assert max(len(line) for line in lines) <= 998
    assert header_block.isascii()
    assert raw_header(data, "To") == f"{name} Weiß <j@example.org>"
    body = parse(data).get_content()
    assert body.startswith(f"Dear {name} Weiß,")
    body_block = data.split(b"\r\n\r\n", 1)[1]
    assert body_block.isascii()
    assert max(len(line) for line in body_block.split(b"\r\n")) <= 76


def test_ascii_names_with_specials_are_quoted(templates: TemplateSet) -> None:
    data = (
        composer(templates)
        .compose("o@example.org", {"fname": 'Sean "The" O\'Brien,', "lname": "Jr. <x>"})
        .data
    )
    message = parse(data)
    assert message["To"].addresses[0].addr_spec == "o@example.org"
    assert message["To"].addresses[0].display_name == 'Sean "The" O\'Brien, Jr. <x>'


def test_non_ascii_subject_and_sender(templates: TemplateSet) -> None:
    c = Composer(
        templates,
        case="a20200102.1",
        action="test-notice",
        sender="Prüfteam <notices@example.org>",
        subject="Prüfung – " + ("sehr lang " * 20).strip(),
        run_id="r",
    )
    message = parse(c.compose("a@example.org", {"fname": "A", "lname": "B"}).data)
    assert message["Subject"] == "Prüfung – " + ("sehr lang " * 20).strip()
    assert message["From"].addresses[0].display_name == "Prüfteam"


@pytest.mark.parametrize("field", ["subject", "sender"])
def test_line_breaks_in_constant_headers_are_refused(templates: TemplateSet, field: str) -> None:
    values = {"subject": "Hi", "sender": "T <notices@example.org>"}
    values[field] = values[field] + "\r\nBcc: x@example.net"
    with pytest.raises(HeaderValueError):
        Composer(templates, case="a", action="b", run_id="r", **values)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de_DE", "de"),
        ("de-DE.UTF-8", "de"),
        ("DE", "de"),
        ("de_AT", "de_AT"),
        ("en_US", "default"),
        ("fr_FR", "default"),
        ("", "default"),
        (None, "default"),
        ("xx yy", "default"),
    ],
)
def test_language_fallback(templates: TemplateSet, language: str | None, expected: str) -> None:
    composed = composer(templates).compose(
        "a@example.org", {"fname": "A", "lname": "B", "language": language}
    )
    assert composed.variant == expected


def test_normalize_language() -> None:
    assert normalize_language("de_de") == "de_DE"
    assert normalize_language("pt-br") == "pt_BR"
    assert normalize_language(42) is None


def test_message_id_is_deterministic_per_run_and_recipient(templates: TemplateSet) -> None:
    first = composer(templates, run_id="run-1")
    again = composer(templates, run_id="run-1")
    other = composer(templates, run_id="run-2")
    row = {"fname": "A", "lname": "B"}
    a = first.compose("a@example.org", row).message_id
    assert a == again.compose("A@Example.org", row).message_id
    assert a != first.compose("b@example.org", row).message_id
    assert a != other.compose("a@example.org", row).message_id
    assert a.endswith("@example.org>") and a.startswith("<")


def test_undefined_variable_is_an_error(templates: TemplateSet) -> None:
    with pytest.raises(jinja2.UndefinedError):
        composer(templates).compose("a@example.org", {"fname": "A"})


def test_template_sandbox(tmp_path: Path) -> None:
    write(tmp_path, "evil.txt.j2", "{{ fname.__class__.__mro__[1].__subclasses__() }}")
    c = Composer(
        TemplateSet(tmp_path / "evil.txt.j2"), case="a", action="b", sender="t@example.org",
        subject="s", run_id="r",
    )  # fmt: skip
    with pytest.raises(SecurityError):
        c.compose("a@example.org", {"fname": "A"})


def test_templates_see_the_sandbox_globals_and_a_row_value_wins(tmp_path: Path) -> None:
    """Each template's globals are one dict copied at load time (TemplateEnvironment): the
    sandbox's own (range, namespace) are there, and a row's value of the same name wins."""
    write(tmp_path, "notice.txt.j2", "{{ range(3)|list }} {{ namespace(a=1).a }} {{ cycler }}\n")
    templates = TemplateSet(tmp_path / "notice.txt.j2")
    c = Composer(templates, case="a", action="b", sender="t@example.org", subject="s", run_id="r")
    assert c.render({"cycler": "mine"})[0] == "[0, 1, 2] 1 mine\n"
    assert type(templates.variants[""].globals) is dict


def test_template_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "notice.txt.j2", "fine\n")
    write(tmp_path, "notice.de.txt.j2", "line one\nline two {% if %}\n")
    with pytest.raises(TemplateError) as caught:
        TemplateSet(tmp_path / "notice.txt.j2")
    assert caught.value.path.name == "notice.de.txt.j2"
    assert caught.value.line == 2
    assert str(caught.value).startswith(f"{tmp_path / 'notice.de.txt.j2'}:2:1: ")


def test_template_variables_and_files(templates: TemplateSet) -> None:
    assert templates.variables() == {"fname", "lname"}
    assert [p.name for p in templates.files()] == [
        "notice.de.txt.j2", "notice.de_AT.txt.j2", "notice.txt.j2",
    ]  # fmt: skip


def test_missing_template(tmp_path: Path) -> None:
    with pytest.raises(TemplateError):
        TemplateSet(tmp_path / "absent.txt.j2")


def test_eightbit_bodies_when_the_server_takes_them(templates: TemplateSet) -> None:
    c = Composer(
        templates, case="a", action="b", sender="t@example.org", subject="s", run_id="r",
        eightbit=True,
    )  # fmt: skip
    german = c.compose("a@example.org", {"fname": "Jürgen", "language": "de"})
    assert german.eightbit
    assert b"Content-Transfer-Encoding: 8bit\r\n" in german.data
    assert "Hallo Jürgen,".encode() in german.data
    assert parse(german.data).get_content().replace("\r\n", "\n") == "Hallo Jürgen,\nDeutsch\n"
    english = c.compose("a@example.org", {"fname": "Ann", "lname": "B"})
    assert not english.eightbit  # plain ASCII needs no 8BITMIME
    assert b"Content-Transfer-Encoding: 7bit\r\n" in english.data
    long_line = c.compose("a@example.org", {"fname": "Ü" * 1000, "lname": "B"})
    assert not long_line.eightbit  # over-long lines are folded by quoted-printable instead
    body = long_line.data.split(b"\r\n\r\n", 1)[1]
    assert max(len(line) for line in body.split(b"\r\n")) <= 76


@pytest.mark.parametrize(("letters", "eightbit"), [(494, True), (495, False), (600, False)])
def test_eightbit_lines_are_counted_in_octets(
    templates: TemplateSet, letters: int, eightbit: bool
) -> None:
    c = Composer(
        templates, case="a", action="b", sender="t@example.org", subject="s", run_id="r",
        eightbit=True,
    )  # fmt: skip
    # "Hallo ", two octets a letter and ",": 494 + 1 letters make a line of 997 octets,
    # 495 + 1 make 999
    composed = c.compose("a@example.org", {"fname": "ж" * letters + "ж", "language": "de"})
    assert composed.eightbit is eightbit
    body = composed.data.split(b"\r\n\r\n", 1)[1]
    assert max(len(line) for line in body.split(b"\r\n")) <= 998
    assert parse(composed.data).get_content().splitlines()[0] == f"Hallo {'ж' * (letters + 1)},"


@pytest.mark.parametrize(
    ("name", "eightbit", "encoding"),
    [
        ("A" * 990, False, "7bit"),  # "Dear ", 990 and " B,": 998 octets go as they are
        ("A" * 991, False, "quoted-printable"),  # 999 do not
        ("A=B  ", False, "7bit"),  # '=' and blanks before the line end need nothing
        ("Jürgen", False, "quoted-printable"),  # 8-bit text, no 8BITMIME
        ("Jürgen", True, "8bit"),
    ],
)
def test_a_body_goes_as_it_is_when_it_can(
    templates: TemplateSet, name: str, eightbit: bool, encoding: str
) -> None:
    """RFC 2045 2.7: text of short enough lines needs no transfer encoding; the line limit
    counts octets before the CRLF."""
    c = Composer(
        templates, case="a", action="b", sender="t@example.org", subject="s", run_id="r",
        eightbit=eightbit,
    )  # fmt: skip
    composed = c.compose("a@example.org", {"fname": name, "lname": "B"})
    assert f"Content-Transfer-Encoding: {encoding}\r\n".encode() in composed.data
    body = composed.data.split(b"\r\n\r\n", 1)[1]
    assert max(len(line) for line in body.split(b"\r\n")) <= 998
    if encoding != "quoted-printable":
        assert f"Dear {name} B,\r\n".encode() in body
    assert parse(composed.data).get_content().splitlines()[0] == f"Dear {name} B,"


def test_a_control_character_in_the_text_is_quoted() -> None:
    """A row's values are cleaned of control characters, a template's text is not."""
    assert body_encoding("a\x0cb\n", eightbit=True) == (
        b"a=0Cb\r\n",
        b"Content-Transfer-Encoding: quoted-printable\r\n",
    )
    assert body_encoding("a\tb\n", eightbit=False)[0] == b"a\tb\r\n"
