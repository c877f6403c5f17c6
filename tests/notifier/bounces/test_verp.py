"""VERP tokens: per run and recipient, verified with the run's key, never trusted blindly."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from notifier.bounces.verp import Verp, VerpError, load_key, tokens_in


def test_key_is_made_once_with_mode_0600(tmp_path: Path) -> None:
    key = load_key(tmp_path)
    assert key is not None and len(key) == 32
    assert stat.S_IMODE((tmp_path / "verp.key").stat().st_mode) == 0o600
    assert load_key(tmp_path) == key
    assert load_key(tmp_path / "other", create=False) is None


def test_tokens_verify_only_for_their_run_and_recipient(tmp_path: Path) -> None:
    key = load_key(tmp_path)
    assert key is not None
    verp = Verp(key, "run-1", "returns@cacert.example")
    address = verp.envelope(42, "anna@example.org")
    assert address.startswith("returns+42.") and address.endswith("@cacert.example")
    [(row, mac)] = tokens_in([f"<{address.upper()}>"])
    assert row == 42 and verp.valid(42, "anna@example.org", mac)
    assert not verp.valid(42, "ben@example.org", mac)
    assert not Verp(key, "run-2", "returns@cacert.example").valid(42, "anna@example.org", mac)
    assert tokens_in(["returns@cacert.example", "returns+x.y@cacert.example"]) == []


def test_a_long_return_path_or_a_broken_key_is_refused(tmp_path: Path) -> None:
    key = load_key(tmp_path)
    assert key is not None
    with pytest.raises(VerpError, match="--no-verp"):
        Verp(key, "r", "r" * 40 + "@cacert.example")
    (tmp_path / "verp.key").write_text("not hex\n")
    with pytest.raises(VerpError, match="not a VERP key"):
        load_key(tmp_path)
