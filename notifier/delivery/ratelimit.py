"""A token bucket for the sending rate: steady over a minute, with a small burst allowance."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable

RATE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/\s*(s|m|h))?\s*$")
PER = {"s": 1.0, "m": 60.0, "h": 3600.0}


class RateError(ValueError):
    """A rate that is not N/s, N/m or N/h."""


def parse_rate(text: str) -> float:
    """Messages per second from '10/s', '600/m', '36000/h' or '10'; 0 means no limit."""
    match = RATE_RE.match(text)
    if not match:
        raise RateError(f"rate {text!r} is not N/s, N/m or N/h (0 for no limit)")
    return float(match[1]) / PER[match[2] or "s"]


class TokenBucket:
    """Hands out one token per message at `rate` per second, at most `burst` at once.

    The clock and sleep are parameters so the bucket's arithmetic can be tested over a virtual
    minute; in a run they are the event loop's monotonic clock and `asyncio.sleep`.
    """

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.rate = rate
        self.capacity = max(1.0, burst if burst is not None else rate / 10)
        self.clock = clock
        self.sleep = sleep
        self.tokens = self.capacity
        self.stamp = clock()
        self._lock = asyncio.Lock()

    @property
    def unlimited(self) -> bool:
        return self.rate <= 0

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def try_take(self) -> bool:
        """Take a token if one is free now; for a caller with other work to do meanwhile."""
        if self.unlimited:
            return True
        self._refill()
        if self.tokens < 1.0 - 1e-9:
            return False
        self.tokens = max(0.0, self.tokens - 1.0)
        return True

    def give_back(self) -> None:
        """Return a token taken for a message that was not sent after all."""
        if not self.unlimited:
            self.tokens = min(self.capacity, self.tokens + 1.0)

    def wait(self) -> float:
        """Seconds until the next token is free."""
        if self.unlimited:
            return 0.0
        self._refill()
        return max(0.0, (1.0 - self.tokens) / self.rate)

    async def acquire(self) -> None:
        """Wait until a token is free and take it (first come, first served)."""
        if self.unlimited:
            return
        async with self._lock:
            self._refill()
            # The tolerance keeps float rounding from spinning on ever smaller sleeps.
            while self.tokens < 1.0 - 1e-9:
                await self.sleep(max((1.0 - self.tokens) / self.rate, 1e-6))
                self._refill()
            self.tokens = max(0.0, self.tokens - 1.0)


class DomainPace:
    """At most `rate` messages a second to each receiving domain, evenly spaced (no burst):
    `--per-domain-rate 600/m` is one message every 0.1 s per domain, so a pool is never handed
    a provider's 10,000 messages in one go, and a domain's later messages get later slots.

    `wait(domain)` says how long until the domain's next slot (0: it is free now) and books
    nothing; `book(domain)` takes that slot and returns its time; `reserve(domain, slot)` takes
    a slot booked before (by a run that stopped with recipients held for it). The clock is a
    parameter, as for `TokenBucket`; it is the wall clock, because held recipients wait in the
    journal.
    """

    def __init__(self, rate: float, clock: Callable[[], float] = time.time) -> None:
        if rate <= 0:
            raise ValueError("a domain's pace needs a rate above 0")
        self.interval = 1.0 / rate
        self.clock = clock
        self._next: dict[str, float] = {}  # each domain's next free slot

    def wait(self, domain: str) -> float:
        return max(0.0, self._next.get(domain, 0.0) - self.clock())

    def book(self, domain: str) -> float:
        now = self.clock()
        slot = max(now, self._next.get(domain, now))
        self._next[domain] = slot + self.interval
        return slot

    def reserve(self, domain: str, slot: float) -> None:
        """Take a slot an earlier run booked for a recipient still held in the journal: the
        domain's next free slot is one interval after it (or stays later), so a resumed run
        keeps the pace rather than starting the domain afresh beside its held recipients."""
        self._next[domain] = max(self._next.get(domain, slot), slot + self.interval)
