"""Person pages: a URL per name that no other name can move."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.collection import check_paths
from generator.config import load_config
from generator.render.site import Site, SiteOptions, render_site
from tests.support.site import ARCHIVE_FIXTURE


def _site(root: Path) -> Site:
    config = load_config(root)
    collection = check_paths([config.cases_dir], config, base=config.root, jobs=1)
    assert not [d for d in collection.diagnostics if d.severity.name == "ERROR"]
    return render_site(collection.cases, config.root, config.urls, SiteOptions())


def _people(site: Site) -> dict[str, str]:
    return {p.path: p.title for p in site.pages if p.path.startswith("people/")}


def _add_officer_case(root: Path, number: str, name: str) -> None:
    year = number[1:5]
    (root / "cases" / year).mkdir(parents=True, exist_ok=True)
    (root / "cases" / year / f"{number}.md").write_text(
        f"---\ncase: {number}\nstatus: running\ncomplaint: Test\nstarted: {year}-12-02\n"
        f"parties:\n  - {{role: C, name: Alice A}}\n  - {{role: R, name: CAcert}}\n"
        f"officers:\n  - {{role: CM, name: Bob B}}\n  - {{role: A, name: {name}}}\n---\n"
        f"## History Log\n\n- {year}-12-02 (A): took the case\n",
        "utf-8",
    )


def test_a_similar_name_does_not_move_a_person(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(ARCHIVE_FIXTURE, root)
    before = _people(_site(root))
    assert before["people/evastöwe.md"] == "EvaStöwe"
    _add_officer_case(root, "a20210301.1", "EvaStowe")
    _add_officer_case(root, "a20210302.1", "Eva Stöwe")
    after = _people(_site(root))
    assert after["people/evastöwe.md"] == "EvaStöwe"  # unchanged
    assert after["people/evastowe.md"] == "EvaStowe"
    assert after["people/eva-stöwe.md"] == "Eva Stöwe"
    assert set(before) <= set(after)


def test_spellings_that_differ_only_in_capitals_share_a_page(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(ARCHIVE_FIXTURE, root)
    _add_officer_case(root, "a20210301.1", "evastöwe")
    people = _people(_site(root))
    assert people["people/evastöwe.md"] == "EvaStöwe / evastöwe"
    assert len([p for p in people if p.startswith("people/evast")]) == 1
