"""Where the configuration is found: one rule (`find_config`, docs/cli.md "Which docket.toml")
for every command and the MkDocs plugin."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import find_config

TOML = '[checks]\nallowed_email_domains = ["{}"]\n'


@pytest.fixture()
def two_repos(tmp_path: Path) -> tuple[Path, Path]:
    """`here` (the current folder) and `there` (another case repository), each configured."""
    here, there = tmp_path / "here", tmp_path / "there"
    for repo in (here, there):
        (repo / "cases" / "2014").mkdir(parents=True)
        (repo / "docket.toml").write_text(TOML.format(repo.name + ".example"), "utf-8")
    return here.resolve(), there.resolve()


def test_without_a_cases_folder_it_is_the_current_folders_repository(
    two_repos: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    here, _ = two_repos
    monkeypatch.chdir(here / "cases" / "2014")  # anywhere inside: walks up
    config = find_config()
    assert config.source == here / "docket.toml" and config.root == here
    assert config.cases_dir == here / "cases"


def test_a_named_cases_folder_brings_its_own_repositorys_configuration(
    two_repos: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    here, there = two_repos
    monkeypatch.chdir(here)
    config = find_config(there / "cases")
    assert config.source == there / "docket.toml" and config.root == there
    assert config.allowed_email_domains == ("there.example",)
    assert config.cases_dir == there / "cases"


def test_a_named_cases_folder_is_kept_as_given(
    two_repos: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    here, _ = two_repos
    monkeypatch.chdir(here)
    assert find_config(Path("cases")).cases_dir == Path("cases")  # messages show it as typed


def test_near_is_where_the_walk_starts_a_file_from_its_folder(
    two_repos: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    here, there = two_repos
    case = there / "cases" / "2014" / "a20140408.1.md"
    case.write_text("", "utf-8")
    monkeypatch.chdir(here)
    config = find_config(near=case)
    assert config.source == there / "docket.toml" and config.cases_dir == there / "cases"
    # a named cases folder wins over `near` (the plugin: mkdocs.yml's folder)
    assert find_config(here / "cases", near=there).source == here / "docket.toml"


def test_without_any_docket_toml_the_defaults_and_the_start_as_root(tmp_path: Path) -> None:
    lone = tmp_path / "lone" / "cases"
    lone.mkdir(parents=True)
    config = find_config(lone)
    assert config.source is None and config.root == lone.resolve()
    assert config.cases_dir == lone
    assert find_config(near=tmp_path / "lone").cases_dir == (tmp_path / "lone" / "cases").resolve()
