"""Render benchmark and byte-identity check: this tree's `render_site` against a baseline
checkout, in alternating rounds of one run (the machine is shared: alternating spreads the
noise evenly).

    git archive <baseline-commit> | tar -x -C /tmp/base
    .venv/bin/python bench/render.py --base /tmp/base --cases 1000 --rounds 5 --verify

Each measurement is a fresh process per side (same Python and packages, only the code differs,
by PYTHONPATH) that checks the cases, then renders the whole archive in one process
(`jobs=1`) and reports the CPU seconds of `render_site` alone. With `--verify`, both sides also
dump every page (path, kind, title, html, toc, description) and every asset, for the bench cases
and for the test fixtures' archives, each with two sets of site options; the dumps must be equal
byte for byte, else the run fails naming the first page that differs. With `--saves N` it also
times what the dev server does after a save: each side, in its own copy of the cases, renders
the archive once with a memo (`Memo`, as `mkdocs serve` keeps it), then N times appends a line
to one case file, re-checks (`CaseCache`, not timed) and renders again with the memo (timed:
`render_site` alone, which finds the pages whose inputs changed and makes those). Run by hand,
never in tests.

    .venv/bin/python bench/render.py --base /tmp/base --cases 1000 --rounds 5 --saves 10

`--repeat N` renders N times in each round's process and keeps the round's best (least
disturbed by other work on a shared machine).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

# site options the plugin can pass; both sets are rendered by --verify
OPTIONS: list[dict[str, Any]] = [
    {},
    {"site_name": "Test <archive>", "site_url": "https://archive.example.org/", "hash_bugs": True},
]


def worker(root: Path, repeat: int, dump: Path | None, options: dict[str, Any]) -> None:
    """Runs in the measured process, with the side's code first on the import path."""
    from generator.collection import check_paths
    from generator.config import load_config
    from generator.render.site import SiteOptions, render_site

    config = load_config(root)
    collection = check_paths([root / "cases"], config, base=root, jobs=1)
    cpu: list[float] = []
    wall: list[float] = []
    site: Any = None
    for _ in range(repeat):
        start, start_wall = time.process_time(), time.perf_counter()
        site = render_site(collection.cases, root, config.urls, SiteOptions(jobs=1, **options))
        cpu.append(time.process_time() - start)
        wall.append(time.perf_counter() - start_wall)
    if dump is not None:
        pages = [
            (p.path, p.kind, p.in_nav, p.title, p.html, p.toc, p.description) for p in site.pages
        ]
        assets = [(a.path, a.content) for a in site.assets]
        dump.write_bytes(pickle.dumps((pages, assets)))
    print(json.dumps({"cpu": cpu, "wall": wall, "pages": len(site.pages)}))


