"""Full-text search with Pagefind: a static index that the browser loads in small chunks.

Measured (docs/performance.md): Pagefind holds about 0.6 MB of memory per indexed page, so the
cases are indexed in shards of `shard_size` pages, one Pagefind run after another, and the
browser merges the shards' indexes at query time (`mergeIndex`). Pagefind reads small HTML
files holding only each case's public article, written from the already rendered pages, so it
can run in a background thread while MkDocs is still busy with the themed pages.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

SHARD_SIZE = 400  # about 250 MB of Pagefind per shard (measured: 0.6 MB a page)
PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
    "<body>{body}</body></html>"
)


class SearchIndexError(Exception):
    """Pagefind could not index the archive."""


def _sweep(folder: Path) -> None:
    """Remove scratch folders left by docket processes that are gone (a `mkdocs serve`
    stopped while it indexed in the background): in tmpfs they would hold memory."""
    for stale in folder.glob("docket-search-*-*"):
        pid = stale.name.split("-")[2]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(stale, ignore_errors=True)
        except PermissionError:  # another user's live process
            continue


def shard_dir(index: int) -> str:
    """Where shard `index` lives in the site: the first is Pagefind's usual `pagefind/`."""
    return "pagefind" if index == 0 else f"pagefind/shard-{index}"


class SearchIndexer:
    """Index (url, title, html) pages with Pagefind in the background; install into a site."""

    def __init__(
        self,
        pages: Sequence[tuple[str, str, str]],
        shard_size: int = SHARD_SIZE,
        *,
        nice: int = 0,
    ) -> None:
        self._nice = nice  # > 0: Pagefind yields the CPU to the builds (mkdocs serve)
        # Pagefind's input and output are a thousand small files, written once and deleted:
        # in memory (tmpfs) when the machine has one, so that costs no disk writes
        shm = Path("/dev/shm")
        where = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
        _sweep(Path(where or tempfile.gettempdir()))
        self._work = Path(tempfile.mkdtemp(prefix=f"docket-search-{os.getpid()}-", dir=where))
        self._error: str | None = None
        self._thread: threading.Thread | None = None
        size = max(1, shard_size)
        self.shards = [pages[i : i + size] for i in range(0, len(pages), size)] or [[]]

    def _write_input(self, number: int) -> Path:
        root = self._work / f"in-{number}"
        root.mkdir()
        for url, title, body in self.shards[number]:
            target = root / url.strip("/") / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(PAGE.format(title=html.escape(title), body=body), encoding="utf-8")
        return root

    def _run(self) -> None:
        for number in range(len(self.shards)):
            cmd = [
                sys.executable, "-m", "pagefind", "--quiet",
                "--site", str(self._write_input(number)),
                "--output-path", str(self._work / f"out-{number}"),
                "--force-language", "en",
            ]  # fmt: skip
            done = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=self._lower)
            if done.returncode != 0:
                self._error = (done.stderr or done.stdout).strip()[-500:]
                return

    def _lower(self) -> None:
        if self._nice:
            os.nice(self._nice)

    def start(self) -> SearchIndexer:
        self._thread = threading.Thread(target=self._run, name="docket-pagefind", daemon=True)
        self._thread.start()
        return self

    def install(self, site_dir: Path) -> int:
        """Wait for Pagefind, then move every shard's bundle into the site; returns shard count."""
        try:
            if self._thread is None:
                self._run()
            else:
                self._thread.join()
            if self._error is not None:
                raise SearchIndexError(f"pagefind failed: {self._error}")
            # the new bundle is moved in beside the old one, then swapped: a search running
            # meanwhile (mkdocs serve) sees the old index or the new one, never none
            fresh = site_dir / ".pagefind-new"
            shutil.rmtree(fresh, ignore_errors=True)
            for number in range(len(self.shards)):  # shard 0 first: it becomes `fresh` itself
                dest = fresh / shard_dir(number).removeprefix("pagefind").lstrip("/")
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(self._work / f"out-{number}"), dest)
            target = site_dir / "pagefind"
            old = site_dir / ".pagefind-old"
            shutil.rmtree(old, ignore_errors=True)
            if target.exists():
                target.rename(old)
            fresh.rename(target)
            shutil.rmtree(old, ignore_errors=True)
            return len(self.shards)
        finally:
            self.cleanup()

    def cleanup(self) -> None:
        shutil.rmtree(self._work, ignore_errors=True)


def index_pages(
    pages: Sequence[tuple[str, str, str]], site_dir: Path, shard_size: int = SHARD_SIZE
) -> int:
    """Index in the foreground (for `docket export`)."""
    return SearchIndexer(pages, shard_size).install(site_dir)


class BackgroundSearch:
    """Re-indexing for `mkdocs serve`, after the reload rather than before it.

    `request(pages, site_dir)` returns at once; one thread indexes the latest request, at low
    priority, and installs it into the site; requests that arrive meanwhile are folded into
    one more run, so a burst of saves costs one more indexing, not one per save.
    """

    def __init__(self, shard_size: int = SHARD_SIZE, delay: float = 1.0) -> None:
        self.shard_size = shard_size
        self.delay = delay  # let the browsers' reload be served first (the GIL is shared)
        self._cond = threading.Condition()
        self._pending: tuple[Sequence[tuple[str, str, str]], Path] | None = None
        self._busy = False
        self.runs = 0  # indexes installed, for the log and the tests
        self.error: str | None = None
        self._current: SearchIndexer | None = None

    def stop(self) -> None:
        """At the server's shutdown: drop what is pending and the running run's scratch files."""
        with self._cond:
            self._pending = None
        if self._current is not None:
            self._current.cleanup()

    def request(self, pages: Sequence[tuple[str, str, str]], site_dir: Path) -> None:
        with self._cond:
            self._pending = (pages, site_dir)
            if not self._busy:
                self._busy = True
                threading.Thread(target=self._loop, name="docket-search-bg", daemon=True).start()

    def _loop(self) -> None:
        time.sleep(self.delay)
        while True:
            with self._cond:
                if self._pending is None:
                    self._busy = False
                    self._cond.notify_all()
                    return
                pages, site_dir = self._pending
                self._pending = None
            try:
                self._current = SearchIndexer(pages, self.shard_size, nice=10)
                self._current.install(site_dir)
                self.error = None
            except (SearchIndexError, OSError) as exc:
                self.error = str(exc)
            with self._cond:
                self.runs += 1

    def wait(self, timeout: float | None = None) -> bool:
        """Until nothing is pending or running (a full build must not race an install)."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._busy, timeout=timeout)
