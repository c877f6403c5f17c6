"""Outcomes by receiving domain, so that "one provider refuses us" shows at once."""

from __future__ import annotations

from dataclasses import dataclass

from notifier.ledger.bounced import ensure
from notifier.ledger.journal import Journal


@dataclass(frozen=True, slots=True)
class DomainCounts:
    """Accepted (`sent`, bounced ones included), refused, still deferred and bounced later."""

    domain: str
    sent: int
    failed: int
    deferred: int
    bounced: int

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.deferred


def by_domain(journal: Journal, top: int = 10) -> tuple[list[DomainCounts], int]:
    """The `top` domains with the most messages tried, and how many domains there are."""
    ensure(journal)
    rows = journal.db.execute(
        "SELECT substr(r.key, instr(r.key, '@') + 1) AS domain,"
        " SUM(r.state = 'sent'), SUM(r.state = 'failed'), SUM(r.state = 'deferred'),"
        " SUM(b.action = 'failed' AND r.state = 'sent')"
        " FROM recipients r LEFT JOIN bounces b ON b.recipient_id = r.id"
        " WHERE r.state IN ('sent', 'failed', 'deferred') AND instr(r.key, '@') > 0"
        " GROUP BY domain"
    ).fetchall()
    counts = [
        DomainCounts(str(d), int(s or 0), int(f or 0), int(w or 0), int(b or 0))
        for d, s, f, w, b in rows
    ]
    counts.sort(key=lambda c: (-c.total, -c.bounced, c.domain))
    return counts[:top], len(counts)
