"""Every command spells the same thing the same way (docs/cli.md, "Options every command spells
alike"): the cases folder is `--cases DIR`, replacing what exists is `--force`, and a flag that
two commands share means the same (same parameter, same kind of value) in both."""

from __future__ import annotations

import click
import pytest

from docket.cli import cli

# Commands that read or write the cases folder. `docket check` is not one of them: its PATHS
# are the files or folders to check (default: the cases folder), as for ruff or pytest.
USES_CASES_FOLDER = {
    "new", "export", "import", "notify", "digest", "runs status", "runs bounces", "runs purge",
}  # fmt: skip
# Old spellings kept (hidden, with a warning) for one release.
DEPRECATED = {"--into", "--replace"}


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


@pytest.mark.parametrize(("name", "old"), [("import", "--into"), ("directory demo", "--replace")])
def test_old_spellings_still_work(name: str, old: str) -> None:
    hidden = {opt for p in COMMANDS[name].params if getattr(p, "hidden", False) for opt in p.opts}
    assert old in hidden
