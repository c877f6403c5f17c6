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
