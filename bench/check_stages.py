"""Where checking a case tree spends its CPU, stage by stage, for this tree and a baseline.

    git archive <baseline-commit> | tar -x -C /tmp/base
    .venv/bin/python bench/check_stages.py --base /tmp/base --root /tmp/bk/1000/docket-pagefind

Each side runs in its own process with only its code on the import path; each stage runs over
all the files with the collector off (the whole-run rows with it on, as a check runs), and the
fastest of --runs repeats is kept (the machine is shared: the fastest run is the least
disturbed). The sides alternate, so both see the same load. Run by hand, never in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

WORKER = r"""
import gc, json, sys, time
from pathlib import Path
from generator.checks import CASE_CHECKS
from generator.checks.crossfile import summarize
from generator.collection import check_paths
from generator.config import load_config
from generator.history import parse_history
from generator.loader import decode, load_text, split_front_matter
from generator.model import SectionKind
from generator.sections import split_sections
from generator.yamlsource import parse_yaml

cases_dir, root, runs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
config = load_config(root)
files = sorted(cases_dir.rglob("*.md"))
texts = [f.read_text("utf-8") for f in files]
split = []
for text in texts:
    lines = text.split("\n")
    header, body_index, _ = split_front_matter(lines, "x")
    split.append(("\n".join(header or []), lines, body_index))
cases = [load_text(t, str(f))[0] for t, f in zip(texts, files)]
cases = [c for c in cases if c is not None]
logs = [s for c in cases for s in c.sections if s.kind is SectionKind.HISTORY]
out = {}

def best(name, fn, collector=False):
    times = []
    for _ in range(runs):
        gc.collect()
        (gc.enable if collector else gc.disable)()
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
        gc.enable()
    out[name] = min(times)

best("whole check_paths (jobs=1), collector on", lambda: (
    check_paths([cases_dir], config, base=root, jobs=1), gc.freeze(), gc.unfreeze()), True)
best("read and decode", lambda: [decode(f.read_bytes(), "x", 10**6) for f in files])
best("load_text (all of the parse)", lambda: [load_text(t, "x") for t in texts])
best("  YAML header (parse_yaml)", lambda: [parse_yaml(h, 2) for h, _, _ in split])
best("  sections (split_sections)", lambda: [split_sections(l[b:], b + 1) for _, l, b in split])
best("  history log (parse_history)", lambda: [parse_history(s) for s in logs])
def checks():
    for case in cases:
        for check in CASE_CHECKS:
            list(check(case, config))
best("per-case checks (all 14)", checks)
best("summaries for the cross-file checks", lambda: [summarize(c) for c in cases])
print(json.dumps(out))
"""


def run(code: Path, cases: Path, root: Path, runs: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(cases), str(root), str(runs)],
        env=env,
        cwd=str(root),
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=Path, required=True, help="baseline checkout")
    parser.add_argument("--root", type=Path, required=True, help="folder with docket.toml, cases/")
    parser.add_argument("--runs", type=int, default=5, help="repeats per stage")
    parser.add_argument("--rounds", type=int, default=2, help="alternations of old and new")
    args = parser.parse_args()
    root = args.root.resolve()
    sides = {"old": args.base.resolve(), "new": REPO}
    best: dict[str, dict[str, float]] = {"old": {}, "new": {}}
    print(f"load average at start {os.getloadavg()[0]:.2f}")
    for n in range(args.rounds):
        for side in list(sides) if n % 2 == 0 else list(reversed(sides)):
            for stage, seconds in run(sides[side], root / "cases", root, args.runs).items():
                best[side][stage] = min(seconds, best[side].get(stage, seconds))
    print(f"load average at end {os.getloadavg()[0]:.2f}; CPU ms, fastest of all runs")
    print("| stage | old ms | new ms | new/old |")
    print("|---|---:|---:|---:|")
    for stage, old in best["old"].items():
        new = best["new"][stage]
        print(f"| {stage} | {old * 1000:.0f} | {new * 1000:.0f} | {new / old:.2f} |")


if __name__ == "__main__":
    main()
