"""The settings of a run's delivery and their defaults, in a module that imports nothing heavy:
the command line is built from them (`notifier.options`) before any SMTP code is loaded."""

from __future__ import annotations

from dataclasses import dataclass, field

# RFC 5321 4.5.3.2: five minutes for commands, ten for the reply to the final dot.
COMMAND_TIMEOUT = 300.0
DATA_TIMEOUT = 600.0

# A relay out of service is tried again after 1, 2, 4 ... seconds, at most a minute apart; after
# this many failed tries in a row it is given up for the run (about two minutes of trying).
RETRY_FIRST = 1.0
RETRY_MAX = 60.0
GIVE_UP_AFTER = 7


@dataclass(frozen=True)
class Backoff:
    """When a relay that failed is tried again, and when it is given up."""

    first: float = RETRY_FIRST
    most: float = RETRY_MAX
    give_up_after: int = GIVE_UP_AFTER

    def delay(self, failures: int) -> float:
        return float(min(self.most, self.first * 2.0 ** (failures - 1)))


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
    relay_backoff: Backoff = field(default_factory=Backoff)
    # at most this many messages handed over for one receiving domain at once (None: no cap), so
    # the relays are not given 10,000 messages for one provider in one burst
    per_domain: int | None = None
    # at most this many messages a second to one receiving domain, evenly spaced (0: no pace);
    # the others are held in the journal until their slot
    per_domain_rate: float = 0.0
