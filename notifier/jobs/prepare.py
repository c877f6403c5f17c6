"""What a send and its previews check and open before anything is kept: the approval, the
templates, the rate, the directory's audience query, and the relay."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from notifier.approval.action import ResolvedAction, require_approval
from notifier.audience.directory import AudienceQuery, directory_url
from notifier.delivery.connection import Capabilities, SmtpConfigError, probe
from notifier.delivery.ratelimit import RateError, parse_rate
from notifier.delivery.relays import Relays, RelaySpec, parse_relays
from notifier.jobs.signing import signer_for
from notifier.message.compose import TemplateSet, validate_address
from notifier.message.dkim import Signer
from notifier.request import SendRequest
from notifier.steps import load_templates, open_directory

T = TypeVar("T")


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run on uvloop where it is installed: the client's event loop is its bottleneck."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


@dataclass(frozen=True)
class Ready:
    """An approved action with its templates and its audience query open (read once)."""

    resolved: ResolvedAction
    templates: TemplateSet
    audience: AudienceQuery
    rate: float  # messages a second; 0: no limit
    signer: Signer | None  # DKIM, when the relays do not sign
    domain_rate: float = 0.0  # --per-domain-rate, messages a second; 0: no pace


@contextmanager
def ready(request: SendRequest, resolved: ResolvedAction) -> Iterator[Ready]:
    """Everything that can refuse, refused before a journal exists; the audience closed after."""
    require_approval(resolved)
    validate_address(resolved.envelope_from)
    templates = load_templates(resolved)
    chosen = request.options.rate
    rate = parse_rate(chosen if chosen is not None else resolved.action.rate)
    pace = request.options.per_domain_rate
    try:
        domain_rate = parse_rate(pace) if pace is not None else 0.0
    except RateError as exc:
        raise RateError(f"--per-domain-rate: {exc}") from None
    signer = signer_for(request.options, resolved)
    url = directory_url(request.endpoints.directory)
    audience = open_directory(url, resolved, templates)
    try:
        yield Ready(resolved, templates, audience, rate, signer, domain_rate)
    finally:
        audience.close()


def connect_relays(request: SendRequest) -> Relays:
    """Probe every relay; one that cannot be reached is left out (and said), none: an error."""
    options = request.options
    specs = parse_relays(
        request.endpoints.smtp,
        timeout=options.smtp_timeout,
        data_timeout=options.data_timeout,
        pipelining=options.pipelining,
    )
    answered: list[tuple[RelaySpec, Capabilities]] = []
    left_out: list[str] = []
    for spec in specs:
        try:
            answered.append((spec, run_async(probe(spec.settings))))
        except SmtpConfigError as exc:
            if "login refused" in str(exc):
                raise
            left_out.append(str(exc))
    if not answered:
        raise SmtpConfigError("; ".join(left_out))
    return Relays([spec for spec, _ in answered], [offer for _, offer in answered], left_out)
