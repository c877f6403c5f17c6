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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from notifier.ledger.journal import Journal
from notifier.ledger.private import FILE_MODE

_ADDRESS_RE = re.compile(r"<?[^\s<>@]+@[^\s<>]+>?")
_NUMBER_RE = re.compile(r"\b\d{5,}\b")


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

    def lines(self) -> list[str]:
        c = self.counts
        out = [
            f"{self.case} {self.action}: {c['sent']} sent, {c['deferred']} deferred, "
            f"{c['failed']} failed, {c['invalid']} invalid"
            + (f", {c['queued']} not yet sent" if c["queued"] else "")
            + (f", {c['uncertain']} uncertain" if c["uncertain"] else ""),
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
        out.append(f"report: {self.report_json}")
        out.append(f"per recipient: {self.recipients_csv}")
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
    summary = Summary(
        case=journal.get("case") or "",
        action=journal.get("action") or "",
        counts=journal.counts(),
        audience_rows=int(journal.get("audience_rows") or 0),
        duplicates=int(journal.get("duplicates") or 0),
        uncertain=journal.uncertain_count(),
        groups=groups,
        report_json=folder / "report.json",
        recipients_csv=folder / "recipients.csv",
    )

    def write_csv(handle: Any) -> None:
        writer = csv.writer(handle)
        writer.writerow(
            ["address", "state", "reply", "attempts", "uncertain", "updated", "language"]
        )
        for address, state, reply, attempts, uncertain, updated, data in journal.rows():
            language = json.loads(data).get("language") or ""
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(updated)) if updated else ""
            writer.writerow([address, state, reply or "", attempts, uncertain, stamp, language])

    _write_atomic(summary.recipients_csv, write_csv)
    document = {
        "case": summary.case,
        "action": summary.action,
        "digest": journal.get("digest"),
        "run_id": journal.get("run_id"),
        "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "counts": summary.counts,
        "audience_rows": summary.audience_rows,
        "duplicates": summary.duplicates,
        "uncertain": {
            "count": summary.uncertain,
            "addresses": journal.uncertain_addresses(),
        },
        "replies": [{"state": s, "reply": r, "count": n} for s, r, n in groups],
        "recipients_csv": summary.recipients_csv.name,
        **(extra or {}),
    }
    _write_atomic(
        summary.report_json,
        lambda handle: handle.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n"),
    )
    return summary
