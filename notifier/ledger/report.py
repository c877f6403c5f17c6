"""The run report: report.json, recipients.csv and the summary on screen, from the journal.

Both files are rewritten at the end of every run (temp file + rename) and streamed from the
journal, so a million recipients cost no memory. Failures are grouped by SMTP reply with the
addresses taken out, so "550 5.1.1 <x@y>: user unknown" for many people becomes one line.
"""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from notifier.ledger.bounced import BounceTotals, rows_with_bounces, totals
from notifier.ledger.domains import DomainCounts, by_domain
from notifier.ledger.journal import Journal, RunMeta, State
from notifier.ledger.private import FILE_MODE
from notifier.ledger.relays import RelayRecord
from notifier.ledger.relays import records as relay_records

_ADDRESS_RE = re.compile(r"<?[^\s<>@]+@[^\s<>]*[^\s<>:;,.)\]]>?")  # not a trailing colon or stop
_NUMBER_RE = re.compile(r"\b\d{5,}\b")
_PATH_RE = re.compile(r"(?<![\w.])/[^\s:;,]+")


def bounce_sample(reply: str) -> str:
    """A bounce's reply for the report: also file paths out (a local mailbox is named by its
    owner)."""
    return reply_group(_PATH_RE.sub("<path>", reply))


def reply_group(reply: str) -> str:
    """A reply with addresses and long numbers (queue ids) removed, to group alike replies."""
    text = _ADDRESS_RE.sub("<address>", reply)
    text = _NUMBER_RE.sub("#", text)
    return text[:160]


@dataclass(frozen=True)
class Summary:
    """What the report says, also printed on screen."""

    case: str
    action: str
    counts: dict[str, int]
    audience_rows: int
    duplicates: int
    uncertain: int
    groups: list[tuple[str, str, int]]
    report_json: Path
    recipients_csv: Path
    bounces: BounceTotals | None = None
    domains: list[DomainCounts] = field(default_factory=list)
    domain_count: int = 0
    relays: list[RelayRecord] = field(default_factory=list)

    def lines(self) -> list[str]:
        c = self.counts
        out = [
            f"{self.case} {self.action}: {c[State.SENT]} sent, {c[State.DEFERRED]} deferred, "
            f"{c[State.FAILED]} failed, {c[State.INVALID]} invalid"
            + (f", {c[State.QUEUED]} not yet sent" if c[State.QUEUED] else "")
            + (f", {c[State.IN_FLIGHT]} in flight (unknown)" if c[State.IN_FLIGHT] else "")
            + (f", {c[State.SKIPPED]} skipped (an earlier run)" if c.get(State.SKIPPED) else "")
            + (f", {c[State.UNCERTAIN]} uncertain" if c[State.UNCERTAIN] else ""),
            f"audience: {self.audience_rows} rows, {self.duplicates} duplicate addresses sent once",
        ]
        if self.uncertain:
            out.append(
                f"{self.uncertain} recipient(s) may have got the message twice (interrupted "
                "while in flight; listed with uncertain=1 in recipients.csv)"
            )
        if self.groups:
            out.append("by reply:")
            for state, reply, n in self.groups[:10]:
                out.append(f"  {n:>8}  {state:<9} {reply}")
        out += self.relay_lines()
        out += self.bounce_lines()
        out += self.domain_lines()
        out.append(f"report: {self.report_json}")
        out.append(f"per recipient: {self.recipients_csv}")
        return out

    def relay_lines(self) -> list[str]:
        """Per relay, when there were several or one was taken out."""
        if len(self.relays) > 1 or any(r.taken_out for r in self.relays):
            return [record.line() for record in self.relays]
        return []

    def bounce_lines(self) -> list[str]:
        """Bounced after acceptance, by class with status codes and one sample reply each."""
        b = self.bounces
        if b is None or not b.any:
            return []
        out = [
            f"bounced later: {b.bounced} of {self.counts[State.SENT]} accepted messages "
            f"({b.permanent} permanent), {b.delayed} more delayed; from {b.messages} "
            "returned message(s)"
        ]
        for klass, n in b.by_class.items():
            codes = ", ".join(
                f"{code} ({k})"
                for code, k in sorted(b.statuses[klass].items(), key=lambda x: -x[1])
            )
            out.append(f"  {n:>8}  {klass:<16} {codes}")
            if klass in b.samples:
                out.append(f"            e.g. {bounce_sample(b.samples[klass])}")
        out.append(
            f"not bounces: {b.auto_replies} auto-replies, {b.complaints} complaints (ARF), "
            f"{b.delivered} delivery reports, {b.other} other; {b.unmatched} report line(s) "
            "matched no recipient (not counted above)"
        )
        return out

    def domain_lines(self) -> list[str]:
        if not self.domains:
            return []
        out = [
            f"by receiving domain (top {len(self.domains)} of {self.domain_count}):",
            f"  {'domain':<28} {'sent':>8} {'failed':>8} {'deferred':>8} {'bounced':>8}",
        ]
        for d in self.domains:
            out.append(
                f"  {d.domain[:28]:<28} {d.sent:>8} {d.failed:>8} {d.deferred:>8} {d.bounced:>8}"
            )
        return out


