"""Imported cases build (a real `mkdocs build` of the repository's project), and the built case
pages show every anonymisation marker of the source pages and every History Log line."""

from __future__ import annotations

import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.config import load_config
from generator.loader import load_case
from generator.wiki.importer import import_pages
from tests.generator.wiki.test_importer import CASE_PAGES
from tests.generator.wiki.test_real_exports import ISSUE_20_PAGES
from tests.support.paths import ROOT
from tests.support.site import SITE_URL, make_project, mkdocs_build

WIKI = ROOT / "tests" / "fixtures" / "wiki"
_MARKERS = re.compile(r"<Anonymized>|<email anonymized>|<snip>", re.I)


class _Text(HTMLParser):
    """The visible text of a page, whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _visible(page: Path) -> str:
    parser = _Text()
    parser.feed(page.read_text("utf-8"))
    return " ".join("".join(parser.parts).split())


def _plain(markdown: str) -> str:
    """A log line as a reader sees it: no Markdown marks, whitespace collapsed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"[*`]|^>\s?", "", text, flags=re.M)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("imported")
    shutil.copy(ROOT / "docket.toml", root / "docket.toml")
    names = CASE_PAGES + ISSUE_20_PAGES
    report = import_pages([WIKI / n for n in names], root / "cases", load_config(root), shown=names)
    assert not [r for r in report.results if r.outcome != "written"]
    project = make_project(root / "project", root / "cases", root / "docket.toml", SITE_URL)
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    return project / "cases", project / "site"


def test_every_marker_and_log_line_is_on_the_built_page(built: tuple[Path, Path]) -> None:
    cases, site = built
    for name in CASE_PAGES + ISSUE_20_PAGES:
        number = re.search(r"a\d{8}\.\d+", name)[0]  # type: ignore[index]
        page = _visible(site / "cases" / number / "index.html")
        source = (WIKI / name).read_text("utf-8")
        for marker in _MARKERS.findall(source):
            assert page.count(marker) >= source.count(marker), (name, marker)
        case, _ = load_case(next(cases.rglob(f"{number}.md")))
        assert case is not None
        for entry in case.history:
            for line in entry.text.split("\n"):  # sub-items are a list under the entry
                shown = " ".join(line.lstrip("- ").replace("`", "").split())  # code: no ticks
                assert html.unescape(shown) in page, (name, line)
            for line in entry.quote.split("\n"):
                if line.strip(" >") and not line.startswith("```"):
                    assert _plain(line) in page, (name, line)


def test_spellings_of_the_same_letters_share_one_person_page(built: tuple[Path, Path]) -> None:
    _, site = built
    people = {p.name for p in (site / "people").iterdir() if p.is_dir()}
    assert "gretalindqvist" in people and "greta-lindqvist" not in people
    page = _visible(site / "people" / "gretalindqvist" / "index.html")
    assert "a20161011.2" in page and "a20161020.1" in page  # both spellings' cases
