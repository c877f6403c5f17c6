"""`docket runs bounces CASE MAILBOX...`: fold the bounces into the run's journal (idempotent),
rewrite the report, and with `--record` append the totals to the case's Execution section."""

from __future__ import annotations

from pathlib import Path

from notifier.bounces.fold import fold
from notifier.ledger.record import record_outcome
from notifier.ledger.report import write_report
from notifier.request import Console, Target
from notifier.session import RunSession, require_journal
from notifier.steps import bounce_counts


def fold_bounces(
    target: Target, mailboxes: tuple[Path, ...], record: bool, console: Console
) -> int:
    """Exit 1 when a message could not be read (its line says why), else 0."""
    resolved = target.resolve()
    folder = target.folder(resolved)
    require_journal(folder)
    with RunSession(folder) as session:
        result = fold(session.journal, resolved.envelope_from, mailboxes)
        for line in result.lines():
            console.echo(line)
        summary = write_report(session.journal)
        for line in summary.lines():
            console.echo(line)
        if record:
            bounced = bounce_counts(summary) or {}  # a mailbox was folded: say the bounces
            line, at = record_outcome(
                resolved.case_file, resolved.action.id, summary.counts, bounced
            )
            console.echo(f"recorded in {resolved.case_file}:{at}: {line}")
    return 1 if result.errors else 0
