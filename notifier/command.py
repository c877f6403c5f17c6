"""`docket notify` from arguments to exit code, without click (echo and confirm are passed in)."""

from __future__ import annotations

import asyncio
import dataclasses
import shlex
import sys
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import date
from email.utils import parseaddr
from pathlib import Path
from typing import Any, TypeVar

from notifier.approval.action import ResolvedAction, require_approval, resolve
from notifier.audience.directory import (
    PASSWORD_ENV,
    Audience,
    carries_password,
    directory_url,
    without_password,
)
from notifier.delivery.connection import Capabilities, SmtpSettings, parse_smtp_url, probe
from notifier.delivery.pool import Runner, RunOptions
from notifier.delivery.ratelimit import parse_rate
from notifier.interrupts import Interrupts
from notifier.ledger.journal import IN_FLIGHT, INVALID, QUEUED, Claimed, Journal, JournalError
from notifier.ledger.options import STORED, option_words, save_options, stored_options
from notifier.ledger.record import append_execution_line, record_line
from notifier.ledger.registry import Registry, journal_run_id, runs_root, skip_delivered
from notifier.ledger.report import write_report
from notifier.ledger.requeue import requeue_failed, requeue_log
from notifier.ledger.retention import purge_run, refuse_purged
from notifier.message.compose import Composer, TemplateSet, validate_address
from notifier.steps import (
    bounce_counts,
    default_run_folder,
    fold_bounces,
    load_templates,
    make_composer,
    open_directory,
    run_status,
    samples,
    scratch_journal,
    send_tests,
    show_message,
    snapshot,
    verp_envelopes,
)
from notifier.steps import (
    dry_run as render_all,
)

EXIT_FAILED = 1
EXIT_INTERRUPTED = 130
EXIT_PAUSED = 3
EXIT_DECLINED = 4


@dataclass(frozen=True)
class NotifyArgs:
    case: str
    action_id: str | None
    directory: str | None
    smtp: str | None
    journal_dir: Path | None
    rate: str | None
    pool: int
    limit: int | None
    dry_run: bool
    test_to: str | None
    status: bool
    digest_only: bool
    yes: bool
    no_wait: bool
    resend_uncertain: bool
    record: bool
    retry_delay: float
    max_attempts: int
    smtp_timeout: float
    data_timeout: float
    cases_dir: Path
    pipelining: bool = True
    requeue_failed: str | None = None
    # the options typed on the command line: the others come from the journal of a resumed run
    given: frozenset[str] = frozenset()
    new_run: bool = False
    reason: str | None = None
    skip_sent: bool = False
    directory_from_env: bool = False
    purge: bool = False
    verp: bool = True
    bounces: tuple[Path, ...] = ()


def _resume_command(args: NotifyArgs, action_id: str, folder: Path) -> str:
    """The command that carries on this run, runnable as printed, with every option that
    changes how it sends; it never holds a password.

    A directory taken from DOCKET_DIRECTORY is left to the environment; a password in a
    command-line URL is left out, to come from DOCKET_DIRECTORY_PASSWORD.
    """
    words = ["notify", args.case, "--action", action_id, "--journal", str(folder)]
    if args.directory and not args.directory_from_env:
        words += ["--directory", without_password(args.directory)]
    if args.smtp:
        words += ["--smtp", args.smtp]
    words += option_words(_options_of(args))
    if not args.verp:
        words.append("--no-verp")
    words += ["--cases", str(args.cases_dir), "--yes"]
    return "docket " + shlex.join(words)


def _options_of(args: NotifyArgs) -> dict[str, Any]:
    return {name: getattr(args, name) for name in STORED}


def _with_stored_options(args: NotifyArgs, folder: Path, echo: Callable[[str], None]) -> NotifyArgs:
    """A resumed run sends as the run before it did, except for what this command line says."""
    taken = {
        name: value
        for name, value in stored_options(folder).items()
        if name not in args.given and getattr(args, name) != value
    }
    if not taken:
        return args
    echo(f"options of the earlier run in {folder}: {shlex.join(option_words(taken))}")
    return dataclasses.replace(args, **taken)


