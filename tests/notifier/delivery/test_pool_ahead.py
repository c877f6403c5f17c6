"""The next recipient's envelope goes ahead in the same write as this message's content: one
write a message, and a stop, a cancel or a failing relay never sends, loses or double-counts
the recipient whose envelope went ahead."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from notifier.delivery.pool import Runner, RunOptions, RunResult, RunStatus
from notifier.ledger.journal import Journal
from tests.notifier.conftest import make_directory, make_runner
from tests.support.scripted_server import ScriptedServer, default_answer, scripted_server_thread

MEMBERS = [(f"m{i:02}@example.org", f"M{i}", "X", "en") for i in range(40)]


@contextmanager
def runner_for(tmp_path: Path, cases: Path, server: ScriptedServer) -> Iterator[Runner]:
    """A Runner over one connection to the scripted server, its journal snapshotted."""
    db = make_directory(tmp_path / "m.sqlite", MEMBERS)
    url = f"smtp://127.0.0.1:{server.port}"
    runner = make_runner(tmp_path, cases, db, [url], RunOptions(pool=1, rate=0.0))
    try:
        yield runner
    finally:
        runner.journal.close()


def states(journal: Journal) -> dict[str, tuple[str, int, int]]:
    """address: (state, attempts, uncertain)."""
    rows = journal.db.execute("SELECT address, state, attempts, uncertain FROM recipients")
    return {address: (state, attempts, uncertain) for address, state, attempts, uncertain in rows}


def test_each_message_after_the_first_goes_out_with_the_one_before(
    tmp_path: Path, cases: Path
) -> None:
    with scripted_server_thread() as server, runner_for(tmp_path, cases, server) as runner:
        result = asyncio.run(runner.run())
        assert result.status is RunStatus.DONE, result
        got = states(runner.journal)
    assert set(got.values()) == {("sent", 1, 0)} and len(got) == len(MEMBERS)
    assert len(server.contents) == len(MEMBERS) and server.connections == 1
    # what the server already had when it read each final dot: the next MAIL, RCPT and DATA
    ahead = [waiting for waiting in server.after_content if waiting.startswith(b"MAIL FROM:")]
    # all but the last, and one per claim the queue ran dry before the producer's next one
    assert len(ahead) >= len(MEMBERS) - 4, server.after_content


@contextmanager
def held_at_content(number: int) -> Iterator[tuple[ScriptedServer, threading.Event]]:
    """A scripted server that holds its reply to the `number`-th message's final dot until
    the test sets the event (the server runs on a loop of its own)."""
    release = threading.Event()
    seen = {"contents": 0}

    def answer(command: str) -> str:
        if command == "CONTENT":
            seen["contents"] += 1
            if seen["contents"] == number:
                release.wait(10)
        return default_answer(command)

    with scripted_server_thread(answer=answer, hold_replies=False) as server:
        yield server, release


async def interrupt_while_held(
    runner: Runner,
    server: ScriptedServer,
    release: threading.Event,
    number: int,
    interrupt: Callable[[], None],
) -> RunResult:
    """Run until the server holds the `number`-th message with the next envelope already
    written behind it; then `interrupt` the run (`runner.stop`: Ctrl-C, `runner.abort`: the
    second Ctrl-C), let the server answer, and return how the run ended."""
    task = asyncio.ensure_future(runner.run())
    deadline = time.monotonic() + 10
    while len(server.after_content) < number or not server.after_content[number - 1]:
        assert time.monotonic() < deadline, server.after_content
        await asyncio.sleep(0.01)
    interrupt()
    release.set()
    return await task


def test_a_stop_gives_back_the_recipient_whose_envelope_went_ahead(
    tmp_path: Path, cases: Path
) -> None:
    with held_at_content(3) as (server, release), runner_for(tmp_path, cases, server) as runner:
        # Ctrl-C: the message on the wire finishes
        result = asyncio.run(interrupt_while_held(runner, server, release, 3, runner.stop))
        assert result.status is RunStatus.INTERRUPTED
        got = states(runner.journal)
        deadline = time.monotonic() + 10
        while not server.abandoned and time.monotonic() < deadline:
            time.sleep(0.01)  # the server, on its own loop, meets the hang-up
    assert [a for a, s in got.items() if s[0] == "sent"] == [
        "m00@example.org",
        "m01@example.org",
        "m02@example.org",
    ]
    # m03's envelope went ahead, its message never: back in the queue, no attempt, not uncertain
    assert got["m03@example.org"] == ("queued", 0, 0)
    assert {s for a, s in got.items() if a > "m03"} == {("queued", 0, 0)}
    assert len(server.contents) == 3 and server.abandoned == 1


def test_a_cancel_gives_back_the_recipient_whose_envelope_went_ahead(
    tmp_path: Path, cases: Path
) -> None:
    with held_at_content(2) as (server, release), runner_for(tmp_path, cases, server) as runner:
        # the second Ctrl-C: the message on the wire is left uncertain
        asyncio.run(interrupt_while_held(runner, server, release, 2, runner.abort))
        got = states(runner.journal)
    assert got["m00@example.org"] == ("sent", 1, 0)
    assert got["m01@example.org"] == ("in-flight", 1, 0)  # uncertain when the run resumes
    assert got["m02@example.org"] == ("queued", 0, 0)  # its envelope went ahead, nothing else


def test_a_relay_refusing_us_after_the_content_gives_back_the_one_ahead(
    tmp_path: Path, cases: Path
) -> None:
    def answer(command: str) -> str:
        if command == "CONTENT":
            return "530 5.7.0 Authentication required"
        return default_answer(command)

    with (
        scripted_server_thread(answer=answer) as server,
        runner_for(tmp_path, cases, server) as runner,
    ):
        result = asyncio.run(runner.run())
        got = states(runner.journal)
    assert result.status is RunStatus.REFUSED
    assert "530 5.7.0 Authentication required" in result.reason
    # the refused one and the one gone ahead are both back: nobody sent, failed or uncertain
    assert {state for state, _, uncertain in got.values()} == {"queued"}
    assert {uncertain for _, _, uncertain in got.values()} == {0}
