"""The steps the notify jobs share, in the order a run takes them (`notifier/jobs/` strings them
together).

Everything that can refuse (approval, templates, directory, columns, SMTP login) runs before the
audience is snapshotted and long before the first message, so bad input never sends anything.
"""

from __future__ import annotations

import email
import email.policy
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from notifier.approval.action import ActionError, ResolvedAction
from notifier.approval.loader import ApprovedLoader, approved_names
from notifier.audience.directory import AudienceQuery, DirectoryError, connect, open_audience
from notifier.bounces.verp import Verp, VerpError, load_key
from notifier.delivery.connection import Connection, SmtpConfigError, SmtpSettings
from notifier.delivery.ratelimit import RateError
from notifier.ledger.journal import Claimed, Journal, JournalError, State
from notifier.ledger.record import RecordError
from notifier.ledger.report import Summary
from notifier.message.compose import Composer, HeaderValueError, TemplateError, TemplateSet
from notifier.message.dkim import DkimKeyError

USER_ERRORS: tuple[type[Exception], ...] = (
    ActionError,
    DirectoryError,
    SmtpConfigError,
    JournalError,
    TemplateError,
    RecordError,
    HeaderValueError,
    RateError,
    VerpError,
    DkimKeyError,
)


def load_templates(resolved: ResolvedAction) -> TemplateSet:
    """The action's templates, able to load only what the approval digest covers."""
    templates = TemplateSet(resolved.template_file)
    folder = str(PurePosixPath(resolved.action.template).parent)
    templates.env.loader = ApprovedLoader(
        templates.directory, approved_names(resolved.parts, folder)
    )
    return templates


def open_directory(url: str, resolved: ResolvedAction, templates: TemplateSet) -> AudienceQuery:
    """Connect and run the audience query once, read-only; check its columns, reading no row.

    The opened query is what the snapshot streams into the journal (or closes unread when a
    run resumes): the query never runs twice.
    """
    engine = connect(url)
    try:
        audience = open_audience(
            engine, resolved.query, resolved.action.audience.params, required=(),
            source=str(resolved.query_file),
        )  # fmt: skip
    except BaseException:
        engine.dispose()
        raise
    columns = set(audience.columns)
    try:
        if "email" not in columns:
            raise DirectoryError(
                f"{resolved.query_file}: the audience query returns no 'email' column "
                f"(it returns: {', '.join(sorted(columns)) or 'nothing'})"
            )
        missing = sorted(templates.variables() - columns)
        if missing:
            raise DirectoryError(
                f"{resolved.template_file}: the templates use {', '.join(missing)} but the "
                f"audience query returns no such column (it returns: {', '.join(sorted(columns))})"
            )
    except BaseException:
        audience.close()
        engine.dispose()
        raise
    return audience


def snapshot(journal: Journal, audience: AudienceQuery) -> bool:
    """Fill the journal from the opened query unless sending has begun; True when taken now."""
    if journal.snapshot_done and journal.started_sending():
        audience.close()
        return False
    try:
        journal.snapshot((row.email, row.data) for row in audience.rows())
    finally:
        audience.close()
    return True


def make_composer(
    resolved: ResolvedAction,
    templates: TemplateSet,
    run_id: str,
    eightbit: bool = False,
    sign: Callable[[bytes], bytes] | None = None,
) -> Composer:
    return Composer(
        templates,
        case=resolved.case,
        action=resolved.action.id,
        sender=resolved.action.sender,
        subject=resolved.action.subject,
        run_id=run_id,
        eightbit=eightbit,
        sign=sign,
    )


@dataclass
class Sample:
    """One rendered message per template variant, for the plan."""

    variant: str
    address: str
    message: bytes


def samples(journal: Journal, composer: Composer) -> list[Sample]:
    """The first queued recipient of each variant, rendered (StrictUndefined errors show here)."""
    found: dict[str, Sample] = {}
    wanted = len(composer.templates.variants)
    for scanned, (address, data) in enumerate(journal.samples()):
        variant = _variant_of(composer, data)
        if variant in found:
            if scanned >= SAMPLE_SCAN:
                break  # a variant nobody in the first rows reads: no sample for it
            continue
        try:
            render_checked(composer, data)
            composed = composer.compose(address, data)
        except TemplateError:
            raise
        except Exception:  # this row's values (1/0): it fails in the run, counted
            continue
        found[variant] = Sample(variant, address, composed.data)
        if len(found) == wanted:
            break
    return list(found.values())


SAMPLE_SCAN = 200_000


def _variant_of(composer: Composer, data: dict[str, Any]) -> str:
    language = data.get("language")
    return composer.templates.choose(_norm(language) if isinstance(language, str) else None)[0]


@dataclass(frozen=True)
class Languages:
    """Who gets which template variant; members whose language has none get the default."""

    by_variant: Counter[str]
    unmatched: Counter[str]  # language -> members who get the default for want of a variant


