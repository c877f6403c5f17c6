"""The `docket` command: a thin click shell over the generator and notifier libraries.

Imports of the libraries happen inside the commands so that `docket --help` stays fast, and
library errors become `click.ClickException` here, at the edge.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from generator.config import Config


def _config(root: Path | None = None) -> Config:
    from generator.config import ConfigError, load_config

    try:
        return load_config(root)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="docket")
def cli() -> None:
    """Keep arbitration cases as files, publish them, and carry out their rulings."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["concise", "json", "github"]),
    default="concise",
    show_default=True,
    help="concise: path:line:col: CODE message; json: an array; github: workflow annotations.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
def check(paths: tuple[Path, ...], output_format: str, strict: bool, jobs: int | None) -> None:
    """Check case files (default: the cases/ folder) and report every problem at once.

    Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage errors.
    """
    from generator.collection import check_paths
    from generator.diagnostics import Severity
    from generator.report import REPORTERS

    config = _config(paths[0] if paths else None)
    if not paths:
        if not config.cases_dir.is_dir():
            raise click.UsageError(
                f"no cases/ folder in {config.root}: pass the files or folders to check"
            )
        paths = (config.cases_dir,)
    collection = check_paths(list(paths), config, jobs=jobs, keep_cases=False)
    click.echo(REPORTERS[output_format]().render(collection.diagnostics, collection.files))
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    if any(d.severity in failing for d in collection.diagnostics):
        sys.exit(1)


@cli.command()
@click.option("--complaint", required=True, help="What the dispute is about, in a line.")
@click.option("--claimant", "claimants", multiple=True, required=True, help="Repeat for several.")
@click.option("--respondent", "respondents", multiple=True, help="Repeat for several.")
@click.option("--relief", help="What the claimant asks for.")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Filing date for the case number (default: today).",
)
@click.option(
    "--cases",
    "cases_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The cases folder (default: cases/ of this repository).",
)
def new(
    complaint: str,
    claimants: tuple[str, ...],
    respondents: tuple[str, ...],
    relief: str | None,
    day: object,
    cases_dir: Path | None,
) -> None:
    """Create a case file with the next free number, status init and every section."""
    from generator.scaffold import ScaffoldError, create_case

    filed = day.date() if hasattr(day, "date") else date.today()
    folder = cases_dir or _config().cases_dir
    try:
        target = create_case(folder, filed, complaint, list(claimants), list(respondents), relief)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(target)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of a case file's front matter."""
    from generator.schema import case_schema_text

    click.echo(case_schema_text(), nl=False)


@cli.command()
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--site-url", default="", help="Absolute URL of the published site (for the feed).")
@click.option("--site-name", default="Arbitration archive", show_default=True)
@click.option("--force", is_flag=True, help="Replace a non-empty folder that is no export.")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
def export(dest: Path, site_url: str, site_name: str, force: bool, jobs: int | None) -> None:
    """Write the public archive (Markdown pages, feed, JSON) to DEST for any site generator.

    The cases are checked first, exactly as `docket check` does; errors stop the export.
    """
    from generator.collection import check_paths
    from generator.diagnostics import Severity
    from generator.export import ExportError, export_site
    from generator.render.site import SiteOptions, render_site
    from generator.report import REPORTERS

    config = _config()
    if not config.cases_dir.is_dir():
        raise click.UsageError(f"no cases/ folder in {config.root}")
    collection = check_paths([config.cases_dir], config, jobs=jobs)
    if collection.diagnostics:
        click.echo(
            REPORTERS["concise"]().render(collection.diagnostics, collection.files), err=True
        )
    if any(d.severity is Severity.ERROR for d in collection.diagnostics):
        raise click.ClickException("the cases have errors (listed above); nothing was exported")
    options = SiteOptions(
        site_name=site_name, site_url=site_url, hash_bugs=config.hash_bug_refs, jobs=jobs or 0
    )
    site = render_site(collection.cases, config.root, config.urls, options)
    try:
        count = export_site(site, dest, force=force)
    except (ExportError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"exported {len(collection.cases)} cases ({count} files) to {dest}")


def main() -> None:
    cli()


# -- notifier: `docket notify` and `docket directory` ---------------------------------------------


@cli.command()
@click.argument("case")
@click.option("--action", "action_id", help="Which mail action, when the case has several.")
@click.option(
    "--directory",
    envvar="DOCKET_DIRECTORY",
    help="Member directory: an SQLite file or SQLAlchemy URL (env DOCKET_DIRECTORY); the "
    "password comes from DOCKET_DIRECTORY_PASSWORD.",
)
@click.option(
    "--smtp",
    envvar="DOCKET_SMTP",
    help="smtp://host:port, smtp+starttls://user@host:587, smtps://user@host:465 (env "
    "DOCKET_SMTP); the password comes from DOCKET_SMTP_PASSWORD.",
)
@click.option(
    "--journal",
    "journal_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Run folder (journal, report.json, recipients.csv).",
)
@click.option("--rate", help="Override the action's rate for this run: N/s, N/m, N/h; 0 = none.")
@click.option(
    "--pool", type=click.IntRange(1, 64), default=4, show_default=True, help="SMTP connections."
)
@click.option("--limit", type=click.IntRange(min=1), help="Send at most N messages this run.")
@click.option("--dry-run", is_flag=True, help="Render everything, send nothing.")
@click.option("--test-to", metavar="ADDR", help="Send one sample per language to ADDR only.")
@click.option("--status", is_flag=True, help="Print the journal's counts and exit.")
@click.option("--digest", "digest_only", is_flag=True, help="Print the approval digest and exit.")
@click.option(
    "--purge",
    is_flag=True,
    help="Remove the personal data (addresses, names, row data) from a finished run's journal.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--no-wait", is_flag=True, help="End when only deferred recipients remain.")
