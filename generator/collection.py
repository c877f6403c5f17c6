"""Load and check many case files: per-file work in parallel, then the cross-file checks."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.acks import apply_acks
from generator.checks import CROSS_CHECKS, run_case_checks
from generator.checks.crossfile import CaseSummary, summarize, summarize_unloaded, tree_numbers
from generator.codes import diag
from generator.config import Config
from generator.diagnostics import Diagnostic
from generator.loader import load_case
from generator.model import CASE_NUMBER_RE, Case, case_sort_key
from generator.workers import CollectorPaused, chunk_size, worth_forking

# Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 400  # files; fewer are checked in this process unless --jobs says


@dataclass
class Collection:
    """The checked cases (unless only diagnostics were asked for) and every diagnostic."""

    cases: list[Case] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    # findings the cases acknowledge (`allow`), each with its reason: not counted, not lost
    allowed: list[Diagnostic] = field(default_factory=list)


def display_path(path: Path, base: Path) -> str:
    """Paths as the user would type them: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path, base) if path.is_absolute() else str(path)
    except ValueError:
        return str(path)


def _case_files(top: Path) -> list[Path]:
    """Markdown files, except in hidden folders and in a case's attachment folder. One scandir
    per folder (a served archive lists the cases on every save)."""
    found: list[Path] = []
    for folder, dirs, names in os.walk(top, followlinks=True):
        dirs[:] = [d for d in dirs if not (d.startswith(".") or CASE_NUMBER_RE.match(d))]
        base = Path(folder)
        found.extend(base / n for n in names if n.endswith(".md"))
    return sorted(found)


def find_case_files(paths: Iterable[Path]) -> tuple[list[Path], list[Diagnostic]]:
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            files.extend(_case_files(path))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(diag(str(path), 1, 1, "DK006", "no such file or folder"))
    return files, problems


def _covers(paths: Sequence[Path], cases_dir: Path) -> bool:
    """Whether the paths include the whole cases folder (then nothing else needs listing)."""
    if not cases_dir.is_dir():
        return True
    top = cases_dir.resolve()
    for path in paths:
        resolved = path.resolve()
        if resolved == top or resolved in top.parents:
            return True
    return False


def analyse_file(path: Path, shown: str, config: Config) -> tuple[Case | None, list[Diagnostic]]:
    """Parse one file and run every per-case check on it."""
    case, problems = load_case(path, shown, config.max_file_bytes)
    if case is not None:
        problems.extend(run_case_checks(case, config))
    return case, problems


Analysed = tuple[Case | None, CaseSummary | None, list[Diagnostic]]


def _analyse_chunk(items: list[tuple[Path, str]], config: Config, keep: bool) -> list[Analysed]:
    """Worker: analyse files; ship whole cases back only when asked (pickling costs more than
    parsing)."""
    results: list[Analysed] = []
    with CollectorPaused():
        for path, shown in items:
            case, found = analyse_file(path, shown, config)
            summary = summarize(case) if case is not None else summarize_unloaded(shown)
            results.append((case if keep else None, summary, found))
    return results


def check_paths(
    paths: Sequence[Path],
    config: Config,
    *,
    jobs: int | None = None,
    base: Path | None = None,
    keep_cases: bool = True,
) -> Collection:
    base = base or Path.cwd()
    files, problems = find_case_files(paths)
    items = [(path, display_path(path.absolute(), base)) for path in files]
    workers = worth_forking(jobs, len(items), PARALLEL_THRESHOLD)
    if workers > 1:
        size = chunk_size(len(items), workers, chunks_per_worker=4)
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            n = len(chunks)
            done = pool.map(_analyse_chunk, chunks, [config] * n, [keep_cases] * n)
            results = [result for chunk in done for result in chunk]
        return assemble(results, paths, files, problems, config)
    with CollectorPaused():
        collection = assemble(
            _analyse_chunk(items, config, keep_cases), paths, files, problems, config
        )
    return collection


def assemble(
    results: Iterable[Analysed],
    paths: Sequence[Path],
    files: list[Path],
    problems: list[Diagnostic],
    config: Config,
) -> Collection:
    """Per-file results into one collection, with the cross-file checks over all of them."""
    collection = Collection(files=len(files), diagnostics=list(problems))
    summaries: list[CaseSummary] = []
    for case, summary, found in results:
        collection.diagnostics.extend(found)
        if case is not None:
            collection.cases.append(case)
        if summary is not None:
            summaries.append(summary)
    collection.cases.sort(key=lambda c: case_sort_key(c.number))
    if not _covers(paths, config.cases_dir):
        summaries.extend(tree_numbers(config.cases_dir, {p.resolve() for p in files}))
    for check in CROSS_CHECKS:
        collection.diagnostics.extend(check(summaries, config))
    acks = {s.path: s.acks for s in summaries if s.acks}
    if acks:
        collection.diagnostics, collection.allowed = apply_acks(collection.diagnostics, acks)
        collection.allowed.sort(key=Diagnostic.sort_key)
    collection.diagnostics.sort(key=Diagnostic.sort_key)
    return collection
