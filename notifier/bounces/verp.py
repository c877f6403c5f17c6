"""VERP: each recipient's envelope sender carries a token, so a bounce names its recipient by the
address it was sent to, not by anything its text claims.

`returns@example.org` becomes `returns+<row>.<mac>@example.org`: the journal row and an HMAC of
run and recipient under a key kept in the run folder (mode 0600), so a token from another run or
a forged one matches nobody.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import stat
from pathlib import Path

KEY_FILE = "verp.key"
MAC_CHARS = 16
TOKEN_RE = re.compile(rf"\+(\d{{1,12}})\.([0-9a-f]{{{MAC_CHARS}}})@", re.I)


class VerpError(Exception):
    """The VERP key cannot be used, or the return path leaves no room for a token."""


def load_key(folder: Path, create: bool = True) -> bytes | None:
    """The run's key, made on first use (mode 0600); None when absent and not to be made."""
    path = folder / KEY_FILE
    if not path.exists():
        if not create:
            return None
        folder.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise VerpError(f"{path}: the VERP key is readable by others (mode {mode:o}); chmod 600 it")
    text = path.read_text("ascii", errors="replace").strip()
    if not re.fullmatch(r"[0-9a-f]{64}", text):
        raise VerpError(f"{path}: not a VERP key (64 hex digits); delete it only before sending")
    return bytes.fromhex(text)


class Verp:
    """Envelope senders for one run, and the check of a token found in a bounce."""

    def __init__(self, key: bytes, run_id: str, return_path: str) -> None:
        self.key = key
        self.run_id = run_id
        local, _, domain = return_path.rpartition("@")
        if not local or not domain:
            raise VerpError(f"return path {return_path!r} is no address")
        if len(local) + 2 + 12 + MAC_CHARS > 64:
            raise VerpError(
                f"return path {return_path!r}: its local part leaves no room for a VERP token "
                "(64 characters at most); shorten it or pass --no-verp"
            )
        self.local = local
        self.domain = domain

    def mac(self, row: int, recipient_key: str) -> str:
        message = f"{self.run_id}\0{row}\0{recipient_key}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()[:MAC_CHARS]

    def envelope(self, row: int, recipient_key: str) -> str:
        return f"{self.local}+{row}.{self.mac(row, recipient_key)}@{self.domain}"

    def valid(self, row: int, recipient_key: str, mac: str) -> bool:
        return hmac.compare_digest(self.mac(row, recipient_key), mac.lower())


def tokens_in(addresses: list[str]) -> list[tuple[int, str]]:
    """(row, mac) of every VERP token in the addresses a message was delivered to."""
    found = []
    for address in addresses:
        for match in TOKEN_RE.finditer(address):
            found.append((int(match[1]), match[2].lower()))
    return found
