"""`docket notify CASE`: plan, confirm, snapshot, send, report; run again to resume.

The steps in the order a critical sees them. Everything that can refuse runs before the journal
exists (`jobs.prepare`); what changes the journal beyond the snapshot (re-queueing failures,
skipping who an earlier run reached) waits for the confirmation.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shlex
import time
from collections.abc import Awaitable, Callable, Iterator
from email.utils import parseaddr
from pathlib import Path

from notifier.approval.action import ResolvedAction
from notifier.audience.directory import PASSWORD_ENV, carries_password
from notifier.delivery.pool import RunResult, RunStatus
from notifier.delivery.relays import Relays
from notifier.jobs.prepare import Ready, connect_relays, ready, run_async
from notifier.ledger.journal import JournalError, State
from notifier.ledger.options import save_options, stored_options
from notifier.ledger.record import record_outcome
from notifier.ledger.registry import Registry, Run, count_reached_before, journal_run_id
from notifier.ledger.registry import skip_delivered as skip_reached_before
from notifier.ledger.report import write_report
from notifier.ledger.requeue import count_failed, requeue_failed, requeue_log
from notifier.ledger.retention import refuse_purged
from notifier.message.compose import Composer
from notifier.message.dkim import AsyncSigner, Signer
from notifier.plan import Plan, check_samples
from notifier.request import (
    EXIT_DECLINED,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_PAUSED,
    Console,
    SendRequest,
)
from notifier.session import RunSession
from notifier.steps import (
    bounce_counts,
    languages,
    make_composer,
    samples,
    snapshot,
    verp_envelopes,
)

SIGNING_WORKERS = 1  # processes that sign while the event loop sends (2 cores: the other one)


def send(request: SendRequest, console: Console) -> int:
    resolved = request.target.resolve()
    folder = request.target.folder(resolved)
    request = _resumed(request, folder, console)
    with ready(request, resolved) as prepared:
        relays = connect_relays(request)
        registry = _registry(request, resolved, folder)
        with RunSession(folder, registry=registry, count_interrupts=True) as session:
            return _Run(session, request, prepared, relays, console).run()


def _resumed(request: SendRequest, folder: Path, console: Console) -> SendRequest:
    """A resumed run sends as the run before it did, except for what this command line says."""
    options = request.options
    taken = options.with_kept(stored_options(folder), request.given)
    if taken:
        console.echo(f"options of the earlier run in {folder}: {shlex.join(options.words(taken))}")
        options = dataclasses.replace(options, **taken)
    if options.limit == 0:  # --limit 0 lifts a kept limit
        options = dataclasses.replace(options, limit=None)
    return dataclasses.replace(request, options=options)


def _registry(request: SendRequest, resolved: ResolvedAction, folder: Path) -> Registry:
    """The run registry, once it is clear this is no unannounced second run of the action."""
    if request.reason is not None and not request.new_run:
        raise JournalError("--reason goes with --new-run")
    if request.new_run and not (request.reason or "").strip():
        raise JournalError(
            "--new-run needs --reason TEXT: why the action is sent again (it is kept in the "
            "run registry and the report)"
        )
    registry = Registry()
    try:
        registry.check(resolved.case, resolved.action.id, journal_run_id(folder), request.new_run)
    except BaseException:
        registry.close()
        raise
    return registry


class _Run:
    """One send, inside its session: the steps after the journal is open and locked."""

    def __init__(
        self,
        session: RunSession,
        request: SendRequest,
        prepared: Ready,
        relays: Relays,
        console: Console,
    ) -> None:
        self.session = session
        self.journal = session.journal
        self.registry = session.registry
        assert self.registry is not None
        self.request = request
        self.options = request.options
        self.prepared = prepared
        self.resolved = prepared.resolved
        self.relays = relays
        self.echo = console.echo
        self.console = console
        self.others: list[Run] = []

    def run(self) -> int:
        composer, fresh = self._open()
        for line in self._plan(composer).lines():
            self.echo(line)
        if not fresh:
            self.echo(f"resuming the run in {self.session.folder}")
        if not self._confirmed():
            return EXIT_DECLINED
        self._before_sending()
        save_options(self.journal.db, self.options.kept())
        if self.session.interrupts.count:
            resume = self._resume()
            self.echo(f"interrupted before sending; nothing was sent. To resume, run: {resume}")
            code = EXIT_INTERRUPTED
        else:
            code = self._deliver(composer)
        self._report(code)
        return code

    def _open(self) -> tuple[Composer, bool]:
        """Bind the journal to the approved action, register the run, snapshot the audience."""
        journal, resolved, action = self.journal, self.resolved, self.resolved.action
        refuse_purged(journal)
        run_id = journal.bind(resolved.case, action.id, resolved.digest)
        assert self.registry is not None
        self.others = self.registry.admit(
            journal,
            case=resolved.case,
            action=action.id,
            domain=parseaddr(action.sender)[1].rpartition("@")[2],
            new_run=self.request.new_run,
            reason=self.request.reason,
        )
        if self.request.new_run and journal.meta().new_run_reason is None:
            journal.set("new_run_reason", self.request.reason or "")
        fresh = snapshot(journal, self.prepared.audience)
        signer = self.prepared.signer
        sign = signer.sign if signer else None
        composer = make_composer(
            resolved, self.prepared.templates, run_id, self.relays.eightbit, sign
        )
        return composer, fresh

    def _plan(self, composer: Composer) -> Plan:
        rendered = samples(self.journal, composer)  # first: a template error is the only line
        pattern = self.request.requeue_failed
        return Plan.of(
            self.journal,
            resolved=self.resolved,
            options=self.options,
            rate=self.prepared.rate,
            samples=rendered,
            relays=self.relays,
            folder=self.session.folder,
            requeue=count_failed(self.journal, pattern) if pattern is not None else 0,
            skip=count_reached_before(self.journal, self._reached())
            if self.options.skip_sent
            else 0,
            signer=self.prepared.signer,
            languages=languages(self.journal, composer),
            findings=check_samples(
                rendered,
                self.resolved.envelope_from,
                self.prepared.signer,
                self.relays,
                self.request.flagged,
            ),
        )

    def _reached(self) -> dict[str, tuple[str, str]]:
        """Who the action's other runs may have reached (their journals copied in first)."""
        assert self.registry is not None
        case, action = self.resolved.case, self.resolved.action.id
        for other in self.others:
            self.registry.record_deliveries(case, action, other)
        return self.registry.delivered(case, action, self.journal.meta().run_id)

    def _confirmed(self) -> bool:
        if self.request.yes:
            return True
        if not self.console.interactive:
            self.echo("not confirmed: pass --yes to send without asking")
            return False
        with self.session.interrupts.suspended():  # Ctrl-C at the prompt stops at once
            names = ", ".join(spec.name for spec in self.relays.specs)
            confirmed = self.console.confirm(f"Send to {names} now?")
        if not confirmed:
            self.echo("nothing sent")
        return confirmed

    def _before_sending(self) -> None:
        """What the plan announced and the critical confirmed: skip, then re-queue."""
        if self.options.skip_sent:
            skipped = skip_reached_before(self.journal, self._reached())
            self.echo(
                f"skipped {skipped} recipient(s) an earlier run of this action may have reached"
            )
        pattern = self.request.requeue_failed
        if pattern is not None:
            count = requeue_failed(self.journal, pattern)
            which = f" with a reply containing {pattern!r}" if pattern else ""
            self.echo(f"re-queued {count} failed recipient(s){which}")

    def _deliver(self, composer: Composer) -> int:
        """The send loop, again after a pause the critical chose to end; the exit status."""
        from notifier.delivery.pool import Runner
        from notifier.progress import ProgressDisplay

        envelope = self.resolved.envelope_from
        sender = verp_envelopes(self.journal, envelope) if self.options.verp else envelope
        loop_options = self.options.run_options(self.prepared.rate, self.prepared.domain_rate)
        with _signing(composer, self.prepared.signer) as sign:
            while True:
                with ProgressDisplay() as display:
                    runner = Runner(
                        self.journal, composer, self.relays.specs, sender, loop_options,
                        display.update, sign,
                    )  # fmt: skip
                    result = run_async(runner.run())
                if result.recovered:
                    recovered = result.recovered
                    self.echo(f"{recovered} message(s) were in flight at a crash: marked uncertain")
                if result.status is RunStatus.PAUSED and self._go_on(result):
                    continue
                return self._ended(result, runner.requeued)

    def _go_on(self, result: RunResult) -> bool:
        self.echo(f"paused: {result.reason}")
        return (
            self.console.interactive
            and not self.request.yes
            and self.console.confirm("Continue sending?")
        )

    def _ended(self, result: RunResult, requeued: int) -> int:
        """Say how the run ended and how to go on; the exit status."""
        resume = self._resume()
        counts = self.journal.counts()
        on_wire = counts[State.IN_FLIGHT]
        lost = (
            f"{on_wire} message(s) were on the wire: they count as uncertain at the next run"
            if on_wire
            else "nothing is lost"
        )
        if result.status is RunStatus.REFUSED:
            again = f" ({requeued} re-queued)" if requeued else ""
            queued = counts[State.QUEUED]
            line = (
                f"stopped: {result.reason}; no recipient was marked failed for it{again}, "
                f"{queued} stay queued. Fix the sender or the relay, then run: {resume}"
            )
            code = EXIT_PAUSED
        elif result.status is RunStatus.PAUSED:
            line, code = f"stopped; to go on, run: {resume}", EXIT_PAUSED
        elif result.status is RunStatus.FAILED:
            line = f"stopped by an error: {result.reason}; {lost}. To go on, run: {resume}"
            code = EXIT_FAILED
        elif result.status is RunStatus.INTERRUPTED:
            line, code = f"interrupted; {lost}. To resume, run: {resume}", EXIT_INTERRUPTED
        elif result.status is RunStatus.WAITING:
            due = self.journal.next_due()
            wait = f" (next due in {max(0.0, due - time.time()):.0f} s)" if due else ""
            line = f"only deferred recipients remain; run the same command again later{wait}"
            return self._say(line, 0, password_note=False)
        elif result.status is RunStatus.LIMIT:
            queued = counts[State.QUEUED]
            limit = self.options.limit
            line = f"sent the --limit of {limit}; {queued} stay queued; to send on, run: {resume}"
            return self._say(line, 0, password_note=bool(queued))
        else:
            return 0
        return self._say(line, code, password_note=True)

    def _say(self, line: str, code: int, *, password_note: bool) -> int:
        self.echo(line)
        directory = self.request.endpoints.directory
        from_env = self.request.endpoints.directory_from_env
        if password_note and directory and not from_env and carries_password(directory):
            self.echo(f"(the directory password is left out: set {PASSWORD_ENV} before running it)")
        return code

    def _resume(self) -> str:
        return self.request.resume_command(self.resolved.action.id, self.session.folder)

    def _report(self, code: int) -> None:
        meta = self.journal.meta()
        summary = write_report(
            self.journal,
            {
                "requeued": requeue_log(self.journal),
                "new_run_reason": meta.new_run_reason,
                "other_runs": [r.run_id for r in self.others],
            },
        )
        for line in summary.lines():
            self.echo(line)
        if self.options.record and code == 0:
            case_file = self.resolved.case_file
            line, at = record_outcome(
                case_file, meta.action, summary.counts, bounce_counts(summary)
            )
            self.echo(f"recorded in {case_file}:{at}: {line}")


@contextlib.contextmanager
def _signing(
    composer: Composer, signer: Signer | None
) -> Iterator[Callable[[bytes], Awaitable[bytes]] | None]:
    """While sending, DKIM signs in a worker process (the other core) and the composer does not:
    the event loop composes and sends, the worker signs (docs/performance.md)."""
    if signer is None:
        yield None
        return
    pool = AsyncSigner(signer.keys, workers=SIGNING_WORKERS)
    composer.sign = None
    try:
        yield pool.sign
    finally:
        composer.sign = signer.sign
        pool.close()
