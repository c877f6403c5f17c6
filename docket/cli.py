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
@click.option(
    "--show-allowed",
    is_flag=True,
    help="Also list the findings the cases acknowledge (allow), with their reasons.",
)
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
def check(
    paths: tuple[Path, ...], output_format: str, strict: bool, show_allowed: bool, jobs: int | None
) -> None:
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
    reporter = REPORTERS[output_format]()
    click.echo(
        reporter.render(collection.diagnostics, collection.files, collection.allowed, show_allowed)
    )
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
    """Write the public archive as a site source to DEST: mkdocs.yml, pages, feed, JSON,
    docket's templates, stylesheet and scripts, and the search index.

    Build it with `zensical build -f DEST/mkdocs.yml`, `properdocs build -f DEST/mkdocs.yml` or
    `mkdocs build -f DEST/mkdocs.yml` (no plugin). The cases are checked first, exactly as
    `docket check` does; errors stop the export.
    """
    from generator.collection import check_paths
    from generator.diagnostics import Severity
    from generator.export import ExportError, export_site
    from generator.mkdocs.export import MkDocsSource, find_theme
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
        site_name=site_name,
        site_url=site_url,
        hash_bugs=config.hash_bug_refs,
        jobs=jobs or 0,
        search=True,
    )
    site = render_site(collection.cases, config.root, config.urls, options)
    try:
        source = MkDocsSource(find_theme(config.root), site_name, site_url)
        count = export_site(site, dest, force=force, source=source)
    except (ExportError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"exported {len(collection.cases)} cases ({count} files) to {dest}")


@cli.command("import")
@click.argument("pages", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    help="The cases folder to write into (default: cases/ of this repository).",
)
@click.option("--force", is_flag=True, help="Replace case files that exist already.")
@click.option("--dry-run", is_flag=True, help="Print the case files that would be written.")
def import_pages(pages: tuple[Path, ...], into: Path | None, force: bool, dry_run: bool) -> None:
    """Import exported wiki case pages (raw, printed or rendered) as checked case files.

    Prints what could not be mapped as PATH:LINE: message, pointing into the page. Exit status:
    0 when every page was imported, 1 when any page failed (the others are still imported).
    """
    from generator.collection import display_path
    from generator.wiki.importer import import_pages as run_import

    config = _config(into)
    folder = into or config.cases_dir
    base = Path.cwd()
    shown = [display_path(p.absolute(), base) for p in pages]
    report = run_import(list(pages), folder, config, force=force, dry_run=dry_run, shown=shown)
    for result in report.results:
        for finding in result.findings:
            click.echo(str(finding), err=finding.failed)
        sources = ", ".join(result.sources)
        target = display_path(result.target.absolute(), base) if result.target else ""
        if result.outcome == "written":
            click.echo(f"{sources}: wrote {target}")
        elif result.outcome == "would write":
            click.echo(f"{sources}: would write {target}:")
            click.echo(result.text or "", nl=False)
        else:
            click.echo(f"{sources}: not imported", err=True)
    done = sum(1 for r in report.results if not r.failed)
    verb = "would import" if dry_run else "imported"
    click.echo(f"{verb} {done} of {len(report.results)} case(s) from {len(pages)} page(s)")
    if report.failed:
        sys.exit(1)


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
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    help="Send at most N new messages this run (0: no limit, lifting a resumed run's).",
)
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
@click.option(
    "--no-wait/--wait",
    default=False,
    help="End when only deferred recipients remain (--wait: wait for them, the default).",
)
@click.option(
    "--no-resend-uncertain/--resend-uncertain",
    default=False,
    help="At-most-once: do not resend messages a crash left in flight (--resend-uncertain: do).",
)
@click.option(
    "--record/--no-record",
    default=False,
    help="Append the outcome to the case's Execution section.",
)
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
    "--no-pipelining/--pipelining",
    default=False,
    help="Wait for each reply even when the server offers PIPELINING (for broken servers).",
)
@click.option(
    "--requeue-failed",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[REPLY-PATTERN]",
    help="Queue failed recipients again (those whose reply contains REPLY-PATTERN).",
)
@click.option(
    "--new-run",
    is_flag=True,
    help="Send the action again although another run of it exists (needs --reason).",
)
@click.option("--reason", metavar="TEXT", help="Why --new-run sends the action again.")
@click.option(
    "--skip-sent/--no-skip-sent",
    default=False,
    help="Skip whoever an earlier run of the action already sent to.",
)
@click.option(
    "--no-verp",
    is_flag=True,
    help="One return path for all (for relays that refuse per-recipient envelope senders).",
)
@click.option(
    "--bounces",
    "bounce_paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    metavar="MAILBOX",
    help="Fold the bounces in an mbox file or Maildir folder into the run's journal and "
    "report (repeatable); sends nothing.",
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
    requeue_failed: str | None,
    new_run: bool,
    reason: str | None,
    skip_sent: bool,
    no_verp: bool,
    bounce_paths: tuple[Path, ...],
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
        requeue_failed=requeue_failed,
        new_run=new_run,
        reason=reason,
        skip_sent=skip_sent,
        verp=not no_verp,
        bounces=bounce_paths,
        cases_dir=cases_dir or _config().cases_dir,
        given=_given_on_the_command_line(),
        directory_from_env=from_env,
        purge=purge,
    )
    try:
        code = notify_command(args, click.echo, click.confirm)
    except USER_ERRORS as exc:
        raise click.ClickException(str(exc)) from None
    if code:
        sys.exit(code)


def _given_on_the_command_line() -> frozenset[str]:
    """The notify options typed on this command line: they override a journal's stored ones."""
    ctx = click.get_current_context()
    names = {
        "no_wait": "no_wait",
        "no_resend_uncertain": "resend_uncertain",
        "no_pipelining": "pipelining",
    }
    return frozenset(
        names.get(name, name)
        for name in ctx.params
        if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE
    )


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


# -- bounces: `docket bounces classify` ---------------------------------------------------------


@cli.group()
def bounces() -> None:
    """Bounces: what became of messages after the server accepted them."""


@bounces.command("classify")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per recipient for a person; json: one JSON object per line.",
)
def bounces_classify(paths: tuple[Path, ...], output_format: str) -> None:
    """Classify the bounces in mbox files, Maildir folders or .eml files; no journal needed.

    One line per recipient of each message, in the report's order. Exit 1 when a message could
    not be read (its line says why), else 0.
    """
    from notifier.bounces.lines import as_json, as_text, classify_paths

    render = as_json if output_format == "json" else as_text
    errors = 0
    out = sys.stdout
    for line in classify_paths(paths):
        errors += "error" in line
        out.write(render(line) + "\n")
    if errors:
        click.echo(f"{errors} message(s) could not be read", err=True)
        sys.exit(1)
