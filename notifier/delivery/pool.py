"""The send loop: claim due recipients from the journal, send them over the relays, record outcomes.

One producer claims recipients in small chunks (committed in-flight before any is sent) and hands
each to a relay of the pool (`notifier.delivery.relays`), into that relay's bounded queue; each
relay has its workers, each owning one SMTP connection, which take a token from the rate limiter,
compose and send. Outcomes are committed in batches. A relay that fails is taken out and what it
held goes to the others. Ctrl-C stops claiming, gives back what was claimed but not started, lets
the messages on the wire finish and records them: no duplicates.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import signal
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from notifier.delivery.connection import (
    ENHANCED_RE,
    Connection,
    Envelope,
    Outcome,
    SmtpConfigError,
)
from notifier.delivery.ratelimit import DomainPace, TokenBucket
from notifier.delivery.relays import Relay, RelayPool, RelaySpec, relay_failure
from notifier.delivery.settings import RunOptions
from notifier.ledger.journal import Claimed, Journal, Result, State
from notifier.ledger.relays import add_counts, set_health
from notifier.ledger.report import reply_group
from notifier.ledger.requeue import requeue_ids
from notifier.message.compose import Composer, HeaderValueError

FLUSH_EVERY = 64  # results committed at once at most
FLUSH_AFTER = 0.01  # seconds: replies are committed at least this often
PROGRESS_EVERY = 0.25  # seconds between progress updates
RELAY_COUNTS_EVERY = 1.0  # seconds: the relays' counts go into the journal this often
IDLE_WAIT = 0.05  # seconds the producer sleeps when the queues are full
WAIT_MAX = 1.0  # seconds: the longest sleep while only retries (or relays) are due
WAIT_MIN = 0.02
# recipients claimed at once: without a rate, enough to keep the connections busy (4 each,
# between 32 and 64); with one, a second's worth (1 to 32)
CLAIM_MIN, CLAIM_MAX, CLAIM_PER_CONNECTION, CLAIM_MAX_RATED = 32, 64, 4, 32
# RFC 3463 X.1.n details that are about the recipient's address (bad mailbox, bad system, bad
# syntax, ambiguous, moved, no mail accepted); X.1.7 and X.1.8 are about the sender's
RECIPIENT_ADDRESS_DETAILS = frozenset({"1", "2", "3", "4", "6", "10"})


@dataclass
class Progress:
    """Counters the progress display reads; `total` is the audience less the invalid."""

    total: int = 0
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    started: float = field(default_factory=time.monotonic)
    sent_this_run: int = 0
    # monotonic time of the next retry while only deferred recipients wait for it
    waiting_until: float | None = None

    @property
    def done(self) -> int:
        return self.sent + self.failed

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.sent_this_run / elapsed if elapsed > 0 else 0.0


class RunStatus(StrEnum):
    """How a run ended."""

    DONE = "done"
    WAITING = "waiting"  # only deferred recipients remain and the run does not wait (--no-wait)
    LIMIT = "limit"  # --limit new messages were sent
    INTERRUPTED = "interrupted"  # Ctrl-C or SIGTERM
    PAUSED = "paused"  # a wave of policy (5.7.x) rejections
    REFUSED = "refused"  # the server refuses the sender or the relay
    FAILED = "failed"  # an error stopped it


@dataclass(slots=True)
class Prepared:
    """A recipient's message made ready to send (composed, signed, its envelope built), or the
    `result` that it cannot be sent (a template error, a bad header value)."""

    item: Claimed
    envelope: Envelope | None = None
    data: bytes = b""
    result: Result | None = None


@dataclass(slots=True)
class Lane:
    """One worker's connection and the recipient whose envelope went ahead on it (taken from
    the relay's queue, sent next); `ended` once the worker took the queue's end marker."""

    connection: Connection
    ahead: Prepared | None = None
    ended: bool = False


@dataclass
class RunResult:
    status: RunStatus
    reason: str = ""
    recovered: int = 0


class Runner:
    """Executes one action's journal against a pool of relays."""

    def __init__(
        self,
        journal: Journal,
        composer: Composer,
        relays: list[RelaySpec],
        envelope_from: str | Callable[[Claimed], str],
        options: RunOptions,
        on_progress: Callable[[Progress], None] | None = None,
        sign: Callable[[bytes], Awaitable[bytes]] | None = None,
    ) -> None:
        self.journal = journal
        self.composer = composer
        # DKIM off the event loop (notifier.message.dkim.AsyncSigner): the composer then signs not
        self.sign = sign
        self.relays = RelayPool(relays, options.pool, options.relay_backoff)
        self.envelope_from = envelope_from
        self.options = options
        self.on_progress = on_progress
        self.progress = Progress()
        self._results: list[Result] = []
        self._released: list[Claimed] = []
        # claimed, not yet handed to a relay (or handed back by one that failed)
        self._backlog: collections.deque[Claimed] = collections.deque()
        self._bucket = TokenBucket(options.rate)  # the run's rate, kept at the hand-over
        self._per_domain: collections.Counter[str] = collections.Counter()  # handed over, unsent
        rate = options.per_domain_rate
        self._pace = DomainPace(rate) if rate > 0 else None  # --per-domain-rate
        self._held: list[tuple[Claimed, float]] = []  # for the journal: held until a slot
        self._booked: dict[int, bool] = {}  # recipients held with a slot of their own
        self._claimed_new = 0  # recipients claimed that were never tried before (--limit)
        self._relays_saved = 0.0  # when the relays' counts last went into the journal
        self._busy = 0
        self._stopping = False
        self._reason = ""
        self._status: RunStatus | None = None
        self._wake = asyncio.Event()
        self._workers: list[asyncio.Task[None]] = []
        self._policy: collections.deque[bool] = collections.deque(maxlen=options.policy_window)
        self._policy_example = ""
        self._policy_hits = 0
        self._fatal: BaseException | None = None
        self._interrupts = 0
        self._streak: list[int] = []
        self._streak_reply = ""
        self.requeued = 0

    # -- control -------------------------------------------------------------------------------

    def stop(self, reason: RunStatus = RunStatus.INTERRUPTED) -> None:
        """Stop claiming; messages already on the wire finish and are recorded."""
        if not self._stopping:
            self._stopping = True
            self._status = reason
        self._wake.set()

    def abort(self) -> None:
        """Second Ctrl-C: cancel at once; what was on the wire becomes uncertain next time."""
        for task in self._workers:
            task.cancel()

    def _on_sigint(self) -> None:
        self._interrupts += 1
        if self._interrupts == 1:
            self.stop(RunStatus.INTERRUPTED)
        else:
            self.abort()

    # -- the loop ------------------------------------------------------------------------------

    async def run(self) -> RunResult:
        recovered = self.journal.recover()
        self._count_journal()
        self._keep_held_slots()
        with self._signals():
            self._workers = [
                asyncio.create_task(self._worker(relay))
                for relay in self.relays.relays
                for _ in range(relay.connections)
            ]
            try:
                await self._produce()
            finally:
                await self._wind_down()
        if isinstance(self._fatal, SmtpConfigError):
            raise self._fatal
        if self._fatal is not None:
            error = " ".join(str(self._fatal).split())
            return RunResult(RunStatus.FAILED, f"{type(self._fatal).__name__}: {error}", recovered)
        return RunResult(self._status or RunStatus.DONE, self._reason, recovered)

    def _keep_held_slots(self) -> None:
        """A resumed run keeps the slots an earlier run booked for the recipients it held
        (--per-domain-rate): each goes at its slot unpaced, and its domain's new recipients
        come after the latest of them, so the pace is never doubled across a stop. Slots
        already past are simply due."""
        if self._pace is None:
            return
        for row_id, address, slot in self.journal.held_slots(
            time.time(), self.options.resend_uncertain
        ):
            self._booked[row_id] = True
            self._pace.reserve(_domain_of(address), slot)

    def _count_journal(self) -> None:
        counts = self.journal.counts()
        invalid = counts[State.INVALID]
        self.progress.total = sum(counts.values()) - invalid - counts.get(State.SKIPPED, 0)
        self.progress.sent = counts[State.SENT]
        self.progress.failed = counts[State.FAILED]
        self.progress.deferred = counts[State.DEFERRED]

    def _chunk(self) -> int:
        """Small claims and quick commits keep what a crash leaves uncertain small: at most a
        chunk plus the messages on the wire and the last FLUSH_AFTER of replies."""
        opts = self.options
        if opts.rate <= 0:
            connections = sum(relay.connections for relay in self.relays.relays)
            return min(CLAIM_MAX, max(CLAIM_MIN, CLAIM_PER_CONNECTION * connections))
        return max(1, min(CLAIM_MAX_RATED, int(opts.rate)))

    @contextlib.contextmanager
    def _signals(self) -> Iterator[None]:
        """SIGINT and SIGTERM (a service manager stopping the run) stop the loop; the handlers
        from before (the command's, which count) are put back afterwards."""
        loop = asyncio.get_running_loop()
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            loop.add_signal_handler(signal.SIGINT, self._on_sigint)
            loop.add_signal_handler(signal.SIGTERM, self._on_sigint)
        except (RuntimeError, ValueError):
            # outside the main thread (a caller driving the run from a thread) an event loop
            # takes no signal handlers: asyncio says so with RuntimeError, uvloop with
            # ValueError; the signals then stay with the caller
            yield
            return
        try:
            yield
        finally:
            loop.remove_signal_handler(signal.SIGINT)
            loop.remove_signal_handler(signal.SIGTERM)
            for sig, handler in previous.items():
                if handler is not None:
                    signal.signal(sig, handler)

    async def _produce(self) -> None:
        """Claim due recipients and hand them to relays until the run ends one way or another."""
        chunk = self._chunk()
        last_flush = last_progress = time.monotonic()
        while not self._stopping:
            now = time.monotonic()
            if len(self._results) >= FLUSH_EVERY or now - last_flush >= FLUSH_AFTER:
                self._flush()
                last_flush = now
            if self.on_progress and now - last_progress >= PROGRESS_EVERY:
                self.on_progress(self.progress)
                last_progress = now
            if self._fatal is not None:
                return
            if any(task.done() for task in self._workers):
                # a worker that ended without a reason would leave its share unsent forever
                self._fatal = RuntimeError("a sending worker ended unexpectedly")
                return
            if not self.relays.left():
                self._reason = self.relays.why_none_left()
                self.stop(RunStatus.REFUSED)
                return
            self._hand_over_backlog(chunk)
            room = self.relays.room(chunk) - len(self._backlog)
            # --limit counts new messages: retries of deferred ones come on top
            opts = self.options
            fresh = None if opts.limit is None else max(0, opts.limit - self._claimed_new)
            if room >= min(chunk, opts.pool) or (room > 0 and opts.limit is not None):
                items = self.journal.claim(
                    min(room, chunk), time.time(), opts.resend_uncertain, fresh
                )
                if items:
                    self.progress.waiting_until = None
                    self._claimed_new += sum(item.previous != State.DEFERRED for item in items)
                    self._backlog.extend(items)
                    self._hand_over_backlog(chunk)
                    continue
                if self._idle():
                    if fresh == 0:
                        self._status = RunStatus.LIMIT
                        return
                    if await self._nothing_due():
                        return
                    last_progress = time.monotonic()
                    continue
            await self._sleep(self._idle_wait())

    def _idle(self) -> bool:
        return not self._backlog and self._busy == 0 and self._queued() == 0

    def _queued(self) -> int:
        return sum(relay.queue.qsize() for relay in self.relays.relays)

    def _idle_wait(self) -> float:
        """Until the next token of the rate while recipients wait for one; while no relay can
        take anything, until the first comes back (at most WAIT_MAX)."""
        if self.relays.usable():
            if self._backlog:
                return min(IDLE_WAIT, max(WAIT_MIN / 10, self._bucket.wait()))
            return IDLE_WAIT
        due = self.relays.next_try()
        return WAIT_MAX if due is None else min(WAIT_MAX, max(WAIT_MIN, due))

    async def _nothing_due(self) -> bool:
        """Nothing to claim and nothing on the wire: True when the run is over, else wait for
        the next deferred retry (the display says so rather than an ETA that grows)."""
        self._flush()
        if self.journal.pending(self.options.resend_uncertain) == 0:
            self._status = RunStatus.DONE
            return True
        held = self.journal.next_held(self.options.resend_uncertain)  # the domains' pace
        if not self.options.wait and held is None:
            self._status = RunStatus.WAITING
            return True
        retry = self.journal.next_due() if self.options.wait else None
        due = min((t for t in (retry, held) if t is not None), default=None)
        delay = WAIT_MAX if due is None else min(WAIT_MAX, max(WAIT_MIN, due - time.time()))
        if due is not None:
            self.progress.waiting_until = time.monotonic() + (due - time.time())
            if self.on_progress:
                self.on_progress(self.progress)
        await self._sleep(delay)
        return False

    def _hand_over_backlog(self, chunk: int) -> None:
        """Give claimed recipients (new, or back from a relay that failed) to relays with room,
        each when the run's rate allows: the rate is kept here, at the hand-over, so the
        relays' weights decide who gets the next one."""
        cap = self.options.per_domain
        try:
            for _ in range(len(self._backlog)):
                item = self._backlog[0]
                if cap is not None and self._per_domain[_domain(item)] >= cap:
                    self._backlog.rotate(-1)  # its domain has enough in flight: the next one
                    continue
                if self._pace is not None and self._paced(item):
                    self._hold(self._backlog.popleft())  # its domain's next slot is later
                    continue
                relay = self.relays.choose(chunk)
                if relay is None or not self._bucket.try_take():
                    return
                self._backlog.popleft()
                if cap is not None:
                    self._per_domain[_domain(item)] += 1
                if self._pace is not None and not self._booked.pop(item.id, False):
                    self._pace.book(_domain(item))
                relay.queue.put_nowait(item)
        finally:
            if self._held:
                held, self._held = self._held, []
                self.journal.hold(held)

    def _paced(self, item: Claimed) -> bool:
        """Whether the item must wait for its domain (--per-domain-rate); one held before
        comes back with its slot booked and goes."""
        assert self._pace is not None
        return item.id not in self._booked and self._pace.wait(_domain(item)) > 0

    def _hold(self, item: Claimed) -> None:
        """Back to the journal until its domain's slot (--per-domain-rate), which is booked
        for it: untried, it is no attempt, does not count against --limit, and a crash
        meanwhile leaves it queued (a later run keeps its slot: `_keep_held_slots`)."""
        assert self._pace is not None
        self._held.append((item, self._pace.book(_domain(item))))
        self._booked[item.id] = True
        if item.previous != State.DEFERRED:
            self._claimed_new -= 1

    async def _wind_down(self) -> None:
        """Stop the workers, record what they did, give back what was never tried."""
        for relay in self.relays.relays:
            for _ in range(relay.connections):
                relay.queue.put_nowait(None)  # after what is queued: the workers stop there
        await asyncio.gather(*self._workers, return_exceptions=True)
        for relay in self.relays.relays:
            while not relay.queue.empty():
                left = relay.queue.get_nowait()
                if isinstance(left, Claimed):
                    self._released.append(left)
        self._released.extend(self._backlog)
        self._backlog.clear()
        self._flush(relays_too=True)
        now = self.relays.now()
        for relay in self.relays.relays:
            set_health(self.journal, relay.name, 0, "", relay.state(now))
        self.journal.release(self._released)
        self._released.clear()
        if self._status == RunStatus.REFUSED and len(self._streak) >= self.options.refusal_streak:
            self.requeued = requeue_ids(self.journal, self._streak)
        if self.on_progress:
            self.on_progress(self.progress)

    async def _sleep(self, seconds: float) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    def _flush(self, relays_too: bool = False) -> None:
        if self._results:
            batch, self._results = self._results, []
            self.journal.record(batch)
        now = time.monotonic()
        if not relays_too and now - self._relays_saved < RELAY_COUNTS_EVERY:
            return
        self._relays_saved = now
        unsaved = {r.name: r.unsaved for r in self.relays.relays if r.unsaved}
        if unsaved:
            add_counts(self.journal, unsaved)
            for relay in self.relays.relays:
                relay.unsaved.clear()

    async def _worker(self, relay: Relay) -> None:
        lane = Lane(Connection(relay.spec.settings))
        try:
            while True:
                prepared, lane.ahead = lane.ahead, None
                if prepared is None:
                    taken = None if lane.ended else await relay.queue.get()
                    if not isinstance(taken, Claimed):
                        return  # the end of the run
                    item = taken
                else:
                    item = prepared.item
                self._busy += 1
                try:
                    await self._send_one(relay, lane, item, prepared)
                finally:
                    self._busy -= 1
                    self._done_with(relay, item)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # no worker dies unseen: the run stops with it
            # the item it held stays in flight: whether it reached the server is unknown
            self._fatal = exc
            self.stop(RunStatus.FAILED)
        finally:
            if lane.ahead is not None:  # its envelope went ahead, its message never did
                self._released.append(lane.ahead.item)
                self._done_with(relay, lane.ahead.item, wake=False)
            await lane.connection.close()

    def _done_with(self, relay: Relay, item: Claimed, wake: bool = True) -> None:
        """A recipient has left this relay's hands (sent, refused, given back or released)."""
        if self.options.per_domain is not None:
            self._per_domain[_domain(item)] -= 1
        # Wake the producer only when it has work: a wake-up per message would cost more than
        # the message.
        if wake and (relay.queue.qsize() <= relay.connections or len(self._results) >= FLUSH_EVERY):
            self._wake.set()

    async def _send_one(
        self, relay: Relay, lane: Lane, item: Claimed, prepared: Prepared | None
    ) -> None:
        """One recipient over this lane's connection; `prepared` when it went ahead (composed,
        its envelope already written; never through a relay with a rate of its own)."""
        if prepared is None and relay.bucket is not None:
            await relay.bucket.acquire()
        if self._stopping:
            lane.connection.cancel_ahead()
            self._released.append(item)
            return
        if not relay.usable(self.relays.now()):
            lane.connection.cancel_ahead()
            self._give_back(relay, item)
            return
        if prepared is None:
            prepared = await self._prepare(item)
        result, outcome = await self._attempt(relay, lane, prepared)
        failure = relay_failure(outcome) if outcome is not None else None
        if outcome is not None and failure is not None:
            # about the relay, not this recipient: the others take it (and the relay's queue)
            before = relay.taken_out
            self.relays.take_out(relay, failure, outcome.reply)
            if relay.taken_out != before:
                now = self.relays.now()
                set_health(self.journal, relay.name, 1, outcome.reply, relay.state(now))
            if lane.ahead is not None:
                lane.connection.cancel_ahead()
                ahead, lane.ahead = lane.ahead, None
                self._backlog.append(ahead.item)
                self._done_with(relay, ahead.item, wake=False)
            self._give_back(relay, item)
            if not self.relays.left():
                self._no_relay_left(outcome, item)
            return
        self.relays.succeeded(relay)
        relay.counts[result.state] += 1
        relay.unsaved[result.state] += 1
        self._results.append(result)
        self._count(result, item)
        if outcome is not None:
            self._watch_streak(outcome, item)
            self._watch_policy(outcome)

    def _give_back(self, relay: Relay, item: Claimed) -> None:
        """The recipient, and what waits in this relay's queue, go back to the backlog: nothing
        was handed over, so another relay (or this one, later) sends them; no attempt counts."""
        self._backlog.append(item)  # its claim counted one attempt; the next relay uses it
        stops = 0
        while not relay.queue.empty():
            left = relay.queue.get_nowait()
            if isinstance(left, Claimed):
                if self.options.per_domain is not None:
                    self._per_domain[_domain(left)] -= 1
                self._backlog.append(left)
            else:
                stops += 1
        for _ in range(stops):  # the end of the run: the relay's workers still need to see it
            relay.queue.put_nowait(None)
        self._wake.set()

    async def _prepare(self, item: Claimed) -> Prepared:
        """Compose (and sign) the recipient's message; a failure is its result, nothing is sent."""
        try:
            composed = self.composer.compose(item.address, item.data, item.key)
        except HeaderValueError as exc:
            return Prepared(item, result=Result(item.id, State.INVALID, str(exc)))
        except Exception as exc:  # a jinja2 error or one row's values (1/0)
            # nothing was sent: this recipient fails with the error, the others go on
            reason = self.composer.describe_error(exc, item.data)
            return Prepared(item, result=Result(item.id, State.FAILED, reason))
        data = composed.data
        if self.sign is not None:
            try:
                data = await self.sign(data)
            except ValueError as exc:  # DkimSignError: never for what the composer makes
                return Prepared(item, result=Result(item.id, State.FAILED, f"cannot sign: {exc}"))
        envelope = Envelope.of(self._envelope_from(item), item.address, composed.eightbit)
        return Prepared(item, envelope, data)

    async def _attempt(
        self, relay: Relay, lane: Lane, prepared: Prepared
    ) -> tuple[Result, Outcome | None]:
        if prepared.envelope is None:
            assert prepared.result is not None
            return prepared.result, None
        connection = lane.connection
        outcome = await connection.begin(prepared.envelope)
        if outcome is None:
            ahead = await self._look_ahead(relay, lane)
            outcome = await connection.transfer(prepared.data, ahead)
        return self._judge(prepared.item, outcome), outcome

    async def _look_ahead(self, relay: Relay, lane: Lane) -> Envelope | None:
        """The relay's next recipient, made ready now so that its MAIL, RCPT and DATA go out in
        the same write as this message's content: one write and one round trip a message.
        Only over PIPELINING, and not for a relay with a rate of its own (its next token is not
        due yet)."""
        if (
            not lane.connection.pipelining
            or relay.bucket is not None
            or self._stopping
            or relay.queue.empty()
        ):
            return None
        item = relay.queue.get_nowait()
        if not isinstance(item, Claimed):
            lane.ended = True  # the end of the run: nothing comes after this message
            return None
        lane.ahead = Prepared(item)  # the worker gives it back if cancelled while composing
        lane.ahead = await self._prepare(item)
        return lane.ahead.envelope

    def _judge(self, item: Claimed, outcome: Outcome) -> Result:
        """The recipient's new state from the server's answer; retries back off exponentially."""
        if outcome.kind == "sent":
            return Result(item.id, State.SENT, outcome.reply)
        if outcome.kind == "permanent":
            return Result(item.id, State.FAILED, outcome.reply, None, outcome.after_data)
        if item.attempts >= self.options.max_attempts:
            reply = f"{outcome.reply} (gave up after {item.attempts} attempts)"
            return Result(item.id, State.FAILED, reply, None, outcome.after_data)
        delay = min(self.options.retry_max, self.options.retry_delay * 2 ** (item.attempts - 1))
        return Result(
            item.id, State.DEFERRED, outcome.reply, time.time() + delay, outcome.after_data
        )

    def _envelope_from(self, item: Claimed) -> str:
        """The return path, or the recipient's own one (VERP) when a function makes it."""
        if isinstance(self.envelope_from, str):
            return self.envelope_from
        return self.envelope_from(item)

    def _count(self, result: Result, item: Claimed) -> None:
        p = self.progress
        was_deferred = item.previous == State.DEFERRED
        if result.state == State.DEFERRED and not was_deferred:
            p.deferred += 1
        elif result.state != State.DEFERRED and was_deferred:
            p.deferred -= 1
        if result.state == State.SENT:
            p.sent += 1
            p.sent_this_run += 1
        elif result.state == State.FAILED:
            p.failed += 1
        elif result.state == State.INVALID:
            p.total -= 1

    def _no_relay_left(self, outcome: Outcome, item: Claimed) -> None:
        """Stop: the last relay refuses the sender, the login or us, or never came back."""
        if self._stopping:
            return
        if len(self.relays.relays) > 1 or outcome.kind != "server":
            self._reason = self.relays.why_none_left()
        elif outcome.stage == "connect":
            self._reason = f"the server refused the connection: {outcome.reply}"
        elif outcome.code == 530:
            what = "to relay without authentication (give a user in --smtp)"
            self._reason = f"the server refused {what}: {outcome.reply}"
        else:
            what = f"the envelope sender {self._envelope_from(item)}"
            if not isinstance(self.envelope_from, str):
                what += " (a VERP address: --no-verp sends with the plain return path)"
            self._reason = f"the server refused {what}: {outcome.reply}"
        self.stop(RunStatus.REFUSED)

    def _watch_streak(self, outcome: Outcome, item: Claimed) -> None:
        if self._status == RunStatus.REFUSED:  # stopped for it: what is still on the wire may join
            if outcome.kind == "permanent" and reply_group(outcome.reply) == self._streak_reply:
                self._streak.append(item.id)
            return
        if outcome.kind != "permanent" or outcome.stage not in ("rcpt", "data"):
            self._streak.clear()
            return
        match = ENHANCED_RE.match(outcome.reply.partition(" ")[2])
        if match is not None and (
            match[2] == "2" or (match[2] == "1" and match[3] in RECIPIENT_ADDRESS_DETAILS)
        ):
            self._streak.clear()  # the reply is about this recipient's address or mailbox
            return
        group = reply_group(outcome.reply)
        if group != self._streak_reply:
            self._streak.clear()
            self._streak_reply = group
        self._streak.append(item.id)
        if len(self._streak) >= self.options.refusal_streak and not self._stopping:
            self._reason = (
                f"{len(self._streak)} different recipients in a row were refused with the same "
                f"reply, so it is about the sender or the relay: {outcome.reply}"
            )
            self.stop(RunStatus.REFUSED)

    def _watch_policy(self, outcome: Outcome) -> None:
        policy = outcome.kind == "permanent" and outcome.policy
        if len(self._policy) == self._policy.maxlen:
            self._policy_hits -= self._policy[0]
        self._policy.append(policy)
        self._policy_hits += policy
        if policy:
            self._policy_example = outcome.reply
        hits = self._policy_hits
        if (
            hits >= self.options.policy_min
            and hits >= self.options.policy_share * len(self._policy)
            and not self._stopping
        ):
            self._reason = (
                f"{hits} of the last {len(self._policy)} replies were policy rejections (5.7.x), "
                f"for example: {self._policy_example}"
            )
            self.stop(RunStatus.PAUSED)


def _domain(item: Claimed) -> str:
    """The receiving domain, for --per-domain."""
    return _domain_of(item.address)


def _domain_of(address: str) -> str:
    return address.rpartition("@")[2].lower()