def languages(journal: Journal, composer: Composer) -> Languages:
    """One grouped query over the recipients still to send, not a pass over the rows."""
    by_variant: Counter[str] = Counter()
    unmatched: Counter[str] = Counter()
    for language, n in journal.db.execute(
        "SELECT json_extract(data, '$.language'), COUNT(*) FROM recipients"
        " WHERE state IN (?, ?, ?) GROUP BY 1",
        (State.QUEUED, State.DEFERRED, State.UNCERTAIN),
    ):
        wanted = _norm(language) if isinstance(language, str) else None
        variant = composer.templates.choose(wanted)[0]
        by_variant[variant] += int(n)
        if wanted and variant == "default":
            unmatched[wanted] += int(n)
    return Languages(by_variant, unmatched)


def render_checked(composer: Composer, data: dict[str, object]) -> tuple[str, str]:
    """Render one row; a jinja2 error becomes a TemplateError naming the file and line (an
    included file's own line). Other exceptions (a division by zero for one member's values)
    are that row's problem and pass through to the caller."""
    try:
        return composer.render(data)
    except jinja2.TemplateError as exc:
        path, line = composer.templates.error_location(exc, composer.variant_for(data))
        raise TemplateError(path, line, f"template error: {exc}") from None


def _norm(language: str) -> str | None:
    from notifier.message.compose import normalize_language

    return normalize_language(language)


def show_message(data: bytes, max_lines: int = 30) -> str:
    """A sample as a person reads it: decoded headers and body."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    lines = [f"{name}: {value}" for name, value in message.items()]
    body = message.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    body_lines = str(text).splitlines()
    lines.append("")
    lines.extend(body_lines[:max_lines])
    if len(body_lines) > max_lines:
        lines.append(f"[... {len(body_lines) - max_lines} more lines]")
    return "\n".join(lines)


@dataclass
class DryRun:
    """What a real run would send."""

    would_send: int = 0
    invalid: int = 0
    failed: int = 0
    first_error: str = ""
    by_variant: Counter[str] = field(default_factory=Counter)
    bytes_total: int = 0


def dry_run(journal: Journal, composer: Composer, limit: int | None = None) -> DryRun:
    """Render every queued recipient exactly as a run would, sending nothing."""
    result = DryRun()
    result.invalid = journal.counts()[State.INVALID]
    for address, data in journal.samples():
        if limit is not None and result.would_send >= limit:
            break
        try:
            render_checked(composer, data)
            composed = composer.compose(address, data)
        except HeaderValueError:
            result.invalid += 1
            continue
        except TemplateError:
            raise
        except Exception as exc:  # one row's values: that recipient would fail
            result.failed += 1
            result.first_error = result.first_error or composer.describe_error(exc, data)
            continue
        result.would_send += 1
        result.by_variant[composed.variant] += 1
        result.bytes_total += len(composed.data)
    return result


@contextmanager
def scratch_journal() -> Iterator[Journal]:
    """A throw-away journal for --dry-run and --test-to (nothing of it is kept)."""
    folder = Path(tempfile.mkdtemp(prefix="docket-dry-run-"))
    journal = Journal(folder)
    try:
        yield journal
    finally:
        journal.close()
        shutil.rmtree(folder, ignore_errors=True)


async def send_tests(
    settings: SmtpSettings,
    envelope_from: str,
    composer: Composer,
    journal: Journal,
    to: str,
    report: Callable[[str], None],
) -> int:
    """One message per language variant to one test address; returns how many were accepted."""
    from notifier.message.compose import validate_address

    validate_address(to)
    seen: set[str] = set()
    accepted = 0
    connection = Connection(settings)
    try:
        for _address, data in journal.samples():
            variant = _variant_of(composer, data)
            if variant in seen:
                continue
            render_checked(composer, data)
            seen.add(variant)
            composed = composer.compose(to, data, key=f"test:{variant}:{to}")
            outcome = await connection.send(envelope_from, to, composed.data, composed.eightbit)
            report(f"test ({variant}) to {to}: {outcome.kind}: {outcome.reply}")
            accepted += outcome.kind == "sent"
            if len(seen) == len(composer.templates.variants):
                break
    finally:
        await connection.close()
    return accepted


def verp_envelopes(journal: Journal, return_path: str) -> Callable[[Claimed], str]:
    """Each recipient's VERP return path, under the run folder's key (made on first use)."""
    key = load_key(journal.folder)
    assert key is not None
    verp = Verp(key, journal.meta().run_id, return_path)
    return lambda item: verp.envelope(item.id, item.key)


def bounce_counts(summary: Summary) -> dict[str, int] | None:
    """Bounced recipients by class for --record, or None before any mailbox was folded."""
    if summary.bounces is None or not summary.bounces.any:
        return None
    return summary.bounces.by_class
