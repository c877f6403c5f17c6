"""A pool of relays: settings from the URLs, the spread by weight, and a relay that dies mid-run
(a real process, SIGKILLed): nobody is lost, nobody outside the audience is mailed, and every
recipient who got the message twice is flagged uncertain."""

from __future__ import annotations

import asyncio
import csv
import itertools
import json
import mailbox
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from docket.cli import cli
from notifier.delivery.connection import SmtpConfigError, parse_smtp_url
from notifier.delivery.pool import RunOptions, RunStatus
from notifier.delivery.relays import Backoff, RelayPool, RelaySpec, parse_relays
from notifier.ledger.journal import Journal
from tests.notifier.conftest import (
    CASE,
    Faults,
    SinkHandler,
    _start,
    make_directory,
    make_runner,
)
from tests.support.net import free_port

KNOBS = {"timeout": 5.0, "data_timeout": 5.0, "pipelining": True}


def test_relay_settings_come_from_the_url() -> None:
    [plain, tuned] = parse_relays(
        ("smtp://127.0.0.1:2525", "smtp://127.0.0.1:2526?weight=2&rate=50/s&connections=8"),
        **KNOBS,  # type: ignore[arg-type]
    )
    assert (plain.weight, plain.rate, plain.connections) == (1.0, 0.0, None)
    assert (tuned.weight, tuned.rate, tuned.connections) == (2.0, 50.0, 8)
    assert tuned.name == "smtp://127.0.0.1:2526"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("smtp://127.0.0.1:25?wieght=2", "unknown relay setting 'wieght'"),
        ("smtp://127.0.0.1:25?weight=0", "weight must be more than 0"),
        ("smtp://127.0.0.1:25?rate=fast", "is not N/s"),
        ("smtp://127.0.0.1:25?connections=0", "connections must be 1 to 64"),
    ],
)
def test_bad_relay_settings_are_one_clear_error(url: str, says: str) -> None:
    with pytest.raises(SmtpConfigError, match=says):
        parse_relays((url,), **KNOBS)  # type: ignore[arg-type]