@click.option(
    "--no-resend-uncertain",
    is_flag=True,
    help="At-most-once: do not resend messages a crash left in flight.",
)
@click.option("--record", is_flag=True, help="Append the outcome to the case's Execution section.")
@click.option(
    "--retry-delay",
    type=click.FloatRange(min=0),
    default=300.0,
    show_default=True,
    help="Seconds before the first retry of a 4xx; doubles per attempt.",
)
@click.option("--max-attempts", type=click.IntRange(min=1), default=6, show_default=True)
@click.option(
    "--smtp-timeout",
    type=click.FloatRange(min=0.1),
    default=300.0,
    show_default=True,
    help="Seconds to wait for a reply (RFC 5321: 5 minutes).",
)
@click.option(
    "--data-timeout",
    type=click.FloatRange(min=0.1),
    default=600.0,
    show_default=True,
    help="Seconds to wait for the reply to the final dot (RFC 5321: 10 min).",
)
@click.option(
    "--no-pipelining",
    is_flag=True,
    help="Wait for each reply even when the server offers PIPELINING (for broken servers).",
)
@click.option(
    "--cases",
    "cases_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The cases folder (default: cases/ of this repository).",
)
def notify(
    case: str,
    action_id: str | None,
    directory: str | None,
    smtp: str | None,
    journal_dir: Path | None,
    rate: str | None,
    pool: int,
    limit: int | None,
    dry_run: bool,
    test_to: str | None,
    status: bool,
    digest_only: bool,
    purge: bool,
    yes: bool,
    no_wait: bool,
    no_resend_uncertain: bool,
    record: bool,
    retry_delay: float,
    max_attempts: int,
    smtp_timeout: float,
    data_timeout: float,
    no_pipelining: bool,
    cases_dir: Path | None,
) -> None:
    """Carry out a case's mail action: plan, confirm, send (resumable), report."""
    from click.core import ParameterSource

    from notifier.audience.directory import PASSWORD_ENV, carries_password
    from notifier.command import NotifyArgs, notify_command
    from notifier.steps import USER_ERRORS

    source = click.get_current_context().get_parameter_source("directory")
    from_env = source is ParameterSource.ENVIRONMENT
    if directory and not from_env and carries_password(directory):
        click.echo(
            "warning: the --directory URL carries a password, which `ps` shows to every user of "
            f"this machine; leave it out and set {PASSWORD_ENV} (or put the URL in "
            "DOCKET_DIRECTORY)",
            err=True,
        )
    args = NotifyArgs(
        case=case,
        action_id=action_id,
        directory=directory,
        smtp=smtp,
        journal_dir=journal_dir,
        rate=rate,
        pool=pool,
        limit=limit,
        dry_run=dry_run,
        test_to=test_to,
        status=status,
        digest_only=digest_only,
        yes=yes,
        no_wait=no_wait,
        resend_uncertain=not no_resend_uncertain,
        record=record,
        retry_delay=retry_delay,
        max_attempts=max_attempts,
        smtp_timeout=smtp_timeout,
        data_timeout=data_timeout,
        pipelining=not no_pipelining,
        cases_dir=cases_dir or _config().cases_dir,
        directory_from_env=from_env,
        purge=purge,
    )
    try:
        code = notify_command(args, click.echo, click.confirm)
    except USER_ERRORS as exc:
        raise click.ClickException(str(exc)) from None
    if code:
        sys.exit(code)


@cli.group()
def directory() -> None:
    """Member directories for `docket notify`."""


@directory.command("demo")
@click.argument("out")
@click.option("--members", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--replace", is_flag=True, help="Overwrite OUT (or drop the tables of a URL).")
def directory_demo(out: str, members: int, seed: int, replace: bool) -> None:
    """Write a synthetic CAcert-like member directory to OUT (SQLite file or SQLAlchemy URL)."""
    from sqlalchemy.exc import SQLAlchemyError

    from notifier.audience.demo import write_demo
    from notifier.audience.directory import redact

    try:
        stats = write_demo(out, members, seed, replace=replace)
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise click.ClickException(f"{redact(out)}: {reason}") from None
    share = stats.in_audience / stats.members
    click.echo(
        f"{redact(out) if '://' in out else out}: {stats.members} members, {stats.deleted} "
        f"deleted, {stats.duplicates} duplicate and {stats.malformed} malformed addresses; "
        f"{stats.in_audience} ({share:.0%}) in the a20140408.1 audience"
    )
