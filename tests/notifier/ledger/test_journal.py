"""The journal: snapshot, dedupe, claims, crash recovery, the lock, the approval binding."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from notifier.ledger.journal import Journal, JournalError, Result, State
from tests.support.journal import snapshotted_journal

ROWS = [
    ("a@example.org", {"fname": "A"}),
    ("b@example.org", {"fname": "B"}),
    ("A@EXAMPLE.ORG", {"fname": "A again"}),
    ("broken@", {"fname": "X"}),
    ("c@example.org\r\nBcc: d@example.org", {"fname": "C"}),
    ("d@example.org", {"fname": "D"}),
]


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return snapshotted_journal(tmp_path / "run", ROWS, batch=2)


def test_snapshot_dedupes_and_marks_invalid(journal: Journal) -> None:
    counts = journal.counts()
    assert counts[State.QUEUED] == 3
    assert counts[State.INVALID] == 2
    assert journal.get("duplicates") == "1"
    assert journal.get("audience_rows") == "6"
    assert journal.snapshot_done
    assert [r[0] for r in journal.rows()][:2] == ["a@example.org", "b@example.org"]


def test_claim_record_and_recover(journal: Journal) -> None:
    items = journal.claim(2, time.time(), resend_uncertain=True)
    assert [i.address for i in items] == ["a@example.org", "b@example.org"]
    assert all(i.attempts == 1 for i in items)
    assert journal.counts()[State.IN_FLIGHT] == 2
    journal.record([Result(items[0].id, State.SENT, "250 OK")])
    # a crash now leaves b in flight: the next start marks it uncertain
    reopened = Journal(journal.folder)
    assert reopened.recover() == 1
    assert reopened.counts()[State.UNCERTAIN] == 1
    again = reopened.claim(10, time.time(), resend_uncertain=True)
    assert [i.address for i in again] == ["b@example.org", "d@example.org"]
    assert again[0].uncertain and again[0].attempts == 2
    reopened.release(again)
    assert reopened.counts()[State.UNCERTAIN] == 1 and reopened.counts()[State.QUEUED] == 1
    assert reopened.claim(10, time.time(), resend_uncertain=False)[0].address == "d@example.org"


def test_deferred_rows_wait_until_due(journal: Journal) -> None:
    first = journal.claim(1, time.time(), True)[0]
    journal.record([Result(first.id, State.DEFERRED, "451 try later", time.time() + 3600)])
    assert [i.address for i in journal.claim(10, time.time(), True)] == [
        "b@example.org", "d@example.org",
    ]  # fmt: skip
    due = journal.claim(10, time.time() + 7200, True)
    assert [i.address for i in due] == ["a@example.org"] and due[0].attempts == 2


def test_uncertain_flag_survives_later_success(journal: Journal) -> None:
    item = journal.claim(1, time.time(), True)[0]
    journal.record([Result(item.id, State.DEFERRED, "lost after DATA", 0.0, uncertain=True)])
    item = journal.claim(1, time.time(), True)[0]
    journal.record([Result(item.id, State.SENT, "250 OK")])
    assert journal.uncertain_addresses() == ["a@example.org"]
    assert journal.counts()[State.SENT] == 1


def test_pending_counts(journal: Journal) -> None:
    items = journal.claim(3, time.time(), True)
    journal.record([Result(i.id, State.FAILED, "550 no") for i in items])
    assert journal.pending(True) == 0


def test_a_second_run_is_locked_out(journal: Journal, tmp_path: Path) -> None:
    journal.lock()
    code = (
        "import sys; from pathlib import Path; from notifier.ledger.journal import Journal\n"
        "j = Journal(Path(sys.argv[1]))\n"
        "try:\n    j.lock()\nexcept Exception as e:\n    print(e); sys.exit(3)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(journal.folder)], capture_output=True, text=True
    )
    assert done.returncode == 3
    assert "another run of this action is going on" in done.stdout
    assert journal.is_locked()
    journal.unlock()
    assert not journal.is_locked()


def test_journal_belongs_to_one_approval(journal: Journal) -> None:
    with pytest.raises(JournalError, match="belongs to"):
        Journal(journal.folder).bind("a20200102.1", "test-notice", "sha256:" + "2" * 64)
    run_id = journal.get("run_id")
    assert (
        Journal(journal.folder).bind("a20200102.1", "test-notice", "sha256:" + "1" * 64) == run_id
    )


def _pragma(journal: Journal, name: str) -> int:
    return int(journal.db.execute(f"PRAGMA {name}").fetchone()[0])


def _indexes(journal: Journal) -> set[str]:
    rows = journal.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    return {str(r[0]) for r in rows if not str(r[0]).startswith("sqlite_autoindex")}


def test_snapshot_leaves_indexes_and_durability_as_before(journal: Journal) -> None:
    """The snapshot fills the table without fsync or secondary indexes (faster to the first
    message); both are back once it is complete, and the WAL is in the file."""
    assert _indexes(journal) == {"recipients_next"}
    assert _pragma(journal, "synchronous") == 1  # NORMAL
    assert _pragma(journal, "wal_autocheckpoint") == 1000
    assert (journal.folder / "journal.sqlite-wal").stat().st_size < 100_000


def test_one_index_serves_every_lookup_by_state(journal: Journal) -> None:
    """Each index is kept up on every claim and record: one serves them all, unsorted, and an
    older journal's second index goes when it is opened."""
    for query in (
        "SELECT address, data FROM recipients WHERE state = ? ORDER BY next_at, id",  # samples
        "SELECT COUNT(*) FROM recipients WHERE state = ?",
    ):
        plan = str(journal.db.execute(f"EXPLAIN QUERY PLAN {query}", ("queued",)).fetchall())
        assert "recipients_next" in plan and "TEMP B-TREE" not in plan, plan
    journal.db.execute("CREATE INDEX recipients_state ON recipients (state, id)")
    assert _indexes(Journal(journal.folder)) == {"recipients_next"}


