"""Measure `docket import` (run by hand, not in tests).

    .venv/bin/python bench/import.py            # accuracy on the held-out pages + 1,000 pages
    .venv/bin/python bench/import.py --pages 2000 --rounds 5

1. Accuracy on bench/wiki-heldout/ and on the issue-20 class pages (tests/fixtures/wiki/, their
   expected facts in bench/wiki-classes/): pages imported; the share of header facts (status,
   parties, officers, dates, complaint) equal to the expected ones in each page's YAML; `refs`
   values that no paragraph of the page holds (made up); private text carried into any output
   (a marker sentence is put into every page's private part first: it must appear nowhere);
   errors of `docket check` on the files written.
2. Speed: N pages synthesised from the fixture pages under tests/fixtures/wiki/ with new case
   numbers, imported by `docket import` as a subprocess, against `docket check` (--jobs 1 and
   all cores) on the N files it wrote, in alternating rounds: wall and CPU seconds, pages/s,
   peak RSS of each command.
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
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.collection import check_paths  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.diagnostics import Severity  # noqa: E402
from generator.loader import load_text  # noqa: E402
from generator.wiki.importer import import_pages  # noqa: E402

HELDOUT = ROOT / "bench" / "wiki-heldout"
CLASSES = ROOT / "bench" / "wiki-classes"
FIXTURES = ROOT / "tests" / "fixtures" / "wiki"
DOCKET = Path(sys.executable).with_name("docket")
MARKER = "PRIVATEMARKER"
_PRIVATE_HEADING = re.compile(
    r"(\(Private Part\)[^=\n]*==|^Private Part$|== Private Part ==|\(Private Part\)[^\n]*$)",
    re.M | re.I,
)

# A child that runs one command and reports its own children's CPU and peak RSS.
_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.perf_counter() - start
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": r.ru_utime + r.ru_stime, "rss": r.ru_maxrss, "code": code}))
"""


def with_private_marker(text: str, n: int) -> str:
    """The page with a marker sentence in its private part (right after the private heading)."""
    marker = f" {MARKER}{n} secret street 12, born 1970-01-01 "
    match = _PRIVATE_HEADING.search(text)
    if match is None:
        return text
    glue = "" if text.count("\n") <= 1 else "\n"
    return text[: match.end()] + glue + marker + glue + text[match.end() :]


def _expected_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _facts(header: Any) -> dict[str, Any]:
    """The measured facts of a case header, in the YAML's terms."""
    out: dict[str, Any] = {}
    for key in ("status", "complaint", "started", "ruled", "closed"):
        value = getattr(header, key)
        out[key] = (
            None
            if value is None
            else str(value)
            if not isinstance(value, date)
            else value.isoformat()
        )
    out["parties"] = [
        {"role": p.role, "side": getattr(p, "side", None), "name": str(p.name)}
        for p in header.parties
    ]
    out["officers"] = [
        {"role": o.role, "name": str(o.name), "former": o.until is not None}
        for o in header.officers
    ]
    return out


def score(expected: dict[str, Any], got: dict[str, Any] | None) -> tuple[int, int, list[str]]:
    """(facts equal, facts in all, what differed)."""
    right, total, wrong = 0, 0, []
    for key in ("status", "complaint", "started", "ruled", "closed"):
        want = _expected_value(expected.get(key))
        have = got.get(key) if got else "(no file)"
        total += 1
        if want == have:
            right += 1
        else:
            wrong.append(f"{key}: expected {want!r}, got {have!r}")
    for kind, keys in (("parties", ("role", "name")), ("officers", ("role", "name", "former"))):
        want_list = [
            {k: item.get(k, False if k == "former" else None) for k in keys}
            for item in expected.get(kind) or []
        ]
        have_list = [{k: item.get(k) for k in keys} for item in (got or {}).get(kind, [])]
        for item in want_list:
            total += 1
            if item in have_list:
                right += 1
                have_list.remove(item)
            else:
                wrong.append(f"{kind}: expected {item}, missing")
        for item in have_list:  # an extra party or officer is a wrong fact too
            total += 1
            wrong.append(f"{kind}: {item} not on the page")
    return right, total, wrong


def invented_refs(text: str, source: str) -> list[str]:
    """`refs` values of a written case file that no paragraph of the source page holds (a
    paragraph: lines up to a blank line, hard wraps read as spaces)."""
    case, _ = load_text(text, "x")
    if case is None:
        return []
    refs = case.header.refs
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", source)]
    values = [*refs.cases, *refs.issues, *refs.motions, *refs.policies, *map(str, refs.bugs)]
    return [v for v in values if not any(v in p for p in paragraphs)]


