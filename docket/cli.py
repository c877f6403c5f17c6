"""The `docket` command: a thin click shell over the generator and notifier libraries.

Imports of the libraries happen inside the commands so that `docket --help` stays fast, and
library errors become `click.ClickException` here, at the edge.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from generator.config import Config
    from notifier.request import Console, Target


def _config(cases_dir: Path | None = None, *, near: Path | None = None) -> Config:
    """The configuration by the one rule of `generator.config.find_config` (docs/cli.md, "Which
    docket.toml"); its errors become one `Error:` line."""
    from generator.config import ConfigError, find_config

    try:
        return find_config(cases_dir, near=near)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


# One spelling for one thing across commands (docs/cli.md, "Options every command spells alike"):
# the cases folder is --cases DIR, replacing what exists is --force. The older spellings
# (`import --into`, `directory demo --replace`) still work for one release, hidden, with a
# warning; tests/docket/test_cli_vocabulary.py holds every command to it.
def _cases_option(command: Callable[..., None]) -> Callable[..., None]:
    return click.option(
        "--cases",
        "cases_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="The cases folder (default: cases/ of this repository).",
    )(command)


def _force_option(what: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option("--force", is_flag=True, help=what)


def _old_spelling(old: str, new: str, old_value: Any, new_value: Any) -> Any:
    """The value of an option given under its deprecated spelling (warned about), else the
    new one; both at once, different, is a usage error."""
    if old_value in (None, False):
        return new_value
    if new_value not in (None, False) and new_value != old_value:
        raise click.UsageError(f"{old} and {new} are the same option: give {new} only")
    click.echo(f"warning: {old} is deprecated and goes in the next release; use {new}", err=True)
    return old_value


# --format's words, one meaning each in every command that has the option: text for a person to
# read, json for programs (each command's section of docs/cli.md gives its shape), github for
# workflow annotations. The 0.1 word `check --format concise` is taken, with a warning.
FORMAT_WORDS = ("text", "json", "github")
_OLD_FORMAT_WORDS = {"concise": "text"}


class FormatChoice(click.Choice):  # type: ignore[type-arg]
    """A choice among FORMAT_WORDS; an old word is taken as its new one, with a warning."""

    def __init__(self, *words: str) -> None:
        assert set(words) <= set(FORMAT_WORDS), words
        super().__init__(words)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value in _OLD_FORMAT_WORDS:
            new = _OLD_FORMAT_WORDS[value]
            click.echo(
                f"warning: --format {value} is deprecated and goes in the next release; "
                f"use --format {new}",
                err=True,
            )
            value = new
        return super().convert(value, param, ctx)


def _format_option(*words: str, help: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option(
        "--format",
        "output_format",
        type=FormatChoice(*words),
        default=words[0],
        show_default=True,
        help=help,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="docket")
def cli() -> None:
    """Keep arbitration cases as files, publish them, and carry out their rulings."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@_format_option(
    "text",
    "json",
    "github",
    help="text: path:line:col: CODE message; json: an array; github: workflow annotations.",
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
    from generator.verdict import judge

    config = _config(near=paths[0] if paths else None)
    if not paths:
        if not config.cases_dir.is_dir():
            raise click.UsageError(
                f"no cases/ folder in {config.root}: pass the files or folders to check"
            )
        paths = (config.cases_dir,)
    collection = check_paths(list(paths), config, jobs=jobs, keep_cases=False)
    verdict = judge(
        collection,
        sys.stdout,
        output_format=output_format,
        strict=strict,
        show_allowed=show_allowed,
    )
    if verdict.failed:
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
@_cases_option
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
    folder = _config(cases_dir).cases_dir
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
@_force_option("Replace a non-empty folder that is no export.")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
@_cases_option
def export(
    dest: Path, site_url: str, site_name: str, force: bool, jobs: int | None, cases_dir: Path | None
) -> None:
    """Write the public archive as a site source to DEST: mkdocs.yml, pages, feed, JSON,
    docket's templates, stylesheet and scripts, and the search index.

    Build it with `zensical build -f DEST/mkdocs.yml`, `properdocs build -f DEST/mkdocs.yml` or
    `mkdocs build -f DEST/mkdocs.yml` (no plugin). The cases are checked first, exactly as
    `docket check` does; errors stop the export.
    """
    from generator.collection import check_paths
    from generator.export import ExportError, export_site
    from generator.mkdocs.export import MkDocsSource, find_theme
    from generator.render.site import SiteOptions, render_site
    from generator.verdict import judge

    config = _config(cases_dir)
    folder = config.cases_dir
    if not folder.is_dir():
        raise click.UsageError(f"no cases folder {folder}: pass --cases DIR")
    collection = check_paths([folder], config, jobs=jobs)
    if judge(collection, sys.stderr, quiet=True).failed:
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
@_cases_option
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), hidden=True)
@_force_option("Replace case files that exist already.")
@click.option("--dry-run", is_flag=True, help="Print the case files that would be written.")
def import_pages(
    pages: tuple[Path, ...], cases_dir: Path | None, into: Path | None, force: bool, dry_run: bool
) -> None:
    """Import exported wiki case pages (raw, printed or rendered) as checked case files.

    Prints what could not be mapped as PATH:LINE: message, pointing into the page. Exit status:
    0 when every page was imported, 1 when any page failed (the others are still imported).
    """
    from generator.collection import display_path
    from generator.wiki.importer import import_pages as run_import

    cases_dir = _old_spelling("--into", "--cases", into, cases_dir)
    config = _config(cases_dir)
    folder = config.cases_dir
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
    if report.proposed_aliases:
        from generator.wiki.people import proposal_toml

        click.echo("one person, several spellings: add to docket.toml (then import again):")
        click.echo(proposal_toml(report.proposed_aliases))
    done = sum(1 for r in report.results if not r.failed)
    verb = "would import" if dry_run else "imported"
    click.echo(f"{verb} {done} of {len(report.results)} case(s) from {len(pages)} page(s)")
    if report.failed:
        sys.exit(1)


def main() -> None:
    cli()


# -- notifier: `docket notify`, `docket runs`, `docket digest`, `docket directory` ----------------


def _target_options(command: Callable[..., None]) -> Callable[..., None]:
    """--action, --journal and --cases: which action, which run folder, which cases folder."""
    decorators: list[Callable[[Callable[..., None]], Callable[..., None]]] = [
        click.option("--action", "action_id", help="Which mail action, when the case has several."),
        click.option(
            "--journal",
            "journal_dir",
            type=click.Path(file_okay=False, path_type=Path),
            help="Run folder (journal, report.json, recipients.csv); default "
            "$XDG_STATE_HOME/docket/runs/CASE/ACTION.",
        ),
        _cases_option,
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def _send_options(command: Callable[..., None]) -> Callable[..., None]:
    """One click option per field of `SendOptions`, with its default and help."""
    from notifier.options import SendOptions

    for name, kind, default, spec in reversed(list(SendOptions.specs())):
        flag = "--" + name.replace("_", "-")
        if kind is bool:
            option = click.option(
                f"{flag}/--no-{flag[2:]}", name, default=default, show_default=True, help=spec.help
            )
        else:
            option = click.option(
                flag,
                name,
                type=_ranged(kind, spec.minimum, spec.maximum),
                default=default,
                show_default=default is not None,
                metavar=spec.metavar,
                help=spec.help,
            )
        command = option(command)
    return command


def _ranged(kind: type, minimum: float | None, maximum: float | None) -> Any:
    if kind is int and (minimum is not None or maximum is not None):
        return click.IntRange(
            None if minimum is None else int(minimum), None if maximum is None else int(maximum)
        )
    if kind is float and (minimum is not None or maximum is not None):
        return click.FloatRange(minimum, maximum)
    return kind


def _console() -> Console:
    from notifier.request import Console

    return Console(echo=click.echo, confirm=click.confirm, interactive=sys.stdin.isatty())


def _target(case: str, action_id: str | None, journal_dir: Path | None, config: Config) -> Target:
    from notifier.request import Target

    return Target(case, config.cases_dir, action_id, journal_dir)


def _run_job(job: Callable[..., int], *args: object) -> None:
    """Run a notifier job; its user errors become one `Error:` line, its status the exit code."""
    from notifier.steps import USER_ERRORS

    try:
        code = job(*args)
    except USER_ERRORS as exc:
        raise click.ClickException(str(exc)) from None
    if code:
        sys.exit(code)


def _typed(ctx: click.Context, name: str) -> bool:
    return ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE


# The jobs `docket notify` still runs under their 0.1 spellings, for one release.
_OLD_MODES = {
    "status": ("--status", "docket runs status CASE"),
    "digest_only": ("--digest", "docket digest CASE"),
    "purge": ("--purge", "docket runs purge CASE"),
    "bounce_paths": ("--bounces", "docket runs bounces CASE MAILBOX..."),
}
_PREVIEWS = {"dry_run": "--dry-run", "test_to": "--test-to", "preflight": "--preflight"}
# what changes the journal or the case file: nothing a preview may do
_CHANGES = {
    "record": "--record",
    "requeue_failed": "--requeue-failed",
    "new_run": "--new-run",
    "reason": "--reason",
    "skip_sent": "--skip-sent",
}
_TARGET = {"case", "action_id", "journal_dir", "cases_dir"}
_OLD_MODE_EXTRAS = {"purge": {"yes"}, "bounce_paths": {"record"}}


def _flag(ctx: click.Context, name: str) -> str:
    for param in ctx.command.params:
        if param.name == name and isinstance(param, click.Option):
            return param.opts[0].split("/")[0]
    return name


def _refuse_combinations(ctx: click.Context, params: dict[str, Any]) -> None:
    """One job per command line: a mode that makes no sense with another is refused (exit 2)."""
    active = {n: v for n, v in params.items() if v not in (None, False, ()) and _typed(ctx, n)}
    modes = [n for n in (*_PREVIEWS, *_OLD_MODES) if n in active]
    if len(modes) > 1:
        first, second = (_flag(ctx, n) for n in modes[:2])
        raise click.UsageError(f"{first} and {second} cannot be combined: one job at a time")
    mode = modes[0] if modes else None
    if mode in _PREVIEWS:
        for name in _CHANGES:
            if name in active:
                raise click.UsageError(
                    f"{_flag(ctx, mode)} and {_flag(ctx, name)} cannot be combined: "
                    f"{_flag(ctx, mode)} keeps nothing (no journal, no registry, no case-file line)"
                )
    if mode in _OLD_MODES:
        allowed = _TARGET | {mode} | _OLD_MODE_EXTRAS.get(mode, set())
        for name in params:
            if name not in allowed and _typed(ctx, name):
                raise click.UsageError(
                    f"{_flag(ctx, mode)} and {_flag(ctx, name)} cannot be combined: "
                    f"{_flag(ctx, mode)} sends nothing (it is `{_OLD_MODES[mode][1]}`)"
                )


@cli.command()
@click.argument("case")
@_target_options
@click.option(
    "--directory",
    envvar="DOCKET_DIRECTORY",
    help="Member directory: an SQLite file or SQLAlchemy URL (env DOCKET_DIRECTORY); the "
    "password comes from DOCKET_DIRECTORY_PASSWORD.",
)
@click.option(
    "--smtp",
    multiple=True,
    envvar="DOCKET_SMTP",
    metavar="URL",
    help="A relay: smtp://host:port, smtp+starttls://user@host:587, smtps://user@host:465, "
    "with ?weight=W&rate=N/s&connections=N if wanted; repeat for a pool of relays (env "
    "DOCKET_SMTP, URLs separated by spaces); the password comes from DOCKET_SMTP_PASSWORD.",
)
@_send_options
@click.option("--dry-run", is_flag=True, help="Render every message, send nothing, keep nothing.")
@click.option("--test-to", metavar="ADDR", help="Send one sample per language to ADDR only.")
@click.option(
    "--preflight",
    is_flag=True,
    help="Show the plan and the preflight's findings on every language's sample, send nothing; "
    "exit 1 when there is something to fix.",
)
@click.option("--yes", is_flag=True, help="Send without asking (for scripts).")
@click.option(
    "--requeue-failed",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[REPLY-PATTERN]",
    help="Before sending, queue failed recipients again (those whose reply contains "
    "REPLY-PATTERN).",
)
@click.option(
    "--new-run",
    is_flag=True,
    help="Send the action again although another run of it exists (needs --reason).",
)
@click.option("--reason", metavar="TEXT", help="Why --new-run sends the action again.")
@click.option("--status", is_flag=True, hidden=True)
@click.option("--digest", "digest_only", is_flag=True, hidden=True)
@click.option("--purge", is_flag=True, hidden=True)
@click.option(
    "--bounces",
    "bounce_paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    hidden=True,
)
def notify(**params: Any) -> None:
    """Carry out a case's mail action: plan, confirm, send (resumable), report.

    Run the same command again to resume. `--dry-run` and `--test-to` preview it and keep
    nothing. Exit status: 0 done, 1 bad input or an error stopped the run, 3 paused or refused
    by the relay, 4 not confirmed, 130 interrupted.
    """
    ctx = click.get_current_context()
    _refuse_combinations(ctx, params)
    config = _config(params.pop("cases_dir"))
    target = _target(params.pop("case"), params.pop("action_id"), params.pop("journal_dir"), config)
    for name, (spelling, instead) in _OLD_MODES.items():
        if params[name]:
            click.echo(
                f"warning: `docket notify {spelling}` is deprecated and goes in the next "
                f"release; use `{instead}`",
                err=True,
            )
            _old_mode(name, target, params)
            return
    _notify(ctx, target, config, params)


def _old_mode(name: str, target: Target, params: dict[str, Any]) -> None:
    from notifier.jobs.bounces import fold_bounces
    from notifier.jobs.digest import digest
    from notifier.jobs.purge import purge_run
    from notifier.jobs.status import status

    console = _console()
    if name == "status":
        _run_job(status, target, False, console)
    elif name == "digest_only":
        _run_job(digest, target, console)
    elif name == "purge":
        _run_job(purge_run, target, params["yes"], console)
    else:
        _run_job(fold_bounces, target, params["bounce_paths"], params["record"], console)


def _notify(ctx: click.Context, target: Target, config: Config, params: dict[str, Any]) -> None:
    from notifier.audience.directory import PASSWORD_ENV, carries_password
    from notifier.jobs.preview import dry_run, preflight_only, test_send
    from notifier.jobs.send import send
    from notifier.options import SendOptions
    from notifier.request import Endpoints, SendRequest

    directory = params["directory"]
    from_env = ctx.get_parameter_source("directory") is click.core.ParameterSource.ENVIRONMENT
    if directory and not from_env and carries_password(directory):
        click.echo(
            "warning: the --directory URL carries a password, which `ps` shows to every user of "
            f"this machine; leave it out and set {PASSWORD_ENV} (or put the URL in "
            "DOCKET_DIRECTORY)",
            err=True,
        )
    names = [name for name, *_ in SendOptions.specs()]
    request = SendRequest(
        target=target,
        endpoints=Endpoints(directory, params["smtp"], directory_from_env=from_env),
        options=SendOptions(**{name: params[name] for name in names}),
        given=frozenset(name for name in names if _typed(ctx, name)),
        yes=params["yes"],
        new_run=params["new_run"],
        reason=params["reason"],
        requeue_failed=params["requeue_failed"],
        flagged=config.flagged,
    )
    if params["dry_run"]:
        _run_job(dry_run, request, _console())
    elif params["preflight"]:
        _run_job(preflight_only, request, _console())
    elif params["test_to"]:
        _run_job(test_send, request, params["test_to"], _console())
    else:
        _run_job(send, request, _console())


@cli.command()
@click.argument("case")
@click.option("--action", "action_id", help="Which mail action, when the case has several.")
@_cases_option
def digest(case: str, action_id: str | None, cases_dir: Path | None) -> None:
    """Print a mail action's approval digest, with one hash per part."""
    from notifier.jobs.digest import digest as print_digest

    _run_job(print_digest, _target(case, action_id, None, _config(cases_dir)), _console())


@cli.group()
def runs() -> None:
    """The runs of a case's mail action: watch one, fold its bounces in, purge it."""


@runs.command("status")
@click.argument("case")
@_target_options
@_format_option(
    "text", "json", help="text: a report to read; json: one JSON object, for monitoring."
)
@click.option("--json", "old_json", is_flag=True, hidden=True)
def runs_status(
    case: str,
    action_id: str | None,
    journal_dir: Path | None,
    cases_dir: Path | None,
    output_format: str,
    old_json: bool,
) -> None:
    """What a run is doing or did: counts, pace, relays, replies, domains, bounces."""
    from notifier.jobs.status import status

    typed = output_format if _typed(click.get_current_context(), "output_format") else None
    chosen = _old_spelling("--json", "--format json", "json" if old_json else None, typed)
    target = _target(case, action_id, journal_dir, _config(cases_dir))
    _run_job(status, target, (chosen or output_format) == "json", _console())


@runs.command("bounces")
@click.argument("case")
@click.argument("mailboxes", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@_target_options
@click.option("--record", is_flag=True, help="Append the totals to the case's Execution section.")
def runs_bounces(
    case: str,
    mailboxes: tuple[Path, ...],
    action_id: str | None,
    journal_dir: Path | None,
    cases_dir: Path | None,
    record: bool,
) -> None:
    """Fold the bounces in mbox files or Maildir folders into the run's journal and report.

    Running it again changes nothing. Exit 1 when a message could not be read.
    """
    from notifier.jobs.bounces import fold_bounces

    target = _target(case, action_id, journal_dir, _config(cases_dir))
    _run_job(fold_bounces, target, mailboxes, record, _console())


@runs.command("purge")
@click.argument("case")
@_target_options
@click.option("--yes", is_flag=True, help="Purge without asking (for scripts).")
def runs_purge(
    case: str, action_id: str | None, journal_dir: Path | None, cases_dir: Path | None, yes: bool
) -> None:
    """Remove the personal data from a finished run's journal; asks first (or --yes).

    Refused while the run goes on or is unfinished. Exit 4 when not confirmed.
    """
    from notifier.jobs.purge import purge_run

    target = _target(case, action_id, journal_dir, _config(cases_dir))
    _run_job(purge_run, target, yes, _console())


@cli.group()
def directory() -> None:
    """Member directories for `docket notify`."""


@directory.command("demo")
@click.argument("out")
@click.option("--members", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@_force_option("Overwrite OUT (or drop the tables of a URL).")
@click.option("--replace", is_flag=True, hidden=True)
def directory_demo(out: str, members: int, seed: int, force: bool, replace: bool) -> None:
    """Write a synthetic CAcert-like member directory to OUT (SQLite file or SQLAlchemy URL)."""
    from sqlalchemy.exc import SQLAlchemyError

    from notifier.audience.demo import write_demo
    from notifier.audience.directory import redact

    try:
        stats = write_demo(
            out, members, seed, force=_old_spelling("--replace", "--force", replace, force)
        )
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
@_format_option(
    "text",
    "json",
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
