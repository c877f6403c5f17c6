"""`docket runs status CASE [--json]`: what a run is doing or did, for a critical watching it from
another terminal or for monitoring: counts, pace and ETA, relays and their state, the next retry,
the top replies and receiving domains, bounces folded so far, and the action's other runs (for a
forgotten --journal). Reads only; creates nothing."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from notifier.ledger.bounced import totals
from notifier.ledger.domains import by_domain
from notifier.ledger.journal import Journal, JournalError, State
from notifier.ledger.registry import Registry, runs_root
from notifier.ledger.relays import records as relay_records
from notifier.ledger.report import reply_group
from notifier.request import Console, Target
from notifier.session import require_journal

PACE_WINDOW = 60.0  # seconds of recent sends the pace is measured over
TOP = 5


@dataclass
class RunView:
    """One run as the status shows it; `lines()` for a person, `as_json()` for monitoring."""

    case: str
    action: str
    folder: str
    going_on: bool
    started: str | None
    counts: dict[str, int]
    uncertain: int
    pace: float  # messages accepted a second over the last PACE_WINDOW
    eta_seconds: float | None  # for what is queued now at that pace (deferred waits not counted)
    next_retry_in: float | None
    relays: list[dict[str, Any]]
    top_replies: list[dict[str, Any]]
    top_domains: list[dict[str, Any]]
    bounces: dict[str, Any] | None
    other_runs: list[str] = field(default_factory=list)
    held: int = 0  # queued recipients waiting for their domain's slot (--per-domain-rate)
    next_held_in: float | None = None

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)

    def lines(self) -> list[str]:
        state = "a run is going on" if self.going_on else "no run is going on"
        states = ", ".join(f"{n} {s}" for s, n in self.counts.items() if n)
        marked = f"; {self.uncertain} marked uncertain" if self.uncertain else ""
        lines = [
            f"{self.case} {self.action}: {state} ({self.folder})",
            f"audience {sum(self.counts.values())}: {states}{marked}",
        ]
        if self.started:
            lines.append(f"started {self.started}")
        if self.going_on and self.pace:
            eta = f", about {self.eta_seconds:.0f} s to go" if self.eta_seconds else ""
            lines.append(f"pace: {self.pace:.1f} msg/s over the last minute{eta}")
        if self.next_retry_in is not None:
            lines.append(f"next retry of a deferred recipient in {self.next_retry_in:.0f} s")
        if self.held:
            lines.append(
                f"held for their domain's pace (--per-domain-rate): {self.held}, the next "
                f"in {self.next_held_in or 0:.0f} s"
            )
        lines += [_relay_line(r) for r in self.relays]
        lines += [f"reply: {r['count']:>6}  {r['state']:<9} {r['reply']}" for r in self.top_replies]
        lines += [
            f"domain: {d['domain']}: {d['sent']} sent, {d['failed']} failed, "
            f"{d['deferred']} deferred, {d['bounced']} bounced"
            for d in self.top_domains
        ]
        if self.bounces:
            b = self.bounces
            classes = ", ".join(f"{n} {k}" for k, n in b["by_class"].items())
            lines.append(
                f"bounced after acceptance: {b['bounced']} of {self.counts.get('sent', 0)} sent"
                + (f" ({classes})" if classes else "")
                + f"; {b['auto_replies']} auto-replies, {b['complaints']} complaints, "
                f"{b['unmatched']} report lines matched nobody"
            )
        if self.other_runs:
            lines += ["other runs of this action:", *[f"  {line}" for line in self.other_runs]]
        return lines


def _relay_line(relay: dict[str, Any]) -> str:
    counts = ", ".join(f"{n} {s}" for s, n in relay["counts"].items() if n) or "nothing yet"
    out = f"; taken out {relay['taken_out']} time(s)" if relay["taken_out"] else ""
    last = f", last: {relay['last_error']}" if relay["last_error"] else ""
    return f"relay {relay['relay']} [{relay['state'] or 'unknown'}]: {counts}{out}{last}"


def status(target: Target, as_json: bool, console: Console) -> int:
    resolved = target.resolve()
    folder = target.folder(resolved)
    others = _other_runs(resolved.case, resolved.action.id, folder)
    try:
        view = run_view(folder)
    except JournalError:
        if not others:
            raise
        console.echo(f"{resolved.case} {resolved.action.id}: no run journal in {folder}")
        console.echo("other runs of this action:")
        for line in others:
            console.echo(f"  {line}")
        return 0
    view.other_runs = others
    for line in [view.as_json()] if as_json else view.lines():
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


def run_view(folder: Path) -> RunView:
    require_journal(folder)
    journal = Journal(folder)
    try:
        meta, counts, now = journal.meta(), journal.counts(), time.time()
        (recent,) = journal.db.execute(
            "SELECT COUNT(*) FROM recipients WHERE state = ? AND updated_at > ?",
            (State.SENT, now - PACE_WINDOW),
        ).fetchone()
        pace = int(recent) / PACE_WINDOW
        waiting = counts[State.QUEUED] + counts[State.IN_FLIGHT]
        due = journal.next_due()
        bounced = totals(journal)
        domains, _count = by_domain(journal, top=TOP)
        return RunView(
            case=meta.case,
            action=meta.action,
            folder=str(folder),
            going_on=journal.is_locked(),
            started=_started(journal),
            counts=counts,
            uncertain=journal.uncertain_count(),
            pace=pace,
            eta_seconds=waiting / pace if pace else None,
            next_retry_in=max(0.0, due - now) if due is not None else None,
            relays=[asdict(record) for record in relay_records(journal)],
            top_replies=_top_replies(journal),
            top_domains=[asdict(d) for d in domains],
            bounces=asdict(bounced) if bounced.any else None,
            **_held(journal, now),
        )
    finally:
        journal.close()


def _held(journal: Journal, now: float) -> dict[str, Any]:
    """How many wait for their domain's slot, and when the first is due."""
    held = journal.held(now)
    due = journal.next_held(resend_uncertain=True) if held else None
    return {"held": held, "next_held_in": max(0.0, due - now) if due is not None else None}


def _started(journal: Journal) -> str | None:
    created = journal.meta().created
    return None if created is None else time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(created))


def _top_replies(journal: Journal) -> list[dict[str, Any]]:
    grouped: dict[tuple[str, str], int] = {}
    for state, reply, n in journal.replies():
        key = (state, reply_group(reply))
        grouped[key] = grouped.get(key, 0) + n
    top = sorted(grouped.items(), key=lambda item: -item[1])[:TOP]
    return [{"state": s, "reply": r, "count": n} for (s, r), n in top]