def accuracy(title: str, pages: list[Path], expected_dir: Path) -> None:
    """Header facts of `pages` against `expected_dir/<page>.yaml`, pages imported, refs no
    paragraph of the page holds, private text carried, check errors."""
    print(f"### {title}")
    print()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy(ROOT / "docket.toml", root / "docket.toml")
        (root / "wiki").mkdir()
        for n, page in enumerate(pages):
            text = with_private_marker(page.read_text("utf-8"), n)
            (root / "wiki" / page.name).write_text(text, "utf-8")
        config = load_config(root)
        written = [root / "wiki" / p.name for p in pages]
        report = import_pages(
            written, root / "cases", config, shown=[f"wiki/{p.name}" for p in pages]
        )
        right = total = 0
        print("| page | facts equal | differences |")
        print("|---|---:|---|")
        outputs: list[str] = []
        invented: list[str] = []
        for page, result in zip(pages, report.results, strict=True):
            expected_file = (expected_dir / page.name).with_suffix(".yaml")
            expected = yaml.safe_load(expected_file.read_text("utf-8"))
            got = None
            if result.text is not None:
                case, _ = load_text(result.text, "x")
                got = _facts(case.header) if case is not None else None
                outputs.append(result.text)
                source = page.read_text("utf-8")
                invented += [f"{page.name}: {v!r}" for v in invented_refs(result.text, source)]
            outputs.extend(str(f) for f in result.findings)
            r, t, wrong = score(expected, got)
            right += r
            total += t
            print(f"| {page.name} | {r}/{t} | {'; '.join(wrong) or '-'} |")
        carried = sum(1 for text in outputs if MARKER in text or "secret street" in text)
        planted = sum(1 for p in pages if MARKER in (root / "wiki" / p.name).read_text("utf-8"))
        checked = check_paths([root / "cases"], config, jobs=1, base=root)
        errors = [d for d in checked.diagnostics if d.severity is Severity.ERROR]
        print()
        imported = sum(1 for r in report.results if r.text is not None)
        print(f"pages imported: {imported}/{len(pages)}")
        print(f"header facts equal: {right}/{total} = {right / total:.1%}")
        print(f"refs no paragraph of the page holds (invented): {len(invented)} {invented or ''}")
        print(
            f"private text carried: {carried} (marker planted in {planted} of {len(pages)} pages)"
        )
        print(f"check errors on the {checked.files} files written: {len(errors)}")
        for d in errors:
            print("  ", d)


def synthesise(folder: Path, count: int) -> None:
    """`count` pages from the fixture pages, each under a case number of its own."""
    sources = [p for p in sorted(FIXTURES.glob("*_a2*.txt")) if not p.name.startswith("latin1")]
    texts = [(p, p.read_text("utf-8")) for p in sources]
    for i in range(count):
        path, text = texts[i % len(texts)]
        number = re.search(r"a\d{8}\.\d+", path.name)[0]  # type: ignore[index]
        new = f"{number.split('.')[0]}.{1000 + i}"
        (folder / f"page{i:05d}_{new}.txt").write_text(text.replace(number, new), "utf-8")


def measure(args: list[str], cwd: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args], cwd=cwd, capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def speed(count: int, rounds: int) -> None:
    rows: dict[str, list[dict[str, Any]]] = {"import": [], "check --jobs 1": [], "check": []}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy(ROOT / "docket.toml", root / "docket.toml")
        (root / "wiki").mkdir()
        synthesise(root / "wiki", count)
        pages = sorted(str(p.relative_to(root)) for p in (root / "wiki").iterdir())
        for _ in range(rounds):
            shutil.rmtree(root / "cases", ignore_errors=True)
            rows["import"].append(
                measure([str(DOCKET), "import", *pages, "--cases", "cases"], root)
            )
            files = len(list((root / "cases").rglob("*.md")))
            rows["check --jobs 1"].append(
                measure([str(DOCKET), "check", "--jobs", "1", "cases"], root)
            )
            rows["check"].append(measure([str(DOCKET), "check", "cases"], root))
        print(f"{count:,} pages -> {files:,} case files; {rounds} alternating rounds, medians")
        print("| command | wall s | CPU s | pages/s (wall) | peak RSS MB | exit codes |")
        print("|---|---:|---:|---:|---:|---|")
        for name, runs in rows.items():
            wall = statistics.median(r["wall"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            rss = statistics.median(r["rss"] for r in runs) / 1024
            codes = ",".join(str(r["code"]) for r in runs)
            print(
                f"| docket {name} | {wall:.2f} | {cpu:.2f} | {count / wall:,.0f} | {rss:.0f} | {codes} |"
            )
        ratios = [
            i["wall"] / c["wall"]
            for i, c in zip(rows["import"], rows["check --jobs 1"], strict=True)
        ]
        cpu_ratios = [
            i["cpu"] / c["cpu"] for i, c in zip(rows["import"], rows["check --jobs 1"], strict=True)
        ]
        print(
            f"import / check --jobs 1 per round: wall {', '.join(f'{r:.2f}' for r in ratios)}; CPU {', '.join(f'{r:.2f}' for r in cpu_ratios)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    accuracy("Held-out pages (bench/wiki-heldout/)", sorted(HELDOUT.glob("*.txt")), HELDOUT)
    print()
    accuracy(
        "Issue-20 class pages (tests/fixtures/wiki/, expected facts in bench/wiki-classes/)",
        sorted(FIXTURES / p.with_suffix(".txt").name for p in CLASSES.glob("*.yaml")),
        CLASSES,
    )
    if not args.no_speed:
        print()
        speed(args.pages, args.rounds)


if __name__ == "__main__":
    main()
