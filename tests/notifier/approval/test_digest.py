"""The approval digest covers every part that decides what is sent, and names what changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from notifier.approval.action import ActionError, require_approval, resolve
from notifier.approval.digest import changed_parts
from tests.notifier.conftest import CASE, FIXTURES


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
