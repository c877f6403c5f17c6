"""Benchmark `docket check` on N synthetic case files (run by hand, not in tests).

    .venv/bin/python bench/check.py 1000 10000

For each N: wall time and peak RSS of `docket check` as a subprocess (all cores, and --jobs 1),
and files per second. Results go to docs/performance.md by hand.
"""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write_cases

DOCKET = Path(sys.executable).with_name("docket")


def run(root: Path, jobs: int | None) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds (all processes), peak RSS (KB, largest process), exit code."""
    args = [str(DOCKET), "check", "--format", "json", "cases"]
    if jobs:
        args[2:2] = ["--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, cwd=root, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return elapsed, cpu, after.ru_maxrss, result.returncode


def main(counts: list[int]) -> None:
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    print(
        "| files | avg size | jobs | wall s | files/s | CPU s | CPU ms/file | peak RSS MB | exit |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for count in counts:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            paths = write_cases(root, count)
            (root / "docket.toml").write_text("", "utf-8")
            size = sum(p.stat().st_size for p in paths) // len(paths)
            for jobs in (None, 1):
                elapsed, cpu, peak, code = run(root, jobs)
                print(
                    f"| {count:,} | {size / 1024:.1f} KB | {jobs or os.cpu_count()} | "
                    f"{elapsed:.2f} | {count / elapsed:,.0f} | {cpu:.2f} | "
                    f"{cpu * 1000 / count:.3f} | {peak / 1024:.0f} | {code} |"
                )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
