"""Ctrl-C and SIGTERM while a run holds its journal: counted, never an exception in the middle.

From the journal's opening to the written report, a KeyboardInterrupt could cut the snapshot,
the plan or the report in half (two Ctrl-C a millisecond apart used to leave no report.json).
So the command counts the signals instead: one before sending begins means nothing is sent; while
sending, the send loop's own handlers (stop, then abort) take over and hand back to these; after
it, the report is still written whole.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupts:
    """Counts SIGINT and SIGTERM while installed (in the main thread only, where Python can)."""

    def __init__(self) -> None:
        self.count = 0
        self._previous: dict[int, Any] = {}

    def install(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            for sig in SIGNALS:
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def restore(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.count += 1

    @contextmanager
    def suspended(self) -> Iterator[None]:
        """The handlers from before, for a prompt that Ctrl-C must end at once."""
        installed = dict(self._previous)
        current = {sig: signal.signal(sig, handler) for sig, handler in installed.items()}
        try:
            yield
        finally:
            for sig, handler in current.items():
                signal.signal(sig, handler)
