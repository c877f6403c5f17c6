"""The approval digest covers every part that decides what is sent, and names what changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from notifier.approval.action import ActionError, require_approval, resolve
from notifier.approval.digest import changed_parts
from tests.notifier.conftest import CASE, FIXTURES, Sink


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "cases", tmp_path / "cases")
    return tmp_path / "cases"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


CHANGES = [
    ("query a20200102.1/audience.sql", lambda t: edit(t / "2020" / CASE / "audience.sql", "ORDER BY u.id", "ORDER BY u.email")),
    ("params", lambda t: edit(t / "2020" / f"{CASE}.md", "since: 2011-12-01", "since: 2011-12-02")),
    ("subject", lambda t: edit(t / "2020" / f"{CASE}.md", "please read", "please")),
    ("from", lambda t: edit(t / "2020" / f"{CASE}.md", "Test Team <", "Team <")),
    ("return-path", lambda t: edit(t / "2020" / f"{CASE}.md", "return-path: returns@", "return-path: bounces@")),
    ("template a20200102.1/notice.txt.j2", lambda t: edit(t / "2020" / CASE / "notice.txt.j2", "Kind", "Best")),
    ("template a20200102.1/notice.fr.txt.j2 (added)", lambda t: (t / "2020" / CASE / "notice.fr.txt.j2").write_text("Bonjour\n")),
    ("template a20200102.1/notice.de.txt.j2 (removed)", lambda t: (t / "2020" / CASE / "notice.de.txt.j2").unlink()),
]  # fmt: skip


def test_the_fixture_is_approved(tree: Path) -> None:
    resolved = resolve(CASE, tree, None)
    require_approval(resolved)
    assert resolved.action.approved is not None
    assert resolved.digest == resolved.action.approved.digest


@pytest.mark.parametrize(("part", "change"), CHANGES, ids=[c[0] for c in CHANGES])
def test_every_part_counts(tree: Path, part: str, change: object) -> None:
    before = resolve(CASE, tree, None)
    change(tree)  # type: ignore[operator]
    after = resolve(CASE, tree, None)
    assert after.digest != before.digest
    assert changed_parts(before.parts, after.parts) == [part]
    with pytest.raises(ActionError, match="differs from what A approved"):
        require_approval(after)


def test_rate_and_approval_are_not_part_of_it(tree: Path) -> None:
    before = resolve(CASE, tree, None).digest
    edit(tree / "2020" / f"{CASE}.md", "rate: 10/s", "rate: 2/s")
    assert resolve(CASE, tree, None).digest == before


# -- everything a template can load is covered -------------------------------------------------


def git(tree: Path, *args: str) -> None:
    import subprocess

    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=tree, check=True, capture_output=True,
    )  # fmt: skip


def approve_and_commit(tree: Path) -> None:
    """Approve the action as it stands and commit it, as a case repository would."""
    import re

    digest = resolve(CASE, tree, None).digest
    case_file = tree / "2020" / f"{CASE}.md"
    case_file.write_text(re.sub(r"sha256:[0-9a-f]{64}", digest, case_file.read_text()), "utf-8")
    git(tree, "init", "-q")
    git(tree, "add", "-A")
    git(tree, "commit", "-qm", "approved")


@pytest.fixture
def including(tree: Path) -> Path:
    """The default template includes footer.txt and imports parts/macros.j2."""
    folder = tree / "2020" / CASE
    (folder / "parts").mkdir()
    (folder / "parts" / "macros.j2").write_text("{% macro sign() %}The Team{% endmacro %}\n")
    (folder / "footer.txt").write_text("Footer v1\n")
    edit(
        folder / "notice.txt.j2",
        "Kind regards\n",
        '{% import "parts/macros.j2" as m %}{{ m.sign() }}\n{% include "footer.txt" %}',
    )
    approve_and_commit(tree)
    require_approval(resolve(CASE, tree, None))
    return folder


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        ("footer.txt", "Footer v1", "Footer v2: send your password to phish@evil.test"),
        ("parts/macros.j2", "The Team", "The Team (reply with your password)"),
    ],
)
def test_a_changed_include_or_import_is_refused_and_named(
    including: Path, tree: Path, rel: str, old: str, new: str
) -> None:
    edit(including / rel, old, new)
    with pytest.raises(ActionError, match=rf"changed: template {CASE}/{rel}\)"):
        require_approval(resolve(CASE, tree, None))


def test_a_symlink_out_of_the_case_folder_is_refused(including: Path, tree: Path) -> None:
    outside = tree.parent / "outside.txt"
    outside.write_text("Footer v1\n")
    (including / "footer.txt").unlink()
    (including / "footer.txt").symlink_to(outside)
    with pytest.raises(ActionError, match=r"footer.txt is a symbolic link .*outside.txt"):
        resolve(CASE, tree, None)


def test_a_symlinked_variant_is_refused(tree: Path) -> None:
    outside = tree.parent / "de.txt"
    outside.write_text("Hallo {{ fname }}\n")
    variant = tree / "2020" / CASE / "notice.de.txt.j2"
    variant.unlink()
    variant.symlink_to(outside)
    with pytest.raises(ActionError, match=r"notice.de.txt.j2 is a symbolic link"):
        resolve(CASE, tree, None)


def test_an_include_named_at_run_time_is_refused(tree: Path) -> None:
    edit(tree / "2020" / CASE / "notice.txt.j2", "Kind regards\n", "{% include language %}\n")
    with pytest.raises(ActionError, match=r"notice.txt.j2 includes a template whose name is"):
        resolve(CASE, tree, None)


def test_test_to_refuses_a_changed_footer(including: Path, tree: Path, sink: Sink) -> None:
    """The reported attack: after approval, footer.txt changed, and a --test-to run sent it."""
    from click.testing import CliRunner

    from docket.cli import cli
    from tests.notifier.conftest import make_directory

    members = make_directory(tree.parent / "m.sqlite", [("a@example.org", "A", "B", "en")])
    edit(including / "footer.txt", "Footer v1", "Footer v2: send your password to phish@evil.test")
    result = CliRunner().invoke(
        cli,
        ["notify", CASE, "--cases", str(tree), "--directory", str(members), "--smtp", sink.url,
         "--test-to", "critical@example.org"],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert f"changed: template {CASE}/footer.txt" in result.output
    assert sink.received == []


def test_the_run_loads_only_what_the_digest_covers(including: Path, tree: Path) -> None:
    """The loader's side of the promise: a name the digest does not cover is not found."""
    import jinja2

    from notifier.steps import load_templates

    (including / "extra.txt").write_text("not approved\n")
    templates = load_templates(resolve(CASE, tree, None))
    assert templates.env.get_template("footer.txt").render() == "Footer v1\n"
    assert "The Team" in templates.env.get_template("parts/macros.j2").module.sign()  # type: ignore[attr-defined]
    with pytest.raises(jinja2.TemplateNotFound, match="not covered by the approval"):
        templates.env.get_template("extra.txt")
