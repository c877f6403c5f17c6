"""Pagefind's scratch folders: a process that died leaves none behind for long."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator.render.search import _sweep


def test_scratch_folders_of_dead_processes_are_removed(tmp_path: Path) -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], stdout=subprocess.PIPE, text=True
    )
    dead = tmp_path / f"docket-search-{gone.stdout.strip()}-abc"
    alive = tmp_path / f"docket-search-{os.getpid()}-def"
    other = tmp_path / "docket-search-notapid"
    for folder in (dead, alive, other):
        (folder / "in-0").mkdir(parents=True)
    _sweep(tmp_path)
    assert not dead.exists()
    assert alive.exists() and other.exists()
