"""A pool of relays (MTAs) to hand mail to, and what happens when one of them goes away.

Each relay has its own connections, an optional weight (its share of the messages) and an
optional rate. The send loop hands each claimed recipient to a healthy relay by smooth weighted
round robin, skipping relays whose queue is full (so a slow relay gets less). A relay that stops
answering (connection refused or lost before the message was handed over, a timeout, a 421) is
taken out and tried again after a backoff; one that refuses the sender, relaying or the
connection itself is taken out for the run. The run stops only when no relay is left.

docket stays no MTA: the relays queue, retry and shape per destination; this only spreads the
hand-over and survives losing one of them.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from notifier.delivery.connection import (
    SMTP_ENV,
    Capabilities,
    Outcome,
    SmtpConfigError,
    SmtpSettings,
    parse_smtp_url,
)
from notifier.delivery.ratelimit import RateError, TokenBucket, parse_rate
from notifier.delivery.settings import Backoff

QUERY_KEYS = ("weight", "rate", "connections")  # what a relay URL's query may set


@dataclass(frozen=True)
class RelaySpec:
    """One relay as the critical named it: `smtp://mx2:25?weight=2&rate=50/s&connections=8`."""

    settings: SmtpSettings
    weight: float = 1.0
    rate: float = 0.0  # messages a second through this relay; 0: only the run's rate applies
    connections: int | None = None  # None: the run's --pool

    @property
    def name(self) -> str:
        return self.settings.describe()


def parse_relays(
    urls: tuple[str, ...],
    *,
    timeout: float,
    data_timeout: float,
    pipelining: bool,
) -> list[RelaySpec]:
    """The relays of `--smtp URL` (repeatable) or of DOCKET_SMTP (URLs separated by spaces)."""
    given = list(urls) or os.environ.get(SMTP_ENV, "").split()
    if not given:
        raise SmtpConfigError(f"no SMTP server: pass --smtp URL or set {SMTP_ENV}")
    relays = [
        _parse_one(url, timeout=timeout, data_timeout=data_timeout, pipelining=pipelining)
        for url in given
    ]
    names = [relay.name for relay in relays]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise SmtpConfigError(f"relay {twice[0]} is named twice in --smtp")
    return relays


def _parse_one(url: str, *, timeout: float, data_timeout: float, pipelining: bool) -> RelaySpec:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    unknown = sorted(set(query) - set(QUERY_KEYS))
    plain = urlunsplit(parts._replace(query=""))
    if unknown:
        raise SmtpConfigError(
            f"{plain}: unknown relay setting {unknown[0]!r} (known: {', '.join(QUERY_KEYS)})"
        )
    settings = parse_smtp_url(
        plain, timeout=timeout, data_timeout=data_timeout, pipelining=pipelining
    )
    try:
        weight = float(query.get("weight", "1"))
        rate = parse_rate(query.get("rate", "0"))
        connections = int(query["connections"]) if "connections" in query else None
    except (ValueError, RateError) as exc:
        raise SmtpConfigError(f"{plain}: {exc}") from None
    if not weight > 0:
        raise SmtpConfigError(f"{plain}: weight must be more than 0 (got {weight:g})")
    if connections is not None and not 1 <= connections <= 64:
        raise SmtpConfigError(f"{plain}: connections must be 1 to 64 (got {connections})")
    return RelaySpec(settings, weight, rate, connections)


@dataclass(frozen=True)
class Relays:
    """The relays that answered the plan's probe, with what each offers (EHLO)."""

    specs: list[RelaySpec]
    offers: list[Capabilities]
    left_out: list[str]  # relays that did not answer, with why: not used in this run

    @property
    def eightbit(self) -> bool:
        """8-bit bodies only when every relay takes them (a message may go to any of them)."""
        return all(offer.eightbit for offer in self.offers)


