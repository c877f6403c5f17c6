"""How docket spreads work over processes, one way for the check, the renderers and the page
builders: `jobs` None or 0 means one process per core; below a job's own minimum of items only
an explicit `jobs` forks; work goes out in chunks; forked workers and the parent's parsing run
without the cyclic garbage collector (they make no cycles worth its passes)."""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import os
from collections.abc import Callable


def processes(jobs: int | None) -> int:
    """The number of processes `jobs` asks for: None or 0 is one per core."""
    return jobs or os.cpu_count() or 1


def can_fork() -> bool:
    """The workers are forked (they inherit the parsed cases and compiled templates)."""
    return "fork" in multiprocessing.get_all_start_methods()


def worth_forking(jobs: int | None, items: int, minimum: int) -> int:
    """The processes to spread `items` over: 1 (this process) unless there are several items,
    the platform forks, and there are at least `minimum` of them or `jobs` was given."""
    count = processes(jobs)
    if count <= 1 or items < 2 or not can_fork():
        return 1
    if not jobs and items < minimum:
        return 1
    return count


def chunk_size(items: int, workers: int, *, chunks_per_worker: int, smallest: int = 1) -> int:
    """Items per chunk: enough chunks per worker to even out slow items, not so many that
    handing them out costs more than the work."""
    return max(smallest, items // (workers * chunks_per_worker))


def fork_pool(
    workers: int, initializer: Callable[[], object] = gc.disable
) -> multiprocessing.pool.Pool:
    """Forked workers; by default without the cyclic collector (one build's worth of work makes
    little cyclic garbage: measured 8-15% less CPU for the renderers)."""
    return multiprocessing.get_context("fork").Pool(workers, initializer=initializer)


class CollectorPaused:
    """The cyclic garbage collector off while files are analysed: parsing makes no reference
    cycles (gc.collect() after 1,000 files finds none), so its passes over the growing heap of
    parsed cases were pure cost (measured: 15% of a check's CPU). Left off if it was off.

    Turned on again as the last thing of the block, so that a caller who keeps the cases and
    freezes them at once (`gc.freeze()`, as the archive build does) never pays one pass over
    them either."""

    def __enter__(self) -> None:
        self.was_on = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was_on:
            gc.enable()
