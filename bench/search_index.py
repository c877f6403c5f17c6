"""Search index benchmark: docket's own index vs Pagefind, on the same rendered case pages.

    .venv/bin/python bench/search_index.py /tmp/bk/1000/docket-pagefind --rounds 3

Checks and renders the cases of a bench tree (bench/build.py makes them; not timed), keeps the
case pages in a pickle, then in alternating rounds runs each indexer in a fresh process on
those pages: (a) docket's `search_record` for every page, then `write_index` into an empty
site; (b) Pagefind as the archive ran it before (generator/render/search.py of git history):
each page's article written as a small HTML file, `python -m pagefind` over shards of 400
pages, the bundles moved into the site. Reports CPU seconds (the process and its children),
wall seconds, peak RSS (the largest process) and the index's size; medians and every round.
Pagefind is no longer a dependency: install it into the venv to compare
(`.venv/bin/pip install 'pagefind[bin]>=1.3,<2'`). Run by hand, never in tests.
"""

from __future__ import annotations

import argparse
import html
import json
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.render.search import SEARCH_DIR, search_record, write_index  # noqa: E402

PAGEFIND_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
    "<body>{body}</body></html>"
)
PAGEFIND_SHARD = 400


def render_pages(root: Path, out: Path) -> int:
    """Check and render the bench tree's cases; pickle the case pages (url, title, html)."""
    from generator.collection import check_paths
    from generator.config import load_config
    from generator.render.site import SiteOptions, render_site
    from generator.render.urls import page_url

    settings = load_config(root)
    collection = check_paths([root / "cases"], settings, base=root, jobs=1)
    site = render_site(collection.cases, root, settings.urls, SiteOptions(jobs=2))
    pages = [(page_url(p.path), p.title, p.html) for p in site.pages if p.kind == "case"]
    out.write_bytes(pickle.dumps(pages))
    return len(pages)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def run_docket(pages: list[tuple[str, str, str]], site: Path) -> dict[str, Any]:
    records = [search_record(url, title, body) for url, title, body in pages]
    tokenised = time.process_time()
    write_index(records, site)
    return {"records_cpu": tokenised, "folder": site / SEARCH_DIR}


def run_pagefind(pages: list[tuple[str, str, str]], site: Path) -> dict[str, Any]:
    """The archive's former indexer: Pagefind over one small file per page, in shards."""
    work = Path(tempfile.mkdtemp(prefix="bench-pagefind-"))
    try:
        out = site / "pagefind"
        for number in range(0, len(pages), PAGEFIND_SHARD):
            source = work / f"in-{number}"
            for url, title, body in pages[number : number + PAGEFIND_SHARD]:
                body = (
                    body.replace("data-docket-search-ignore", "data-pagefind-ignore")
                    .replace("data-docket-search-meta", "data-pagefind-meta")
                    .replace('<article class="docket-case">', "<article data-pagefind-body>", 1)
                )
                target = source / url.strip("/") / "index.html"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(PAGEFIND_PAGE.format(title=html.escape(title), body=body))
            dest = out if number == 0 else out / f"shard-{number // PAGEFIND_SHARD}"
            cmd = [
                sys.executable, "-m", "pagefind", "--quiet", "--site", str(source),
                "--output-path", str(work / f"out-{number}"), "--force-language", "en",
            ]  # fmt: skip
            subprocess.run(cmd, check=True, capture_output=True)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(work / f"out-{number}"), dest)
        return {"folder": out}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def child(kind: str, pickled: Path) -> None:
    """One measured run in this fresh process; prints its numbers as JSON."""
    pages = pickle.loads(pickled.read_bytes())
    loaded_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    site = Path(tempfile.mkdtemp(prefix="bench-search-site-"))
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        found = (run_docket if kind == "docket" else run_pagefind)(pages, site)
        wall = time.perf_counter() - wall
        own = time.process_time() - cpu
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = {
            "cpu": own + kids.ru_utime + kids.ru_stime,
            "wall": wall,
            # docket: this process (the pages alone took loaded_mb); Pagefind: its largest
            "rss_mb": (self_rss if kind == "docket" else kids.ru_maxrss) / 1024,
            "loaded_mb": loaded_rss / 1024,
        }
        result["bytes"] = _size(found["folder"])  # not timed
        if "records_cpu" in found:
            result["records_cpu"] = found["records_cpu"] - cpu
        print(json.dumps(result))
    finally:
        shutil.rmtree(site, ignore_errors=True)


def measure(kind: str, pickled: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(pickled)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("root", type=Path, nargs="?", help="a bench tree (cases/, docket.toml)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", type=Path, default=None, help="reuse this pickle of pages")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PICKLE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    pickled = args.pages or Path(tempfile.gettempdir()) / "bench-search-pages.pkl"
    if args.pages is None:
        if args.root is None:
            parser.error("give a bench tree or --pages")
        print(f"rendered {render_pages(args.root, pickled)} case pages", flush=True)
    has_pagefind = (
        subprocess.run([sys.executable, "-m", "pagefind", "--version"], capture_output=True)
    ).returncode == 0
    kinds = ["docket", "pagefind"] if has_pagefind else ["docket"]
    if not has_pagefind:
        print("pagefind is not installed: measuring docket's index alone")
    rounds: dict[str, list[dict[str, Any]]] = {k: [] for k in kinds}
    for number in range(args.rounds):  # alternating, so load elsewhere hits both alike
        for kind in kinds:
            rounds[kind].append(measure(kind, pickled))
            print(f"round {number + 1} {kind}: {rounds[kind][-1]}", flush=True)
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    print(f"load average after: {' '.join(load)}")
    for kind in kinds:
        cpu = statistics.median(r["cpu"] for r in rounds[kind])
        wall = statistics.median(r["wall"] for r in rounds[kind])
        rss = statistics.median(r["rss_mb"] for r in rounds[kind])
        every = ", ".join(f"{r['cpu']:.2f}" for r in rounds[kind])
        print(
            f"{kind}: CPU {cpu:.2f} s ({every}), "
            f"wall {wall:.2f} s, peak RSS {rss:.0f} MB, index {rounds[kind][0]['bytes'] / 1e6:.1f} MB"
        )
    if has_pagefind:
        ratios = [
            d["cpu"] / p["cpu"] for d, p in zip(rounds["docket"], rounds["pagefind"], strict=True)
        ]
        walls = [
            d["wall"] / p["wall"] for d, p in zip(rounds["docket"], rounds["pagefind"], strict=True)
        ]
        print(
            f"docket / pagefind per round: CPU {', '.join(f'{r:.3f}' for r in ratios)}; "
            f"wall {', '.join(f'{r:.3f}' for r in walls)}"
        )


if __name__ == "__main__":
    main()
