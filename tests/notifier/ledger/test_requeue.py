"""Failed recipients queued again (notifier/ledger/requeue.py): by a pattern of their reply, with
the attempts reset and the re-queueing logged; by id after a refusal of the sender, that attempt
not counted."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from notifier.ledger.journal import Journal, Result, State
from notifier.ledger.requeue import count_failed, requeue_failed, requeue_ids, requeue_log
from tests.support.journal import snapshotted_journal

REPLIES = {
    "a@example.org": "550 5.1.1 User unknown",
    "b@example.org": "554 5.3.4 Message too big for system",
    "c@example.org": "554 5.3.4 MESSAGE TOO BIG",
    "d@example.org": "",  # sent: no failure
}


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    """Four recipients tried once: three failed with their replies, one sent."""
    j = snapshotted_journal(tmp_path / "run", [(address, {}) for address in REPLIES])
    claimed = j.claim(10, time.time(), resend_uncertain=True)
    j.record(
        Result(
            c.id, State.FAILED if REPLIES[c.address] else State.SENT, REPLIES[c.address] or "250"
        )
        for c in claimed
    )
    return j


def _states(journal: Journal) -> dict[str, tuple[str, int]]:
    rows = journal.db.execute("SELECT key, state, attempts FROM recipients")
    return {key: (state, attempts) for key, state, attempts in rows}


def test_a_pattern_requeues_the_failed_whose_reply_has_it_in_any_case(journal: Journal) -> None:
    assert count_failed(journal, "5.3.4 message too big") == 2
    assert _states(journal)["b@example.org"] == (State.FAILED, 1)  # counting changes nothing
    assert requeue_failed(journal, "5.3.4 message too big") == 2
    states = _states(journal)
    assert states["b@example.org"] == states["c@example.org"] == (State.QUEUED, 0)
    assert states["a@example.org"] == (State.FAILED, 1)
    assert states["d@example.org"] == (State.SENT, 1)
    assert count_failed(journal, "5.3.4") == 0


def test_no_pattern_requeues_every_failed_one_and_each_time_is_logged(journal: Journal) -> None:
    assert requeue_log(journal) == []
    assert requeue_failed(journal, "too big") == 2
    assert requeue_failed(journal, "") == 1
    assert requeue_failed(journal, "") == 0
    log = requeue_log(journal)
    assert [(e["pattern"], e["count"]) for e in log] == [("too big", 2), ("", 1), ("", 0)]
    assert all(e["at"].endswith("Z") and len(e["at"]) == 20 for e in log)
    assert _states(journal)["d@example.org"] == (State.SENT, 1)


def test_by_id_the_attempt_does_not_count_and_sent_ones_stay_sent(journal: Journal) -> None:
    ids = dict(journal.db.execute("SELECT key, id FROM recipients"))
    assert requeue_ids(journal, [ids["a@example.org"]]) == 1
    # a sent one is left, and not counted: "(N re-queued)" says how many were put back
    assert requeue_ids(journal, [ids["d@example.org"], ids["b@example.org"]]) == 1
    states = _states(journal)
    assert states["a@example.org"] == (State.QUEUED, 0)
    assert states["d@example.org"] == (State.SENT, 1)  # only failed rows are put back
    assert requeue_ids(journal, []) == 0
    assert requeue_log(journal) == []  # not by hand: not in the log
