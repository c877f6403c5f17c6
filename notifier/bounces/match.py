"""Which journal recipient a report is about: by VERP token first, never by a guess.

Without a (valid) token: the DSN's Original-Recipient or Final-Recipient, or an address the text
names, if the journal sent to it; then the Message-ID of the returned headers. A token that is
there but does not verify (another run's, or forged) matches nobody: the text is not trusted
over it.
"""

from __future__ import annotations

import hashlib
import re

from notifier.bounces.findings import Finding, Parsed
from notifier.bounces.verp import Verp, tokens_in
from notifier.ledger.journal import Journal
from notifier.message.compose import address_key

_MESSAGE_ID_RE = re.compile(r"<([0-9a-f]{32})\.", re.I)


class Matcher:
    """Looks recipients up in one journal; the Message-ID index is built only when needed."""

    def __init__(self, journal: Journal, verp: Verp | None) -> None:
        self.journal = journal
        self.verp = verp
        self.run_id = journal.meta().run_id
        self._by_message_id: dict[str, int] | None = None

    def _row(self, row: int) -> tuple[str, int] | None:
        found = self.journal.db.execute(
            "SELECT key, attempts FROM recipients WHERE id = ?", (row,)
        ).fetchone()
        return None if found is None else (str(found[0]), int(found[1]))

    def _by_address(self, address: str | None) -> int | None:
        if not address:
            return None
        found = self.journal.db.execute(
            "SELECT id FROM recipients WHERE key = ? AND attempts > 0", (address_key(address),)
        ).fetchone()
        return None if found is None else int(found[0])

    def token_row(self, parsed: Parsed) -> tuple[bool, int | None]:
        """(a token was there, the row it verifies for)."""
        tokens = tokens_in(parsed.delivered_to)
        if not tokens:
            return False, None
        for row, mac in tokens:
            known = self._row(row)
            if known is not None and self.verp is not None and self.verp.valid(row, known[0], mac):
                return True, row
        return True, None

    def match(
        self, parsed: Parsed, finding: Finding, token: tuple[bool, int | None]
    ) -> tuple[int, str] | None:
        """(recipient row, how it was found) or None: unmatched."""
        had_token, row = token
        if row is not None:
            return row, "verp"
        if had_token:
            return None
        for address in (finding.original_recipient, finding.recipient):
            found = self._by_address(address)
            if found is not None:
                return found, "address"
        for message_id in parsed.message_ids:
            hit = _MESSAGE_ID_RE.match(message_id)
            if hit is not None:
                found = self.message_index().get(hit[1].lower())
                if found is not None:
                    return found, "message-id"
        return None

    def message_index(self) -> dict[str, int]:
        """Message-ID digest -> row, as the composer makes them (sha256 of run id and key)."""
        if self._by_message_id is None:
            index: dict[str, int] = {}
            prefix = f"{self.run_id}\0".encode()
            for row, key in self.journal.db.execute(
                "SELECT id, key FROM recipients WHERE attempts > 0"
            ):
                digest = hashlib.sha256(prefix + str(key).encode()).hexdigest()[:32]
                index[digest] = int(row)
            self._by_message_id = index
        return self._by_message_id
