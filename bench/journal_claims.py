"""Benchmark the journal's part of the send loop: claim recipients 32 at a time and record them
sent, over a snapshot of N rows, as `docket notify` does per message. Run by hand (never in
tests):

    .venv/bin/python bench/journal_claims.py --rows 170000 --rounds 3
    .venv/bin/python bench/journal_claims.py --extra-index "(state, updated_at)"

`--extra-index` (default `(state, id)`, the second index journals had before) adds an index
before the loop, to see what keeping it up costs: every claim and every record changes a row's
state, so every index over the state is rewritten twice a message. Rounds alternate with and
without it; CPU seconds beside wall seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from notifier.ledger.journal import Result, State  # noqa: E402
from tests.support.journal import snapshotted_journal  # noqa: E402

CHUNK = 32  # what the send loop claims at once with 8 connections


def one_round(rows: int, extra_index: str | None) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of claiming and recording every row once."""
    with tempfile.TemporaryDirectory() as tmp:
        members = (
            (f"m{i}@example{i % 50}.org", {"fname": "A", "lname": "B", "language": "en"})
            for i in range(rows)
        )
        journal = snapshotted_journal(Path(tmp) / "run", members)
        if extra_index:
            journal.db.execute(f"CREATE INDEX bench_extra ON recipients {extra_index}")
        cpu, wall = time.process_time(), time.perf_counter()
        while items := journal.claim(CHUNK, time.time(), resend_uncertain=False):
            journal.record([Result(item.id, State.SENT, "250 ok") for item in items])
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        journal.close()
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=170_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--extra-index", default="(state, id)", metavar="COLUMNS")
    args = parser.parse_args()
    results: dict[str, list[tuple[float, float]]] = {"as is": [], "extra index": []}
    for n in range(args.rounds):
        order = [("as is", None), ("extra index", args.extra_index)]
        for name, extra in order if n % 2 == 0 else order[::-1]:
            results[name].append(one_round(args.rows, extra))
            cpu, wall = results[name][-1]
            print(f"round {n + 1} {name}: {cpu:.2f} s CPU, {wall:.2f} s wall")
    for name, values in results.items():
        cpu = statistics.median(v[0] for v in values)
        wall = statistics.median(v[1] for v in values)
        print(f"median {name}: {cpu:.2f} s CPU, {wall:.2f} s wall, {args.rows} rows")
    ratio = statistics.median(v[0] for v in results["as is"]) / statistics.median(
        v[0] for v in results["extra index"]
    )
    print(f"CPU as is / with the extra index: {ratio:.2f}")


if __name__ == "__main__":
    main()
