"""Archive build benchmark: (a) the docket archive vs (b) plain Material on the same cases.

    .venv/bin/python bench/build.py --sizes 100 1000 5000 [--out bench/results.json]
    .venv/bin/python bench/build.py --sizes 1000 --no-browser --variants baseline docket properdocs zensical

For each N it generates N synthetic cases (bench/archive_cases.py) and, in the same run, times
(a) `mkdocs build` of the docket archive (this repository's mkdocs.yml, theme and plugin) and
(b) the baseline: `mkdocs build` with mkdocs-material, the same theme features, Markdown
extensions and Material's own search, on the same cases pre-rendered as plain Markdown pages
in docs_dir. It reports wall and CPU seconds (children included), peak RSS (largest process), site size,
and the bytes a real browser (Debian's Chromium via Playwright) downloads to answer one search
query. With `--edit-loop` it also measures `mkdocs serve --livereload` on the docket archive:
a Chromium tab on a case page, then `--saves` edits of that case file, each timed from the
write to the reloaded tab showing the new text (median reported, every save listed).
Variant `properdocs` builds the docket archive with ProperDocs instead of MkDocs; `zensical`
runs `docket export` and then `zensical build` on the export (both steps timed, each listed);
`vs_plain` gives each variant's medians over plain Material's (and `vs_plain_nav` over
`baseline-nav`: plain Material with every case page listed in the nav).
Run by hand, never in tests. Results go to docs/performance.md by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.archive_cases import generate  # noqa: E402
from generator.mkdocs.export import EXTENSIONS, FEATURES  # noqa: E402  (the baseline's theme set-up is the export's)
from tests.support.net import free_port  # noqa: E402
from tests.support.site import serve, start_serve  # noqa: E402  (the tests' servers)

MKDOCS = str(Path(sys.executable).parent / "mkdocs")
PROPERDOCS = str(Path(sys.executable).parent / "properdocs")
ZENSICAL = str(Path(sys.executable).parent / "zensical")
DOCKET = str(Path(sys.executable).parent / "docket")
QUERY = "heartbleed"


def measure(cmd: list[str], cwd: Path, code: Path | None = None) -> dict[str, float]:
    """Wall time and peak RSS of one command (a fresh wrapper, so RSS is this build's alone);
    `code`: the checkout whose generator/ the build imports (default: this one)."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
        "wall = time.perf_counter() - t\n"
        "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "sys.stderr.write(rc.stderr.decode()[-2000:] if rc.returncode else '')\n"
        "print(wall, use.ru_maxrss, use.ru_utime + use.ru_stime, rc.returncode)\n"
    )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(code or REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *cmd], cwd=cwd, capture_output=True, text=True, env=env
    )
    wall, rss, cpu, rc = out.stdout.split()
    if int(rc):
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{out.stderr}")
    return {
        "wall_s": round(float(wall), 2),
        "cpu_s": round(float(cpu), 2),
        "peak_rss_mb": round(int(rss) / 1024, 1),
    }


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def setup_docket(
    work: Path, cases: Path, search: str = "docket", repo: Path = REPO, name: str = ""
) -> Path:
    """The docket archive exactly as `repo` (this checkout, or `--base`) configures it, on the
    synthetic cases; `search: lunr` swaps docket's own search index for Material's."""
    root = work / (name or f"docket-{search}")
    root.mkdir()
    shutil.copy(repo / "docket.toml", root / "docket.toml")
    config = (repo / "mkdocs.yml").read_text("utf-8")
    if search == "lunr":
        config = config.replace("      search: docket", "      search: lunr\n  - search")
    (root / "mkdocs.yml").write_text(config, "utf-8")
    for name in ("theme", "archive"):
        shutil.copytree(repo / name, root / name)
    (root / "cases").symlink_to(cases)
    return root


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    _, header, body = text.split("---\n", 2)
    return yaml.safe_load(header), body


def plain_markdown(text: str) -> str:
    """A case as one plain Markdown page: header facts as a list, then the body as written."""
    header, body = _front_matter(text)
    lines = [f"# {header['case']}: {header.get('synopsis') or header['complaint']}", ""]
    for key in ("status", "complaint", "relief", "started", "ruled", "closed"):
        if header.get(key):
            lines.append(f"- **{key.capitalize()}:** {header[key]}")
    for party in header.get("parties", []):
        lines.append(f"- **Party {party['role']}:** {party['name']}")
    for officer in header.get("officers", []):
        lines.append(f"- **{officer['role']}:** {officer['name']}")
    lines.append("")
    return "\n".join(lines) + "\n" + body


