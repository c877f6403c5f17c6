"""A/B benchmark of MkDocs's page phase (Material's templates around docket's pages): this
tree's theme/ and code against a baseline checkout, in alternating rounds of one run, and a
byte-for-byte comparison of the two built sites.

    git archive <baseline-commit> | tar -x -C /tmp/base
    .venv/bin/python bench/chrome.py --base /tmp/base --tree /tmp/bk/1000/docket-pagefind --rounds 3
    .venv/bin/python bench/chrome.py --base /tmp/base --tree . --rounds 1   # the example archive

`--tree` is an archive folder (mkdocs.yml, docket.toml, docs_dir, cases/); it is copied once per
side (links followed), with that side's theme/ put in. Each build runs `mkdocs build` in a fresh
process with that side's code first on the import path (same .venv), and reports the CPU seconds
(thread time of the building thread) spent in MkDocs's `_build_page` (the template, the context,
the write) and in the theme templates (404.html, sitemap.xml), the wall time of the page phase
and the process's total CPU (children such as Pagefind included); then, in the same process, it
renders every page again `--render-loops` times as `_build_page` does but without writing
(the least CPU of the loops: the template work alone, less disturbed by other processes' I/O). After every round the two
`site/` folders are compared file by file, byte for byte. Run by hand, never in tests.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns(".git", ".venv", ".cache", "site", "node_modules", "__pycache__")

# Runs in the build process: times MkDocs's page functions with the building thread's CPU clock.
PROBE = r"""
import json, resource, sys, time
from mkdocs.commands import build as b

spent = {"page": 0.0, "theme": 0.0}

def timed(name, function):
    def run(*args, **kwargs):
        started = time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.thread_time() - started
    return run

built = []
page = b._build_page
def remember(*args, **kwargs):
    built.append(args)
    return page(*args, **kwargs)

b._build_page = timed("page", remember)
b._build_theme_template = timed("theme", b._build_theme_template)
wall = time.perf_counter()
from mkdocs.__main__ import cli
try:
    cli.main(["build", "-v"], standalone_mode=False)
finally:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    spent["wall"] = time.perf_counter() - wall
    spent["cpu"] = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

def render(page, config, files, nav, env, *rest):
    # _build_page without the write: context, template, plugins' events, encoding
    page.active = True
    try:
        context = b.get_context(nav, files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = config.plugins.on_post_page(template.render(context), page=page, config=config)
        return output.encode("utf-8", errors="xmlcharrefreplace")
    finally:
        page.active = False

loops = []
for _ in range(int(sys.argv[1])):  # every page again, in the same order
    started = time.thread_time()
    for args in built:
        render(*args)
    loops.append(time.thread_time() - started)
spent["render"] = min(loops) if loops else float("nan")
print("CHROME " + json.dumps(spent))
"""


def prepare(tree: Path, code: Path, into: Path) -> Path:
    """A copy of the archive folder `tree` with the theme of `code`."""
    shutil.copytree(tree, into, symlinks=False, ignore=SKIP)
    shutil.rmtree(into / "theme", ignore_errors=True)
    shutil.copytree(code / "theme", into / "theme")
    return into


def build(root: Path, code: Path, loops: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(code), "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(loops)], cwd=root, env=env, capture_output=True, text=True
    )
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("CHROME ")]
    if done.returncode or not lines:
        raise SystemExit(f"build failed in {root}:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(lines[-1][len("CHROME ") :])
    phase = re.search(r"MkDocs built the pages in ([0-9.]+) s", done.stderr)
    result["phase"] = float(phase.group(1)) if phase else float("nan")
    return result


def differences(old: Path, new: Path) -> list[str]:
    """Every file that is not byte-identical in the two folders (or only in one of them)."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found.extend(prefix + n for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(old, new), "")
    return sorted(found)


def count(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, required=True, help="baseline checkout")
    parser.add_argument("--tree", type=Path, required=True, help="archive folder to build")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--render-loops", type=int, default=3, help="then render every page again N times"
    )
    parser.add_argument("--keep", type=Path, help="build here (kept) instead of a temp folder")
    args = parser.parse_args()
    sides = {"old": args.base.resolve(), "new": REPO}
    work = args.keep or Path(tempfile.mkdtemp(prefix="docket-chrome-"))
    roots = {s: prepare(args.tree.resolve(), code, work / s) for s, code in sides.items()}
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"tree {args.tree}; load average at start {os.getloadavg()[0]:.2f}")  # fmt: skip
    results: dict[str, list[dict[str, float]]] = {s: [] for s in sides}
    same = True
    for n in range(args.rounds):
        order = list(sides) if n % 2 == 0 else list(reversed(sides))
        for side in order:
            results[side].append(build(roots[side], sides[side], args.render_loops))
            r = results[side][-1]
            print(f"round {n + 1} {side}: pages {r['page']:.2f} s CPU, theme templates "
                  f"{r['theme']:.2f} s CPU, page phase {r['phase']:.2f} s wall, "
                  f"build {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU; "
                  f"render-only {r['render']:.2f} s CPU")  # fmt: skip
        diff = differences(roots["old"] / "site", roots["new"] / "site")
        files = count(roots["new"] / "site")
        print(f"round {n + 1}: {files} files, {len(diff)} differ" + "".join(
            f"\n  {d}" for d in diff[:20]))  # fmt: skip
        same = same and not diff
    print(f"load average at end {os.getloadavg()[0]:.2f}; medians of {args.rounds} rounds")
    print("| measure | old | new | new/old |")
    print("|---|---:|---:|---:|")
    for key, label in (
        ("page", "`_build_page` CPU s (all pages)"),
        ("render", "the same pages rendered again, no write: CPU s (best of the loops)"),
        ("theme", "theme templates CPU s (404, sitemap)"),
        ("phase", 'page phase wall s ("MkDocs built the pages in")'),
        ("wall", "whole build wall s"),
        ("cpu", "whole build CPU s (with Pagefind)"),
    ):
        old = statistics.median(r[key] for r in results["old"])
        new = statistics.median(r[key] for r in results["new"])
        print(f"| {label} | {old:.2f} | {new:.2f} | {new / old:.3f} |")
    print("sites byte-identical in every round" if same else "SITES DIFFER")
    if not args.keep:
        shutil.rmtree(work)
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
