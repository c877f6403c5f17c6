"""The build's side: records kept between the dev server's rebuilds, and re-indexing after the
reload rather than before it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from generator.render.search.index import SearchIndexError, write_index
from generator.render.search.records import SearchRecord, search_record


class SearchRecords:
    """Records of a build's (url, title, html) case pages. With `keep` (the dev server) they are
    kept by URL, so a rebuild tokenises only the pages whose title or HTML changed."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[str, str, SearchRecord]] = {}
        self._lock = threading.Lock()

    def records(
        self, pages: Sequence[tuple[str, str, str]], *, keep: bool = False
    ) -> list[SearchRecord]:
        with self._lock:
            kept, fresh = self._kept, {}
            out: list[SearchRecord] = []
            for url, title, body in pages:
                old = kept.get(url)
                if old is not None and old[0] == title and old[1] == body:
                    record = old[2]
                else:
                    record = search_record(url, title, body)
                if keep:
                    fresh[url] = (title, body, record)
                out.append(record)
            self._kept = fresh
            return out

    def write(
        self, pages: Sequence[tuple[str, str, str]], site_dir: Path, *, keep: bool = False
    ) -> str:
        """Index `pages` into `site_dir` (see `write_index`); returns the generation."""
        return write_index(self.records(pages, keep=keep), site_dir)


class BackgroundSearch:
    """Re-indexing for the dev server, after the reload rather than before it.

    `request(job)` returns at once; one thread runs the latest job (it writes the index) a
    moment later; jobs that arrive meanwhile are folded into one more run, so a burst of saves
    costs one more indexing, not one per save. Measured (docs/performance.md): indexing 1,000
    cases takes about a second of CPU, which would delay the reload if done before it.
    """

    def __init__(self, delay: float = 0.5) -> None:
        self.delay = delay  # let the browsers' reload be served first (the GIL is shared)
        self._cond = threading.Condition()
        self._pending: Callable[[], object] | None = None
        self._busy = False
        self.runs = 0  # indexes installed, for the log and the tests
        self.error: str | None = None

    def stop(self) -> None:
        """At the server's shutdown: drop what is pending."""
        with self._cond:
            self._pending = None

    def request(self, job: Callable[[], object]) -> None:
        with self._cond:
            self._pending = job
            if not self._busy:
                self._busy = True
                threading.Thread(target=self._loop, name="docket-search-bg", daemon=True).start()

    def _loop(self) -> None:
        time.sleep(self.delay)
        while True:
            with self._cond:
                job = self._pending
                self._pending = None
                if job is None:
                    self._busy = False
                    self._cond.notify_all()
                    return
            try:
                job()
                self.error = None
            except SearchIndexError as exc:
                self.error = str(exc)
            with self._cond:
                self.runs += 1

    def wait(self, timeout: float | None = None) -> bool:
        """Until nothing is pending or running (a full build must not race an install)."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._busy, timeout=timeout)