def test_a_relay_named_twice_is_refused_and_the_environment_may_hold_several(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(SmtpConfigError, match="named twice"):
        parse_relays(("smtp://127.0.0.1:25", "smtp://127.0.0.1:25?weight=2"), **KNOBS)  # type: ignore[arg-type]
    monkeypatch.setenv("DOCKET_SMTP", "smtp://127.0.0.1:25 smtp://127.0.0.1:26")
    assert [r.name for r in parse_relays((), **KNOBS)] == [  # type: ignore[arg-type]
        "smtp://127.0.0.1:25",
        "smtp://127.0.0.1:26",
    ]


def test_messages_spread_by_weight_and_skip_a_relay_that_is_out() -> None:
    now = [0.0]
    specs = [
        RelaySpec(parse_smtp_url("smtp://127.0.0.1:1"), weight=3),
        RelaySpec(parse_smtp_url("smtp://127.0.0.1:2"), weight=1),
    ]
    pool = RelayPool(specs, pool=100, backoff=Backoff(first=10), clock=lambda: now[0])
    picks = Counter(pool.choose(chunk=100).name for _ in range(40))  # type: ignore[union-attr]
    assert picks == {"smtp://127.0.0.1:1": 30, "smtp://127.0.0.1:2": 10}
    first, second = pool.relays
    pool.take_out(first, "down", "connect: refused")
    assert {pool.choose(chunk=100) for _ in range(5)} == {second}
    now[0] = 10.0  # its backoff is over: it is tried again
    assert first in {pool.choose(chunk=100) for _ in range(5)}
    pool.take_out(second, "refused", "connect: 554 no service")
    assert second.given_up and pool.left()
    assert "given up" in second.state(now[0])


def _recipients(run: Path) -> dict[str, dict[str, str]]:
    with (run / "recipients.csv").open(encoding="utf-8", newline="") as handle:
        return {row["address"]: row for row in csv.DictReader(handle)}


def test_two_relays_share_a_run_by_weight(tmp_path: Path, cases: Path) -> None:
    rows = [(f"m{i:03}@example.org", "M", "X", "en") for i in range(120)]
    db = make_directory(tmp_path / "m.sqlite", rows)
    first, one = _start(Faults())
    second, two = _start(Faults())
    try:
        result = CliRunner().invoke(
            cli,
            ["notify", CASE, "--cases", str(cases), "--directory", str(db), "--journal",
             str(tmp_path / "run"), "--yes", "--rate", "200/s",
             "--smtp", f"{one.url}?weight=3&connections=2", "--smtp", f"{two.url}?connections=2"],
        )  # fmt: skip
    finally:
        first.stop()
        second.stop()
    assert result.exit_code == 0, result.output
    got = sorted(one.addresses() + two.addresses())
    assert got == sorted(a for a, *_ in rows)  # everyone once, across the two
    # under a rate neither relay is full: the weights decide (3:1, give or take a claim)
    ratio = len(one.received) / len(two.received)
    assert 2.0 <= ratio <= 6.0, ratio  # 1:1 without weights; the claims make it uneven
    assert f"relay {one.url}: " in result.output and "weight 3" in result.output
    assert f"relay {two.url} [up]: {len(two.received)} sent" in result.output, result.output
    assert "approved by A (Arne A) on 2020-01-03" in result.output  # the approver by name
    assert "languages: 120 default" in result.output
    status_args = [
        "runs",
        "status",
        CASE,
        "--cases",
        str(cases),
        "--journal",
        str(tmp_path / "run"),
    ]
    status = CliRunner().invoke(cli, [*status_args, "--format", "json"])
    assert status.exit_code == 0, status.output
    view = json.loads(status.output)
    old = CliRunner().invoke(cli, [*status_args, "--json"])  # the 0.1 spelling, for a release
    assert old.exit_code == 0, old.output
    assert json.loads(old.stdout)["counts"] == view["counts"]
    assert "--json is deprecated and goes in the next release; use --format json" in old.stderr
    assert view["counts"]["sent"] == 120 and not view["going_on"]
    relays = {r["relay"]: r for r in view["relays"]}
    assert relays[two.url]["counts"] == {"sent": len(two.received)}
    assert relays[one.url]["state"] == "up" and view["started"]


def test_a_relay_killed_mid_run_loses_nobody(tmp_path: Path, cases: Path) -> None:
    """The crash test of the relay pool: one relay is a real process, SIGKILLed while sending."""
    rows = [(f"m{i:04}@example.org", "M", "X", "en") for i in range(800)]
    db = make_directory(tmp_path / "m.sqlite", rows)
    maildir = tmp_path / "killed-relay"
    port = free_port()
    relay = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Mailbox", str(maildir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    survivor, sink = _start(Faults())
    run = tmp_path / "run"
    try:
        _wait_for_port(port)
        sender = subprocess.Popen(
            [str(Path(sys.executable).parent / "docket"), "notify", CASE, "--cases", str(cases),
             "--directory", str(db), "--journal", str(run), "--yes", "--rate", "300/s",
             "--retry-delay", "0.2",
             "--smtp", f"smtp://127.0.0.1:{port}", "--smtp", sink.url],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while _count(maildir) < 100 and time.monotonic() < deadline:
            time.sleep(0.01)
        relay.send_signal(signal.SIGKILL)
        output = sender.communicate(timeout=120)[0]
    finally:
        relay.kill()
        relay.wait()
        survivor.stop()
    assert sender.returncode == 0, output
    assert "taken out" in output, output
    killed = _addresses(maildir)
    audience = {a for a, *_ in rows}
    reached = Counter(killed + sink.addresses())
    assert set(reached) == audience  # nobody lost, nobody outside the audience
    journal = _recipients(run)
    assert {row["state"] for row in journal.values()} == {"sent"}
    twice = {address for address, n in reached.items() if n > 1}
    flagged = {address for address, row in journal.items() if row["uncertain"] == "1"}
    assert twice <= flagged, twice - flagged  # every duplicate is named
    assert len(flagged) <= 8  # at most what was on the dead relay's wire


def test_the_run_stops_with_one_line_when_no_relay_is_left(tmp_path: Path, cases: Path) -> None:
    rows = [(f"m{i:03}@example.org", "M", "X", "en") for i in range(300)]
    db = make_directory(tmp_path / "m.sqlite", rows)
    first, one = _start(Faults())
    second, two = _start(Faults())
    options = RunOptions(
        pool=2, rate=200.0, relay_backoff=Backoff(first=0.05, most=0.1, give_up_after=3)
    )
    runner = make_runner(tmp_path, cases, db, [one.url, two.url], options)
    journal = runner.journal

    async def run_and_pull_the_plugs() -> RunStatus:
        task = asyncio.ensure_future(runner.run())
        while len(one.received) + len(two.received) < 50:
            await asyncio.sleep(0.01)
        await asyncio.to_thread(first.stop)
        await asyncio.to_thread(second.stop)
        result = await task
        assert "no relay is left: " in result.reason and one.url in result.reason
        return result.status

    try:
        assert asyncio.run(run_and_pull_the_plugs()) is RunStatus.REFUSED
        counts = journal.counts()
    finally:
        journal.close()
    reached = len(one.received) + len(two.received)
    assert counts["failed"] == 0  # a dead relay is no recipient's failure
    assert counts["queued"] + counts["uncertain"] + counts["deferred"] >= 300 - reached
    assert counts["sent"] <= reached


def _wait_for_port(port: int) -> None:
    import socket

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"the relay on {port} did not start")


def _count(maildir: Path) -> int:
    new = maildir / "new"
    return len(list(new.iterdir())) if new.is_dir() else 0


def _addresses(maildir: Path) -> list[str]:
    return [str(message["X-RcptTo"]).strip() for message in mailbox.Maildir(maildir)]


def _notify_through(
    handler: SinkHandler,
    rows: list[tuple[str, str, str, str]],
    tmp_path: Path,
    cases: Path,
    *options: str,
) -> Any:
    """`docket notify` of `rows` through an aiosmtpd sink with `handler`, into tmp_path/run."""
    db = make_directory(tmp_path / "m.sqlite", rows)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        return CliRunner().invoke(
            cli,
            ["notify", CASE, "--cases", str(cases), "--directory", str(db), "--smtp",
             f"smtp://127.0.0.1:{controller.port}", "--journal", str(tmp_path / "run"), "--yes",
             "--rate", "0", *options],
        )  # fmt: skip
    finally:
        controller.stop()


def test_per_domain_caps_what_one_receiving_domain_gets_at_once(
    tmp_path: Path, cases: Path
) -> None:
    rows = [(f"m{i:02}@big.example", "M", "X", "en") for i in range(24)]
    rows += [(f"n{i:02}@small.example", "N", "X", "en") for i in range(8)]
    handler = _Concurrency(Faults())
    result = _notify_through(handler, rows, tmp_path, cases, "--pool", "8", "--per-domain", "2")
    assert result.exit_code == 0, result.output
    assert len(handler.received) == 32
    assert handler.most["big.example"] == 2  # never more, and the cap was reached
    assert handler.most["small.example"] <= 2


class _Concurrency(SinkHandler):
    """A sink that takes its time and notes the most messages at once per receiving domain."""

    def __init__(self, faults: Faults) -> None:
        super().__init__(faults)
        self.now: Counter[str] = Counter()
        self.most: Counter[str] = Counter()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        domain = envelope.rcpt_tos[0].rpartition("@")[2]
        self.now[domain] += 1
        self.most[domain] = max(self.most[domain], self.now[domain])
        try:
            await asyncio.sleep(0.05)
            return await super().handle_DATA(server, session, envelope)
        finally:
            self.now[domain] -= 1


class _Arrivals(SinkHandler):
    """A sink that notes when each receiving domain's messages arrive."""

    def __init__(self, faults: Faults) -> None:
        super().__init__(faults)
        self.times: dict[str, list[float]] = {}

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        domain = envelope.rcpt_tos[0].rpartition("@")[2]
        self.times.setdefault(domain, []).append(time.monotonic())
        return await super().handle_DATA(server, session, envelope)


def test_per_domain_rate_spaces_one_domain_and_holds_the_rest_untried(
    tmp_path: Path, cases: Path
) -> None:
    """--per-domain-rate 120/m: one message every 0.5 s per receiving domain, each domain on
    its own; the held ones wait in the journal (one attempt each in the end), and the plan
    says so."""
    rows = [(f"m{i}@big.example", "M", "X", "en") for i in range(5)]
    rows += [(f"n{i}@small.example", "N", "X", "en") for i in range(3)]
    handler = _Arrivals(Faults())
    result = _notify_through(
        handler, rows, tmp_path, cases, "--pool", "4", "--per-domain-rate", "120/m"
    )
    assert result.exit_code == 0, result.output
    assert "per receiving domain: at most 120/m, evenly spaced" in result.output
    big, small = handler.times["big.example"], handler.times["small.example"]
    assert len(big) == 5 and len(small) == 3
    gaps = [later - earlier for earlier, later in itertools.pairwise(big)]
    assert min(gaps) > 0.4, gaps  # never two within the pace (0.5 s, less timer slack)
    assert small[0] < big[1]  # the other domain did not wait behind the big one
    with open(tmp_path / "run" / "recipients.csv", encoding="utf-8") as handle:
        rows_out = list(csv.DictReader(handle))
    assert {r["state"] for r in rows_out} == {"sent"} and {r["attempts"] for r in rows_out} == {"1"}


def test_a_bad_per_domain_rate_is_one_clear_error(tmp_path: Path, cases: Path) -> None:
    db = make_directory(tmp_path / "m.sqlite", [("a@example.org", "A", "X", "en")])
    result = CliRunner().invoke(
        cli,
        ["notify", CASE, "--cases", str(cases), "--directory", str(db), "--smtp",
         "smtp://127.0.0.1:9", "--journal", str(tmp_path / "run"), "--yes",
         "--per-domain-rate", "fast"],
    )  # fmt: skip
    assert result.exit_code != 0
    assert "--per-domain-rate: rate 'fast' is not N/s, N/m or N/h" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "run" / "journal.sqlite").exists()


