"""docket.toml over the defaults (generator/config.py): settings read, and refused with the file
and what to write when they cannot be used."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.config import ConfigError, load_config


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
