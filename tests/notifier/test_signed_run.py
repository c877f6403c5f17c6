"""`docket notify --dkim-key` and `--preflight` end to end: what an aiosmtpd sink receives is
signed and verifies with dkimpy against the public key (DNS answered by a function); a bad key
stops the plan with one line and sends nothing; the preflight says what the configuration flags."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from docket.cli import cli
from notifier.message.dkim import load_key, verify_with_key
from tests.notifier.conftest import CASE, Sink, make_directory

MEMBERS = [
    ("anna@example.org", "Anna", "Meyer", "en"),
    ("ben@example.org", "Ben", "Müller", "de"),
    ("clara@example.org", "Clara", "Weiß", "en"),
]


def write_key(path: Path, kind: str = "rsa", mode: int = 0o600) -> Path:
    key = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if kind == "rsa"
        else ed25519.Ed25519PrivateKey.generate()
    )
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    os.chmod(path, mode)
    return path


@pytest.fixture
def repo(tmp_path: Path, cases: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A case repository of our own (its docket.toml is what the preflight reads)."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.move(str(cases), root / "cases")
    (root / "docket.toml").write_text('[notify]\nflagged = ["too-new.example"]\n')
    monkeypatch.chdir(root)
    return root


def notify(repo: Path, members: Path, sink: Sink, *args: str) -> Result:
    return CliRunner().invoke(
        cli,
        ["notify", CASE, "--directory", str(members), "--smtp", sink.url, "--rate", "0",
         "--journal", str(repo.parent / "run"), *args],
    )  # fmt: skip


def test_every_message_is_signed_and_verifies(repo: Path, sink: Sink) -> None:
    members = make_directory(repo.parent / "m.sqlite", MEMBERS)
    rsa_pem = write_key(repo.parent / "rsa.pem")
    ed_pem = write_key(repo.parent / "ed.pem", "ed25519")
    result = notify(
        repo, members, sink, "--yes", "--dkim-key", str(rsa_pem), "--dkim-selector", "s2026",
        "--dkim-ed25519-key", str(ed_pem), "--dkim-ed25519-selector", "ed2026",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "DKIM: signing as d=example.org with s=s2026 (rsa-sha256" in result.output
    assert "s2026._domainkey.example.org" in result.output
    rsa_key = load_key(rsa_pem, selector="s2026", domain="example.org")
    ed_key = load_key(ed_pem, selector="ed2026", domain="example.org")
    assert len(sink.received) == 3
    for received in sink.received:
        assert verify_with_key(received.content, rsa_key, 0)
        assert verify_with_key(received.content, ed_key, 1)
        changed = received.content.rstrip(b"\r\n") + b"!\r\n"  # one more character
        assert not verify_with_key(changed, rsa_key, 0)


def test_a_key_others_can_read_stops_the_plan(repo: Path, sink: Sink) -> None:
    members = make_directory(repo.parent / "m.sqlite", MEMBERS)
    loose = write_key(repo.parent / "rsa.pem", mode=0o644)
    result = notify(repo, members, sink, "--yes", "--dkim-key", str(loose), "--dkim-selector", "s")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and f"chmod o-rwx {loose}" in lines[0], result.output
    assert sink.received == [] and not (repo.parent / "run").exists()
    nosel = notify(repo, members, sink, "--yes", "--dkim-key", str(write_key(loose)))
    assert nosel.exit_code == 1 and "--dkim-selector" in nosel.output


def test_preflight_names_a_flagged_domain_and_sends_nothing(repo: Path, sink: Sink) -> None:
    members = make_directory(repo.parent / "m.sqlite", MEMBERS)
    clean = notify(repo, members, sink, "--preflight")
    assert clean.exit_code == 0, clean.output
    assert "preflight: no findings" in clean.output
    (repo / "docket.toml").write_text('[notify]\nflagged = ["notices@example.org"]\n')
    flagged = notify(repo, members, sink, "--preflight")
    assert flagged.exit_code == 1, flagged.output
    lines = [line for line in flagged.output.splitlines() if line.startswith("preflight: ")]
    assert lines and all(line.startswith("preflight: flagged [") for line in lines), lines
    assert "notices@example.org" in lines[0]
    assert sink.received == [] and not (repo.parent / "run").exists()
    both = notify(repo, members, sink, "--preflight", "--dry-run")
    assert both.exit_code == 2 and "cannot be combined" in both.output
