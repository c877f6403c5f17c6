"""One way to spread work over processes (generator/workers.py): how many, when forking is worth
it, chunk sizes, forked workers without the cyclic collector, and the collector paused."""

from __future__ import annotations

import gc
import os

import pytest

from generator.workers import (
    CollectorPaused,
    can_fork,
    chunk_size,
    fork_pool,
    processes,
    worth_forking,
)


def test_none_and_zero_both_mean_one_process_per_core() -> None:
    cores = os.cpu_count() or 1
    assert processes(None) == processes(0) == cores
    assert processes(3) == 3


def test_this_platform_forks() -> None:
    """docket runs on Linux (the run journal's lock is fcntl's), where the workers are forked:
    no test here is skipped for want of fork; the platform without it is the next test's."""
    assert can_fork()


def test_without_fork_everything_runs_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("generator.workers.can_fork", lambda: False)
    assert worth_forking(4, 10_000, minimum=200) == 1


def test_forking_only_for_enough_items_unless_jobs_was_given() -> None:
    assert worth_forking(4, 1, minimum=200) == 1  # one item: nothing to spread
    assert worth_forking(1, 1000, minimum=200) == 1  # one process asked for
    assert worth_forking(4, 10, minimum=200) == 4  # an explicit --jobs forks below the minimum
    if (os.cpu_count() or 1) > 1:
        assert worth_forking(None, 10, minimum=200) == 1
        assert worth_forking(0, 200, minimum=200) == os.cpu_count()


def test_chunks_even_out_the_work_but_never_go_below_the_smallest() -> None:
    assert chunk_size(1000, 2, chunks_per_worker=4) == 125
    assert chunk_size(10, 4, chunks_per_worker=4) == 1
    assert chunk_size(10, 4, chunks_per_worker=4, smallest=8) == 8


def _collector_on(_: int) -> bool:
    return gc.isenabled()


def test_forked_workers_run_without_the_cyclic_collector() -> None:
    with fork_pool(2) as pool:
        assert pool.map(_collector_on, range(4)) == [False] * 4
    with fork_pool(1, initializer=gc.enable) as pool:
        assert pool.map(_collector_on, range(2)) == [True] * 2


def test_the_collector_is_paused_and_left_as_it_was() -> None:
    assert gc.isenabled()
    with CollectorPaused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with CollectorPaused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off: left off
    finally:
        gc.enable()
