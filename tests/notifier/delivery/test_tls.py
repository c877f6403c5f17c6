"""STARTTLS and implicit TLS with AUTH, against aiosmtpd with a certificate from a test CA."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from docket.cli import cli
from tests.notifier.conftest import (
    CASE,
    Faults,
    SinkHandler,
    _authenticator,
    make_directory,
)
from tests.support.net import free_port

# aiosmtpd warns about AUTH before TLS on the implicit-TLS server, which is TLS all along
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(params=["starttls", "tls"])
def tls_server(request: pytest.FixtureRequest, ca: trustme.CA) -> Iterator[tuple[str, SinkHandler]]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    handler = SinkHandler(Faults())
    port = free_port()
    options: dict[str, Any] = {
        "authenticator": _authenticator, "auth_required": True, "auth_require_tls": True,
    }  # fmt: skip
    if request.param == "starttls":
        controller = Controller(
            handler, hostname="127.0.0.1", port=port, tls_context=context,
            require_starttls=True, **options,
        )  # fmt: skip
        url = f"smtp+starttls://critical@127.0.0.1:{port}"
    else:
        # aiosmtpd counts only STARTTLS as TLS for AUTH; this whole connection is TLS
        options["auth_require_tls"] = False
        controller = Controller(
            handler, hostname="127.0.0.1", port=port, ssl_context=context, **options
        )
        url = f"smtps://critical@127.0.0.1:{port}"
    controller.start()
    try:
        yield url, handler
    finally:
        controller.stop()


def test_tls_and_auth(
    tls_server: tuple[str, SinkHandler], ca: trustme.CA, cases: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    url, handler = tls_server
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    monkeypatch.setenv("DOCKET_SMTP_PASSWORD", "right")
    db = make_directory(tmp_path / "m.sqlite", [("a@example.org", "A", "B", "en")])
    result = CliRunner().invoke(
        cli, ["notify", CASE, "--cases", str(cases), "--directory", str(db), "--smtp", url,
              "--journal", str(tmp_path / "run"), "--yes", "--rate", "0"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [r.recipients for r in handler.received] == [["a@example.org"]]
    assert "right" not in result.output


def test_an_untrusted_certificate_is_refused(
    tls_server: tuple[str, SinkHandler], cases: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    url, handler = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "no-such-bundle.pem"))
    monkeypatch.setenv("DOCKET_SMTP_PASSWORD", "right")
    db = make_directory(tmp_path / "m.sqlite", [("a@example.org", "A", "B", "en")])
    result = CliRunner().invoke(
        cli, ["notify", CASE, "--cases", str(cases), "--directory", str(db), "--smtp", url,
              "--journal", str(tmp_path / "run"), "--yes"],
    )  # fmt: skip
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "cannot reach SMTP server" in lines[0]
    assert handler.received == []
