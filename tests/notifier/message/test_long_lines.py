"""Lines over 998 octets never go out as 8-bit: a real server (aiosmtpd) refuses them."""

from __future__ import annotations

import email
import email.policy
from email.header import decode_header, make_header
from pathlib import Path

from tests.notifier.conftest import Sink, make_directory
from tests.notifier.delivery.test_pool import FAST, notify, recipients, target

CYRILLIC = "щ" * 600  # 600 characters, 1,200 octets


def test_600_cyrillic_letters_in_a_line_and_a_name(tmp_path: Path, cases: Path, sink: Sink) -> None:
    rows = [
        ("ivan@example.org", CYRILLIC, "Иванов", "en"),
        ("olga@example.org", "Ольга", "Петрова", "en"),
    ]
    db = make_directory(tmp_path / "m.sqlite", rows)
    run = tmp_path / "run"
    result = notify(cases, *target(db, sink, run), *FAST)
    assert result.exit_code == 0, result.output
    assert {a: r["state"] for a, r in recipients(run).items()} == {
        "ivan@example.org": "sent",
        "olga@example.org": "sent",
    }
    by_address = {r.recipients[0]: r for r in sink.received}
    ivan = by_address["ivan@example.org"]
    assert max(len(line) for line in ivan.content.split(b"\r\n")) <= 998
    body = ivan.message.get_content().replace("\r\n", "\n")
    assert body.startswith(f"Dear {CYRILLIC} Иванов,\n\nthis is the test notice")
    to = email.message_from_bytes(ivan.content, policy=email.policy.compat32)["To"]
    assert str(make_header(decode_header(to))) == f"{CYRILLIC} Иванов <ivan@example.org>"
    olga = by_address["olga@example.org"]
    assert olga.message["Content-Transfer-Encoding"] == "8bit"  # short lines stay 8-bit
