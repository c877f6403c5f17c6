"""The CLI through click's runner: formats, exit codes, scaffolding, schema."""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import date
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from docket.cli import cli
from generator.loader import load_case
from tests.support.paths import FIXTURES, ROOT

BAD = FIXTURES / "checks" / "DK104"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A case repository: this one's cases and docket.toml, copied."""
    shutil.copytree(ROOT / "cases", tmp_path / "cases")
    shutil.copy(ROOT / "docket.toml", tmp_path / "docket.toml")
    return tmp_path


def test_check_clean_repository_exits_0(
    runner: CliRunner, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("0 errors, 0 warnings in 6 files")


def test_check_reports_the_issue_example(
    runner: CliRunner, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = repo / "cases" / "2014" / "a20140408.1.md"
    text = seed.read_text("utf-8")
    text = text.replace("ruled: 2014-04-08", "ruled: 2014-04-07")
    text = text.replace("- 2014-04-12 (C): asks", "- 2014-04-09 (C): asks")
    seed.write_text(text, "utf-8")
    lines = text.split("\n")
    ruled = lines.index("ruled: 2014-04-07") + 1
    moved = lines.index("- 2014-04-09 (C): asks about other other claimant and his intentions") + 1
    monkeypatch.chdir(repo)
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"cases/2014/a20140408.1.md:{ruled}:8: DK104 'ruled' (2014-04-07) is before 'started' "
        "(2014-04-08)",
        f"cases/2014/a20140408.1.md:{moved}:3: DK301 history log entry is out of order: "
        "2014-04-09 after 2014-04-11",
        "2 errors, 0 warnings in 6 files",
    ]


def test_json_format(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "--format", "json", str(BAD)])
    assert result.exit_code == 1
    [item] = json.loads(result.output)
    assert item == {
        "path": os.path.relpath(BAD / "2014" / "a20140408.1.md"),
        "line": 6,
        "col": 8,
        "code": "DK104",
        "severity": "error",
        "message": "'ruled' (2014-04-07) is before 'started' (2014-04-08)",
    }


def test_github_format(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "--format", "github", str(BAD)])
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith("::error file=")
    assert ",line=6,col=8,title=DK104::'ruled' (2014-04-07) is before" in first


def test_warnings_fail_only_with_strict(runner: CliRunner) -> None:
    warned = str(FIXTURES / "checks" / "DK202")
    assert runner.invoke(cli, ["check", warned]).exit_code == 0
    assert runner.invoke(cli, ["check", "--strict", warned]).exit_code == 1


