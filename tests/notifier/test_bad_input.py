"""Bad input: one clear line, a non-zero exit, nothing sent and no run folder made."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docket.cli import cli
from notifier.approval.action import resolve
from tests.notifier.conftest import CASE, Sink, make_directory
from tests.support.net import free_port

MEMBERS = [("anna@example.org", "Anna", "Meyer", "en"), ("ben@example.org", "Ben", "B", "de")]


def case_file(cases: Path) -> Path:
    return cases / "2020" / f"{CASE}.md"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def approve(cases: Path) -> None:
    """Approve the action as it now stands (what an arbitrator does after reviewing it)."""
    digest = resolve(CASE, cases, None).digest
    path = case_file(cases)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"sha256:[0-9a-f]{64}", digest, text), encoding="utf-8")


@pytest.fixture
def members(tmp_path: Path) -> Path:
    return make_directory(tmp_path / "members.sqlite", MEMBERS)


def run(cases: Path, members: Path, sink: Sink, *args: str, case: str = CASE) -> Result:
    journal = cases.parent / "run"
    relay = [] if "--smtp" in args else ["--smtp", sink.url]  # --smtp is repeatable: a pool
    return CliRunner().invoke(
        cli,
        ["notify", case, "--cases", str(cases), "--directory", str(members), *relay,
         "--journal", str(journal), "--yes", "--rate", "0", *args],
    )  # fmt: skip


def one_line_error(result: Result, sink: Sink, cases: Path) -> str:
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    assert sink.received == []
    assert not (cases.parent / "run").exists()
    return lines[0]


Change = Callable[[Path], None]


def no_action(cases: Path) -> None:
    edit(case_file(cases), "actions:", "old_actions:")
    text = case_file(cases).read_text(encoding="utf-8")
    head, _, rest = text.partition("old_actions:")
    _, _, body = rest.partition("\n---\n")
    case_file(cases).write_text(head + "---\n" + body, encoding="utf-8")


def two_actions(cases: Path) -> None:
    text = case_file(cases).read_text(encoding="utf-8")
    start = text.index("  - id: test-notice")
    end = text.index("\n---\n")
    second = text[start:end].replace("id: test-notice", "id: second-notice")
    case_file(cases).write_text(text[:end] + "\n" + second + text[end:], encoding="utf-8")


def unapproved(cases: Path) -> None:
    text = case_file(cases).read_text(encoding="utf-8")
    case_file(cases).write_text(re.sub(r"\n    approved: .*", "", text), encoding="utf-8")


def changed_template(cases: Path) -> None:
    (cases / "2020" / CASE / "notice.de.txt.j2").write_text("Hallo anders\n", encoding="utf-8")


def no_ruling(cases: Path) -> None:
    edit(
        case_file(cases),
        "## Ruling\n\nThe members in the audience are to be told about the test.\n\n",
        "",
    )
    edit(case_file(cases), "status: execution", "status: running")
    edit(case_file(cases), "ruled: 2020-01-03\n", "")


def failing_query(cases: Path) -> None:
    (cases / "2020" / CASE / "audience.sql").write_text("SELECT email FROM nowhere\n")
    approve(cases)


def no_email_column(cases: Path) -> None:
    sql = "SELECT id, fname, lname, language FROM users WHERE deleted = 0 AND :since <> ''\n"
    (cases / "2020" / CASE / "audience.sql").write_text(sql)
    approve(cases)


def missing_parameter(cases: Path) -> None:
    edit(case_file(cases), "params: {since: 2011-12-01}", "params: {}")
    approve(cases)


def undefined_variable(cases: Path) -> None:
    (cases / "2020" / CASE / "notice.txt.j2").write_text("Dear {{ nickname }},\n")
    approve(cases)


def undefined_at_render(cases: Path) -> None:
    (cases / "2020" / CASE / "notice.txt.j2").write_text("Dear {{ fname }},\n{{ lname.title2 }}\n")
    approve(cases)


def syntax_error(cases: Path) -> None:
    (cases / "2020" / CASE / "notice.de.txt.j2").write_text("Hallo\n{% if fname %}\n")
    approve(cases)


CASES: list[tuple[str, Change | None, list[str], str]] = [
    ("unknown case", None, ["--case-override", "a20990101.1"], "a20990101.1: no such case under"),
    ("malformed number", None, ["--case-override", "20140408"], "not a case number"),
    ("no mail action", no_action, [], "has no mail action"),
    (
        "several actions",
        two_actions,
        [],
        "has mail actions test-notice, second-notice; pass --action ID",
    ),
    ("unknown action", None, ["--action", "nope"], "has no action 'nope' (it has: test-notice)"),
    ("unapproved", unapproved, [], "action test-notice is not approved"),
    ("changed", changed_template, [], "differs from what A approved on 2020-01-03"),
    ("no ruling", no_ruling, [], "has no ruling; nothing may be sent"),
    ("failing query", failing_query, [], "audience query failed: no such table: nowhere"),
    ("no email column", no_email_column, [], "the audience query returns no 'email' column"),
    ("missing parameter", missing_parameter, [], "needs parameter(s) since"),
    (
        "undefined variable",
        undefined_variable,
        [],
        "the templates use nickname but the audience query",
    ),
    ("template syntax", syntax_error, [], "notice.de.txt.j2:2:1: template syntax error"),
    (
        "undefined at render",
        undefined_at_render,
        ["--dry-run"],
        "notice.txt.j2:2:1: template error:",
    ),
    ("bad rate", None, ["--rate", "fast"], "rate 'fast' is not N/s"),
]


@pytest.mark.parametrize(("name", "change", "extra", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input(
    cases: Path, members: Path, sink: Sink, name: str, change: Change | None, extra: list[str],
    expected: str,
) -> None:  # fmt: skip
    if change is not None:
        change(cases)
    case = CASE
    if extra[:1] == ["--case-override"]:
        case, extra = extra[1], extra[2:]
    line = one_line_error(run(cases, members, sink, *extra, case=case), sink, cases)
    assert expected in line


def test_changed_part_is_named_from_git_history(cases: Path, members: Path, sink: Sink) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(cases)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "approved"], check=True)
    changed_template(cases)
    edit(case_file(cases), 'subject: "Test notice', 'subject: "Changed notice')
    line = one_line_error(run(cases, members, sink), sink, cases)
    assert "(changed: subject, template a20200102.1/notice.de.txt.j2)" in line
    assert "have it approved again" in line


def test_unreachable_database_keeps_the_password_out(cases: Path, sink: Sink) -> None:
    port = free_port()
    url = f"mysql+pymysql://critical@127.0.0.1:{port}/members"
    result = CliRunner().invoke(
        cli, ["notify", CASE, "--cases", str(cases), "--directory", url, "--smtp", sink.url,
              "--journal", str(cases.parent / "run"), "--yes"],
        env={"DOCKET_DIRECTORY_PASSWORD": "s3cret-pw"},
    )  # fmt: skip
    line = one_line_error(result, sink, cases)
    assert "cannot reach directory" in line and "s3cret-pw" not in line and "***" in line


def test_missing_sqlite_file(cases: Path, sink: Sink, tmp_path: Path) -> None:
    line = one_line_error(run(cases, tmp_path / "absent.sqlite", sink), sink, cases)
    assert "absent.sqlite: no such SQLite file" in line


def test_unreachable_smtp_server(cases: Path, members: Path, sink: Sink) -> None:
    line = one_line_error(
        run(cases, members, sink, "--smtp", f"smtp://127.0.0.1:{free_port()}"), sink, cases
    )
    assert "cannot reach SMTP server smtp://127.0.0.1:" in line


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # on 127.0.0.1
def test_wrong_smtp_password(
    cases: Path, members: Path, sink: Sink, auth_sink: Sink, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"smtp://critical@127.0.0.1:{auth_sink.port}"
    monkeypatch.setenv("DOCKET_SMTP_PASSWORD", "wrong")
    line = one_line_error(run(cases, members, sink, "--smtp", url), sink, cases)
    assert "SMTP login refused" in line and "wrong" not in line.split("refused", 1)[1][:5]
    assert auth_sink.received == []
    monkeypatch.setenv("DOCKET_SMTP_PASSWORD", "right")
    result = run(cases, members, sink, "--smtp", url)
    assert result.exit_code == 0, result.output
    assert sorted(auth_sink.addresses()) == ["anna@example.org", "ben@example.org"]


def test_password_in_smtp_url_is_refused(cases: Path, members: Path, sink: Sink) -> None:
    line = one_line_error(
        run(cases, members, sink, "--smtp", f"smtp://u:pw@127.0.0.1:{sink.port}"), sink, cases
    )
    assert "DOCKET_SMTP_PASSWORD" in line


def test_not_confirmed_without_yes(cases: Path, members: Path, sink: Sink) -> None:
    result = CliRunner().invoke(
        cli, ["notify", CASE, "--cases", str(cases), "--directory", str(members),
              "--smtp", sink.url, "--journal", str(cases.parent / "run")],
    )  # fmt: skip
    assert result.exit_code == 4
    assert "pass --yes" in result.output
    assert sink.received == []