def _write_atomic(target: Path, write: Any) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)  # private whatever the umask (ledger/private.py)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            write(handle)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(journal: Journal, extra: dict[str, Any] | None = None) -> Summary:
    """Rewrite report.json and recipients.csv in the run folder; return the summary."""
    folder = journal.folder
    grouped: Counter[tuple[str, str]] = Counter()
    for state, reply, n in journal.replies():
        grouped[(state, reply_group(reply))] += n
    groups = [(s, r, n) for (s, r), n in grouped.most_common()]
    domains, domain_count = by_domain(journal)
    meta = journal.meta()
    summary = Summary(
        case=meta.case,
        action=meta.action,
        counts=journal.counts(),
        audience_rows=meta.audience_rows,
        duplicates=meta.duplicates,
        uncertain=journal.uncertain_count(),
        groups=groups,
        report_json=folder / "report.json",
        recipients_csv=folder / "recipients.csv",
        bounces=totals(journal),
        domains=domains,
        domain_count=domain_count,
        relays=relay_records(journal),
    )

    def write_csv(handle: Any) -> None:
        writer = csv.writer(handle)
        writer.writerow(
            [
                *("address", "state", "reply", "attempts", "uncertain", "updated", "language"),
                *("bounce_class", "bounce_status", "bounce_date"),
            ]
        )
        for row in rows_with_bounces(journal):
            address, state, reply, attempts, uncertain, updated, language = row[:7]
            bounce_class, bounce_status, bounced_at = row[7:]
            writer.writerow(
                [
                    *(address, state, reply or "", attempts, uncertain, _stamp(updated)),
                    *(language or "", bounce_class or "", bounce_status or "", _stamp(bounced_at)),
                ]
            )

    _write_atomic(summary.recipients_csv, write_csv)
    document = _document(journal, summary, meta, groups, extra)
    _write_atomic(
        summary.report_json,
        lambda handle: handle.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n"),
    )
    return summary


def _document(
    journal: Journal,
    summary: Summary,
    meta: RunMeta,
    groups: list[tuple[str, str, int]],
    extra: dict[str, Any] | None,
) -> dict[str, Any]:
    """report.json's content."""
    return {
        "case": summary.case,
        "action": summary.action,
        "digest": meta.digest or None,
        "run_id": meta.run_id or None,
        "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "counts": summary.counts,
        "audience_rows": summary.audience_rows,
        "duplicates": summary.duplicates,
        "uncertain": {
            "count": summary.uncertain,
            "addresses": journal.uncertain_addresses(),
        },
        "replies": [{"state": s, "reply": r, "count": n} for s, r, n in groups],
        "bounces": _bounces_json(summary.bounces),
        "domains": [
            {
                "domain": d.domain,
                "sent": d.sent,
                "failed": d.failed,
                "deferred": d.deferred,
                "bounced": d.bounced,
            }
            for d in summary.domains
        ],
        "relays": [
            {
                "relay": r.relay,
                "counts": r.counts,
                "taken_out": r.taken_out,
                "last_error": r.last_error,
                "state": r.state,
            }
            for r in summary.relays
        ],
        "recipients_csv": summary.recipients_csv.name,
        **(extra or {}),
    }


def _stamp(at: float | None) -> str:
    return _second(int(at)) if at else ""


@lru_cache(maxsize=4096)
def _second(at: int) -> str:
    """A second as UTC ISO 8601 (cached: a run's rows share their seconds by the thousand)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at))


def _bounces_json(b: BounceTotals | None) -> dict[str, Any] | None:
    if b is None or not b.any:
        return None
    return {
        "bounced": b.bounced,
        "permanent": b.permanent,
        "delayed": b.delayed,
        "by_class": [
            {
                "class": k,
                "count": n,
                "statuses": b.statuses[k],
                "sample": bounce_sample(b.samples.get(k, "")),
            }
            for k, n in b.by_class.items()
        ],
        "messages": b.messages,
        "auto_replies": b.auto_replies,
        "complaints": b.complaints,
        "delivery_reports": b.delivered,
        "other": b.other,
        "unmatched": b.unmatched,
    }