def relay_failure(outcome: Outcome) -> str | None:
    """'down' when the relay (not the recipient) failed and may come back: a connection
    refused, lost or timed out before the message was handed over; 'refused' when it refuses us
    (the greeting, EHLO, STARTTLS, the sender, relaying without login); else None: a reply
    about the recipient, or a connection lost after the message was handed over (it may have
    been delivered: that stays the recipient's outcome, uncertain).
    """
    if outcome.kind == "server":
        return "refused"
    if outcome.kind == "temporary" and outcome.code == 0 and not outcome.after_data:
        return "down"
    return None


@dataclass(eq=False)
class Relay:
    """A relay during a run: its queue of recipients, its health and its counts."""

    spec: RelaySpec
    connections: int
    queue: asyncio.Queue[object] = field(default_factory=asyncio.Queue)
    bucket: TokenBucket | None = None
    failures: int = 0  # failed tries in a row
    retry_at: float = 0.0  # monotonic time before which it gets nothing
    given_up: str = ""  # why it is out for the run
    last_error: str = ""
    taken_out: int = 0
    counts: Counter[str] = field(default_factory=Counter)  # outcomes this run, by state
    unsaved: Counter[str] = field(default_factory=Counter)  # not yet in the journal
    _current: float = 0.0  # smooth weighted round robin

    @property
    def name(self) -> str:
        return self.spec.name

    def usable(self, now: float) -> bool:
        return not self.given_up and now >= self.retry_at

    def room(self, chunk: int) -> int:
        return max(0, self.connections + chunk - self.queue.qsize())

    def state(self, now: float) -> str:
        if self.given_up:
            return f"given up ({self.given_up})"
        if now < self.retry_at:
            return f"out, next try in {self.retry_at - now:.0f} s ({self.last_error})"
        return "up"


class RelayPool:
    """The relays of one run, and which one gets the next recipient."""

    def __init__(
        self,
        specs: list[RelaySpec],
        pool: int,
        backoff: Backoff | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.relays = [
            Relay(
                spec,
                connections=spec.connections or pool,
                bucket=TokenBucket(spec.rate) if spec.rate > 0 else None,
            )
            for spec in specs
        ]
        self.backoff = backoff or Backoff()
        self.clock = clock

    def now(self) -> float:
        return self.clock()

    def usable(self) -> list[Relay]:
        now = self.now()
        return [relay for relay in self.relays if relay.usable(now)]

    def room(self, chunk: int) -> int:
        return sum(relay.room(chunk) for relay in self.usable())

    def choose(self, chunk: int) -> Relay | None:
        """The next relay by smooth weighted round robin among the usable ones with room."""
        if len(self.relays) == 1:  # the common case, once a message: no round to keep
            only = self.relays[0]
            return only if only.usable(self.now()) and only.room(chunk) > 0 else None
        candidates = [relay for relay in self.usable() if relay.room(chunk) > 0]
        if not candidates:
            return None
        total = sum(relay.spec.weight for relay in candidates)
        for relay in candidates:
            relay._current += relay.spec.weight
        chosen = max(candidates, key=lambda relay: relay._current)
        chosen._current -= total
        return chosen

    def succeeded(self, relay: Relay) -> None:
        relay.failures = 0

    def take_out(self, relay: Relay, failure: str, reply: str) -> None:
        """Out for a backoff ('down') or for the run ('refused', or too many tries)."""
        if relay.given_up or self.now() < relay.retry_at:
            return  # its other connections saw the same failure: one try, one count
        relay.last_error = reply
        relay.taken_out += 1
        relay.failures += 1
        if failure == "refused" or relay.failures >= self.backoff.give_up_after:
            relay.given_up = reply
            return
        relay.retry_at = self.now() + self.backoff.delay(relay.failures)

    def left(self) -> bool:
        return any(not relay.given_up for relay in self.relays)

    def next_try(self) -> float | None:
        """Seconds until the first relay out for a backoff may be tried again."""
        waits = [relay.retry_at - self.now() for relay in self.relays if not relay.given_up]
        return max(0.0, min(waits)) if waits else None

    def why_none_left(self) -> str:
        if len(self.relays) == 1:
            return self.relays[0].given_up
        return "no relay is left: " + "; ".join(
            f"{relay.name}: {relay.given_up}" for relay in self.relays
        )
