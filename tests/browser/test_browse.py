"""A visitor in a real browser: home, the case table, search, case pages, links."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import Console


def _rows(page: Page) -> list[str]:
    return page.locator("#cases-table tbody tr:not([hidden]) td:first-child").all_inner_texts()


def test_pages_load_without_console_errors(page: Page, console: Console, fixture_url: str) -> None:
    for path in ("", "cases/", "years/", "years/2009/", "status/", "people/", "topics/",
                 "people/evastöwe/", "cases/a20140408.1/", "cases/a20200101.1/"):  # fmt: skip
        response = page.goto(fixture_url + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
    assert console.errors == []


def test_home_shows_open_cases_and_latest_rulings(page: Page, fixture_url: str) -> None:
    page.goto(fixture_url)
    expect(page.locator("#open-table")).to_contain_text("a20090618.12")
    expect(page.locator("#open-table")).not_to_contain_text("a20140408.1")  # closed
    expect(page.locator(".docket-latest").first).to_contain_text("a20140408.1")


def test_filter_the_case_table(page: Page, fixture_url: str) -> None:
    page.goto(fixture_url + "cases/")
    assert len(_rows(page)) == 4
    page.select_option("#filter-status", "running")
    assert sorted(_rows(page)) == ["a20090618.12", "a20200101.1"]
    expect(page.locator("[data-docket-count]")).to_have_text("Showing 2 of 4 cases.")
    page.select_option("#filter-year", "2009")
    assert _rows(page) == ["a20090618.12"]
    page.click(".docket-filters button[type=reset]")
    page.select_option("#filter-topic", "privacy")
    assert _rows(page) == ["a20200101.1"]
    page.select_option("#filter-topic", "")
    page.fill("#filter-person", "evastöwe")
    assert sorted(_rows(page)) == ["a20140408.1", "a20200101.1"]


def test_filters_work_from_a_file_url_without_a_server(page: Page, fixture_url: str) -> None:
    # the same page saved to disk (no server at all): filtering still works
    html = page.context.request.get(fixture_url + "cases/").text()
    script = page.context.request.get(fixture_url + "assets/docket.js").text()
    page.set_content(html.replace("</body>", f"<script>{script}</script></body>"))
    page.select_option("#filter-status", "closed")
    assert _rows(page) == ["a20140408.1"]


def test_case_numbers_sort_numerically(page: Page, fixture_url: str) -> None:
    page.goto(fixture_url + "cases/")
    header = page.locator("th", has=page.locator("button[data-sort='0']"))
    expect(header).to_have_attribute("aria-sort", "descending")
    order = _rows(page)
    assert order.index("a20090618.12") < order.index("a20090618.3")
    page.click("button[data-sort='0']")
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert _rows(page) == ["a20090618.3", "a20090618.12", "a20140408.1", "a20200101.1"]


def _search(page: Page, query: str) -> None:
    page.click("#docket-search-input")
    page.fill("#docket-search-input", query)
    expect(page.locator(".md-search-result__item").first).to_be_visible()


def test_search_finds_a_case_and_opens_it(page: Page, console: Console, fixture_url: str) -> None:
    page.goto(fixture_url)
    _search(page, "heartbleed")
    items = page.locator(".md-search-result__item")
    expect(items.first).to_contain_text("a20140408.1")
    items.first.locator("a").click()
    page.wait_for_url(re.compile(r".*/cases/a20140408\.1/.*"))
    expect(page.locator("h1").first).to_contain_text("a20140408.1")
    assert console.errors == []


def test_search_by_case_number_party_and_ruling_phrase(page: Page, fixture_url: str) -> None:
    page.goto(fixture_url + "cases/")
    for query in ("a20140408.1", "Michael T", "mail-template to inform those members"):
        _search(page, query)
        expect(page.locator(".md-search-result__item").first).to_contain_text("a20140408.1")


def test_follow_a_case_number_link(page: Page, fixture_url: str) -> None:
    page.goto(fixture_url + "cases/a20090618.12/")
    page.locator("#original-dispute").locator("..").get_by_role("link", name="a20090618.3").click()
    page.wait_for_url(re.compile(r".*/cases/a20090618\.3/$"))
    expect(page.locator("h1").first).to_contain_text("a20090618.3")
    expect(page.locator("body")).to_contain_text("Cited by")


def test_raw_html_in_a_dispute_does_not_run(page: Page, console: Console, fixture_url: str) -> None:
    page.goto(fixture_url + "cases/a20200101.1/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.__docketXss") == "undefined"
    assert page.locator("article img[onerror]").count() == 0
    assert console.errors == []
    expect(page.locator("body")).to_contain_text("Not published.")
    expect(page.locator("body")).not_to_contain_text("DOCKET-CANARY")


def test_search_on_a_phone_sized_screen(page: Page, fixture_url: str) -> None:
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto(fixture_url)
    page.click("label.md-header__button[for=__search]")
    expect(page.locator("#docket-search-input")).to_be_focused()
    page.keyboard.type("heartbleed")
    items = page.locator(".md-search-result__item")
    expect(items.first).to_be_visible()
    # linked-case titles are not indexed: only cases whose own text says "heartbleed"
    texts = items.all_inner_texts()
    assert texts and all("a20140408.1" in t or "a20200101.1" in t for t in texts), texts
