"""Checked cases kept between the dev server's builds: a save re-reads only what it touched.

A file is read again when its modification time, size or inode changed (stat is taken before
the read, so a write racing the read is seen at the next build). When a re-read case's header is
equal to the one before, the case keeps the old header object: renderers that use only the
header (index rows, cases.json) see by identity that nothing they show has changed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.checks.crossfile import CaseSummary, summarize, summarize_unloaded
from generator.collection import (
    Analysed,
    Collection,
    analyse_file,
    assemble,
    display_path,
    find_case_files,
)
from generator.config import Config
from generator.diagnostics import Diagnostic
from generator.model import Case
from generator.workers import CollectorPaused

Stamp = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class _Entry:
    stamp: Stamp
    shown: str
    case: Case | None
    summary: CaseSummary | None
    diagnostics: tuple[Diagnostic, ...]


def _stamp(path: Path) -> Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class CaseCache:
    """`check_paths` with memory: the same collection, re-reading only changed files."""

    def __init__(self) -> None:
        self._config: Config | None = None
        self._base: Path | None = None
        self._entries: dict[Path, _Entry] = {}
        self.reread: list[str] = []  # the files read in the last check, as displayed

    def check(self, paths: Sequence[Path], config: Config, base: Path) -> Collection:
        if config != self._config or base != self._base:
            self._entries = {}
            self._config, self._base = config, base
        files, problems = find_case_files(paths)
        entries: dict[Path, _Entry] = {}
        self.reread = []
        with CollectorPaused():
            for path in files:
                stamp = _stamp(path)
                old = self._entries.get(path)
                if old is not None and stamp is not None and old.stamp == stamp:
                    entries[path] = old
                    continue
                shown = display_path(path.absolute(), base)
                case, found = analyse_file(path, shown, config)
                previous = old.case if old is not None else None
                if case is not None and previous is not None and case.header == previous.header:
                    case.header = previous.header
                summary = summarize(case) if case is not None else summarize_unloaded(shown)
                self.reread.append(shown)
                # a file that vanished after the listing keeps a stamp that never matches
                entries[path] = _Entry(stamp or (-1, -1, -1), shown, case, summary, tuple(found))
        self._entries = entries
        results: list[Analysed] = [
            (e.case, e.summary, list(e.diagnostics)) for e in entries.values()
        ]
        return assemble(results, paths, files, problems, config)