def setup_baseline(work: Path, cases: Path, explicit_nav: bool = False) -> Path:
    """Plain Material: every case pre-rendered as a Markdown page in docs_dir, lunr search;
    `explicit_nav`: every case page listed in the nav (else only Home, cases not in the nav)."""
    root = work / ("baseline-nav" if explicit_nav else "baseline")
    docs = root / "docs"
    (docs / "cases").mkdir(parents=True)
    numbers = []
    for path in sorted(cases.rglob("a*.md")):
        (docs / "cases" / path.name).write_text(plain_markdown(path.read_text("utf-8")), "utf-8")
        numbers.append(path.stem)
    index = ["# Arbitration archive", ""] + [f"- [{n}](cases/{n}.md)" for n in numbers]
    (docs / "index.md").write_text("\n".join(index) + "\n", "utf-8")
    config = {
        "site_name": "Arbitration archive",
        "theme": {"name": "material", "language": "en", "font": False, "features": FEATURES},
        "plugins": ["search"],
        "markdown_extensions": EXTENSIONS,
        "not_in_nav": "/cases/",
        "nav": [{"Home": "index.md"}],
    }
    if explicit_nav:
        del config["not_in_nav"]
        config["nav"] = [{"Home": "index.md"}, {"Cases": [f"cases/{n}.md" for n in numbers]}]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    return root


def search_bytes(site: Path, kind: str, query: str = QUERY) -> dict[str, Any]:
    """Bytes of search machinery and index a browser fetches to show results for one query."""
    from playwright.sync_api import sync_playwright

    # docket: the index files and the client script (Pagefind's were counted the same way)
    pattern = (
        ("/search/", "docket-search.")
        if kind == "docket"
        else ("search_index.json", "workers/search")
    )
    fetched: list[tuple[str, int]] = []

    def record(response: Any) -> None:
        url = response.url
        hit = pattern in url if isinstance(pattern, str) else any(p in url for p in pattern)
        if hit:
            try:
                fetched.append((url, len(response.body())))
            except Exception:  # a redirect or aborted request has no body
                fetched.append((url, 0))

    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.on("response", record)
        page.goto(base)
        page.click(".md-search__input")
        page.fill(".md-search__input", query)
        page.wait_for_selector(".md-search-result__item", timeout=120_000)
        page.wait_for_timeout(500)
        browser.close()
    return {"bytes": sum(size for _, size in fetched), "requests": len(fetched)}


REBUILT = re.compile(r"docket: rebuilt in ([0-9.]+) s \(CPU ([0-9.]+) s\)")


