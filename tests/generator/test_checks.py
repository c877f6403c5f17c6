"""Each check has a fixture that triggers it: the exact code, line and column are asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.codes import CODES
from generator.collection import check_paths
from generator.config import Config
from tests.support.paths import FIXTURES

CHECKS = FIXTURES / "checks"

# fixture folder -> every (file, line, col, code) it must produce, and nothing else
EXPECTED: dict[str, list[tuple[str, int, int, str]]] = {
    "valid": [],
    "DK001": [("2014/a20140408.1.md", 4, 17, "DK001")],
    "DK002": [("2014/a20140408.1.md", 22, 5, "DK002")],
    "DK004": [("2014/a20140408.1.md", 1, 1, "DK004")],
    "DK005": [("2014/a20140408.1.md", 1, 1, "DK005")],
    "DK010": [("2014/a20140408.1.md", 1, 1, "DK010")],
    "DK011": [("2014/a20140408.1.md", 1, 1, "DK011")],
    "DK012": [("2014/a20140408.1.md", 1, 1, "DK012")],
    "DK013": [("2014/a20140408.1.md", 9, 1, "DK013")],
    # an unclosed quote is reported where the quote opens, not where the parser gave up
    "DK013-quote": [
        ("2014/a20140408.1.md", 4, 12, "DK013"),
        ("2014/a20140408.2.md", 4, 12, "DK013"),
    ],
    "DK014": [("2014/a20140408.1.md", 2, 1, "DK014")],
    "DK015": [("2014/a20140408.1.md", 6, 8, "DK015"), ("2014/a20140408.1.md", 3, 9, "DK122")],
    "DK016": [("2014/a20140408.1.md", 4, 1, "DK016"), ("2014/a20140408.1.md", 8, 9, "DK120")],
    "DK017": [("2014/a20140408.1.md", 4, 12, "DK017")],
    "DK018": [("2014/a20140408.1.md", 4, 39, "DK018")],
    "DK101": [("2014/a20140408.1.md", 5, 1, "DK101")],
    "DK102": [("2014/a20140408.1.md", 2, 1, "DK102")],
    "DK103": [("2014/a20140408.1.md", 11, 9, "DK103")],
    "DK104": [("2014/a20140408.1.md", 6, 8, "DK104")],
    "DK105": [("2014/a20140408.1.md", 2, 7, "DK105")],
    "DK106": [("2014/a20140408.1.md", 5, 10, "DK106")],
    "DK107": [("2014/a20140408.1.md", 3, 9, "DK107")],
    "DK108": [("2014/a20140408.1.md", 10, 12, "DK108")],
    "DK109": [("2014/a20140408.1.md", 3, 9, "DK109")],
    "DK110": [("2014/a20140408.2.md", 2, 7, "DK110")],
    "DK111": [("2015/a20140408.1.md", 2, 7, "DK111")],
    "DK120": [("2014/a20140408.1.md", 3, 9, "DK120")],
    "DK121": [("2014/a20140408.1.md", 6, 8, "DK121")],
    "DK122": [("2014/a20140408.1.md", 3, 9, "DK122")],
    "DK123": [("2014/a20140408.1.md", 3, 9, "DK123")],
    "DK124": [("2014/a20140408.1.md", 3, 9, "DK124")],
    "DK125": [("2014/a20140408.1.md", 11, 12, "DK125")],
    "DK126": [("2014/a20140408.1.md", 4, 12, "DK126")],
    "DK127": [("2014/a20140408.1.md", 8, 13, "DK127")],
    "DK128": [("2014/a20140408.1.md", 8, 27, "DK128")],
    "DK129": [("2014/a20140408.1.md", 8, 5, "DK129")],
    "DK201": [("2014/a20140408.1.md", 2, 7, "DK201"), ("other/2014/a20140408.1.md", 2, 7, "DK201")],
    "DK202": [("2014/a20140408.1.md", 22, 25, "DK202")],
    "DK301": [("2014/a20140408.1.md", 19, 3, "DK301")],
    "DK302": [("2014/a20140408.1.md", 19, 1, "DK302")],
    "DK303": [("2014/a20140408.1.md", 18, 18, "DK303")],
    "DK304": [("2014/a20140408.1.md", 18, 3, "DK304")],
    "DK305": [("2014/a20140408.1.md", 15, 1, "DK305")],
    "DK306": [
        ("2014/a20140408.1.md", 20, 1, "DK306"),
        ("2014/a20140408.1.md", 20, 19, "DK202"),  # not merged: an unknown case, said once
    ],
    "DK401": [("2014/a20140408.1.md", 24, 1, "DK401"), ("2014/a20140408.1.md", 24, 18, "DK401")],
    "DK402": [("2014/a20140408.1.md", 24, 4, "DK402")],
    "DK403": [("2014/a20140408.1.md", 22, 18, "DK403"), ("2014/a20140408.1.md", 24, 1, "DK403")],
    "DK404": [("2014/a20140408.1.md", 23, 1, "DK404")],
    "DK501": [("2014/a20140408.1.md", 22, 26, "DK501")],
    "DK502": [("2014/a20140408.1.md", 22, 1, "DK502")],
    "DK503": [
        ("2014/a20140408.1.md", 5, 11, "DK503"),
        ("2014/a20140408.1.md", 27, 18, "DK503"),
        ("2014/a20140408.1.md", 27, 57, "DK503"),
    ],
    "DK504": [("2014/a20140408.1.md", 26, 1, "DK504")],
    "DK701": [("2014/a20140408.1.md", 17, 33, "DK701")],
    "DK702": [("2014/a20140408.1.md", 19, 1, "DK702"), ("2014/a20140408.1.md", 20, 3, "DK301")],
    # a DK301 acknowledged on its line and a DK124 acknowledged for the case: nothing counted
    "acknowledged": [],
}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_fixture_triggers_exactly_its_diagnostics(folder: str, config: Config) -> None:
    root = CHECKS / folder
    found = check_paths([root], config, base=root).diagnostics
    got = sorted((d.path, d.line, d.col, d.code) for d in found)
    assert got == sorted(EXPECTED[folder])
    for d in found:
        assert d.severity is CODES[d.code].severity
        assert d.message


def test_every_fixture_folder_is_expected() -> None:
    assert {p.name for p in CHECKS.iterdir() if p.is_dir()} == set(EXPECTED)


def test_every_code_has_a_fixture_or_a_dedicated_test() -> None:
    tested_elsewhere = {"DK003", "DK006"}  # tests/generator/test_loader.py
    tested_elsewhere |= {"DK130"}  # below: it needs a [people] table
    tested_elsewhere |= {f"DK60{n}" for n in range(1, 8)}  # tests/generator/test_checks_actions.py
    covered = {code for rows in EXPECTED.values() for *_, code in rows} | tested_elsewhere
    assert set(CODES) <= covered


def test_private_text_is_a_note_when_configured(config: Config) -> None:
    from dataclasses import replace

    relaxed = replace(config, private_text="note")
    root = CHECKS / "DK502"
    [found] = check_paths([root], relaxed, base=root).diagnostics
    assert (found.code, str(found.severity)) == ("DK502", "note")


def test_allowed_email_domain_is_not_reported(config: Config) -> None:
    from dataclasses import replace

    allowed = replace(config, allowed_email_domains=("example.com",))
    root = CHECKS / "DK501"
    assert check_paths([root], allowed, base=root).diagnostics == []


def test_several_files_report_everything_at_once(config: Config, tmp_path: Path) -> None:
    for code in ("DK104", "DK301", "DK501"):
        target = tmp_path / code / "2014" / "a20140408.1.md"
        target.parent.mkdir(parents=True)
        target.write_bytes((CHECKS / code / "2014" / "a20140408.1.md").read_bytes())
    found = check_paths([tmp_path], config, base=tmp_path).diagnostics
    codes = sorted(d.code for d in found if d.code != "DK201")
    assert codes == ["DK104", "DK301", "DK501"]


def test_parallel_and_serial_runs_agree(config: Config, tmp_path: Path) -> None:
    seed = (FIXTURES.parent.parent / "cases" / "2014" / "a20140408.1.md").read_text("utf-8")
    for i in range(1, 41):
        target = tmp_path / "2014" / f"a20140408.{i}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(seed.replace("case: a20140408.1", f"case: a20140408.{i}"), "utf-8")
    serial = check_paths([tmp_path], config, jobs=1, base=tmp_path)
    import generator.collection as collection

    old = collection.PARALLEL_THRESHOLD
    collection.PARALLEL_THRESHOLD = 2
    try:
        parallel = check_paths([tmp_path], config, jobs=2, base=tmp_path)
    finally:
        collection.PARALLEL_THRESHOLD = old
    assert serial.diagnostics == parallel.diagnostics
    assert [c.number for c in serial.cases] == [c.number for c in parallel.cases]
    assert len(serial.cases) == 40


def test_attachment_folders_and_hidden_folders_are_not_case_files(
    config: Config, tmp_path: Path
) -> None:
    valid = (CHECKS / "valid" / "2014" / "a20140408.1.md").read_bytes()
    (tmp_path / "2014" / "a20140408.1").mkdir(parents=True)
    (tmp_path / "2014" / "a20140408.1.md").write_bytes(valid)
    (tmp_path / "2014" / "a20140408.1" / "notes.md").write_text("not a case", "utf-8")
    (tmp_path / ".trash").mkdir()
    (tmp_path / ".trash" / "old.md").write_text("not a case", "utf-8")
    collection = check_paths([tmp_path], config, base=tmp_path)
    assert collection.files == 1 and collection.diagnostics == []


def test_a_cited_case_that_fails_to_load_is_not_also_unknown(
    config: Config, tmp_path: Path
) -> None:
    """Its own error is reported; citing it gives no DK202 on top (it is defined, just broken)."""
    examples = FIXTURES.parent.parent / "cases" / "2024"
    for name in ("a20241105.1.md", "a20241107.2.md"):  # .2 cites .1 four times
        (tmp_path / "2024").mkdir(exist_ok=True)
        (tmp_path / "2024" / name).write_bytes((examples / name).read_bytes())
    broken = tmp_path / "2024" / "a20241105.1.md"
    text = broken.read_text("utf-8")
    assert "\nstatus: " in text
    broken.write_text(text.replace("\nstatus: ", "\nstatus: finished # ", 1), "utf-8")
    found = check_paths([tmp_path], config, base=tmp_path).diagnostics
    assert sorted((d.path, d.code) for d in found) == [
        ("2024/a20241105.1.md", "DK018"),  # the rest of the line is a YAML comment
        ("2024/a20241105.1.md", "DK107"),
    ]
    # a file named like no case is still unknown when cited
    broken.rename(tmp_path / "2024" / "notes.md")
    found = check_paths([tmp_path], config, base=tmp_path).diagnostics
    assert "DK202" in {d.code for d in found}


def _cites_twice(tmp_path: Path) -> Path:
    """A case that lists a20090101.1 in `refs` and cites it in its body, as an import writes."""
    text = (CHECKS / "DK202" / "2014" / "a20140408.1.md").read_text("utf-8")
    text = text.replace("---\n## History Log", "refs:\n  cases: [a20090101.1]\n---\n## History Log")
    text = text.replace("a20120101.1", "a20090101.1")
    target = tmp_path / "2014" / "a20140408.1.md"
    target.parent.mkdir(parents=True)
    target.write_text(text, "utf-8")
    return target


def test_an_unknown_case_cited_in_refs_and_body_is_reported_once(
    config: Config, tmp_path: Path
) -> None:
    _cites_twice(tmp_path)
    found = check_paths([tmp_path], config, base=tmp_path).diagnostics
    assert [(d.code, d.line) for d in found] == [("DK202", 15)]  # the refs line
    assert "cited (2 times)" in found[0].message


def test_cases_declared_possibly_missing_give_no_dk202(config: Config, tmp_path: Path) -> None:
    from dataclasses import replace
    from datetime import date

    _cites_twice(tmp_path)
    partial = replace(config, missing_cases_before=date(2010, 1, 1))
    assert check_paths([tmp_path], partial, base=tmp_path).diagnostics == []
    earlier = replace(config, missing_cases_before=date(2009, 1, 1))
    assert [d.code for d in check_paths([tmp_path], earlier, base=tmp_path).diagnostics] == [
        "DK202"
    ]


def test_missing_cases_before_is_read_from_docket_toml(tmp_path: Path) -> None:
    from datetime import date

    from generator.config import ConfigError, load_config

    (tmp_path / "docket.toml").write_text('[checks]\nmissing_cases_before = "2016-01-01"\n')
    assert load_config(tmp_path).missing_cases_before == date(2016, 1, 1)
    (tmp_path / "docket.toml").write_text("[checks]\nmissing_cases_before = 2016-01-01\n")
    assert load_config(tmp_path).missing_cases_before == date(2016, 1, 1)
    (tmp_path / "docket.toml").write_text('[checks]\nmissing_cases_before = "soon"\n')
    with pytest.raises(ConfigError, match="must be a date written YYYY-MM-DD"):
        load_config(tmp_path)


def test_an_officer_spelt_as_an_alias_needs_the_account(config: Config, tmp_path: Path) -> None:
    from dataclasses import replace

    target = tmp_path / "2014" / "a20140408.1.md"
    target.parent.mkdir(parents=True)
    target.write_bytes((CHECKS / "valid" / "2014" / "a20140408.1.md").read_bytes())
    text = target.read_text("utf-8")
    officer = next(line for line in text.split("\n") if "role: A," in line)
    name = officer.split("name: ", 1)[1].split("}")[0].split(",")[0].strip()
    people = replace(config, people={"CarolAccount": (name,)})
    found = check_paths([tmp_path], people, base=tmp_path).diagnostics
    assert [d.code for d in found] == ["DK130"]
    assert "add 'account: CarolAccount'" in found[0].message
    target.write_text(text.replace(officer, officer.replace("}", ", account: CarolAccount}")))
    assert check_paths([tmp_path], people, base=tmp_path).diagnostics == []


def test_the_people_table_is_read_and_checked(tmp_path: Path) -> None:
    from generator.config import ConfigError, load_config

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
