"""A served archive renders again only what a save changed, and the result is what a full
render gives: every page and file is compared after each kind of edit."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.casecache import CaseCache
from generator.collection import check_paths
from generator.config import Config, load_config
from generator.render.memo import Memo
from generator.render.site import Site, SiteOptions, render_site
from tests.support.site import ARCHIVE_FIXTURE

OPTIONS = SiteOptions(site_url="https://archive.example.org/", jobs=1)


class Served:
    """What the plugin keeps between the builds of `mkdocs serve`."""

    def __init__(self, root: Path) -> None:
        self.config: Config = load_config(root)
        self.cache = CaseCache()
        self.memo = Memo()

    def build(self) -> Site:
        collection = self.cache.check([self.config.cases_dir], self.config, self.config.root)
        return render_site(collection.cases, self.config.root, self.config.urls, OPTIONS, self.memo)

    def full(self) -> Site:
        collection = check_paths([self.config.cases_dir], self.config, base=self.config.root)
        return render_site(collection.cases, self.config.root, self.config.urls, OPTIONS)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ARCHIVE_FIXTURE, tmp_path / "p")
    return tmp_path / "p"


def _outputs(site: Site) -> dict[str, object]:
    found: dict[str, object] = {p.path: p for p in site.pages}
    found.update((a.path, a.content) for a in site.assets)
    return found


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")
    stat = path.stat()  # a save within the same clock tick must still count
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


CASES = "cases/2009"
EDITS: dict[str, Callable[[Path], None]] = {
    "body text": lambda p: _edit(
        p / CASES / "a20090618.3.md", "it still exists.", "it still exists. EDITED-BODY"
    ),
    "title of a cited case": lambda p: _edit(
        p / CASES / "a20090618.3.md",
        "complaint: Account of a member",
        "complaint: RENAMED account of a member",
    ),
    "status": lambda p: _edit(p / CASES / "a20090618.3.md", "status: init", "status: running"),
    "a new case that another one mentions": lambda p: (
        (p / CASES / "a20090618.4.md").write_text(
            (p / CASES / "a20090618.3.md")
            .read_text("utf-8")
            .replace("a20090618.3", "a20090618.4")
            .replace("deleted", "removed"),
            "utf-8",
        )
        or _edit(p / CASES / "a20090618.12.md", "it is like a20090618.3", "like a20090618.4")
    ),
    "a deleted case": lambda p: (p / CASES / "a20090618.3.md").unlink(),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_rebuild_equals_a_full_render(project: Path, edit: str) -> None:
    served = Served(project)
    first = _outputs(served.build())
    assert _outputs(served.full()) == first
    EDITS[edit](project)
    again = _outputs(served.build())
    assert again == _outputs(served.full())
    assert again != first


def test_an_unchanged_rebuild_renders_nothing_and_a_body_edit_one_page(project: Path) -> None:
    served = Served(project)
    served.build()
    before = {p.path: p for p in served.build().pages}
    assert served.memo.made == []
    assert served.cache.reread == []
    EDITS["body text"](project)
    after = {p.path: p for p in served.build().pages}
    assert served.cache.reread == ["cases/2009/a20090618.3.md"]
    # its page and JSON; the header did not change, so no index page is made again
    assert {n for n in served.memo.made if not n.startswith(("mentions:", "own:"))} == {
        "case:a20090618.3",
        "record:a20090618.3",
    }
    changed = {path for path, page in after.items() if before.get(path) != page}
    assert changed == {"cases/a20090618.3.md"}


def test_a_title_edit_renders_the_pages_that_show_it(project: Path) -> None:
    served = Served(project)
    served.build()
    EDITS["title of a cited case"](project)
    served.build()
    made = set(served.memo.made)
    # the case, the case that cites it (its "linked cases" show the title), the index rows
    assert {"case:a20090618.3", "case:a20090618.12", "index:cases/index.md"} <= made
    assert "case:a20140408.1" not in made
    assert "index:years/2014.md" not in made


def test_a_change_no_other_page_shows_renders_only_its_own_page(project: Path) -> None:
    """The cases that link a20090618.3 show its number and title, not its status: their pages
    keep their inputs (CaseInputs) and are not made again."""
    served = Served(project)
    served.build()
    EDITS["status"](project)
    served.build()
    made = {n for n in served.memo.made if n.startswith("case:")}
    assert made == {"case:a20090618.3"}
