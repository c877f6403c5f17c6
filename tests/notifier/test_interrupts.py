"""Ctrl-C and SIGTERM counted, not raised (notifier/interrupts.py): real signals sent to this
process, the handlers from before restored afterwards and during a prompt."""

from __future__ import annotations

import os
import signal
import threading
from types import FrameType

from notifier.interrupts import SIGNALS, Interrupts


class Outer:
    """A handler installed before ours (pytest's, or the shell's default), that records."""

    def __init__(self) -> None:
        self.seen: list[int] = []

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.seen.append(signum)


def _with_outer() -> tuple[Outer, dict[int, object]]:
    outer = Outer()
    saved = {sig: signal.signal(sig, outer) for sig in SIGNALS}
    return outer, saved


def _restore(saved: dict[int, object]) -> None:
    for sig, handler in saved.items():
        signal.signal(sig, handler)  # type: ignore[arg-type]


def test_signals_are_counted_then_the_old_handlers_come_back() -> None:
    outer, saved = _with_outer()
    try:
        interrupts = Interrupts().install()
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGTERM)
        os.kill(os.getpid(), signal.SIGINT)
        assert interrupts.count == 3 and outer.seen == []
        interrupts.restore()
        assert all(signal.getsignal(sig) is outer for sig in SIGNALS)
        os.kill(os.getpid(), signal.SIGTERM)
        assert interrupts.count == 3 and outer.seen == [signal.SIGTERM]
    finally:
        _restore(saved)


def test_a_prompt_gets_the_handlers_from_before_and_gives_them_back() -> None:
    outer, saved = _with_outer()
    try:
        interrupts = Interrupts().install()
        with interrupts.suspended():
            os.kill(os.getpid(), signal.SIGINT)
        assert outer.seen == [signal.SIGINT] and interrupts.count == 0
        os.kill(os.getpid(), signal.SIGINT)
        assert interrupts.count == 1 and outer.seen == [signal.SIGINT]
        interrupts.restore()
    finally:
        _restore(saved)


def test_outside_the_main_thread_nothing_is_installed() -> None:
    before = {sig: signal.getsignal(sig) for sig in SIGNALS}
    made: list[Interrupts] = []
    worker = threading.Thread(target=lambda: made.append(Interrupts().install()))
    worker.start()
    worker.join()
    assert {sig: signal.getsignal(sig) for sig in SIGNALS} == before
    made[0].restore()  # nothing to restore: no error
    assert {sig: signal.getsignal(sig) for sig in SIGNALS} == before