def test_a_snapshot_that_fails_midway_stays_partial_and_is_taken_again(tmp_path: Path) -> None:
    j = Journal(tmp_path / "run")
    j.bind("a20200102.1", "test-notice", "sha256:" + "1" * 64)

    def failing() -> object:
        yield from ROWS[:3]
        raise RuntimeError("the directory went away")

    with pytest.raises(RuntimeError):
        j.snapshot(failing(), batch=2)  # type: ignore[arg-type]
    assert not j.snapshot_done
    assert _indexes(j) == {"recipients_next"}
    assert _pragma(j, "synchronous") == 1
    again = Journal(j.folder)
    again.snapshot(iter(ROWS), batch=2)
    assert again.snapshot_done and again.counts()[State.QUEUED] == 3


def test_held_recipients_wait_for_their_slot_untried(journal: Journal) -> None:
    """`hold` (a domain's pace) puts claimed recipients back as queued with a time: no
    attempt counts, a crash meanwhile leaves them queued (never uncertain), and claims take
    them once due, before the ones never held."""
    now = time.time()
    first = journal.claim(2, now, resend_uncertain=True)
    journal.hold([(first[0], now + 60), (first[1], now + 30)])
    counts = journal.counts()
    assert counts[State.QUEUED] == 3 and counts[State.IN_FLIGHT] == 0
    assert journal.next_held(resend_uncertain=True) == pytest.approx(now + 30)
    assert Journal(journal.folder).recover() == 0
    [other] = journal.claim(5, now, resend_uncertain=True)
    assert other.address == "d@example.org" and other.attempts == 1
    journal.release([other])
    due = journal.claim(5, now + 61, resend_uncertain=True)
    assert [i.address for i in due] == ["b@example.org", "a@example.org", "d@example.org"]
    assert [i.attempts for i in due] == [1, 1, 1]


@pytest.mark.parametrize(
    "where",
    ["state = 'queued' AND next_at IS NULL ORDER BY id", "state = 'queued' AND next_at <= 5"
     " ORDER BY next_at", "state = 'deferred' AND next_at <= 5 ORDER BY next_at"],
)  # fmt: skip
def test_claims_read_an_index_not_the_table(journal: Journal, where: str) -> None:
    plan = str(journal.db.execute(f"EXPLAIN QUERY PLAN SELECT id FROM recipients WHERE {where}")
               .fetchall())  # fmt: skip
    assert "USING INDEX recipients_next" in plan or "USING COVERING INDEX recipients_next" in plan
    assert "TEMP B-TREE" not in plan  # no sort of the rows found


def test_a_reader_during_the_snapshot_leaves_the_indexes_to_it(tmp_path: Path) -> None:
    """`docket runs status` opening the journal while the snapshot fills it builds no index
    (that would take the write lock and slow the snapshot); the snapshot builds them after."""
    j = Journal(tmp_path / "run")
    j.bind("a20200102.1", "test-notice", "sha256:" + "1" * 64)
    seen: list[set[str]] = []

    def rows() -> object:
        yield from ROWS[:3]
        reader = Journal(j.folder)
        seen.append(_indexes(reader))
        reader.close()
        yield from ROWS[3:]

    j.snapshot(rows(), batch=2)  # type: ignore[arg-type]
    assert seen == [set()]
    assert _indexes(j) == {"recipients_next"}


def test_held_counts_only_those_still_waiting(journal: Journal) -> None:
    now = time.time()
    first, second = journal.claim(2, now, resend_uncertain=True)
    journal.hold([(first, now + 60), (second, now - 1)])
    assert journal.held(now) == 1


def test_held_slots_are_the_held_recipients_still_waiting(journal: Journal) -> None:
    """What a resumed run reads to keep its domains' pace: held recipients whose slot is still
    ahead, with their addresses; held uncertain ones only when uncertain ones are resent."""
    now = time.time()
    a, b = journal.claim(2, now, resend_uncertain=True)
    journal.record([Result(b.id, State.SENT, "250 OK")])
    journal.hold([(a, now + 60)])
    assert list(journal.held_slots(now, resend_uncertain=True)) == [
        (a.id, "a@example.org", pytest.approx(now + 60))
    ]
    [d] = journal.claim(5, now, resend_uncertain=True)
    journal.hold([(d, now - 1)])  # its slot is past: it is simply due
    assert [row[1] for row in journal.held_slots(now, resend_uncertain=True)] == ["a@example.org"]
    [d] = journal.claim(5, now, resend_uncertain=True)
    assert Journal(journal.folder).recover() == 1  # a crash: d is uncertain, held once more
    [d] = journal.claim(5, now, resend_uncertain=True)
    journal.hold([(d, now + 30)])
    assert {row[1] for row in journal.held_slots(now, resend_uncertain=True)} == {
        "a@example.org",
        "d@example.org",
    }
    assert [row[1] for row in journal.held_slots(now, resend_uncertain=False)] == ["a@example.org"]
    assert list(journal.held_slots(now + 61, resend_uncertain=True)) == []


def test_held_slots_read_an_index_not_the_table(journal: Journal) -> None:
    plan = str(journal.db.execute(
        "EXPLAIN QUERY PLAN SELECT id, address, next_at FROM recipients"
        " WHERE state = 'queued' AND next_at > 5"
    ).fetchall())  # fmt: skip
    assert "SEARCH recipients USING INDEX recipients_next (state=? AND next_at>?)" in plan, plan
