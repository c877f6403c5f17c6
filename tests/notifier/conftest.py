"""Real components for the notifier tests: an aiosmtpd server with scripted faults, demo
directories in SQLite, and a copy of the fixture case tree per test."""

from __future__ import annotations

import asyncio
import email
import email.policy
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from notifier.approval.action import resolve
from notifier.delivery.connection import parse_smtp_url
from notifier.delivery.pool import Progress, Runner, RunOptions
from notifier.delivery.relays import RelaySpec
from notifier.ledger.journal import Journal
from notifier.steps import load_templates, make_composer, open_directory, snapshot
from tests.support.net import free_port

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notify"
CASE = "a20200102.1"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    content: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        parsed = email.message_from_bytes(self.content, policy=email.policy.default)
        assert isinstance(parsed, email.message.EmailMessage)
        return parsed


@dataclass
class Faults:
    """Replies scripted by the recipient's local-part prefix, one entry per attempt.

    An entry is an SMTP reply string, "drop" (close the connection after the data without a
    reply), "slow" (reply after `slow_seconds`) or "ok". Attempts past the list succeed.
    Prefixes for RCPT-time replies start with "rcpt-", the others apply after DATA.
    """

    scripts: dict[str, list[str]] = field(default_factory=dict)
    slow_seconds: float = 3.0
    attempts: dict[str, int] = field(default_factory=dict)

    def next(self, address: str, stage: str) -> str:
        local = address.split("@", 1)[0].lower()
        for prefix, script in self.scripts.items():
            is_rcpt = prefix.startswith("rcpt-")
            if local.startswith(prefix) and is_rcpt == (stage == "rcpt"):
                key = f"{stage}:{address.lower()}"
                n = self.attempts.get(key, 0)
                self.attempts[key] = n + 1
                return script[n] if n < len(script) else "ok"
        return "ok"


class SinkHandler:
    def __init__(self, faults: Faults, pipelining: bool = True) -> None:
        self.faults = faults
        self.pipelining = pipelining
        self.received: list[Received] = []
        self.lock = threading.Lock()

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        """Offer PIPELINING as Postfix does (aiosmtpd reads pipelined commands in order)."""
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        reply = self.faults.next(address, "rcpt")
        if reply != "ok":
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        address = envelope.rcpt_tos[0]
        reply = self.faults.next(address, "data")
        if reply == "drop":
            server.transport.close()
            return "250 OK"  # never reaches the client
        if reply == "slow":
            await asyncio.sleep(self.faults.slow_seconds)
            reply = "ok"
        if reply != "ok":
            return reply
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
            )
        return "250 2.0.0 OK queued"


@dataclass
class Sink:
    host: str
    port: int
    handler: SinkHandler
    faults: Faults

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def addresses(self) -> list[str]:
        return [r.recipients[0] for r in self.received]


def _start(faults: Faults, pipelining: bool = True, **smtp_kwargs: Any) -> tuple[Controller, Sink]:
    handler = SinkHandler(faults, pipelining)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **smtp_kwargs)
    controller.start()
    return controller, Sink("127.0.0.1", port, handler, faults)


@pytest.fixture(autouse=True)
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test its own $XDG_STATE_HOME: the run registry and default run folders live there."""
    home = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(home))
    return home


@pytest.fixture
def faults() -> Faults:
    return Faults()


@pytest.fixture
def sink(faults: Faults, request: pytest.FixtureRequest) -> Iterator[Sink]:
    """An aiosmtpd server offering PIPELINING; parametrize with "lock-step" for one without."""
    mode = getattr(request, "param", "pipelining")
    assert mode in ("pipelining", "lock-step")
    controller, server = _start(faults, pipelining=mode == "pipelining")
    try:
        yield server
    finally:
        controller.stop()


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = isinstance(data, LoginPassword) and data.login == b"critical" and data.password == b"right"
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def auth_sink() -> Iterator[Sink]:
    controller, server = _start(
        Faults(), authenticator=_authenticator, auth_required=True, auth_require_tls=False
    )
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    """A private copy of the fixture case tree (tests change files in it)."""
    target = tmp_path / "cases"
    shutil.copytree(FIXTURES / "cases", target)
    return target


def make_directory(path: Path, rows: list[tuple[str, str, str, str]], general: bool = True) -> Path:
    """A small directory in the demo schema: (email, fname, lname, language) per member."""
    import sqlalchemy as sa

    from notifier.audience.demo import metadata

    engine = sa.create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    engine.dispose()
    db = sqlite3.connect(path)
    db.executemany(
        "INSERT INTO users (id, email, fname, lname, language, deleted, created)"
        " VALUES (?, ?, ?, ?, ?, 0, '2010-01-01 00:00:00')",
        [(i + 1, *row) for i, row in enumerate(rows)],
    )
    db.executemany(
        "INSERT INTO alerts (memid, general) VALUES (?, ?)",
        [(i + 1, int(general)) for i in range(len(rows))],
    )
    db.commit()
    db.close()
    return path


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3,000-member demo directory shared by the tests that only read it."""
    from notifier.audience.demo import write_demo

    path = tmp_path_factory.mktemp("demo") / "members.sqlite"
    write_demo(str(path), 3000, 7)
    return path


def make_runner(
    tmp_path: Path,
    cases: Path,
    db: Path,
    relays: list[str],
    options: RunOptions,
    on_progress: Callable[[Progress], None] | None = None,
) -> Runner:
    """A send loop (`Runner`) for the test case's action over the directory `db`, its journal
    bound and snapshotted as `docket notify` leaves it before sending: for tests that drive
    the loop themselves (stop it, pull a relay's plug, run it from a thread). The caller
    closes `runner.journal`."""
    resolved = resolve(CASE, cases, None)
    templates = load_templates(resolved)
    journal = Journal(tmp_path / "run")
    run_id = journal.bind(resolved.case, resolved.action.id, resolved.digest)
    snapshot(journal, open_directory(f"sqlite:///{db}", resolved, templates))
    specs = [RelaySpec(parse_smtp_url(url, timeout=5.0)) for url in relays]
    composer = make_composer(resolved, templates, run_id)
    return Runner(journal, composer, specs, resolved.envelope_from, options, on_progress)
