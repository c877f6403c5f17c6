"""Progress: a live rich bar on a terminal, plain periodic lines otherwise (logs, CI, pipes)."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from notifier.delivery.pool import Progress as Counters


class ProgressDisplay:
    """Shows sent / failed / deferred / rate / ETA; call `update` as often as you like."""

    def __init__(self, stream: TextIO | None = None, interval: float = 10.0) -> None:
        self.stream = stream or sys.stdout
        self.live = self.stream.isatty()
        self.interval = interval
        self._last: float | None = None
        self._finished = False
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._unprinted: str | None = None

    def __enter__(self) -> ProgressDisplay:
        if self.live:
            self._bar = Progress(
                TextColumn("[bold]sending"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[detail]}"),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task("send", total=None, detail="")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
        elif self._unprinted is not None:  # a run that ends early (--limit) ends with its line
            print(self._unprinted, file=self.stream, flush=True)
            self._unprinted = None

    @staticmethod
    def detail(c: Counters) -> str:
        return f"sent {c.sent}  failed {c.failed}  deferred {c.deferred}  {c.rate():.0f}/s"

    def update(self, counters: Counters) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(
                self._task,
                total=counters.total,
                completed=counters.done,
                detail=self.detail(counters),
            )
            return
        now = time.monotonic()
        finished = counters.done >= counters.total
        if finished and self._finished:
            return
        line = self._line(counters, now)
        if self._last is None or now - self._last >= self.interval or finished:
            self._last = now
            self._finished = finished
            self._unprinted = None
            print(line, file=self.stream, flush=True)
        else:
            self._unprinted = line

    @staticmethod
    def _line(counters: Counters, now: float) -> str:
        left = counters.total - counters.done
        if counters.waiting_until is not None and left > 0:
            wait = max(0.0, counters.waiting_until - now)
            eta = f", waiting for {counters.deferred} deferred (next retry in {wait:.0f} s)"
        else:
            rate = counters.rate()
            eta = f", ETA {left / rate:.0f} s" if rate > 0 and left > 0 else ""
        return f"{counters.done}/{counters.total} done: {ProgressDisplay.detail(counters)}{eta}"