def edit_loop(root: Path, saves: int, pause: float = 2.0) -> dict[str, Any]:
    """Save-to-reloaded-page times of `mkdocs serve --livereload` in Chromium.

    Each save adds a unique word to the Discovery section of one case; the time runs from the
    write until the open tab (reloaded by MkDocs's livereload script) shows that word. `pause`
    seconds between saves: a person saves, looks, edits again (the search index is rebuilt in
    the background meanwhile, as in real use).
    """
    from playwright.sync_api import sync_playwright

    port = free_port()
    log_path = root / "serve.log"
    server = start_serve(root, port, log_path)
    case = sorted((root / "cases").rglob("a*.md"))[len(list((root / "cases").rglob("a*.md"))) // 2]
    original = case.read_text("utf-8")
    base = f"http://127.0.0.1:{port}/"
    url = f"{base}cases/{case.stem}/"
    times: list[float] = []
    try:
        started = time.perf_counter()
        while True:
            try:
                with urllib.request.urlopen(url, timeout=30):
                    break
            except (OSError, urllib.error.URLError):
                if server.poll() is not None:
                    raise SystemExit(log_path.read_text("utf-8")[-3000:]) from None
                time.sleep(0.5)
        first_build = time.perf_counter() - started
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page()
            page.goto(url)
            for i in range(saves):
                time.sleep(pause)
                word = f"Editloopword{i}x{time.time_ns()}"
                edited = original.replace("## Discovery\n", f"## Discovery\n\n{word}.\n", 1)
                t0 = time.perf_counter()
                case.write_text(edited, "utf-8")
                page.wait_for_function(
                    "w => document.body && document.body.innerText.includes(w)",
                    arg=word,
                    timeout=300_000,
                )
                times.append(round(time.perf_counter() - t0, 3))
            browser.close()
    finally:
        case.write_text(original, "utf-8")
        server.terminate()
        server.wait(timeout=60)
    rebuilds = [(float(w), float(c)) for w, c in REBUILT.findall(log_path.read_text("utf-8"))]
    return {
        "saves": times,
        "median_s": statistics.median(times),
        "first_build_s": round(first_build, 1),
        "rebuild_wall_s": [w for w, _ in rebuilds],
        "rebuild_cpu_s": [c for _, c in rebuilds],
    }


VARIANTS = (
    "baseline",
    "baseline-nav",
    "docket",
    "docket-lunr",
    "docket-base",
    "properdocs",
    "zensical",
)


def _steps(name: str, root: Path, export: Path) -> list[list[str]]:
    """The commands that build variant `name` in `root`, in order."""
    if name == "properdocs":  # the same archive, with the plugin, built by ProperDocs
        return [[PROPERDOCS, "build", "-q", "-f", "mkdocs.yml"]]
    if name == "zensical":  # `docket export`, then Zensical on the export (cold: --clean)
        return [
            [DOCKET, "export", str(export), "--force", "--site-url", "https://example.org/"],
            [ZENSICAL, "build", "--clean", "-f", str(export / "mkdocs.yml")],
        ]
    return [[MKDOCS, "build", "-q"]]


def _total(parts: list[dict[str, float]]) -> dict[str, Any]:
    """Steps run one after another: wall and CPU add up, memory is the largest step's."""
    out: dict[str, Any] = {
        "wall_s": round(sum(p["wall_s"] for p in parts), 2),
        "cpu_s": round(sum(p["cpu_s"] for p in parts), 2),
        "peak_rss_mb": max(p["peak_rss_mb"] for p in parts),
    }
    if len(parts) > 1:
        out["steps"] = [[p["wall_s"], p["cpu_s"], p["peak_rss_mb"]] for p in parts]
    return out


def run(
    n: int,
    work: Path,
    with_browser: bool,
    repeat: int,
    variants: list[str],
    saves: int = 0,
    base: Path | None = None,
) -> dict[str, Any]:
    cases = work / "cases"
    generate(cases, n)
    # one seeded case mentions the query, so every search has something to find
    first = sorted(cases.rglob("a*.md"))[0]
    text = first.read_text("utf-8").replace("## Discovery\n", f"## Discovery\n\n{QUERY} bug.\n", 1)
    first.write_text(text, "utf-8")
    roots = {
        "baseline": setup_baseline(work, cases),
        "baseline-nav": setup_baseline(work, cases, explicit_nav=True),
        "docket": setup_docket(work, cases, "docket"),
        "docket-lunr": setup_docket(work, cases, "lunr"),
        "properdocs": setup_docket(work, cases, "docket", name="properdocs"),
    }
    roots["zensical"] = roots["docket"]  # exported from the docket archive's folder
    export = work / "export"
    if base is not None:  # the same archive as an older checkout builds it, with its code
        roots["docket-base"] = setup_docket(work, cases, "docket", base, "docket-base")
    variants = [v for v in variants if v in roots]
    result: dict[str, Any] = {"n": n}
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
    for _ in range(repeat):  # interleaved, so a burst of load elsewhere hits every variant
        for name in variants:
            code = base if name == "docket-base" else None
            parts = [measure(cmd, roots[name], code) for cmd in _steps(name, roots[name], export)]
            samples[name].append(_total(parts))
    for name in variants:
        runs = sorted(samples[name], key=lambda r: r["wall_s"])
        stats: dict[str, Any] = dict(runs[len(runs) // 2])
        stats["wall_all_s"] = [r["wall_s"] for r in samples[name]]
        site = export / "site" if name == "zensical" else roots[name] / "site"
        stats["site_mb"] = round(du(site) / 1e6, 1)
        stats["files"] = sum(1 for p in site.rglob("*") if p.is_file())
        if with_browser:
            stats["search"] = search_bytes(
                site, "lunr" if name in ("baseline", "baseline-nav", "docket-lunr") else "docket"
            )
        result[name] = stats
    if "docket" in result and "baseline" in result:
        result["ratio"] = round(result["docket"]["wall_s"] / result["baseline"]["wall_s"], 2)
        # per round, so that each ratio compares builds that saw the same load
        rounds = zip(samples["docket"], samples["baseline"], strict=True)
        result["round_ratios"] = [
            {
                "wall": round(d["wall_s"] / b["wall_s"], 2),
                "cpu": round(d["cpu_s"] / b["cpu_s"], 2),
                "rss": round(d["peak_rss_mb"] / b["peak_rss_mb"], 2),
            }
            for d, b in rounds
        ]
        for key, name in (("cpu_ratio", "cpu_s"), ("rss_ratio", "peak_rss_mb")):
            mid = statistics.median(s[name] for s in samples["docket"])
            result[key] = round(mid / statistics.median(s[name] for s in samples["baseline"]), 2)
    if "baseline" in result:  # every variant against plain Material, round by round
        result["vs_plain"] = {}
        for name in result.keys() & set(variants) - {"baseline"}:
            rounds = list(zip(samples[name], samples["baseline"], strict=True))
            result["vs_plain"][name] = {
                key: round(
                    statistics.median(s[unit] for s in samples[name])
                    / statistics.median(s[unit] for s in samples["baseline"]),
                    2,
                )
                for key, unit in (("wall", "wall_s"), ("cpu", "cpu_s"), ("rss", "peak_rss_mb"))
            }
            result["vs_plain"][name]["site"] = round(
                result[name]["site_mb"] / result["baseline"]["site_mb"], 2
            )
            result["vs_plain"][name]["cpu_rounds"] = [
                round(d["cpu_s"] / b["cpu_s"], 2) for d, b in rounds
            ]
    if "baseline-nav" in result:  # against plain Material with an explicit nav of every page
        result["vs_plain_nav"] = {
            name: {
                key: round(
                    statistics.median(s[unit] for s in samples[name])
                    / statistics.median(s[unit] for s in samples["baseline-nav"]),
                    2,
                )
                for key, unit in (("wall", "wall_s"), ("cpu", "cpu_s"), ("rss", "peak_rss_mb"))
            }
            for name in result.keys() & set(variants) - {"baseline-nav"}
        }
    if "docket" in result and "docket-base" in result:  # this checkout against --base
        rounds = zip(samples["docket"], samples["docket-base"], strict=True)
        result["vs_base_rounds"] = [
            {"wall": round(d["wall_s"] / b["wall_s"], 3), "cpu": round(d["cpu_s"] / b["cpu_s"], 3)}
            for d, b in rounds
        ]
        for key, name in (("vs_base_wall", "wall_s"), ("vs_base_cpu", "cpu_s")):
            mid = statistics.median(s[name] for s in samples["docket"])
            result[key] = round(mid / statistics.median(s[name] for s in samples["docket-base"]), 3)
    if saves:
        result["edit_loop"] = edit_loop(roots["docket"], saves)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--no-browser", action="store_true", help="skip the search measurement")
    parser.add_argument("--keep", type=Path, default=None, help="build in this folder and keep it")
    parser.add_argument("--repeat", type=int, default=1, help="builds per variant (median kept)")
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    parser.add_argument(
        "--base",
        type=Path,
        default=None,
        help="an older checkout (git worktree add DIR COMMIT): adds variant docket-base, "
        "the same archive built with that checkout's code, theme and mkdocs.yml",
    )
    parser.add_argument(
        "--edit-loop",
        type=int,
        default=0,
        metavar="SAVES",
        help="also time this many saves under mkdocs serve (median kept)",
    )
    args = parser.parse_args()
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_before": os.getloadavg(),
        "runs": [],
    }
    for n in args.sizes:
        if args.keep:
            work = args.keep / str(n)
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            outcome = run(
                n, work, not args.no_browser, args.repeat, args.variants, args.edit_loop, args.base
            )
        else:
            with tempfile.TemporaryDirectory(prefix=f"docket-bench-{n}-") as tmp:
                outcome = run(
                    n,
                    Path(tmp),
                    not args.no_browser,
                    args.repeat,
                    args.variants,
                    args.edit_loop,
                    args.base,
                )
        outcome["load_after"] = os.getloadavg()
        print(json.dumps(outcome), flush=True)
        results["runs"].append(outcome)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"total {time.perf_counter() - start:.0f} s", file=sys.stderr)
