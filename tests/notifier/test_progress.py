"""Progress: a live bar on a terminal, plain lines in a pipe or log."""

from __future__ import annotations

import io
import os
import select

from notifier.delivery.pool import Progress
from notifier.progress import ProgressDisplay


def counters() -> Progress:
    return Progress(total=100, sent=40, failed=2, deferred=3, sent_this_run=40)


def test_plain_lines_when_not_a_terminal() -> None:
    out = io.StringIO()
    with ProgressDisplay(out, interval=3600) as display:
        display.update(counters())
        display.update(counters())  # within the interval: no second line
        done = counters()
        done.sent = 98
        display.update(done)  # finished: always one last line
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("42/100 done: sent 40  failed 2  deferred 3")
    assert lines[1].startswith("100/100 done: sent 98")


def test_live_bar_on_a_terminal() -> None:
    master, slave = os.openpty()
    with os.fdopen(slave, "w", encoding="utf-8") as tty:
        assert tty.isatty()
        with ProgressDisplay(tty) as display:
            display.update(counters())
        tty.flush()
        chunks = []
        while select.select([master], [], [], 0.5)[0]:  # everything written, in as many reads
            chunks.append(os.read(master, 65536))
        screen = b"".join(chunks).decode("utf-8", "replace")
    os.close(master)
    assert "sending" in screen and "42/100" in screen and "deferred 3" in screen
    assert "\x1b[" in screen  # drawn with terminal control sequences, not plain lines
