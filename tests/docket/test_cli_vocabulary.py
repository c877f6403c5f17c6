"""Every command spells the same thing the same way (docs/cli.md, "Options every command spells
alike"): the cases folder is `--cases DIR`, replacing what exists is `--force`, the output is
`--format` with the same words for the same thing, a flag that two commands share means the same
(same parameter, same kind of value) in both, and every command finds docket.toml by one rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from docket.cli import FORMAT_WORDS, FormatChoice, cli
from tests.support.paths import ROOT

# Commands that read or write the cases folder. `docket check` is not one of them: its PATHS
# are the files or folders to check (default: the cases folder), as for ruff or pytest.
USES_CASES_FOLDER = {
    "new", "export", "import", "notify", "digest", "runs status", "runs bounces", "runs purge",
}  # fmt: skip
# Old spellings kept (hidden, with a warning) for one release.
DEPRECATED = {"--into", "--replace", "--json"}
# Commands that print for programs as well as for people: `--format text|json` at least.
HAS_FORMAT = {"check", "runs status", "bounces classify"}


def _commands(group: click.Group = cli, prefix: str = "") -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found.update(_commands(command, f"{prefix}{name} "))
        else:
            found[prefix + name] = command
    return found


COMMANDS = _commands()


def _visible_options(command: click.Command) -> list[click.Option]:
    return [p for p in command.params if isinstance(p, click.Option) and not p.hidden]


@pytest.mark.parametrize("name", sorted(USES_CASES_FOLDER))
def test_the_cases_folder_is_cases_everywhere(name: str) -> None:
    options = {opt: p for p in _visible_options(COMMANDS[name]) for opt in p.opts}
    assert "--cases" in options, f"docket {name} has no --cases"
    assert options["--cases"].name == "cases_dir"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_no_command_shows_an_old_spelling(name: str) -> None:
    shown = {opt for p in _visible_options(COMMANDS[name]) for opt in p.opts}
    assert not shown & DEPRECATED, f"docket {name} shows {shown & DEPRECATED}"


def test_a_shared_flag_means_the_same_in_every_command() -> None:
    meaning: dict[str, tuple[str, tuple[str | None, type], str]] = {}
    for name, command in sorted(COMMANDS.items()):
        for param in _visible_options(command):
            kind = (param.name, type(param.type))
            for opt in param.opts:
                if opt in meaning:
                    first_kind, first_command = meaning[opt][1], meaning[opt][2]
                    assert kind == first_kind, (
                        f"{opt}: {first_kind} in docket {first_command}, {kind} in docket {name}"
                    )
                else:
                    meaning[opt] = (opt, kind, name)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_format_has_the_same_words_everywhere(name: str) -> None:
    formats = [p for p in _visible_options(COMMANDS[name]) if "--format" in p.opts]
    if name not in HAS_FORMAT:
        assert formats == [], f"docket {name}: add it to HAS_FORMAT and docs/cli.md"
        return
    (option,) = formats
    assert isinstance(option.type, FormatChoice) and option.name == "output_format"
    words = tuple(option.type.choices)
    assert set(words) <= set(FORMAT_WORDS), f"docket {name} --format {words}: not the vocabulary"
    assert words[:2] == ("text", "json") and option.default == "text"


@pytest.mark.parametrize(("name", "old"), [
    ("import", "--into"), ("directory demo", "--replace"), ("runs status", "--json"),
])  # fmt: skip
def test_old_spellings_still_work(name: str, old: str) -> None:
    hidden = {opt for p in COMMANDS[name].params if getattr(p, "hidden", False) for opt in p.opts}
    assert old in hidden


# -- Which docket.toml: one rule for every command (generator.config.find_config) ---------------

CASE = "a20140408.1"
BROKEN = "[checks]\nteamz = []\n"  # an unknown setting: the error names the file that was read


def _arguments(command: str, cases: Path | None, tmp_path: Path) -> list[str]:
    """A command line of `command` on the repository whose cases folder is `cases` (None: the
    current folder's), to see which docket.toml it reads."""
    mailbox = tmp_path / "mbox"
    mailbox.touch()
    named = ["--cases", str(cases)] if cases else []
    if command == "check":  # its PATHS instead of --cases
        return ["check", *([str(cases)] if cases else [])]
    args = {
        "new": ["new", "--complaint", "Lost my key", "--claimant", "Dana D"],
        "export": ["export", str(tmp_path / "out")],
        "import": ["import", "--dry-run", str(tmp_path / "page.txt")],
        "notify": ["notify", CASE, "--dry-run"],
        "digest": ["digest", CASE],
        "runs status": ["runs", "status", CASE],
        "runs bounces": ["runs", "bounces", CASE, str(mailbox)],
        "runs purge": ["runs", "purge", CASE, "--yes"],
    }[command]
    return args + named


READS_CONFIG = sorted(USES_CASES_FOLDER | {"check"})


@pytest.fixture()
def repos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """`here`, the current folder, and `there`, another case repository; both hold the cases."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    for name in ("DOCKET_DIRECTORY", "DOCKET_SMTP"):
        monkeypatch.delenv(name, raising=False)
    here, there = (tmp_path / "here").resolve(), (tmp_path / "there").resolve()
    for repo in (here, there):
        shutil.copytree(ROOT / "cases", repo / "cases")
        shutil.copy(ROOT / "docket.toml", repo / "docket.toml")
    monkeypatch.chdir(here)
    return here, there


def test_every_command_that_reads_the_configuration_is_covered() -> None:
    for name, command in COMMANDS.items():
        names = {p.name for p in command.params}
        if "cases_dir" in names:
            assert name in READS_CONFIG


@pytest.mark.parametrize("name", READS_CONFIG)
def test_a_named_cases_folder_brings_its_repositorys_docket_toml(
    name: str, repos: tuple[Path, Path], tmp_path: Path
) -> None:
    _, there = repos
    (there / "docket.toml").write_text(BROKEN, "utf-8")
    result = CliRunner().invoke(cli, _arguments(name, there / "cases", tmp_path))
    assert result.exit_code == 1, result.output
    assert f"{there / 'docket.toml'}: unknown setting 'checks.teamz'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", READS_CONFIG)
def test_the_current_folders_docket_toml_is_not_read_for_another_repository(
    name: str, repos: tuple[Path, Path], tmp_path: Path
) -> None:
    here, there = repos
    (here / "docket.toml").write_text(BROKEN, "utf-8")
    result = CliRunner().invoke(cli, _arguments(name, there / "cases", tmp_path))
    assert "teamz" not in result.output, result.output


@pytest.mark.parametrize("name", READS_CONFIG)
def test_without_a_cases_folder_the_current_folders_docket_toml(
    name: str, repos: tuple[Path, Path], tmp_path: Path
) -> None:
    here, _ = repos
    (here / "docket.toml").write_text(BROKEN, "utf-8")
    result = CliRunner().invoke(cli, _arguments(name, None, tmp_path))
    assert result.exit_code == 1, result.output
    assert f"{here / 'docket.toml'}: unknown setting 'checks.teamz'" in result.output


# -- --format: the 0.1 words still work for a release -------------------------------------------


def test_check_format_concise_is_text_with_a_warning() -> None:
    folder = str(ROOT / "tests" / "fixtures" / "checks" / "DK104")
    new = CliRunner().invoke(cli, ["check", "--format", "text", folder])
    old = CliRunner().invoke(cli, ["check", "--format", "concise", folder])
    assert old.exit_code == new.exit_code == 1
    assert old.stdout == new.stdout and "DK104" in new.stdout
    assert old.stderr == (
        "warning: --format concise is deprecated and goes in the next release; use --format text\n"
    )
    assert new.stderr == ""
    assert "concise" not in CliRunner().invoke(cli, ["check", "--help"]).output


def test_runs_status_json_and_format_text_together_are_refused(tmp_path: Path) -> None:
    args = ["runs", "status", CASE, "--cases", str(ROOT / "cases"), "--journal", str(tmp_path)]
    both = CliRunner().invoke(cli, [*args, "--json", "--format", "text"])
    assert both.exit_code == 2
    assert "--json and --format json are the same option: give --format json only" in both.output


def test_check_offers_exactly_the_reporters() -> None:
    from generator.report import REPORTERS

    (option,) = [p for p in COMMANDS["check"].params if "--format" in p.opts]
    assert set(option.type.choices) == set(REPORTERS)  # type: ignore[attr-defined]