T = TypeVar("T")


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run on uvloop where it is installed: the client's event loop is its bottleneck."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


def notify_command(
    args: NotifyArgs, echo: Callable[[str], None], confirm: Callable[[str], bool]
) -> int:
    resolved = resolve(args.case, args.cases_dir, args.action_id)
    action = resolved.action
    if args.digest_only:
        echo(resolved.digest)
        for part in resolved.parts:
            echo(f"  {part.sha256[:16]}  {part.name}")
        return 0
    folder = args.journal_dir or default_run_folder(resolved.case, action.id)
    if args.status:
        for line in _status(resolved.case, action.id, folder):
            echo(line)
        return 0
    if args.purge:
        for line in purge_run(folder):
            echo(line)
        _forget_deliveries(folder)
        return 0
    if args.bounces:
        return fold_bounces(resolved, folder, args.bounces, args.record, echo)
    if not (args.dry_run or args.test_to):
        args = _with_stored_options(args, folder, echo)
    if args.limit == 0:
        args = dataclasses.replace(args, limit=None)
    require_approval(resolved)
    assert action.approved is not None
    validate_address(resolved.envelope_from)
    templates = load_templates(resolved)
    audience = open_directory(directory_url(args.directory), resolved, templates)
    try:
        return _with_audience(args, resolved, templates, audience, folder, echo, confirm)
    finally:
        audience.close()


def _with_audience(
    args: NotifyArgs,
    resolved: ResolvedAction,
    templates: TemplateSet,
    audience: Audience,
    folder: Path,
    echo: Callable[[str], None],
    confirm: Callable[[str], bool],
) -> int:
    """The run once the audience query is open (it is streamed into the journal, once)."""
    action = resolved.action
    rate = parse_rate(args.rate if args.rate is not None else action.rate)
    settings = None
    server: Capabilities | None = None
    if not args.dry_run:
        settings = parse_smtp_url(
            args.smtp,
            timeout=args.smtp_timeout,
            data_timeout=args.data_timeout,
            pipelining=args.pipelining,
        )
        server = _run(probe(settings))
    eightbit = server is not None and server.eightbit

    if args.dry_run or args.test_to:
        with scratch_journal() as journal:
            run_id = journal.bind(resolved.case, action.id, resolved.digest)
            snapshot(journal, audience)
            composer = make_composer(resolved, templates, run_id, eightbit)
            _plan(args, resolved, journal, composer, rate, server, echo)
            if args.test_to:
                assert settings is not None
                accepted = _run(
                    send_tests(
                        settings, resolved.envelope_from, composer, journal, args.test_to, echo
                    )
                )
                return 0 if accepted else 1
            result = render_all(journal, composer, args.limit)
            variants = ", ".join(f"{n} {v}" for v, n in sorted(result.by_variant.items()))
            echo(
                f"dry run: {result.would_send} messages would be sent ({variants}); "
                f"{result.invalid} invalid addresses would be skipped; "
                f"{result.bytes_total / max(1, result.would_send):.0f} bytes on average"
                + (f"; {result.failed} would fail ({result.first_error})" if result.failed else "")
            )
            return 0

    assert settings is not None
    registry = _registry(args, resolved.case, action.id, folder)
    interrupts = Interrupts().install()
    try:
        journal = Journal(folder)
    except BaseException:
        interrupts.restore()
        registry.close()
        raise
    try:
        journal.lock()
        refuse_purged(journal)
        run_id = journal.bind(resolved.case, action.id, resolved.digest)
        others = registry.admit(
            journal,
            case=resolved.case,
            action=action.id,
            domain=parseaddr(action.sender)[1].rpartition("@")[2],
            new_run=args.new_run,
            reason=args.reason,
        )
        if args.new_run and journal.get("new_run_reason") is None:
            journal.set("new_run_reason", args.reason or "")
        fresh = snapshot(journal, audience)
        if args.skip_sent:
            for other in others:
                registry.record_deliveries(resolved.case, action.id, other)
            skipped = skip_delivered(journal, registry.delivered(resolved.case, action.id, run_id))
            echo(f"skipped {skipped} recipient(s) an earlier run of this action may have reached")
        if args.requeue_failed is not None:
            count = requeue_failed(journal, args.requeue_failed)
            which = (
                f" with a reply containing {args.requeue_failed!r}" if args.requeue_failed else ""
            )
            echo(f"re-queued {count} failed recipient(s){which}")
        composer = make_composer(resolved, templates, run_id, eightbit)
        _plan(args, resolved, journal, composer, rate, server, echo)
        if not fresh:
            echo(f"resuming the run in {folder}")
        if not args.yes:
            if not sys.stdin.isatty():
                echo("not confirmed: pass --yes to send without asking")
                return EXIT_DECLINED
            with interrupts.suspended():  # Ctrl-C at the prompt stops at once
                confirmed = confirm(f"Send to {settings.describe()} now?")
            if not confirmed:
                echo("nothing sent")
                return EXIT_DECLINED
        save_options(journal.db, _options_of(args))
        options = RunOptions(
            pool=args.pool,
            rate=rate,
            limit=args.limit,
            no_wait=args.no_wait,
            resend_uncertain=args.resend_uncertain,
            max_attempts=args.max_attempts,
            retry_delay=args.retry_delay,
        )
        envelope = verp_envelopes(journal, resolved.envelope_from) if args.verp else None
        if interrupts.count:
            resume = _resume_command(args, action.id, folder)
            echo(f"interrupted before sending; nothing was sent. To resume, run: {resume}")
            code = EXIT_INTERRUPTED
        else:
            code = _send(
                journal,
                composer,
                settings,
                envelope or resolved.envelope_from,
                options,
                echo,
                confirm,
                args,
            )
        summary = write_report(
            journal,
            {
                "requeued": requeue_log(journal),
                "new_run_reason": journal.get("new_run_reason"),
                "other_runs": [r.run_id for r in others],
            },
        )
        for line in summary.lines():
            echo(line)
        if args.record and code == 0:
            line = record_line(date.today(), action.id, summary.counts, bounce_counts(summary))
            at = append_execution_line(resolved.case_file, line)
            echo(f"recorded in {resolved.case_file}:{at}: {line}")
        return code
    finally:
        this = registry.this_run(journal.get("run_id") or "")
        if this is not None:
            registry.record_deliveries(resolved.case, action.id, this)
        registry.close()
        journal.close()
        interrupts.restore()


