"""A/B benchmark: this tree's `docket check` and archive build against a baseline checkout, in
alternating rounds of one run (the machine is shared: alternating spreads the noise evenly).

    git archive <baseline-commit> | tar -x -C /tmp/base
    .venv/bin/python bench/ab.py --base /tmp/base --check 10000 --build 1000 --rounds 5

Measured, for each side: `docket check cases` on N synthetic cases (bench/synth.py; or the case
tree given with --cases), on all cores and with --jobs 1 (what `mkdocs build` runs),
`docket check <one file>` in that N-case tree (the pre-commit hook's run; --one-file M: in a
synthetic M-case tree), `check_paths` alone in one process (the build's check phase: its own
CPU, no interpreter start), and `mkdocs build` of
the docket archive on M cases (bench/archive_cases.py; --build 0 leaves it out). Both sides run with the same Python and
packages (this .venv); only the code differs (PYTHONPATH). Wall and CPU seconds (children),
medians over the rounds, and the new/old ratio. Run by hand, never in tests.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.archive_cases import generate  # noqa: E402
from bench.synth import write_cases  # noqa: E402

CLI = "from docket.cli import main; main()"
# check_paths alone, in one process, as `mkdocs build` runs it (then freezes the collector's
# view of the cases, as the plugin does): its own CPU and wall seconds, no interpreter start
PHASE = (
    "import gc, time; from pathlib import Path; from generator.collection import check_paths; "
    "from generator.config import load_config; root = Path.cwd(); c = load_config(root); "
    "t, w = time.process_time(), time.perf_counter(); "
    "check_paths([root / 'cases'], c, base=root, jobs=1); gc.freeze(); "
    "print('PHASE', time.perf_counter() - w, time.process_time() - t)"
)


def timed(cmd: list[str], cwd: Path, code: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one command run with `code` first on the import path."""
    env = {**os.environ, "PYTHONPATH": str(code), "NO_MKDOCS_2_WARNING": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{cmd} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    for line in done.stdout.splitlines():
        if line.startswith("PHASE "):  # the command timed itself
            _, phase_wall, phase_cpu = line.split()
            return float(phase_wall), float(phase_cpu)
    return wall, cpu


def site_root(work: Path, code: Path, cases: Path, name: str) -> Path:
    root = work / name
    root.mkdir()
    shutil.copy(code / "docket.toml", root / "docket.toml")
    shutil.copy(code / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("theme", "archive"):
        shutil.copytree(code / folder, root / folder)
    (root / "cases").symlink_to(cases)
    return root


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=Path, required=True, help="baseline checkout")
    parser.add_argument("--check", type=int, default=10000, help="cases for the check runs")
    parser.add_argument("--build", type=int, default=1000, help="cases for the build runs")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cases", type=Path, help="check this case tree instead of synthetic")
    parser.add_argument("--one-file", type=int, help="check one file in a tree of this many")
    parser.add_argument("--only", help="run only the tasks whose name holds this text")
    args = parser.parse_args()
    sides = {"old": args.base.resolve(), "new": REPO}
    py = sys.executable
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; load average at start {os.getloadavg()[0]:.2f}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        check_root = work / "check"
        if args.cases is not None:
            check_root.mkdir()
            (check_root / "cases").symlink_to(args.cases.resolve())
            paths = sorted((check_root / "cases").rglob("*.md"))
        else:
            paths = write_cases(check_root, args.check)
        (check_root / "docket.toml").write_text("", "utf-8")
        one_root = check_root
        if args.one_file and args.one_file != len(paths):
            one_root = work / "one"
            one_paths = write_cases(one_root, args.one_file)
            (one_root / "docket.toml").write_text("", "utf-8")
        else:
            one_paths = paths
        one = str(one_paths[len(one_paths) // 2].relative_to(one_root))
        n = len(paths)
        tasks = {
            f"check_paths {n:,} cases, in-process, 1 job": lambda side: (
                [py, "-c", PHASE], check_root),
            f"check {n:,} cases": lambda side: (
                [py, "-c", CLI, "check", "--format", "json", "cases"], check_root),
            f"check {n:,} cases --jobs 1": lambda side: (
                [py, "-c", CLI, "check", "--jobs", "1", "--format", "json", "cases"], check_root),
            f"check 1 file in {len(one_paths):,}": lambda side: (
                [py, "-c", CLI, "check", one], one_root),
        }  # fmt: skip
        if args.build:
            build_cases = work / "build-cases"
            generate(build_cases, args.build)
            roots = {side: site_root(work, code, build_cases, f"site-{side}") for side, code in sides.items()}  # fmt: skip
            tasks[f"build {args.build:,} cases"] = lambda side: (
                [py, "-m", "mkdocs", "build", "-q"], roots[side])  # fmt: skip
        if args.only:
            tasks = {name: make for name, make in tasks.items() if args.only in name}
        results: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for task, make in tasks.items():
            for side in sides:  # warm-up: caches, .pyc files
                timed(*make(side), sides[side])
            for n in range(args.rounds):
                order = list(sides) if n % 2 == 0 else list(reversed(sides))
                for side in order:
                    results.setdefault((task, side), []).append(timed(*make(side), sides[side]))
        print(f"load average at end {os.getloadavg()[0]:.2f}; medians of {args.rounds} rounds")
        print("| task | old wall s | new wall s | wall new/old | old CPU s | new CPU s | CPU new/old |")  # fmt: skip
        print("|---|---:|---:|---:|---:|---:|---:|")
        for task in tasks:
            old = results[(task, "old")]
            new = results[(task, "new")]
            ow, nw = (statistics.median(w for w, _ in r) for r in (old, new))
            oc, nc = (statistics.median(c for _, c in r) for r in (old, new))
            print(f"| {task} | {ow:.2f} | {nw:.2f} | {nw / ow:.3f} | {oc:.2f} | {nc:.2f} | "
                  f"{nc / oc:.3f} |")  # fmt: skip


if __name__ == "__main__":
    main()
