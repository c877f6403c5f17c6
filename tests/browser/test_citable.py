"""Citable and shareable, in a real browser: permalinks, canonical anchors, log ids, the cite
line, filters in the address, feed discovery, the site_url warning."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.support.site import ARCHIVE_FIXTURE, make_project, mkdocs_build, serve


def _rows(page: Page) -> list[str]:
    return page.locator("#cases-table tbody tr:not([hidden]) td:first-child").all_inner_texts()


def test_every_heading_has_a_permalink_and_body_headings_have_ids(
    page: Page, repo_url: str
) -> None:
    page.goto(repo_url + "cases/a20140408.1/")
    headings = page.locator("article.docket-case :is(h2, h3, h4, h5, h6)")
    assert headings.count() > 10
    for i in range(headings.count()):
        heading = headings.nth(i)
        anchor = heading.get_attribute("id")
        assert anchor, heading.inner_text()
        expect(heading.locator("a.headerlink")).to_have_attribute("href", f"#{anchor}")
    h4 = page.locator("article.docket-case h4").first
    assert (h4.get_attribute("id") or "").startswith("execution-")
    page.goto(repo_url)
    expect(page.locator("#open-cases a.headerlink")).to_have_attribute("href", "#open-cases")


def test_canonical_anchors_whatever_the_heading_says(page: Page, repo_url: str) -> None:
    page.goto(repo_url + "cases/a20240902.1/#ruling")
    ruling = page.locator("#ruling")
    expect(ruling).to_have_text(re.compile(r"^Final Ruling"))  # the written heading stays
    expect(ruling).to_be_in_viewport()
    expect(page.locator("#similar-cases")).to_have_text(re.compile(r"^Similiar Cases"))
    expect(page.locator("#final-ruling")).to_contain_text("policy on account deletions")
    # the intermediate ruling keeps its own anchor; #ruling is the final one
    expect(page.locator("#intermediate-ruling-1")).to_have_text(re.compile("^Intermediate"))


def test_history_log_days_and_entries_have_ids(page: Page, repo_url: str) -> None:
    page.goto(repo_url + "cases/a20240902.1/#log-2024-09-04-2")
    entry = page.locator("#log-2024-09-04-2")
    expect(entry).to_contain_text("I'll take care of this case as A")
    expect(entry).to_be_in_viewport()
    expect(page.locator("#log-2024-09-04")).to_contain_text("added to the archive")
    expect(entry.locator("a.headerlink")).to_have_attribute("href", "#log-2024-09-04-2")
    # the undated line under 2024-10-02/04 is that day's second entry
    expect(page.locator("#log-2024-10-02-2")).to_contain_text("reports completion")


def test_cite_this_case_copies_the_line(browser: Browser, repo_url: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    try:
        tab.goto(repo_url + "cases/a20240902.1/")
        line = tab.locator(".docket-cite")
        expect(line).to_contain_text("case a20240902.1: Account deletion with open certificates")
        expect(line).to_contain_text("closed 2024-11-30")
        expect(line).to_contain_text("https://arbitration.example.org/cases/a20240902.1/")
        tab.get_by_role("button", name="Copy").click()
        expect(line.locator("[role=status]")).to_have_text("Copied.")
        copied = tab.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("Arbitration archive, case a20240902.1: Account deletion")
        assert copied.endswith("https://arbitration.example.org/cases/a20240902.1/")
    finally:
        context.close()


def test_filters_live_in_the_address(page: Page, repo_url: str) -> None:
    page.goto(repo_url + "cases/?status=running&year=2025")
    assert _rows(page) == ["a20250114.2"]
    expect(page.locator("#filter-status")).to_have_value("running")
    page.select_option("#filter-year", "")
    page.select_option("#filter-status", "closed")
    assert page.url.endswith("cases/?status=closed")
    page.select_option("#filter-year", "2024")
    assert page.url.endswith("cases/?status=closed&year=2024")
    shared = page.url
    page.goto(shared)
    assert sorted(_rows(page)) == ["a20240902.1", "a20241107.2"]
    page.click(".docket-filters button[type=reset]")
    expect(page).to_have_url(re.compile(r"/cases/$"))


def test_unknown_values_in_the_address_are_reported(page: Page, repo_url: str) -> None:
    page.goto(repo_url + "cases/?status=filed")  # the word a visitor sees for "init"
    assert _rows(page) == ["a20250310.1"]
    expect(page.locator("[data-docket-note]")).to_be_hidden()
    page.goto(repo_url + "cases/?status=pending&colour=red")
    note = page.locator("[data-docket-note]")
    expect(note).to_be_visible()
    expect(note).to_contain_text("status “pending” matches no case")
    expect(note).to_contain_text("“colour” is no filter")
    expect(page.locator("[data-docket-count]")).to_have_text("Showing 6 of 6 cases.")


def test_every_page_names_the_feed(page: Page, repo_url: str) -> None:
    for path in ("", "cases/", "cases/a20140408.1/", "people/", "topics/example/", "years/"):
        page.goto(repo_url + path)
        feed = page.locator('head link[rel=alternate][type="application/atom+xml"]')
        expect(feed).to_have_count(1)
        href = feed.get_attribute("href") or ""
        assert page.context.request.get(page.url.split("#")[0] + href).ok, (path, href)


def test_build_without_site_url_warns_and_says_what_to_set(page: Page, tmp_path: Path) -> None:
    unset = make_project(
        tmp_path / "unset", ARCHIVE_FIXTURE / "cases", ARCHIVE_FIXTURE / "docket.toml", ""
    )
    done = mkdocs_build(unset)
    assert done.returncode == 0, done.stderr
    assert "site_url is not set in mkdocs.yml" in done.stderr
    assert "site_url: https://" in done.stderr
    with serve(unset / "site") as url:  # the cite line then names the page's own address
        page.goto(url + "cases/a20140408.1/#ruling")
        expect(page.locator("[data-docket-cite-url]")).to_have_text(url + "cases/a20140408.1/")
    example = make_project(
        tmp_path / "example", ARCHIVE_FIXTURE / "cases", ARCHIVE_FIXTURE / "docket.toml"
    )
    done = mkdocs_build(example)
    assert done.returncode == 0 and "site_url is not set" not in done.stderr
