"""Screenshots of the example archive for the README: home, case list, seed case page."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.support.paths import ROOT

SHOTS = ROOT / "docs" / "screenshots"


def test_screenshots_of_the_example_archive(page: Page, repo_url: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for path, name in (("", "home"), ("cases/", "case-list"), ("cases/a20140408.1/", "case")):
        page.goto(repo_url + path)
        page.wait_for_load_state("networkidle")
        target = SHOTS / f"{name}.png"
        page.screenshot(path=str(target), full_page=False)
        data = target.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
