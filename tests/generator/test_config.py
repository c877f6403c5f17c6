"""docket.toml (generator/config.py): where it is found (one rule, `find_config`, docs/cli.md
"Which docket.toml", for every command and the MkDocs plugin), its settings read over the
defaults, and refused with the file and what to write when they cannot be used."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.config import ConfigError, find_config, load_config

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


def test_missing_cases_before_is_read_from_docket_toml(tmp_path: Path) -> None:
    (tmp_path / "docket.toml").write_text('[checks]\nmissing_cases_before = "2016-01-01"\n')
    assert load_config(tmp_path).missing_cases_before == date(2016, 1, 1)
    (tmp_path / "docket.toml").write_text("[checks]\nmissing_cases_before = 2016-01-01\n")
    assert load_config(tmp_path).missing_cases_before == date(2016, 1, 1)
    (tmp_path / "docket.toml").write_text('[checks]\nmissing_cases_before = "soon"\n')
    with pytest.raises(ConfigError, match="must be a date written YYYY-MM-DD"):
        load_config(tmp_path)


def test_the_people_table_is_read_and_checked(tmp_path: Path) -> None:
    toml = tmp_path / "docket.toml"
    toml.write_text('[people]\n"EvaStöwe" = ["Eva Stöwe", "Eva S"]\n', "utf-8")
    config = load_config(tmp_path)
    assert config.people == {"EvaStöwe": ("Eva Stöwe", "Eva S")}
    assert config.person_of("eva s") == "EvaStöwe" and config.person_of("Eva") is None
    toml.write_text('[people]\nA = ["Eva S"]\nB = ["Eva S"]\n', "utf-8")
    with pytest.raises(ConfigError, match="'Eva S' is listed under both 'A' and 'B'"):
        load_config(tmp_path)
    toml.write_text('[people]\nA = "Eva S"\n', "utf-8")
    with pytest.raises(ConfigError, match=r"people\.A must be a list of spellings"):
        load_config(tmp_path)


def test_no_docket_toml_gives_the_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.source is None
    assert config.cases_dir == tmp_path / "cases"
    assert config.private_text == "error"


def test_an_unknown_setting_or_a_wrong_type_names_the_file(tmp_path: Path) -> None:
    toml = tmp_path / "docket.toml"
    toml.write_text("[checks]\nprivate_txt = 'note'\n", "utf-8")
    with pytest.raises(ConfigError, match=r"docket\.toml: unknown setting 'checks\.private_txt'"):
        load_config(tmp_path)
    toml.write_text('[checks]\nprivate_text = "sometimes"\n', "utf-8")
    with pytest.raises(ConfigError, match='private_text must be "error" or "note"'):
        load_config(tmp_path)
    toml.write_text("[checks\n", "utf-8")
    with pytest.raises(ConfigError, match="fix the TOML syntax"):
        load_config(tmp_path)


def test_email_allowed_takes_subdomains_not_lookalikes(tmp_path: Path) -> None:
    (tmp_path / "docket.toml").write_text(
        '[checks]\nallowed_email_domains = ["example.org"]\n', "utf-8"
    )
    config = load_config(tmp_path)
    assert config.email_allowed("Example.ORG.") and config.email_allowed("lists.example.org")
    assert not config.email_allowed("badexample.org")
