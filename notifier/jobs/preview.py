"""`docket notify CASE --dry-run`, `--test-to ADDR` and `--preflight`: the plan, and every message
(or one per language to one address, or the findings on them), with nothing kept: the audience
goes into a throw-away journal, and no run folder, registry entry or case-file line is written."""

from __future__ import annotations

from notifier.delivery.relays import Relays
from notifier.jobs.prepare import Ready, connect_relays, ready, run_async
from notifier.ledger.journal import Journal
from notifier.message.compose import Composer
from notifier.plan import Plan, check_samples
from notifier.request import EXIT_FAILED, Console, SendRequest
from notifier.steps import dry_run as render_every_message
from notifier.steps import (
    languages,
    make_composer,
    samples,
    scratch_journal,
    send_tests,
    snapshot,
)


def dry_run(request: SendRequest, console: Console) -> int:
    """Render every message as a run would, send nothing, say what would be sent."""
    resolved = request.target.resolve()
    with ready(request, resolved) as prepared, scratch_journal() as journal:
        composer, _plan = _show_plan(prepared, journal, request, console, relays=None)
        result = render_every_message(journal, composer, request.options.limit or None)
    variants = ", ".join(f"{n} {v}" for v, n in sorted(result.by_variant.items()))
    failing = f"; {result.failed} would fail ({result.first_error})" if result.failed else ""
    console.echo(
        f"dry run: {result.would_send} messages would be sent ({variants}); "
        f"{result.invalid} invalid addresses would be skipped; "
        f"{result.bytes_total / max(1, result.would_send):.0f} bytes on average{failing}"
    )
    return 0


def preflight_only(request: SendRequest, console: Console) -> int:
    """The plan with the preflight's findings, against the relays (their SIZE); exit 1 when
    there is anything to fix, so a script can stop there."""
    resolved = request.target.resolve()
    with ready(request, resolved) as prepared:
        relays = connect_relays(request)
        with scratch_journal() as journal:
            _composer, plan = _show_plan(prepared, journal, request, console, relays)
    return EXIT_FAILED if plan.findings else 0


def test_send(request: SendRequest, to: str, console: Console) -> int:
    """One sample per language variant to `to` only; exit 1 unless every one was accepted."""
    resolved = request.target.resolve()
    with ready(request, resolved) as prepared:
        relays = connect_relays(request)
        settings = relays.specs[0].settings  # the first relay that answered
        with scratch_journal() as journal:
            composer, _plan = _show_plan(prepared, journal, request, console, relays)
            accepted = run_async(
                send_tests(settings, resolved.envelope_from, composer, journal, to, console.echo)
            )
    return 0 if accepted else EXIT_FAILED


def _show_plan(
    prepared: Ready,
    journal: Journal,
    request: SendRequest,
    console: Console,
    relays: Relays | None,
) -> tuple[Composer, Plan]:
    resolved = prepared.resolved
    run_id = journal.bind(resolved.case, resolved.action.id, resolved.digest)
    snapshot(journal, prepared.audience)
    eightbit = relays is not None and relays.eightbit
    sign = prepared.signer.sign if prepared.signer else None
    composer = make_composer(resolved, prepared.templates, run_id, eightbit, sign)
    rendered = samples(journal, composer)  # first: a template error is then the only line
    plan = Plan.of(
        journal,
        resolved=resolved,
        options=request.options,
        rate=prepared.rate,
        samples=rendered,
        relays=relays,
        signer=prepared.signer,
        languages=languages(journal, composer),
        findings=check_samples(
            rendered, resolved.envelope_from, prepared.signer, relays, request.flagged
        ),
    )
    for line in plan.lines():
        console.echo(line)
    return composer, plan
