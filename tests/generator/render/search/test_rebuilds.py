"""Search under `mkdocs serve` (generator/render/search/rebuilds.py): records kept for pages
that did not change, rebuild requests folded into one."""

from __future__ import annotations

from pathlib import Path

from generator.render.search.rebuilds import BackgroundSearch, SearchRecords
from tests.generator.render.search.conftest import case_page


def test_records_are_kept_under_serve() -> None:
    search = SearchRecords()
    pages = [
        ("cases/a/", "a: x", case_page("<p>one</p>")),
        ("cases/b/", "b: y", case_page("<p>two</p>")),
    ]
    first = search.records(pages, keep=True)
    changed = [pages[0], ("cases/b/", "b: y", case_page("<p>three</p>"))]
    second = search.records(changed, keep=True)
    assert second[0] is first[0] and second[1] is not first[1]
    assert "three" in second[1].term_counts() and "two" not in second[1].term_counts()


def test_background_search_folds_requests(tmp_path: Path) -> None:
    runs: list[int] = []
    background = BackgroundSearch(delay=0.2)
    for number in range(5):
        background.request(lambda n=number: runs.append(n))  # type: ignore[misc]
    assert background.wait(timeout=30)
    assert runs == [4] and background.runs == 1
