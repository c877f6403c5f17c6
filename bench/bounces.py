"""Benchmark `docket bounces classify` on a Maildir of synthetic bounces, whole process.

Run by hand (never in tests):

    .venv/bin/python -u bench/bounces.py                   # 100,000 bounces, and 10,000 for memory
    .venv/bin/python -u bench/bounces.py --count 20000     # a quick look

The Maildir is written once from the fixture bounces (tests/fixtures/bounces), each copy with its
own recipient and VERP token. Rounds alternate between docket and two baselines over the same
Maildir, all child processes: `read` (open and read every file: the I/O floor) and
`email-default` (the stdlib's email.message_from_bytes with policy.default per file, what a naive
parser does before classifying anything; on the first --small files only, it is slow). CPU
seconds and peak RSS come from wait4().
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FIXTURES = ROOT / "tests" / "fixtures" / "bounces"

READ_ONLY = """
import os, sys
n = 0
for sub in ("new", "cur"):
    with os.scandir(os.path.join(sys.argv[1], sub)) as entries:
        for e in entries:
            with open(e.path, "rb") as f:
                f.read()
            n += 1
print(n)
"""
EMAIL_DEFAULT = """
import email, email.policy, os, sys
n = 0
limit = int(sys.argv[2])
for sub in ("new", "cur"):
    with os.scandir(os.path.join(sys.argv[1], sub)) as entries:
        for e in entries:
            if n >= limit:
                break
            with open(e.path, "rb") as f:
                m = email.message_from_bytes(f.read(), policy=email.policy.default)
            for part in m.walk():
                part.get_content_type()
            n += 1
print(n)
"""


def make_maildir(folder: Path, count: int) -> None:
    """`count` bounces, the fixture shapes in turn, each for another recipient and token."""
    samples = [p.read_bytes() for p in sorted(FIXTURES.glob("*.eml"))]
    for sub in ("new", "cur", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    address = re.compile(rb"([a-z]+)@(example\.[a-z]+|[a-z.]+\.example(\.de)?)")
    token = re.compile(rb"\+\d+\.[0-9a-f]{16}@")
    for i in range(count):
        data = samples[i % len(samples)]
        data = address.sub(rb"\g<1>%d@\g<2>" % i, data)
        data = token.sub(b"+%d.%016x@" % (i, i * 2654435761 % 2**64), data)
        (folder / "new" / f"{1796000000 + i}.M{i}P1.bench").write_bytes(data)


def run(command: list[str]) -> tuple[float, float, int, bytes]:
    """(wall s, CPU s, peak RSS KiB, stdout tail) of a child process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(max(0, out.seek(0, 2) - 300))
        tail = out.read()
    assert os.waitstatus_to_exitcode(status) == 0, proc.stderr.read() if proc.stderr else ""
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, tail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument(
        "--small", type=int, default=10_000, help="the memory comparison; email-default's count"
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}; shared with other jobs (load {os.getloadavg()[0]:.1f})"
    )
    base = Path(tempfile.mkdtemp(prefix="docket-bench-bounces-"))
    try:
        docket = [str(BIN / "docket"), "bounces", "classify", "--format", "json"]
        for count in (args.small, args.count):
            folder = base / f"maildir-{count}"
            started = time.perf_counter()
            make_maildir(folder, count)
            print(f"\n{count} bounces written in {time.perf_counter() - started:.1f} s")
            commands = {
                "docket": [*docket, str(folder)],
                "read": [sys.executable, "-c", READ_ONLY, str(folder)],
                "email-default": [
                    sys.executable,
                    "-c",
                    EMAIL_DEFAULT,
                    str(folder),
                    str(min(count, args.small)),
                ],
            }
            results: dict[str, list[tuple[float, float, int]]] = {k: [] for k in commands}
            rounds = args.rounds if count == args.count else 1
            for _ in range(rounds):
                for name, command in commands.items():
                    wall, cpu, rss, tail = run(command)
                    results[name].append((wall, cpu, rss))
                    if name == "docket":
                        assert tail.rstrip().endswith(b"}"), tail
            for name, rows in results.items():
                walls = sorted(r[0] for r in rows)
                best = min(rows)
                n = min(count, args.small) if name == "email-default" else count
                print(
                    f"  {name:<14} {n / best[0]:>9,.0f} msg/s best of {len(rows)} "
                    f"(wall {best[0]:.1f} s, CPU {best[1]:.1f} s, median wall "
                    f"{walls[len(walls) // 2]:.1f} s), peak RSS {best[2] / 1024:.0f} MiB"
                )
            d = count / min(results["docket"])[0]
            r = count / min(results["read"])[0]
            e = min(count, args.small) / min(results["email-default"])[0]
            print(f"  docket at {d / r:.3f}x the I/O floor's rate, {d / e:.2f}x email-default's")
            shutil.rmtree(folder)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