def test_usage_errors_exit_2(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert runner.invoke(cli, ["check", str(tmp_path / "nope")]).exit_code == 2
    assert runner.invoke(cli, ["check", "--format", "xml", str(BAD)]).exit_code == 2
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 2 and "no cases/ folder" in result.output


def test_bad_configuration_is_one_clear_line(runner: CliRunner, repo: Path) -> None:
    (repo / "docket.toml").write_text("[checks]\nteamz = []\n", "utf-8")
    result = runner.invoke(cli, ["check", str(repo / "cases")])
    assert result.exit_code == 1
    assert "unknown setting 'checks.teamz'" in result.output
    assert "Traceback" not in result.output


def test_new_scaffolds_the_next_free_number(runner: CliRunner, repo: Path) -> None:
    args = ["new", "--cases", str(repo / "cases"), "--date", "2014-04-08"]
    args += ["--claimant", "Dana D", "--respondent", "CAcert", "--complaint", "Lost my key"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    created = Path(result.output.strip())
    assert created == repo / "cases" / "2014" / "a20140408.2.md"
    case, found = load_case(created)
    assert found == [] and case is not None
    assert case.header.status == "init" and case.header.complaint == "Lost my key"
    assert [(p.role, p.name) for p in case.header.parties] == [("C", "Dana D"), ("R", "CAcert")]
    titles = [s.title for s in case.sections]
    assert titles[0] == "History Log" and "Ruling" in titles and "Similar Cases" in titles
    again = runner.invoke(cli, args)
    assert Path(again.output.strip()).name == "a20140408.3.md"


def test_new_defaults_to_today_and_checks_clean(runner: CliRunner, repo: Path) -> None:
    args = ["new", "--cases", str(repo / "cases"), "--claimant", "A B", "--complaint", "x"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0
    assert Path(result.output.strip()).name == f"a{date.today():%Y%m%d}.1.md"
    assert runner.invoke(cli, ["check", str(repo / "cases")]).exit_code == 0


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    from generator.atomic import write_new

    target = tmp_path / "a.md"
    target.write_text("keep", "utf-8")
    with pytest.raises(FileExistsError):
        write_new(target, "other")
    assert target.read_text("utf-8") == "keep"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_new_rejects_bad_input_without_traceback(runner: CliRunner, repo: Path) -> None:
    args = ["new", "--cases", str(repo / "cases"), "--claimant", "A\nB", "--complaint", "x"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1 and "one line each" in result.output
    result = runner.invoke(
        cli, ["new", "--claimant", "A", "--complaint", "x", "--date", "2014-02-30"]
    )
    assert result.exit_code == 2


def test_schema_prints_the_json_schema(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "docket case file front matter"


def test_every_command_is_documented() -> None:
    docs = (ROOT / "docs" / "cli.md").read_text("utf-8")
    for name in cli.commands:  # type: ignore[attr-defined]
        assert f"## docket {name}" in docs, f"document 'docket {name}' in docs/cli.md"


def _commands(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix} {name}")
        else:
            found.append((f"{prefix} {name}", command))
    return found


def test_every_option_is_documented() -> None:
    """Each option of each command appears in its command's section of docs/cli.md."""
    docs = (ROOT / "docs" / "cli.md").read_text("utf-8")
    sections = {block.split("\n", 1)[0].strip(): block for block in docs.split("\n## ")[1:]}
    for name, command in _commands(cli, "docket"):  # type: ignore[arg-type]
        top = " ".join(name.split()[:2])
        section = sections.get(name) or sections.get(top)
        assert section is not None, f"document '{name}' in docs/cli.md"
        for param in command.params:
            for option in getattr(param, "opts", []):
                if option.startswith("--") and option != "--help":
                    assert option in section, f"document {name} {option} in docs/cli.md"


def test_every_notify_option_is_documented() -> None:
    docs = (ROOT / "docs" / "notify.md").read_text("utf-8")
    usage = (ROOT / "docs" / "cli.md").read_text("utf-8").split("## docket notify", 1)[1]
    for param in cli.commands["notify"].params:  # type: ignore[attr-defined]
        for option in [o for o in param.opts if o.startswith("--")]:
            mentioned = re.compile(rf"{re.escape(option)}(?![\w-])")
            assert mentioned.search(docs), f"document {option} in docs/notify.md"
            assert mentioned.search(usage), f"list {option} in docket notify's usage in docs/cli.md"


def test_acknowledged_findings_are_counted_listed_and_in_json(runner: CliRunner) -> None:
    folder = str(FIXTURES / "checks" / "acknowledged")
    plain = runner.invoke(cli, ["check", folder])
    assert plain.exit_code == 0
    assert plain.output.splitlines() == [
        "0 errors, 0 warnings, 2 acknowledged in 1 file (--show-allowed lists the acknowledged)"
    ]
    shown = runner.invoke(cli, ["check", "--show-allowed", folder])
    assert shown.exit_code == 0
    assert "DK301 history log entry is out of order" in shown.output
    assert "[acknowledged: log order as kept on the wiki]" in shown.output
    rows = json.loads(runner.invoke(cli, ["check", "--format", "json", folder]).output)
    assert [(r["code"], r["allowed"], r["reason"]) for r in rows] == [
        ("DK124", True, "the page names no case manager"),
        ("DK301", True, "log order as kept on the wiki"),
    ]


def test_checking_one_file_knows_every_case_of_the_repository(
    runner: CliRunner, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pre-commit hook passes only the changed files: a20241105.1 cites a20241107.2 four
    times, which exists in the repository (issue 11: four false DK202 warnings)."""
    monkeypatch.chdir(repo)
    result = runner.invoke(cli, ["check", "--strict", "cases/2024/a20241105.1.md"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["0 errors, 0 warnings in 1 file"]
    # a number that no file of the repository defines is still reported
    target = repo / "cases" / "2024" / "a20241105.1.md"
    target.write_text(target.read_text("utf-8") + "\nSee a20991231.1.\n", "utf-8")
    result = runner.invoke(cli, ["check", "cases/2024/a20241105.1.md"])
    assert "DK202 [warning] case a20991231.1 is cited" in result.output
