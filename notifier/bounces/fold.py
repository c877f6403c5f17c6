"""`docket runs bounces CASE MAILBOX`: fold a mailbox's reports into the run's journal."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path

from notifier.bounces.findings import BOUNCE, Parsed
from notifier.bounces.lines import finding_class, unrecognised_note
from notifier.bounces.mailboxes import messages
from notifier.bounces.match import Matcher
from notifier.bounces.parse import parse
from notifier.bounces.text import clean
from notifier.bounces.verp import Verp, load_key
from notifier.ledger.bounced import Bounce, Folded, ensure, known, store
from notifier.ledger.journal import Journal

_REPORTED = ("failed", "delayed")


@dataclass
class FoldResult:
    """What one fold found: new and already folded messages, and what became of their lines."""

    messages: int = 0
    new: int = 0
    already: int = 0
    changed: int = 0
    matched: int = 0
    unmatched: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    unrecognised: list[tuple[str, str]] = field(default_factory=list)  # (where, note)

    def lines(self) -> list[str]:
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.by_kind.items()))
        out = [
            f"bounces: {self.messages} message(s) read, {self.new} new ({kinds or 'none'}), "
            f"{self.already} folded before",
            f"  {self.matched} report line(s) matched a recipient ({self.changed} journal rows "
            f"changed), {self.unmatched} matched nobody (counted, not guessed)",
        ]
        out += [f"  {where}: {note}" for where, note in self.unrecognised[:20]]
        if len(self.unrecognised) > 20:
            out.append(f"  ... and {len(self.unrecognised) - 20} more unrecognised reports")
        out += [f"  unreadable: {e}" for e in self.errors[:20]]
        if len(self.errors) > 20:
            out.append(f"  ... and {len(self.errors) - 20} more unreadable")
        return out


def _when(parsed: Parsed, default: float) -> float:
    if parsed.date:
        try:
            return parsedate_to_datetime(parsed.date).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    return default


def fold(journal: Journal, return_path: str, paths: Iterable[Path]) -> FoldResult:
    """Read every message once (by digest); store each matched failed or delayed report."""
    ensure(journal)
    key = load_key(journal.folder, create=False)
    verp = Verp(key, journal.meta().run_id, return_path) if key is not None else None
    matcher = Matcher(journal, verp)
    result = FoldResult()
    for item in messages(paths):
        result.messages += 1
        if item.data is None:
            result.errors.append(f"{item.where}: {item.error}")
            continue
        digest = hashlib.sha256(item.data).hexdigest()
        if known(journal, digest):
            result.already += 1
            continue
        try:
            parsed = parse(item.data)
        except Exception as exc:  # a parser bug costs this message, never the fold
            result.errors.append(f"{item.where}: cannot parse: {type(exc).__name__}")
            continue
        result.new += 1
        result.by_kind[parsed.kind] = result.by_kind.get(parsed.kind, 0) + 1
        note = unrecognised_note(parsed)
        if note is not None:
            result.unrecognised.append((item.where, note))
        bounces: list[Bounce] = []
        matched = unmatched = 0
        if parsed.kind == BOUNCE:
            token = matcher.token_row(parsed)
            at = _when(parsed, time.time())
            for finding in parsed.findings:
                if finding.action not in _REPORTED:
                    continue
                hit = matcher.match(parsed, finding, token)
                if hit is None:
                    unmatched += 1
                    continue
                matched += 1
                klass, permanent = finding_class(finding, parsed.format)
                bounces.append(
                    Bounce(
                        hit[0],
                        finding.action,
                        klass,
                        finding.status,
                        permanent,
                        clean(finding.reply)[:500],
                        at,
                        hit[1],
                        item.where,
                    )
                )
        folded = Folded(digest, parsed.kind, len(parsed.findings), matched, unmatched)
        result.changed += store(journal, folded, bounces)
        result.matched += matched
        result.unmatched += unmatched
    return result