def rebuild_worker(root: Path, saves: int) -> None:
    """Runs in the measured process: renders after each of `saves` saves, with a memo."""
    from generator.casecache import CaseCache
    from generator.config import load_config
    from generator.render.memo import Memo
    from generator.render.site import SiteOptions, render_site

    with tempfile.TemporaryDirectory() as tmp:
        own = Path(tmp)
        shutil.copy(root / "docket.toml", own / "docket.toml")
        shutil.copytree((root / "cases").resolve(), own / "cases")
        config = load_config(own)
        cache, memo, options = CaseCache(), Memo(), SiteOptions(jobs=1)
        collection = cache.check([config.cases_dir], config, config.root)
        render_site(collection.cases, config.root, config.urls, options, memo)
        files = sorted(config.cases_dir.rglob("a*.md"))
        target = files[len(files) // 2]
        cpu: list[float] = []
        wall: list[float] = []
        for i in range(saves):
            with target.open("a", encoding="utf-8") as handle:
                handle.write(f"\nA line added by save {i}.\n")
            stat = target.stat()  # two saves within one clock tick must still count
            os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
            collection = cache.check([config.cases_dir], config, config.root)
            start, start_wall = time.process_time(), time.perf_counter()
            render_site(collection.cases, config.root, config.urls, options, memo)
            cpu.append(time.process_time() - start)
            wall.append(time.perf_counter() - start_wall)
            made = [n for n in memo.made if n.startswith("case:")]
            assert made == [f"case:{target.stem}"], made  # one page made again, no other
    print(json.dumps({"cpu": cpu, "wall": wall, "pages": 0}))


def run(
    code: Path,
    root: Path,
    repeat: int,
    dump: Path | None,
    options: dict[str, Any],
    saves: int = 0,
) -> Any:
    env = {**os.environ, "PYTHONPATH": str(code)}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(root)]
    cmd += ["--repeat", str(repeat), "--options", json.dumps(options)]
    if dump is not None:
        cmd += ["--dump", str(dump)]
    if saves:
        cmd += ["--saves", str(saves)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=code)
    if done.returncode != 0:
        raise SystemExit(f"{cmd} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(old: Path, new: Path, label: str) -> int:
    """Number of differing pages/assets (0: byte-identical); prints the first differences."""
    old_pages, old_assets = pickle.loads(old.read_bytes())
    new_pages, new_assets = pickle.loads(new.read_bytes())
    bad = 0
    if len(old_pages) != len(new_pages) or len(old_assets) != len(new_assets):
        print(f"{label}: {len(old_pages)}/{len(new_pages)} pages, "
              f"{len(old_assets)}/{len(new_assets)} assets")  # fmt: skip
        return 1
    for o, n in zip(old_pages, new_pages, strict=True):
        if o != n:
            bad += 1
            if bad <= 3:
                field = next(i for i, (a, b) in enumerate(zip(o, n, strict=True)) if a != b)
                print(f"{label}: page {o[0]} differs in field {field}")
                if isinstance(o[field], str):
                    at = next(
                        (
                            i
                            for i, (a, b) in enumerate(zip(o[field], n[field], strict=False))
                            if a != b
                        ),
                        min(len(o[field]), len(n[field])),
                    )
                    print(f"  old: {o[field][max(0, at - 80) : at + 80]!r}")
                    print(f"  new: {n[field][max(0, at - 80) : at + 80]!r}")
    for o, n in zip(old_assets, new_assets, strict=True):
        if o != n:
            bad += 1
            if bad <= 3:
                print(f"{label}: asset {o[0]} differs")
    total = len(old_pages) + len(old_assets)
    print(f"{label}: {total - bad} of {total} pages and assets byte-identical")
    return bad


def time_saves(sides: dict[str, Path], root: Path, rounds: int, saves: int, cases: int) -> None:
    """The rebuild after a save (see --saves), both sides in alternating rounds."""
    cpu: dict[str, list[float]] = {side: [] for side in sides}
    wall: dict[str, list[float]] = {side: [] for side in sides}
    per_round: list[float] = []  # new/old of the rounds' median CPU
    for n in range(rounds):
        medians = {}
        for side in list(sides) if n % 2 == 0 else list(reversed(sides)):
            got = run(sides[side], root, 1, None, {}, saves)
            cpu[side] += got["cpu"]
            wall[side] += got["wall"]
            medians[side] = statistics.median(got["cpu"])
        per_round.append(medians["new"] / medians["old"])
    print(f"load average at end {os.getloadavg()[0]:.2f}; medians of {rounds} rounds of "
          f"{saves} saves, render_site with a memo after a save, {cases:,} cases")  # fmt: skip
    print("| | old | new | new/old |")
    print("|---|---:|---:|---:|")
    for label, found in (("CPU", cpu), ("wall", wall)):
        old, new = (statistics.median(found[s]) for s in ("old", "new"))
        print(f"| rebuild {label} ms | {old * 1000:.1f} | {new * 1000:.1f} | {new / old:.3f} |")
    print("rebuild CPU new/old per round:", " ".join(f"{r:.3f}" for r in per_round))


def make_root(work: Path, cases: Path, name: str) -> Path:
    root = work / name
    root.mkdir()
    shutil.copy(REPO / "docket.toml", root / "docket.toml")
    (root / "cases").symlink_to(cases.resolve())
    return root


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=Path, help="baseline checkout")
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--verify", action="store_true", help="compare every page and asset")
    parser.add_argument("--no-time", action="store_true", help="only --verify, no timing")
    parser.add_argument("--saves", type=int, default=0, help="also time N rebuilds after a save")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--repeat", type=int, default=1, help="renders per round in one process (best kept)"
    )
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--options", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None and args.saves:
        rebuild_worker(args.worker, args.saves)
        return
    if args.worker is not None:
        worker(args.worker, args.repeat, args.dump, json.loads(args.options))
        return
    if args.base is None:
        parser.error("--base is required")
    sys.path.insert(0, str(REPO))
    from bench.archive_cases import generate

    sides = {"old": args.base.resolve(), "new": REPO}
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; load average at start {os.getloadavg()[0]:.2f}")  # fmt: skip
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        generate(work / "cases", args.cases)
        root = make_root(work, work / "cases", "bench")
        if args.verify:
            roots = {f"bench {args.cases:,} cases": root}
            roots["the repository's cases"] = REPO
            for fixture in ("archive", "archive-xss", "real"):
                roots[f"tests/fixtures/{fixture}"] = REPO / "tests" / "fixtures" / fixture
            for label, where in roots.items():
                for i, options in enumerate(OPTIONS):
                    dumps = {side: work / f"{side}.pkl" for side in sides}
                    for side, code in sides.items():
                        run(code, where, 1, dumps[side], options)
                    failures += compare(dumps["old"], dumps["new"], f"{label}, options {i}")
        if not args.no_time:
            results: dict[str, list[float]] = {side: [] for side in sides}
            walls: dict[str, list[float]] = {side: [] for side in sides}
            for code in sides.values():  # warm-up: .pyc files, disk cache
                run(code, root, 1, None, {})
            for n in range(args.rounds):
                order = list(sides) if n % 2 == 0 else list(reversed(sides))
                for side in order:
                    got = run(sides[side], root, args.repeat, None, {})
                    best = min(range(args.repeat), key=lambda i: got["cpu"][i])
                    results[side].append(got["cpu"][best])  # the round's least disturbed
                    walls[side].append(got["wall"][best])
            old_cpu, new_cpu = (statistics.median(results[s]) for s in ("old", "new"))
            old_wall, new_wall = (statistics.median(walls[s]) for s in ("old", "new"))
            print(f"load average at end {os.getloadavg()[0]:.2f}; medians of {args.rounds} "
                  f"rounds (each the best of {args.repeat}), render_site of {args.cases:,} "
                  "cases in one process")  # fmt: skip
            print("| | old | new | new/old |")
            print("|---|---:|---:|---:|")
            print(f"| render CPU s | {old_cpu:.2f} | {new_cpu:.2f} | {new_cpu / old_cpu:.3f} |")
            print(f"| render wall s | {old_wall:.2f} | {new_wall:.2f} | "
                  f"{new_wall / old_wall:.3f} |")  # fmt: skip
            ratios = [n / o for o, n in zip(results["old"], results["new"], strict=True)]
            print("old CPU s per round:", " ".join(f"{c:.2f}" for c in results["old"]))
            print("new CPU s per round:", " ".join(f"{c:.2f}" for c in results["new"]))
            print("CPU new/old per round:", " ".join(f"{r:.3f}" for r in ratios),
                  f"(median {statistics.median(ratios):.3f}, worst {max(ratios):.3f})")  # fmt: skip
        if args.saves:
            time_saves(sides, root, args.rounds, args.saves, args.cases)
    if failures:
        raise SystemExit(f"NOT byte-identical: {failures} pages or assets differ")


if __name__ == "__main__":
    main()
