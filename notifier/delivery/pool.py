"""The send loop: claim due recipients from the journal, send them over the pool, record outcomes.

One producer claims recipients in small chunks (committed in-flight before any is sent) and feeds
a bounded queue; N workers, each owning one SMTP connection, take a token from the rate limiter,
compose and send. Outcomes are committed in batches. Ctrl-C stops claiming, gives back what was
claimed but not started, lets the messages on the wire finish and records them: no duplicates.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from notifier.delivery.connection import (
    ENHANCED_RE,
    Connection,
    Outcome,
    SmtpConfigError,
    SmtpSettings,
)
from notifier.delivery.ratelimit import TokenBucket
from notifier.ledger.journal import Claimed, Journal, Result, State
from notifier.ledger.report import reply_group
from notifier.ledger.requeue import requeue_ids
from notifier.message.compose import Composer, HeaderValueError

FLUSH_EVERY = 64
# RFC 3463 X.1.n details that are about the recipient's address (bad mailbox, bad system, bad
# syntax, ambiguous, moved, no mail accepted); X.1.7 and X.1.8 are about the sender's
RECIPIENT_ADDRESS_DETAILS = frozenset({"1", "2", "3", "4", "6", "10"})


@dataclass(frozen=True)
class RunOptions:
    """Knobs of one run; the defaults suit a real MTA (greylisting wants minutes)."""

    pool: int = 4
    rate: float = 10.0
    limit: int | None = None
    wait: bool = True  # False: end when only deferred recipients remain
    resend_uncertain: bool = True
    max_attempts: int = 6
    retry_delay: float = 300.0
    retry_max: float = 4 * 3600.0
    policy_window: int = 50
    policy_min: int = 20
    policy_share: float = 0.5
    # this many different recipients in a row refused at RCPT or DATA with the same reply (one
    # that does not name their mailbox): the refusal is about the sender or the relay
    refusal_streak: int = 10


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


@dataclass
class RunResult:
    status: RunStatus
    reason: str = ""
    recovered: int = 0


class Runner:
    """Executes one action's journal against one SMTP server."""

    def __init__(
        self,
        journal: Journal,
        composer: Composer,
        settings: SmtpSettings,
        envelope_from: str | Callable[[Claimed], str],
        options: RunOptions,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> None:
        self.journal = journal
        self.composer = composer
        self.settings = settings
        self.envelope_from = envelope_from
        self.options = options
        self.on_progress = on_progress
        self.progress = Progress()
        self._results: list[Result] = []
        self._released: list[Claimed] = []
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
        loop = asyncio.get_running_loop()
        recovered = self.journal.recover()
        counts = self.journal.counts()
        invalid = counts[State.INVALID]
        self.progress.total = sum(counts.values()) - invalid - counts.get(State.SKIPPED, 0)
        self.progress.sent = counts[State.SENT]
        self.progress.failed = counts[State.FAILED]
        self.progress.deferred = counts[State.DEFERRED]
        opts = self.options
        # Small claims and quick result commits keep what a crash leaves uncertain small: at
        # most a chunk plus the messages on the wire and the last 10 ms of replies.
        chunk = (
            min(64, max(32, 4 * opts.pool)) if opts.rate <= 0 else max(1, min(32, int(opts.rate)))
        )
        capacity = opts.pool + chunk
        queue: asyncio.Queue[Claimed | None] = asyncio.Queue()
        bucket = TokenBucket(opts.rate)
        # the handlers before this loop's (the command's, which count): put back afterwards
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            # SIGTERM (a service manager stopping the run) is handled like Ctrl-C
            loop.add_signal_handler(signal.SIGINT, self._on_sigint)
            loop.add_signal_handler(signal.SIGTERM, self._on_sigint)
            handler_installed = True
        except (NotImplementedError, RuntimeError):
            # asyncio's documented answers: no signal handlers on this event loop (Windows),
            # or not in the main thread (tests driving the run); Ctrl-C then stops it instead.
            handler_installed = False
        self._workers = [
            asyncio.create_task(self._worker(queue, bucket)) for _ in range(max(1, opts.pool))
        ]
        claimed = 0
        last_flush = last_progress = time.monotonic()
        try:
            while not self._stopping:
                now_mono = time.monotonic()
                if len(self._results) >= FLUSH_EVERY or now_mono - last_flush >= 0.01:
                    self._flush()
                    last_flush = now_mono
                if self.on_progress and now_mono - last_progress >= 0.25:
                    self.on_progress(self.progress)
                    last_progress = now_mono
                if self._fatal is not None:
                    break
                if any(task.done() for task in self._workers):
                    # a worker that ended without a reason would leave its share unsent forever
                    self._fatal = RuntimeError("a sending worker ended unexpectedly")
                    break
                room = capacity - queue.qsize()
                # --limit counts new messages: retries of deferred ones come on top
                fresh = None if opts.limit is None else max(0, opts.limit - claimed)
                if room >= min(chunk, opts.pool) or (room > 0 and opts.limit is not None):
                    items = self.journal.claim(
                        min(room, chunk), time.time(), opts.resend_uncertain, fresh
                    )
                    if items:
                        self.progress.waiting_until = None
                        claimed += sum(item.previous != State.DEFERRED for item in items)
                        for item in items:
                            queue.put_nowait(item)
                        continue
                    if queue.empty() and self._busy == 0:
                        if fresh == 0:
                            self._status = RunStatus.LIMIT
                            break
                        self._flush()
                        if self.journal.pending(opts.resend_uncertain) == 0:
                            self._status = RunStatus.DONE
                            break
                        if not opts.wait:
                            self._status = RunStatus.WAITING
                            break
                        due = self.journal.next_due()
                        # at most a second: the progress goes on while the retries wait
                        delay = 1.0 if due is None else min(1.0, max(0.02, due - time.time()))
                        # only deferred retries are left, none due yet: the display says so
                        # rather than an ETA that grows with every second of waiting
                        if due is not None:
                            self.progress.waiting_until = time.monotonic() + (due - time.time())
                            if self.on_progress:
                                self.on_progress(self.progress)
                                last_progress = time.monotonic()
                        await self._sleep(delay)
                        continue
                await self._sleep(0.05)
        finally:
            while not queue.empty():
                left = queue.get_nowait()
                if left is not None:
                    self._released.append(left)
            for _ in self._workers:
                queue.put_nowait(None)
            await asyncio.gather(*self._workers, return_exceptions=True)
            self._flush()
            self.journal.release(self._released)
            self._released.clear()
            if self._status == RunStatus.REFUSED and len(self._streak) >= opts.refusal_streak:
                self.requeued = requeue_ids(self.journal, self._streak)
            if handler_installed:
                loop.remove_signal_handler(signal.SIGINT)
                loop.remove_signal_handler(signal.SIGTERM)
                for sig, handler in previous.items():
                    if handler is not None:
                        signal.signal(sig, handler)
            if self.on_progress:
                self.on_progress(self.progress)
        if isinstance(self._fatal, SmtpConfigError):
            raise self._fatal
        if self._fatal is not None:
            error = " ".join(str(self._fatal).split())
            return RunResult(RunStatus.FAILED, f"{type(self._fatal).__name__}: {error}", recovered)
        return RunResult(self._status or RunStatus.DONE, self._reason, recovered)

    async def _sleep(self, seconds: float) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    def _flush(self) -> None:
        if self._results:
            batch, self._results = self._results, []
            self.journal.record(batch)

    async def _worker(self, queue: asyncio.Queue[Claimed | None], bucket: TokenBucket) -> None:
        connection = Connection(self.settings)
        connect_failures = 0
        try:
            while True:
                item = await queue.get()
                if item is None:
                    return
                self._busy += 1
                try:
                    await bucket.acquire()
                    if self._stopping:
                        self._released.append(item)
                        continue
                    result, outcome = await self._attempt(connection, item)
                    if outcome is not None and outcome.kind == "server":
                        # about the sender or the relay: not this recipient's outcome
                        self._released.append(item)
                        self._refused(outcome, item)
                        continue
                    self._results.append(result)
                    self._count(result, item)
                    if outcome is not None:
                        self._watch_streak(outcome, item)
                        self._watch_policy(outcome)
                        if outcome.reply.startswith("connect:"):
                            connect_failures += 1
                            await asyncio.sleep(min(30.0, 0.5 * 2**connect_failures))
                        else:
                            connect_failures = 0
                finally:
                    self._busy -= 1
                    # Wake the producer only when it has work: a wake-up per message would
                    # cost more than the message.
                    if queue.qsize() <= self.options.pool or len(self._results) >= FLUSH_EVERY:
                        self._wake.set()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # no worker dies unseen: the run stops with it
            # the item it held stays in flight: whether it reached the server is unknown
            self._fatal = exc
            self.stop(RunStatus.FAILED)
        finally:
            await connection.close()

    async def _attempt(
        self, connection: Connection, item: Claimed
    ) -> tuple[Result, Outcome | None]:
        try:
            composed = self.composer.compose(item.address, item.data, item.key)
        except HeaderValueError as exc:
            return Result(item.id, State.INVALID, str(exc)), None
        except Exception as exc:  # a jinja2 error or one row's values (1/0)
            # nothing was sent: this recipient fails with the error, the others go on
            return Result(item.id, State.FAILED, self.composer.describe_error(exc, item.data)), None
        outcome = await connection.send(
            self._envelope_from(item), item.address, composed.data, composed.eightbit
        )
        if outcome.kind == "sent":
            return Result(item.id, State.SENT, outcome.reply), outcome
        if outcome.kind == "permanent":
            return Result(item.id, State.FAILED, outcome.reply, None, outcome.after_data), outcome
        if item.attempts >= self.options.max_attempts:
            reply = f"{outcome.reply} (gave up after {item.attempts} attempts)"
            return Result(item.id, State.FAILED, reply, None, outcome.after_data), outcome
        delay = min(self.options.retry_max, self.options.retry_delay * 2 ** (item.attempts - 1))
        return (
            Result(item.id, State.DEFERRED, outcome.reply, time.time() + delay, outcome.after_data),
            outcome,
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

    def _refused(self, outcome: Outcome, item: Claimed) -> None:
        """Stop at once: a refusal of the sender or relay would refuse every recipient."""
        if self._stopping:
            return
        if outcome.stage == "connect":
            what = "the connection"
        elif outcome.code == 530:
            what = "to relay without authentication (give a user in --smtp)"
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
