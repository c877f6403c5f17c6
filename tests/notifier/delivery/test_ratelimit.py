"""The token bucket, run over a virtual minute (no wall clock in assertions)."""

from __future__ import annotations

import asyncio

import pytest

from notifier.delivery.ratelimit import DomainPace, TokenBucket, parse_rate


class VirtualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.mark.parametrize("rate", [10.0, 3.0, 250.0])
def test_rate_is_accurate_over_a_minute(rate: float) -> None:
    clock = VirtualClock()
    bucket = TokenBucket(rate, clock=clock, sleep=clock.sleep)

    async def sender(stamps: list[float]) -> None:
        while clock.now < 1060.0:
            await bucket.acquire()
            stamps.append(clock.now)

    stamps: list[float] = []

    async def main() -> None:
        await asyncio.gather(*(sender(stamps) for _ in range(8)))

    asyncio.run(main())
    in_minute = sum(1 for t in stamps if t < 1060.0)
    assert abs(in_minute - rate * 60) <= 0.02 * rate * 60
    # no burst beyond the bucket's capacity in any one second
    per_second: dict[int, int] = {}
    for t in stamps:
        per_second[int(t)] = per_second.get(int(t), 0) + 1
    assert max(per_second.values()) <= rate + bucket.capacity + 1


def test_zero_means_unlimited() -> None:
    clock = VirtualClock()
    bucket = TokenBucket(0, clock=clock, sleep=clock.sleep)

    async def main() -> None:
        for _ in range(10_000):
            await bucket.acquire()

    asyncio.run(main())
    assert clock.now == 1000.0


@pytest.mark.parametrize(
    ("text", "per_second"),
    [("10/s", 10.0), ("600/m", 10.0), ("36000/h", 10.0), ("0", 0.0), ("2.5/s", 2.5), ("7", 7.0)],
)
def test_parse_rate(text: str, per_second: float) -> None:
    assert parse_rate(text) == pytest.approx(per_second)


@pytest.mark.parametrize("text", ["fast", "10/d", "-1/s", ""])
def test_bad_rates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_rate(text)


def test_a_domain_pace_spaces_each_domain_on_its_own() -> None:
    now = [1000.0]
    pace = DomainPace(parse_rate("120/m"), clock=lambda: now[0])  # one every 0.5 s
    assert pace.wait("big.example") == 0
    slots = [pace.book("big.example") for _ in range(4)]
    assert slots == [1000.0, 1000.5, 1001.0, 1001.5]  # later messages, later slots
    assert pace.wait("big.example") == pytest.approx(2.0)
    assert pace.wait("small.example") == 0 and pace.book("small.example") == 1000.0
    now[0] = 1010.0  # a quiet domain does not save up a burst
    assert pace.book("big.example") == 1010.0
    assert pace.book("big.example") == 1010.5


def test_a_slot_booked_before_is_kept() -> None:
    """A resumed run reserves the slots an earlier run booked for held recipients: the
    domain's next free slot comes one interval after the latest, whatever order they come in;
    other domains are untouched."""
    now = [1000.0]
    pace = DomainPace(parse_rate("60/m"), clock=lambda: now[0])  # one every second
    pace.reserve("big.example", 1003.0)
    pace.reserve("big.example", 1002.0)  # an earlier slot does not pull the next one back
    assert pace.wait("big.example") == pytest.approx(4.0)
    assert pace.book("big.example") == 1004.0
    assert pace.book("big.example") == 1005.0
    assert pace.wait("small.example") == 0 and pace.book("small.example") == 1000.0
    pace.reserve("small.example", 995.0)  # a slot long past leaves the next one where it is
    assert pace.book("small.example") == 1001.0
    now[0] = 1010.0
    pace.reserve("quiet.example", 1009.5)  # just past: the next slot is half an interval away
    assert pace.wait("quiet.example") == pytest.approx(0.5)


def test_a_domain_pace_needs_a_rate() -> None:
    with pytest.raises(ValueError, match="above 0"):
        DomainPace(0.0)


def test_a_token_given_back_is_free_again() -> None:
    bucket = TokenBucket(10.0, burst=1.0, clock=lambda: 0.0)
    assert bucket.try_take() and not bucket.try_take()
    bucket.give_back()
    assert bucket.try_take()
