"""The plan a critical reads before saying yes: what is approved, who gets what, how long it takes,
and what the run will change before it sends (re-queued failures, skipped recipients)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from notifier.approval.action import ResolvedAction
from notifier.delivery.relays import Relays, RelaySpec
from notifier.jobs.signing import describe as describe_signer
from notifier.ledger.journal import Journal, State
from notifier.message.dkim import Signer, verify_with_key
from notifier.message.preflight import Finding, PreflightContext, preflight
from notifier.options import SendOptions
from notifier.steps import Languages, Sample, show_message


@dataclass(frozen=True)
class Plan:
    resolved: ResolvedAction
    options: SendOptions
    rate: float  # messages a second; 0: no limit
    samples: list[Sample]
    counts: dict[str, int]
    audience_rows: int
    duplicates: int
    relays: Relays | None = None  # None for a dry run, which connects to nothing
    folder: Path | None = None  # the run folder; None for a preview (nothing is kept)
    requeue: int = 0  # failed recipients that go back to the queue before sending
    skip: int = 0  # recipients that an earlier run of the action may have reached
    signer: Signer | None = None
    findings: tuple[Finding, ...] = ()  # the preflight's, on the (signed) samples
    languages: Languages | None = None

    @classmethod
    def of(cls, journal: Journal, **fields: object) -> Plan:
        meta = journal.meta()
        return cls(
            counts=journal.counts(),
            audience_rows=meta.audience_rows,
            duplicates=meta.duplicates,
            **fields,  # type: ignore[arg-type]
        )

    @property
    def to_send(self) -> int:
        c = self.counts
        waiting = c[State.QUEUED] + c[State.DEFERRED] + self.requeue - self.skip
        if self.options.resend_uncertain:
            waiting += c[State.UNCERTAIN]
        limit = self.options.limit
        return waiting if limit is None else min(waiting, limit)

    def lines(self) -> list[str]:
        return [
            *self._header(),
            *self._audience(),
            *self._delivery(),
            *self._samples(),
            *self._preflight(),
        ]

    def _preflight(self) -> list[str]:
        if not self.findings:
            return ["preflight: no findings"]
        return [finding.line() for finding in self.findings]

    def _header(self) -> list[str]:
        resolved, action = self.resolved, self.resolved.action
        approval = action.approved
        who = f"{approval.by} ({resolved.approver})" if approval and resolved.approver else ""
        approved = (
            f"approved by {who or approval.by} on {approval.on}" if approval else "not approved"
        )
        verp = (
            " (VERP: +<row>.<token> per recipient)"
            if self.options.verp and self.folder is not None
            else ""
        )
        lines = [
            f"case {resolved.case}, action {action.id}: {approved}, "
            f"digest {resolved.digest[:19]}... matches",
            f"from {action.sender}, return path {resolved.envelope_from}{verp}, "
            f"subject {action.subject!r}",
        ]
        if self.signer is not None:
            lines.append(describe_signer(self.signer))
        return lines

    def _audience(self) -> list[str]:
        c = self.counts
        sent = f", {c[State.SENT]} already sent" if c[State.SENT] else ""
        lines = [
            f"audience: {self.audience_rows} rows, {self.duplicates} duplicate addresses (sent "
            f"once), {c[State.INVALID]} invalid (not sent), {self.to_send} to send{sent}"
        ]
        if self.requeue:
            lines.append(f"before sending: {self.requeue} failed recipient(s) go back to the queue")
        if self.skip:
            lines.append(
                f"before sending: {self.skip} recipient(s) an earlier run may have reached are "
                "skipped"
            )
        if self.languages is not None and self.languages.by_variant:
            lines.append(self._language_line(self.languages))
        if self.folder is not None:
            lines.append(f"journal: {self.folder}")
        return lines

    @staticmethod
    def _language_line(languages: Languages) -> str:
        variants = ", ".join(f"{n} {v}" for v, n in languages.by_variant.most_common())
        line = f"languages: {variants}"
        if languages.unmatched:
            total = sum(languages.unmatched.values())
            which = ", ".join(f"{lang} {n}" for lang, n in languages.unmatched.most_common(5))
            line += f"; {total} have a language with no variant of its own: the default ({which})"
        return line

    def _delivery(self) -> list[str]:
        if self.rate > 0:
            lines = [
                f"rate: {self.rate:g}/s, expected duration {duration(self.to_send / self.rate)}"
            ]
        else:
            lines = ["rate: no limit (as fast as the server accepts)"]
        lines += self._politeness()
        if self.relays is None:
            return lines
        pipelining, pool = self.options.pipelining, self.options.pool
        relays = list(zip(self.relays.specs, self.relays.offers, strict=True))
        (only, offer), plain = relays[0], len(relays) == 1
        if plain and only == RelaySpec(only.settings):  # one relay, no settings of its own
            lines.append(f"server: {offer.describe(pipelining)}; pool of {pool} connections")
        else:
            for spec, offer in relays:
                rate = f", at most {spec.rate:g}/s" if spec.rate else ""
                lines.append(
                    f"relay {spec.name}: {offer.describe(pipelining)}; "
                    f"{spec.connections or pool} connections, weight {spec.weight:g}{rate}"
                )
        lines += [f"left out (no answer): {why}" for why in self.relays.left_out]
        return lines

    def _politeness(self) -> list[str]:
        """--per-domain and --per-domain-rate, as one line, when either is set."""
        caps = []
        if self.options.per_domain is not None:
            caps.append(f"at most {self.options.per_domain} in flight")
        if self.options.per_domain_rate is not None:
            caps.append(
                f"at most {self.options.per_domain_rate}, evenly spaced (the others wait "
                "in the journal for their turn)"
            )
        return [f"per receiving domain: {'; '.join(caps)}"] if caps else []

    def _samples(self) -> list[str]:
        lines: list[str] = []
        for sample in self.samples:
            lines += [f"--- sample ({sample.variant}) ---", show_message(sample.message)]
        return [*lines, "---"]


def duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def check_samples(
    samples: list[Sample],
    return_path: str,
    signer: Signer | None,
    relays: Relays | None,
    flagged: tuple[str, ...],
) -> tuple[Finding, ...]:
    """The preflight's findings on one rendered message per template variant, and a check that
    each signature verifies against its key (a failure there would be docket's own bug)."""
    sizes = [offer.size for offer in relays.offers if offer.size] if relays else []
    context = PreflightContext(
        return_path=return_path,
        dkim_domain=signer.domain if signer else None,
        flagged=flagged,
        size_limit=min(sizes) if sizes else None,
    )
    findings = preflight([(s.variant, s.message) for s in samples], context)
    for sample in samples:
        for index, key in enumerate(signer.keys if signer else ()):
            if not verify_with_key(sample.message, key, index):
                findings.append(
                    Finding(
                        "dkim", f"the {key.algorithm} signature does not verify", (sample.variant,)
                    )
                )
    return tuple(findings)
