"""`docket import` through click's runner: output lines, exit codes, --dry-run, --force."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from docket.cli import cli
from tests.support.paths import FIXTURES, ROOT

WIKI = FIXTURES / "wiki"


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(ROOT / "docket.toml", tmp_path / "docket.toml")
    (tmp_path / "wiki").mkdir()
    for page in WIKI.glob("*.txt"):
        shutil.copy(page, tmp_path / "wiki" / page.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_imports_pages_and_exits_1_when_one_failed(repo: Path) -> None:
    result = CliRunner().invoke(
        cli, ["import", "wiki/print_a20140219.1.txt", "wiki/empty.txt", "--cases", "cases"]
    )
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert "wiki/print_a20140219.1.txt:2: status 'close' read as 'closed'" in lines
    assert "wiki/print_a20140219.1.txt: wrote cases/2014/a20140219.1.md" in lines
    assert "wiki/empty.txt:1: the file is empty: nothing to import (export the page again)" in lines
    assert "wiki/empty.txt: not imported" in lines
    assert lines[-1] == "imported 1 of 2 case(s) from 2 page(s)"
    assert (repo / "cases" / "2014" / "a20140219.1.md").is_file()
    assert "Traceback" not in result.output


def test_check_passes_on_what_import_wrote(repo: Path) -> None:
    runner = CliRunner()
    pages = [f"wiki/{p.name}" for p in WIKI.glob("*_a2*.txt") if not p.name.startswith("latin1")]
    imported = runner.invoke(cli, ["import", *pages, "--cases", "cases"])
    assert imported.exit_code == 0, imported.output
    checked = runner.invoke(cli, ["check", "cases"])
    assert checked.exit_code == 0, checked.output


def test_dry_run_prints_the_file_and_writes_nothing(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["import", "wiki/raw_lines_a20090505.3.txt", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert (
        "wiki/raw_lines_a20090505.3.txt: would write cases/2009/a20090505.3.md:\n---\ncase: a20090505.3\n"
        in result.output
    )
    assert result.output.splitlines()[-1] == "would import 1 of 1 case(s) from 1 page(s)"
    assert not (repo / "cases").exists()


def test_existing_file_needs_force(repo: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["import", "wiki/raw_lines_a20090505.3.txt"]).exit_code == 0
    again = runner.invoke(cli, ["import", "wiki/raw_lines_a20090505.3.txt"])
    assert again.exit_code == 1
    assert (
        "cases/2009/a20090505.3.md exists: not replaced (use --force to replace it)" in again.output
    )
    assert (
        runner.invoke(cli, ["import", "wiki/raw_lines_a20090505.3.txt", "--force"]).exit_code == 0
    )


def test_a_missing_page_is_reported_and_the_others_imported(repo: Path) -> None:
    result = CliRunner().invoke(
        cli, ["import", "wiki/nothing-here.txt", "wiki/raw_lines_a20090505.3.txt"]
    )
    assert result.exit_code == 1
    assert (
        "wiki/nothing-here.txt:1: cannot read the file: No such file or directory" in result.output
    )
    assert (repo / "cases" / "2009" / "a20090505.3.md").is_file()


def test_the_archive_exports_what_import_wrote_without_private_text(repo: Path) -> None:
    runner = CliRunner()
    pages = [
        "wiki/raw_flat_a20100314.2.txt",
        "wiki/print_a20140219.1.txt",
        "wiki/founding_a20140408.1.txt",
    ]
    assert runner.invoke(cli, ["import", *pages, "--cases", "cases"]).exit_code == 0
    exported = runner.invoke(cli, ["export", "out"])
    assert exported.exit_code == 0, exported.output
    published = "\n".join(
        p.read_text("utf-8", "replace") for p in (repo / "out").rglob("*") if p.is_file()
    )
    assert "a20140219.1" in published
    for secret in ("1971-02-03", "Hidden Lane", "0170 5550123", "Birch Road"):
        assert secret not in published


def test_import_prints_the_people_table_it_proposes_and_check_then_uses_it(repo: Path) -> None:
    runner = CliRunner()
    pages = ["wiki/people_a_a20161011.2.txt", "wiki/people_b_a20161020.1.txt"]
    result = runner.invoke(cli, ["import", *pages, "--cases", "cases"])
    assert result.exit_code == 0, result.output
    proposal = result.output.split("add to docket.toml (then import again):\n", 1)[1]
    assert proposal.splitlines()[:3] == [
        "[people]",
        '"GretaLindqvist" = ["Greta Lindqvist"]',
        '"Tomas Hallberg" = ["Tomas H"]',
    ]
    config = repo / "docket.toml"
    config.write_text(config.read_text("utf-8") + "\n" + "\n".join(proposal.splitlines()[:3]))
    checked = runner.invoke(cli, ["check", "cases"])
    assert checked.exit_code == 0 and "DK130" not in checked.output, checked.output
    # a file written by hand without the account: check asks for it
    written = repo / "cases" / "2016" / "a20161020.1.md"
    text = written.read_text("utf-8")
    assert ", account: GretaLindqvist}" in text
    written.write_text(text.replace(", account: GretaLindqvist}", "}"), "utf-8")
    checked = runner.invoke(cli, ["check", "cases"])
    assert "DK130" in checked.output and "add 'account: GretaLindqvist'" in checked.output
    again = runner.invoke(cli, ["import", *pages, "--cases", "cases", "--force"])
    assert "add to docket.toml" not in again.output
    checked = runner.invoke(cli, ["check", "cases"])
    assert checked.exit_code == 0 and "DK130" not in checked.output, checked.output


def test_into_is_the_old_spelling_of_cases(repo: Path) -> None:
    runner = CliRunner()
    old = runner.invoke(cli, ["import", "wiki/print_a20140219.1.txt", "--into", "cases"])
    assert old.exit_code == 0, old.output
    assert "warning: --into is deprecated and goes in the next release; use --cases" in old.output
    assert (repo / "cases" / "2014" / "a20140219.1.md").is_file()
    both = runner.invoke(
        cli, ["import", "wiki/print_a20140219.1.txt", "--into", "a", "--cases", "b"]
    )
    assert both.exit_code == 2 and "--into and --cases are the same option" in both.output