def _status(case: str, action: str, folder: Path) -> list[str]:
    """The run's counts, and the action's other runs from the registry (a forgotten --journal)."""
    others: list[str] = []
    if (runs_root() / "registry.sqlite").is_file():
        registry = Registry()
        try:
            here = folder.resolve()
            others = [r.describe() for r in registry.runs(case, action) if r.folder != here]
        finally:
            registry.close()
    try:
        lines = run_status(folder)
    except JournalError:
        if not others:
            raise
        lines = [f"{case} {action}: no run journal in {folder}"]
    if others:
        lines.append("other runs of this action:")
        lines += [f"  {line}" for line in others]
    return lines


def _forget_deliveries(folder: Path) -> None:
    """A purged run's recipient hashes leave the run registry too (the run stays listed)."""
    run_id = journal_run_id(folder)
    if run_id is not None:
        registry = Registry()
        try:
            registry.forget_deliveries(run_id)
        finally:
            registry.close()


def _registry(args: NotifyArgs, case: str, action: str, folder: Path) -> Registry:
    """The run registry, once it is clear this is no unannounced second run of the action."""
    if args.reason is not None and not args.new_run:
        raise JournalError("--reason goes with --new-run")
    if args.new_run and not (args.reason or "").strip():
        raise JournalError(
            "--new-run needs --reason TEXT: why the action is sent again (it is kept in the "
            "run registry and the report)"
        )
    registry = Registry()
    try:
        registry.check(case, action, journal_run_id(folder), args.new_run)
    except BaseException:
        registry.close()
        raise
    return registry


