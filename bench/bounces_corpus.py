"""How well docket classifies real bounces: flufl.bounce's 117 real messages, our own labels.

Run by hand (never in the default test run):

    .venv/bin/python -u bench/bounces_corpus.py                  # corpus agreement + speed
    .venv/bin/python -u bench/bounces_corpus.py --synthetic 100000   # and the whole-process run

The messages are flufl.bounce's test data (Mailman's bounce detectors, Apache-2.0): the sdist is
downloaded from PyPI at bench time into a cache (`pip download --no-deps --no-binary :all:`) and
read where it is, never copied into the repository. The labels (bench/bounces_corpus_labels.tsv)
are ours, written by reading each message: per recipient the class docket should give.

Agreement is per labelled recipient: docket's line for that address (case-insensitive; "-" is the
line without an address) must carry the labelled class. Lines for addresses the labels do not
name are counted as spurious. The same evaluation runs as an opt-in test
(tests/notifier/bounces/test_corpus.py, when DOCKET_BOUNCE_CORPUS names the extracted data folder).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: the repository's packages first
    sys.path.insert(0, str(ROOT))

from notifier.bounces.lines import classify_paths  # noqa: E402

LABELS = Path(__file__).resolve().with_name("bounces_corpus_labels.tsv")
VERSION = "6.0.0"
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "docket-bench"


@dataclass
class Label:
    file: str
    recipient: str
    klass: str
    mta: str


@dataclass
class Result:
    """Per labelled recipient whether docket agreed, and what else it said."""

    total: int = 0
    agreed: int = 0
    other: int = 0
    spurious: int = 0
    errors: int = 0
    messages: int = 0
    seconds: float = 0.0
    by_class: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    by_mta: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[str] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        return self.agreed / self.total if self.total else 0.0

    @property
    def other_share(self) -> float:
        return self.other / self.total if self.total else 0.0


def read_labels(path: Path = LABELS) -> list[Label]:
    labels = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4:
            raise SystemExit(f"{path}:{number}: expected 4 tab-separated fields, got {len(parts)}")
        labels.append(Label(*parts))
    return labels


def fetch(cache: Path) -> Path:
    """The extracted sdist's tests/data folder, downloaded into `cache` when not there yet."""
    data = cache / f"flufl_bounce-{VERSION}" / "tests" / "data"
    if data.is_dir():
        return data
    cache.mkdir(parents=True, exist_ok=True)
    archive = cache / f"flufl_bounce-{VERSION}.tar.gz"
    if not archive.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
             f"flufl.bounce=={VERSION}", "-d", str(cache)],
            check=True,
        )  # fmt: skip
    with tarfile.open(archive) as tar:
        tar.extractall(cache, filter="data")
    return data


def evaluate(data: Path, labels: list[Label] | None = None) -> Result:
    """docket's lines for every labelled message against the labels."""
    labels = read_labels() if labels is None else labels
    by_file: dict[str, list[Label]] = defaultdict(list)
    for label in labels:
        by_file[label.file].append(label)
    result = Result()
    started = time.process_time()
    lines_of: dict[str, list[dict[str, object]]] = {}
    for name in by_file:
        lines_of[name] = list(classify_paths([data / name]))
    result.seconds = time.process_time() - started
    result.messages = len(by_file)
    for name, wanted in by_file.items():
        got: dict[str, str] = {}
        for line in lines_of[name]:
            if "error" in line:
                result.errors += 1
                continue
            key = str(line["recipient"]).lower() if line["recipient"] else "-"
            got.setdefault(key, str(line["class"]))
        named = {w.recipient.lower() for w in wanted}
        result.spurious += sum(1 for key in got if key not in named and key != "-")
        for label in wanted:
            key = label.recipient.lower()
            klass = got.get(key)
            if klass is None and key == "-" and len(got) == 1:
                klass = next(iter(got.values()))  # the report names no address: its one line
            result.total += 1
            ok = klass == label.klass
            result.agreed += ok
            result.other += klass in (None, "other") and label.klass != "other"
            for table, key2 in ((result.by_class, label.klass), (result.by_mta, label.mta)):
                table[key2][0] += ok
                table[key2][1] += 1
            if not ok:
                result.misses.append(f"{name}: {label.recipient}: {klass} (want {label.klass})")
    return result


def report(result: Result) -> list[str]:
    out = [
        f"recipients: {result.total} labelled in {result.messages} messages; class agreement "
        f"{result.agreement:.1%} ({result.agreed}/{result.total}); `other` or missing where the "
        f"label has a class: {result.other_share:.1%} ({result.other}); spurious lines "
        f"{result.spurious}; errors {result.errors}",
        f"speed: {result.messages / result.seconds:,.0f} messages per CPU second in-process "
        f"({result.seconds:.2f} s)"
        if result.seconds
        else "speed: n/a",
        "by class (label):",
    ]
    for name, (ok, n) in sorted(result.by_class.items(), key=lambda kv: -kv[1][1]):
        out.append(f"  {name:<18} {ok:>3}/{n:<3} {ok / n:6.1%}")
    out.append("by MTA (label):")
    for name, (ok, n) in sorted(result.by_mta.items(), key=lambda kv: (-kv[1][1], kv[0])):
        out.append(f"  {name:<18} {ok:>3}/{n:<3} {ok / n:6.1%}")
    return out


def synthetic(count: int) -> None:
    """Whole-process `docket bounces classify` over `count` synthetic bounces (bench/bounces.py's
    Maildir of the fixture shapes)."""
    from bench.bounces import make_maildir, run

    docket = Path(sys.executable).parent / "docket"
    with tempfile.TemporaryDirectory(prefix="docket-bench-corpus-") as base:
        folder = Path(base) / "maildir"
        make_maildir(folder, count)
        wall, cpu, rss, _tail = run([str(docket), "bounces", "classify", "--format", "json",
                                     str(folder)])  # fmt: skip
        print(
            f"synthetic: {count:,} bounces, {count / wall:,.0f}/s wall ({wall:.1f} s wall, "
            f"{cpu:.1f} s CPU, peak RSS {rss / 1024:.0f} MiB)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--data", type=Path, help="an extracted tests/data folder (no download)")
    parser.add_argument("--misses", action="store_true", help="list every disagreement")
    parser.add_argument("--synthetic", type=int, default=0, help="also N synthetic bounces")
    args = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}; load {os.getloadavg()[0]:.1f}"
    )
    data = args.data or fetch(args.cache)
    result = evaluate(data)
    for line in report(result):
        print(line)
    if args.misses:
        print("disagreements:")
        for miss in result.misses:
            print(f"  {miss}")
    if args.synthetic:
        synthetic(args.synthetic)


if __name__ == "__main__":
    main()
