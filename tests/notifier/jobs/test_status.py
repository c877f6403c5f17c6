"""`docket runs status`'s view of a journal: here, recipients a domain's pace holds."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from notifier.jobs.status import run_view
from notifier.ledger.journal import Result, State
from tests.support.journal import snapshotted_journal


def test_the_view_counts_who_waits_for_their_domains_slot(tmp_path: Path) -> None:
    journal = snapshotted_journal(
        tmp_path / "run", [(f"m{i}@big.example", {"fname": "M"}) for i in range(3)]
    )
    now = time.time()
    first, second = journal.claim(2, now, resend_uncertain=True)
    journal.record([Result(first.id, State.SENT, "250 OK")])
    journal.hold([(second, now + 100)])
    journal.close()
    view = run_view(tmp_path / "run")
    assert view.held == 1
    assert view.next_held_in == pytest.approx(100, abs=5)
    assert "held for their domain's pace (--per-domain-rate): 1, the next in" in "\n".join(
        view.lines()
    )
    assert json.loads(view.as_json())["held"] == 1
