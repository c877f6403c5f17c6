"""Crash safety: kill -9 at random points and resume; Ctrl-C stops without a duplicate.

`docket notify` runs as a real subprocess against an aiosmtpd server in this process; what the
server received is the truth the journal is checked against.
"""

from __future__ import annotations

import csv
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from tests.notifier.conftest import CASE, Sink, make_directory

DOCKET = str(Path(sys.executable).parent / "docket")


def audience(n: int) -> list[tuple[str, str, str, str]]:
    rows = [(f"member{i:05}@example.org", f"M{i}", "X", "de" if i % 3 else "en") for i in range(n)]
    rows.insert(10, ("MEMBER00003@example.org", "Dup", "X", "en"))  # a duplicate address
    rows.insert(20, ("broken@", "Bad", "X", "en"))  # invalid: never sent
    return rows


def command(cases: Path, db: Path, sink: Sink, run: Path) -> list[str]:
    return [
        DOCKET, "notify", CASE, "--cases", str(cases), "--directory", str(db), "--smtp", sink.url,
        "--journal", str(run), "--yes", "--rate", "0", "--pool", "4", "--retry-delay", "0.05",
    ]  # fmt: skip


def journal_rows(run: Path) -> dict[str, dict[str, str]]:
    with (run / "recipients.csv").open(encoding="utf-8", newline="") as handle:
        return {row["address"].lower(): row for row in csv.DictReader(handle)}


def wait_for(sink: Sink, proc: subprocess.Popen[bytes], target: int, limit: float) -> None:
    deadline = time.monotonic() + limit
    while proc.poll() is None and len(sink.received) < target and time.monotonic() < deadline:
        time.sleep(0.002)


def test_kill_9_at_random_points_loses_nothing(tmp_path: Path, cases: Path, sink: Sink) -> None:
    rows = audience(2500)
    db = make_directory(tmp_path / "members.sqlite", rows)
    run = tmp_path / "run"
    cmd = command(cases, db, sink, run)
    rng = random.Random(20140409)
    kills = kills_while_sending = 0
    while kills < 12:
        before = len(sink.received)
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if rng.random() < 0.2:
            time.sleep(rng.uniform(0.05, 1.0))  # anywhere: start-up, snapshot, plan, sending
        else:
            wait_for(sink, proc, before + rng.randint(1, 120), 60)
        if proc.poll() is not None:
            break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert proc.stderr is not None
        proc.stderr.close()
        kills += 1
        kills_while_sending += len(sink.received) > before
    assert kills >= 10, "the audience was sent before ten kills: make it larger"
    assert kills_while_sending >= 5
    final = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stdout + final.stderr

    expected = {row[0].lower() for row in rows if "@example.org" in row[0]}
    got = Counter(address.lower() for address in sink.addresses())
    assert set(got) == expected  # everyone at least once, nobody outside the audience
    journal = journal_rows(run)
    duplicates = {address for address, n in got.items() if n > 1}
    for address in duplicates:
        assert journal[address]["uncertain"] == "1", address
    assert all(journal[a]["state"] == "sent" for a in expected)
    assert journal["broken@"]["state"] == "invalid"
    # a resent message carries the same Message-ID, so a receiver can drop the copy
    ids: dict[str, set[str]] = {}
    for received in sink.received:
        ids.setdefault(received.recipients[0].lower(), set()).add(received.message["Message-ID"])
    assert all(len(v) == 1 for v in ids.values())
    assert "may have got the message twice" in final.stdout or not duplicates


def test_ctrl_c_and_sigterm_stop_cleanly_without_duplicates(
    tmp_path: Path, cases: Path, sink: Sink
) -> None:
    rows = audience(1500)
    db = make_directory(tmp_path / "members.sqlite", rows)
    run = tmp_path / "run"
    cmd = command(cases, db, sink, run)
    rng = random.Random(7)
    interrupts = 0
    for _ in range(3):
        before = len(sink.received)
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_for(sink, proc, before + rng.randint(20, 200), 60)
        if proc.poll() is not None:
            break
        proc.send_signal(signal.SIGINT if interrupts % 2 == 0 else signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, out + err
        assert "interrupted; nothing is lost. To resume, run: docket notify" in out
        interrupts += 1
    assert interrupts == 3
    final = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stdout + final.stderr
    got = Counter(address.lower() for address in sink.addresses())
    expected = {row[0].lower() for row in rows if "@example.org" in row[0]}
    assert set(got) == expected
    assert max(got.values()) == 1
    journal = journal_rows(run)
    assert all(row["uncertain"] == "0" for row in journal.values())


def test_two_ctrl_c_at_once_still_write_the_report(tmp_path: Path, cases: Path, sink: Sink) -> None:
    """Whenever they come once the run has its journal: during the snapshot and the plan, while
    sending, or as it ends."""
    rows = audience(3000)
    db = make_directory(tmp_path / "members.sqlite", rows)
    run = tmp_path / "run"
    cmd = command(cases, db, sink, run)
    rng = random.Random(11)
    for round_ in range(4):
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        report = run / "report.json"
        if round_ == 0:  # as soon as the journal is there: the snapshot is being taken
            while proc.poll() is None and not (run / "journal.sqlite").exists():
                time.sleep(0.001)
            first = ""
        else:  # from the plan on (the journal is open), at any point
            report.unlink()
            assert proc.stdout is not None
            first = proc.stdout.readline()
            time.sleep(rng.uniform(0.0, 1.0))
        proc.send_signal(signal.SIGINT)
        proc.send_signal(signal.SIGINT)  # the second within a millisecond of the first
        out, err = proc.communicate(timeout=60)
        out = first + out
        assert "Traceback" not in err and "Aborted" not in err, f"round {round_}: {err}"
        # Signals that come after the run has written its report and printed the summary may
        # reach the interpreter as it exits, where the default action (death by SIGINT) is
        # back: nothing was left undone then, so that too is a clean end.
        ended = "report: " in out and proc.returncode == -signal.SIGINT
        assert proc.returncode in (0, 130) or ended, out + err
        assert report.is_file(), f"round {round_}: no report.json"
        if proc.returncode == 130:
            assert "To resume, run: docket notify" in out, out
    final = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stdout + final.stderr
    expected = {row[0].lower() for row in rows if "@example.org" in row[0]}
    assert {address.lower() for address in sink.addresses()} == expected
