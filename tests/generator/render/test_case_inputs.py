"""A case page is made from its inputs and the site's settings alone, so the inputs are a complete
memo key: `render_case` is not given the archive, and every fact about another case that the
page shows is in the inputs (a change to it changes both the inputs and the page)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import get_type_hints

import pytest

from generator.collection import check_paths
from generator.config import load_config
from generator.model import CASE_NUMBER_PATTERN, Case
from generator.render import case_page
from generator.render.case_inputs import CaseInputs, case_inputs, named_numbers
from generator.render.case_page import RenderedCase, render_case
from generator.render.context import Context
from generator.render.graph import build_graph
from generator.render.settings import SiteSettings
from tests.support.paths import FIXTURES
from tests.support.site import ARCHIVE_FIXTURE

PAGE = "a20090618.12"  # names a20090618.3, a20140408.1 and a20991231.1 (no such case)
CASES = "cases/2009"


def test_render_case_is_given_its_inputs_and_the_settings_only() -> None:
    assert get_type_hints(render_case) == {
        "inputs": CaseInputs,
        "settings": SiteSettings,
        "return": RenderedCase,
    }
    assert not hasattr(case_page, "Context")  # nor can it reach the archive another way


def test_the_inputs_are_plain_values(project: Path) -> None:
    """No field can hand `render_case` a way back into the archive (a callable, a Context)."""
    inputs, _ = _inputs(project)
    for name, value in ((f, getattr(inputs, f)) for f in CaseInputs.__slots__):
        assert name == "case" or _plain(value), name
    assert isinstance(inputs.case, Case)


def _plain(value: object) -> bool:
    if isinstance(value, str):
        return True
    if isinstance(value, tuple | frozenset):
        return all(_plain(v) for v in value)
    return False


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ARCHIVE_FIXTURE, tmp_path / "p")
    return tmp_path / "p"


def _inputs(root: Path) -> tuple[CaseInputs, SiteSettings]:
    config = load_config(root)
    cases = check_paths([config.cases_dir], config, base=config.root, jobs=1).cases
    settings = SiteSettings(config.root, config.urls, site_url="https://archive.example.org/")
    ctx = Context(cases=cases, graph=build_graph(cases), settings=settings)
    return case_inputs(ctx.by_number[PAGE], ctx), settings


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _add_case(root: Path, number: str) -> None:
    text = (root / CASES / "a20090618.3.md").read_text("utf-8").replace("a20090618.3", number)
    folder = root / "cases" / number[1:5]
    folder.mkdir(exist_ok=True)
    (folder / f"{number}.md").write_text(text, "utf-8")


# each a fact about another case that the page of PAGE shows
SHOWN: dict[str, Callable[[Path], None]] = {
    "the title of a related case": lambda p: _edit(
        p / CASES / "a20090618.3.md", "complaint: Account", "complaint: RENAMED account"
    ),
    "a related case leaves the archive": lambda p: os.remove(p / "cases/2014/a20140408.1.md"),
    "a number the page names becomes a case": lambda p: _add_case(p, "a20991231.1"),
    "a case starts citing this one": lambda p: _edit(
        p / CASES / "a20090618.3.md", "still exists.", f"still exists, see {PAGE}."
    ),
    "a new case cites this one": lambda p: (
        _add_case(p, "a20090618.20"),
        _edit(p / CASES / "a20090618.20.md", "still exists.", f"still exists, see {PAGE}."),
    ),
}


@pytest.mark.parametrize("change", sorted(SHOWN))
def test_a_fact_the_page_shows_changes_its_inputs_and_its_page(project: Path, change: str) -> None:
    before, settings = _inputs(project)
    SHOWN[change](project)
    after, _ = _inputs(project)
    assert after != before
    assert render_case(after, settings).html != render_case(before, settings).html


def test_a_fact_the_page_does_not_show_leaves_its_inputs_equal(project: Path) -> None:
    """The status and the body of a related case are not on this page: it is not made again."""
    before, settings = _inputs(project)
    _edit(project / CASES / "a20090618.3.md", "status: init", "status: running")
    _edit(project / CASES / "a20090618.3.md", "still exists.", "still exists. EDITED")
    after, _ = _inputs(project)
    assert after == before
    assert after.case is not before.case  # read again, and equal
    assert render_case(after, settings).html == render_case(before, settings).html


def test_the_numbers_a_page_may_link_are_found_wherever_markdown_puts_them() -> None:
    """Emphasis (`_a..._`, a word character to the regex of references) and a character
    reference (`&#97;`) render as a bare case number, which the page links."""
    text = "_a20090618.3_ and &#97;20140408.1, also xa20200101.1 and a2009061.1"
    assert named_numbers(text) == {"a20090618.3", "a20140408.1", "a20200101.1"}


def test_the_number_scan_finds_what_a_plain_search_finds() -> None:
    """`named_numbers` searches from the "." (fast); a plain search from the "a" is the truth."""
    plain = re.compile(CASE_NUMBER_PATTERN)
    texts = [p.read_text("utf-8", "replace") for p in sorted(FIXTURES.rglob("a*.md"))]
    texts.append("a20090618.12.5 aa20090618.7 a20090618. a123456789.1 a1234567.1 .a20090618.2")
    for text in texts:
        assert named_numbers(text) == {m.group(0) for m in plain.finditer(text)}


def test_the_title_of_a_merged_case_is_an_input(project: Path) -> None:
    """A case merged into this one is listed with its title ("Merged from")."""
    _edit(project / CASES / f"{PAGE}.md", "topics:", "merged_from: [a20200101.1]\ntopics:")
    before, settings = _inputs(project)
    assert "a20200101.1" in dict(before.titles)
    _edit(project / "cases/2020/a20200101.1.md", "synopsis: Sanitiser", "synopsis: RENAMED")
    after, _ = _inputs(project)
    assert after != before
    assert "RENAMED" in render_case(after, settings).html
