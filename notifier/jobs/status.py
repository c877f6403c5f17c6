"""`docket runs status CASE`: a run's counts while it goes on or after it ended, and the action's
other runs from the registry (for a forgotten --journal). Reads only; creates nothing."""

from __future__ import annotations

from pathlib import Path

from notifier.ledger.bounced import totals
from notifier.ledger.journal import Journal, JournalError, State
from notifier.ledger.registry import Registry, runs_root
from notifier.ledger.relays import records as relay_records
from notifier.request import Console, Target
from notifier.session import require_journal


def status(target: Target, console: Console) -> int:
    resolved = target.resolve()
    folder = target.folder(resolved)
    others = _other_runs(resolved.case, resolved.action.id, folder)
    try:
        lines = run_lines(folder)
    except JournalError:
        if not others:
            raise
        lines = [f"{resolved.case} {resolved.action.id}: no run journal in {folder}"]
    if others:
        lines += ["other runs of this action:", *[f"  {line}" for line in others]]
    for line in lines:
        console.echo(line)
    return 0


def _other_runs(case: str, action: str, folder: Path) -> list[str]:
    if not (runs_root() / "registry.sqlite").is_file():
        return []
    registry = Registry()
    try:
        here = folder.resolve()
        return [r.describe() for r in registry.runs(case, action) if r.folder != here]
    finally:
        registry.close()


def run_lines(folder: Path) -> list[str]:
    """The journal's counts, bounces folded so far, and whether a run holds it now."""
    require_journal(folder)
    journal = Journal(folder)
    try:
        meta, counts = journal.meta(), journal.counts()
        going_on = "a run is going on" if journal.is_locked() else "no run is going on"
        uncertain = journal.uncertain_count()
        states = ", ".join(f"{n} {state}" for state, n in counts.items() if n)
        marked = f"; {uncertain} marked uncertain" if uncertain else ""
        lines = [
            f"{meta.case} {meta.action}: {going_on} ({folder})",
            f"audience {sum(counts.values())}: {states}{marked}",
        ]
        bounced = totals(journal)
        if bounced.any:
            classes = ", ".join(f"{n} {k}" for k, n in bounced.by_class.items())
            lines.append(
                f"bounced after acceptance: {bounced.bounced} of {counts[State.SENT]} sent"
                + (f" ({classes})" if classes else "")
                + f"; {bounced.auto_replies} auto-replies, {bounced.complaints} complaints, "
                f"{bounced.unmatched} report lines matched nobody"
            )
        lines += [record.line() for record in relay_records(journal)]
        return lines
    finally:
        journal.close()