def test_held_recipients_do_not_count_against_the_limit(tmp_path: Path, cases: Path) -> None:
    """--limit 3 sends three new messages, however many of them a domain's pace held first."""
    rows = [(f"m{i}@big.example", "M", "X", "en") for i in range(5)]
    handler = _Arrivals(Faults())
    result = _notify_through(
        handler, rows, tmp_path, cases, "--per-domain-rate", "240/m", "--limit", "3"
    )
    assert result.exit_code == 0, result.output
    assert len(handler.times["big.example"]) == 3
    assert "sent the --limit of 3; 2 stay queued" in result.output


class _WallArrivals(SinkHandler):
    """A sink that notes each recipient's arrival on the wall clock, the clock of the slots
    the journal keeps for held recipients."""

    def __init__(self, faults: Faults) -> None:
        super().__init__(faults)
        self.at: dict[str, list[float]] = {}

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.at.setdefault(envelope.rcpt_tos[0], []).append(time.time())
        return await super().handle_DATA(server, session, envelope)


def test_a_resumed_run_keeps_the_slots_of_the_recipients_held_before(
    tmp_path: Path, cases: Path
) -> None:
    """--per-domain-rate 60/m (one a second per domain), run 1 stopped by --limit with two
    big.example recipients held for their slots and two never claimed: run 2, a new process's
    worth of Runner, sends the held ones at their slots and the new ones one interval after
    the last of them, never two within the interval, and nobody twice."""
    big = ["m0@big.example", "m1@big.example", "m2@big.example"]
    others = [f"x{i}@x{i}.example" for i in range(4)]
    later = ["m3@big.example", "m4@big.example"]
    rows = [(address, "M", "X", "en") for address in big + others + later]
    db = make_directory(tmp_path / "m.sqlite", rows)
    handler = _WallArrivals(Faults())
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    run = tmp_path / "run"

    def notify(*options: str) -> Any:
        return CliRunner().invoke(
            cli,
            ["notify", CASE, "--cases", str(cases), "--directory", str(db), "--smtp",
             f"smtp://127.0.0.1:{controller.port}", "--journal", str(run), "--yes",
             "--rate", "0", "--per-domain-rate", "60/m", *options],
        )  # fmt: skip

    try:
        first = notify("--limit", "4")
        assert first.exit_code == 0, first.output
        journal = Journal(run)
        held = {address: slot for _, address, slot in journal.held_slots(0.0, True)}
        journal.close()
        # m0 went; m1 and m2 were held (one and two intervals on), then the limit was reached
        assert sorted(handler.at) == ["m0@big.example", "x0@x0.example", "x1@x1.example",
                                      "x2@x2.example"]  # fmt: skip
        assert sorted(held) == ["m1@big.example", "m2@big.example"]
        second = notify("--limit", "0")
    finally:
        controller.stop()
    assert second.exit_code == 0, second.output
    assert sorted(handler.at) == sorted(address for address, *_ in rows)
    assert all(len(times) == 1 for times in handler.at.values()), handler.at  # nobody twice
    assert {r["attempts"] for r in _recipients(run).values()} == {"1"}
    arrived = {address: times[0] for address, times in handler.at.items()}
    started = arrived["x3@x3.example"]  # run 2 was running by then
    ahead = {address: slot for address, slot in held.items() if slot > started}
    assert ahead, (held, started)  # run 2 started before the last held slot: the case at hand
    for address, slot in ahead.items():  # sent at its slot, not paced again to a later one
        assert slot - 0.05 <= arrived[address] <= slot + 0.5, (address, arrived[address], slot)
    last_held = max(held.values())
    for address in later:  # the domain's new recipients after the held ones, at its pace
        assert arrived[address] >= last_held + 1.0 - 0.1, (address, arrived[address], last_held)
    domain = sorted(arrived[address] for address in big + later)
    gaps = [b - a for a, b in itertools.pairwise(domain)]
    assert min(gaps) > 0.9, gaps  # never two within the interval, across the two runs
