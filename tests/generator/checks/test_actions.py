"""DK6xx: the mail-action checks of `docket check` (generator/checks/actions.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.collection import check_paths
from generator.config import Config
from tests.support.paths import FIXTURES

CASE = "a20200102.1"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES / "notify" / "cases", tmp_path / "cases")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "cases"


def codes(tree: Path, config: Config) -> list[tuple[str, int, str]]:
    found = check_paths([tree], config).diagnostics
    return [(d.code, d.line, d.path) for d in found]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_the_fixture_action_is_clean(tree: Path, config: Config) -> None:
    assert codes(tree, config) == []


def test_the_seed_case_is_clean(config: Config) -> None:
    root = FIXTURES.parent.parent
    found = check_paths([root / "cases"], config, base=root).diagnostics
    assert [d for d in found if d.code.startswith("DK6")] == []


def test_missing_files(tree: Path, config: Config) -> None:
    (tree / "2020" / CASE / "audience.sql").unlink()
    (tree / "2020" / CASE / "notice.txt.j2").unlink()
    found = codes(tree, config)
    assert ("DK601", 16, f"cases/2020/{CASE}.md") in found
    assert ("DK602", 20, f"cases/2020/{CASE}.md") in found


def test_template_syntax_error_at_its_line(tree: Path, config: Config) -> None:
    (tree / "2020" / CASE / "notice.de.txt.j2").write_text("Hallo\n\n{% if fname %}\n", "utf-8")
    assert codes(tree, config) == [("DK603", 3, f"cases/2020/{CASE}/notice.de.txt.j2")]


def test_approval_without_ruling(tree: Path, config: Config) -> None:
    case = tree / "2020" / f"{CASE}.md"
    edit(case, "## Ruling\n\nThe members in the audience are to be told about the test.\n\n", "")
    edit(case, "status: execution", "status: running")
    edit(case, "ruled: 2020-01-03\n", "")
    assert ("DK604", 21, f"cases/2020/{CASE}.md") in codes(tree, config)


def test_query_parameter_without_value(tree: Path, config: Config) -> None:
    edit(tree / "2020" / f"{CASE}.md", "params: {since: 2011-12-01}", "params: {}")
    assert [c for c, _, _ in codes(tree, config)] == ["DK605"]


def test_paths_leaving_the_folder(tree: Path, config: Config) -> None:
    edit(tree / "2020" / f"{CASE}.md", "template: a20200102.1/notice.txt.j2", "template: ../x.j2")
    found = codes(tree, config)
    assert ("DK606", 20, f"cases/2020/{CASE}.md") in found
    assert "DK602" not in [c for c, _, _ in found]


WRITES = [
    ("DELETE FROM alerts RETURNING memid AS email", 1),
    ("-- the audience\nDROP TABLE alerts", 2),
    ("PRAGMA user_version = 42", 1),
    ("ATTACH DATABASE 'x.db' AS x", 1),
    ("VACUUM INTO 'copy.db'", 1),
    ("SELECT email FROM users;\n\nDELETE FROM alerts", 3),
    ("WITH d AS (DELETE FROM alerts RETURNING memid) SELECT u.email FROM users u, d", 1),
    ("SELECT email INTO copy FROM users", 1),
    ("SELECT email FROM users FOR UPDATE", 1),
    ("SELECT email /*! INTO OUTFILE '/tmp/x' */ FROM users", 1),
    ("SELECT email, LOAD_FILE('/etc/passwd') AS fname FROM users", 1),
    ("SELECT email, pg_catalog.pg_read_file('/etc/passwd') AS fname FROM users", 1),
    ("SELECT email FROM users WHERE pg_sleep(600) IS NULL", 1),
]


@pytest.mark.parametrize(("sql", "line"), WRITES, ids=[w[0].splitlines()[-1][:30] for w in WRITES])
def test_a_query_that_is_not_one_select_is_reported_at_its_line(
    tree: Path, config: Config, sql: str, line: int
) -> None:
    (tree / "2020" / CASE / "audience.sql").write_text(sql + "\n", "utf-8")
    assert codes(tree, config) == [("DK607", line, f"cases/2020/{CASE}/audience.sql")]


def test_one_select_in_any_dialect_is_accepted(tree: Path, config: Config) -> None:
    for sql in (
        "WITH m AS (SELECT id, email FROM users) SELECT email FROM m;",
        "SELECT email FROM users UNION SELECT email FROM users",
        "SELECT `email` FROM users",  # MariaDB quoting
        "SELECT email::text FROM users WHERE created >= :since",  # PostgreSQL cast
    ):
        (tree / "2020" / CASE / "audience.sql").write_text(sql, "utf-8")
        assert codes(tree, config) == [], sql


def test_included_and_imported_templates_are_parsed_too(tree: Path, config: Config) -> None:
    folder = tree / "2020" / CASE
    (folder / "parts").mkdir()
    (folder / "parts" / "macros.j2").write_text("{% macro sign() %}\n{% if x %}\n{% endmacro %}\n")
    (folder / "footer.txt").write_text("ok\n\n{{ broken \n")
    edit(
        folder / "notice.txt.j2",
        "Kind regards\n",
        '{% import "parts/macros.j2" as m %}{% include "footer.txt" %}\n',
    )
    assert sorted(codes(tree, config)) == [
        ("DK603", 3, f"cases/2020/{CASE}/footer.txt"),
        ("DK603", 3, f"cases/2020/{CASE}/parts/macros.j2"),
    ]


def test_symlinks_and_run_time_includes_are_reported(tree: Path, config: Config) -> None:
    folder = tree / "2020" / CASE
    outside = tree.parent / "outside.txt"
    outside.write_text("not reviewed\n")
    (folder / "footer.txt").symlink_to(outside)
    edit(folder / "notice.txt.j2", "Kind regards\n", '{% include "footer.txt" %}\n')
    edit(folder / "notice.de.txt.j2", "Grüße!", "{% include language %}")
    (tree.parent / "q.sql").write_text("SELECT email FROM users\n")
    (folder / "audience.sql").unlink()
    (folder / "audience.sql").symlink_to(tree.parent / "q.sql")
    assert sorted(codes(tree, config)) == [
        ("DK603", 1, f"cases/2020/{CASE}/notice.de.txt.j2"),
        ("DK606", 1, f"cases/2020/{CASE}/footer.txt"),
        ("DK606", 16, f"cases/2020/{CASE}.md"),
    ]
