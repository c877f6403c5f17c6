"""axe-core (from npm, injected by Playwright) on the home, list and case pages."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import AXE

PAGES = ["", "cases/", "cases/a20140408.1/", "people/", "years/2014/"]


def _violations(page: Page) -> list[dict[str, Any]]:
    assert AXE.is_file(), "run scripts/deps-browser.sh (scripts/test.sh does)"
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_violations(page: Page, repo_url: str, path: str) -> None:
    page.goto(repo_url + path)
    page.wait_for_load_state("networkidle")
    found = _violations(page)
    report = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found]
    assert not report, report


def test_axe_reports_what_it_should(page: Page, repo_url: str) -> None:
    """The check itself can fail: an unlabelled control is a critical violation."""
    page.goto(repo_url + "cases/")
    page.evaluate("document.querySelector('label[for=filter-status]').remove()")
    assert any(v["id"] == "select-name" for v in _violations(page))


def _report(found: list[dict[str, Any]]) -> list[tuple[str, str, list[Any]]]:
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found]


def test_open_search_results_pass(page: Page, repo_url: str) -> None:
    """The open results panel: text, meta line and highlighted hits in enough contrast."""
    page.goto(repo_url)
    page.click("#docket-search-input")
    page.fill("#docket-search-input", "account")
    page.locator(".md-search-result__item mark").first.wait_for()
    page.wait_for_timeout(300)  # the panel's opening transition
    found = _violations(page)
    assert not _report(found), _report(found)


@pytest.mark.parametrize("path", ["cases/", "cases/a20140408.1/"])
def test_phone_sized_pages_pass(page: Page, repo_url: str, path: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(repo_url + path)
    page.wait_for_load_state("networkidle")
    found = _violations(page)
    assert not _report(found), _report(found)