def _send(
    journal: Journal,
    composer: Composer,
    settings: SmtpSettings,
    envelope_from: str | Callable[[Claimed], str],
    options: RunOptions,
    echo: Callable[[str], None],
    confirm: Callable[[str], bool],
    args: NotifyArgs,
) -> int:
    from notifier.progress import ProgressDisplay

    resume = _resume_command(args, journal.get("action") or "", journal.folder)
    while True:
        with ProgressDisplay() as display:
            runner = Runner(journal, composer, settings, envelope_from, options, display.update)
            result = _run(runner.run())
        if result.recovered:
            echo(f"{result.recovered} message(s) were in flight at a crash: marked uncertain")
        if result.status == "refused":
            queued = journal.counts()[QUEUED]
            again = f" ({runner.requeued} re-queued)" if runner.requeued else ""
            echo(
                f"stopped: {result.reason}; no recipient was marked failed for it{again}, "
                f"{queued} stay queued. Fix the sender or the relay, then run: {resume}"
            )
            _password_note(args, echo)
            return EXIT_PAUSED
        if result.status == "paused":
            echo(f"paused: {result.reason}")
            if sys.stdin.isatty() and not args.yes and confirm("Continue sending?"):
                continue
            echo(f"stopped; to go on, run: {resume}")
            _password_note(args, echo)
            return EXIT_PAUSED
        on_wire = journal.counts()[IN_FLIGHT]
        lost = (
            f"{on_wire} message(s) were on the wire: they count as uncertain at the next run"
            if on_wire
            else "nothing is lost"
        )
        if result.status == "failed":
            echo(f"stopped by an error: {result.reason}; {lost}. To go on, run: {resume}")
            _password_note(args, echo)
            return EXIT_FAILED
        if result.status == "interrupted":
            echo(f"interrupted; {lost}. To resume, run: {resume}")
            _password_note(args, echo)
            return EXIT_INTERRUPTED
        if result.status == "waiting":
            due = journal.next_due()
            wait = f" (next due in {max(0.0, due - time.time()):.0f} s)" if due else ""
            echo(f"only deferred recipients remain; run the same command again later{wait}")
        return 0


def _password_note(args: NotifyArgs, echo: Callable[[str], None]) -> None:
    if args.directory and not args.directory_from_env and carries_password(args.directory):
        echo(f"(the directory password is left out: set {PASSWORD_ENV} before running it)")


def _plan(
    args: NotifyArgs,
    resolved: ResolvedAction,
    journal: Journal,
    composer: Composer,
    rate: float,
    server: Capabilities | None,
    echo: Callable[[str], None],
) -> None:
    rendered = samples(journal, composer)  # first: a template error is then the only line
    counts = journal.counts()
    rows = int(journal.get("audience_rows") or 0)
    dupes = int(journal.get("duplicates") or 0)
    to_send = (
        counts[QUEUED] + counts["deferred"] + (counts["uncertain"] if args.resend_uncertain else 0)
    )
    if args.limit is not None:
        to_send = min(to_send, args.limit)
    action = resolved.action
    approval = action.approved
    approved = f"approved by {approval.by} on {approval.on}" if approval else "not approved"
    digest = resolved.digest[:19]
    echo(f"case {resolved.case}, action {action.id}: {approved}, digest {digest}... matches")
    per_recipient = args.verp and not args.dry_run and not args.test_to
    verp = " (VERP: +<row>.<token> per recipient)" if per_recipient else ""
    echo(
        f"from {action.sender}, return path {resolved.envelope_from}{verp}, "
        f"subject {action.subject!r}"
    )
    echo(
        f"audience: {rows} rows, {dupes} duplicate addresses (sent once), "
        f"{counts[INVALID]} invalid (not sent), {to_send} to send"
        + (f", {counts['sent']} already sent" if counts["sent"] else "")
    )
    if rate > 0:
        seconds = to_send / rate
        echo(f"rate: {rate:g}/s, expected duration {_duration(seconds)}")
    else:
        echo("rate: no limit (as fast as the server accepts)")
    if server is not None:
        echo(f"server: {server.describe(args.pipelining)}; pool of {args.pool} connections")
    for sample in rendered:
        echo(f"--- sample ({sample.variant}) ---")
        echo(show_message(sample.message))
    echo("---")


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
