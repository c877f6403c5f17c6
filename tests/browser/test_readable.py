"""Readable everywhere, in a real browser: a phone, the header card, the tables, the timeline,
the search results."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

PHONE = {"width": 390, "height": 844}


def test_a_phone_gets_the_case_table_of_contents(page: Page, repo_url: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(repo_url + "cases/a20240902.1/")
    toc = page.locator("nav.docket-toc-inline")
    expect(toc).to_be_visible()
    toc.locator("summary").click()
    toc.get_by_role("link", name="Final Ruling").click()
    expect(page).to_have_url(re.compile(r"#ruling$"))
    expect(page.locator("#ruling")).to_be_in_viewport()
    page.set_viewport_size({"width": 1400, "height": 900})
    expect(toc).to_be_hidden()  # Material's own TOC is beside the text there
    expect(page.locator(".md-sidebar--secondary a[href='#ruling']")).to_be_visible()


def test_card_labels_sit_above_their_values_on_a_phone(page: Page, repo_url: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(repo_url + "cases/a20140408.1/")
    dt = page.locator(".docket-card__facts dt").first.bounding_box()
    dd = page.locator(".docket-card__facts dd").first.bounding_box()
    card = page.locator(".docket-card").bounding_box()
    assert dt and dd and card
    assert abs(dd["x"] - dt["x"]) < 2 and dd["y"] > dt["y"]  # stacked, not a label column
    assert dd["width"] > 0.8 * card["width"]


def test_a_cut_off_table_says_it_scrolls(page: Page, repo_url: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(repo_url + "cases/")
    hint = page.locator("[data-docket-scroll-hint='cases-table']")
    expect(hint).to_be_visible()
    wrap = page.locator(".docket-table-wrap").first
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
    expect(wrap).to_have_attribute("tabindex", "0")  # scrollable by keyboard too
    page.set_viewport_size({"width": 1400, "height": 900})
    expect(hint).to_be_hidden()


def test_header_card_outcome_filed_date_and_merge(page: Page, repo_url: str) -> None:
    page.goto(repo_url + "cases/a20240902.1/")
    card = page.locator(".docket-card")
    expect(card.locator(".docket-outcome")).to_contain_text("The account of the claimant shall")
    card.get_by_role("link", name="Read the Final Ruling").click()
    expect(page.locator("#ruling")).to_be_in_viewport()
    page.goto(repo_url + "cases/a20250310.1/")  # a filed (init) case
    expect(page.locator(".docket-card__facts")).to_contain_text("Filed 2025-03-10")
    page.goto(repo_url + "cases/a20241107.2/")
    status = page.locator(".docket-card__status")
    expect(status).to_contain_text("Closed")
    expect(status).to_contain_text("Merged into a20241105.1")
    status.get_by_role("link", name="a20241105.1").click()
    expect(page).to_have_url(re.compile(r"/cases/a20241105\.1/$"))


def test_an_empty_private_part_says_nothing(page: Page, repo_url: str) -> None:
    page.goto(repo_url + "cases/a20241105.1/")  # its "## Private Part" is empty
    expect(page.locator("article.docket-case")).not_to_contain_text("Not published")
    expect(page.locator("#private-part")).to_have_count(0)
    page.goto(repo_url + "cases/a20240902.1/")  # this one points somewhere
    expect(page.locator("#private-part ~ .docket-private")).to_contain_text("Not published")


def test_cited_by_and_related_never_list_a_case_twice(page: Page, repo_url: str) -> None:
    for number in ("a20140408.1", "a20240902.1", "a20241105.1", "a20241107.2", "a20250114.2"):
        page.goto(repo_url + f"cases/{number}/")
        cited = page.locator("#cited-by + ul a").all_inner_texts()
        related = page.locator("#related-cases + ul a").all_inner_texts()
        assert not set(cited) & set(related), number
    page.goto(repo_url + "cases/a20241105.1/")
    expect(page.locator("#related-cases + ul")).to_contain_text("(cites this case too)")


def test_home_open_cases_have_no_closed_column(page: Page, repo_url: str) -> None:
    page.goto(repo_url)
    headers = page.locator("#open-table thead th").all_inner_texts()
    assert headers and not any("Closed" in h for h in headers)
    page.goto(repo_url + "cases/")
    assert any("Closed" in h for h in page.locator("#cases-table thead th").all_inner_texts())


def test_status_sorts_by_lifecycle(page: Page, repo_url: str) -> None:
    page.goto(repo_url + "cases/")
    page.click("button[data-sort='1']")
    statuses = page.locator("#cases-table tbody td:nth-child(2)").all_inner_texts()
    order = ["Filed", "Running", "In execution", "Closed", "Declined"]
    ranks = [next(i for i, w in enumerate(order) if w in s) for s in statuses]
    assert ranks == sorted(ranks) and len(set(ranks)) > 2, statuses


def test_timeline_actor_badges_explain_themselves_and_the_legend_is_published(
    page: Page, repo_url: str
) -> None:
    page.goto(repo_url + "cases/a20140408.1/")
    badge = page.locator("#log-2014-04-08-3 .docket-actor").first
    expect(badge).to_have_text("A")
    expect(badge).to_have_attribute("title", "arbitrator: EvaStöwe")
    page.goto(repo_url + "cases/a20250114.2/")
    expect(page.locator(".docket-legend")).to_be_visible()


def test_skip_link_goes_to_the_header_card(page: Page, repo_url: str) -> None:
    page.goto(repo_url + "cases/a20140408.1/")
    page.keyboard.press("Tab")
    skip = page.locator("a.md-skip")
    expect(skip).to_be_focused()
    expect(skip).to_have_attribute("href", "#summary")
    page.keyboard.press("Enter")
    expect(page.locator("#summary")).to_be_in_viewport()


def test_search_results_by_keyboard_with_status_and_date(page: Page, repo_url: str) -> None:
    page.goto(repo_url)
    page.click("#docket-search-input")
    page.fill("#docket-search-input", "account")
    first = page.locator(".md-search-result__item a").first
    expect(first).to_be_visible()
    expect(page.locator(".docket-search-facts").first).to_have_text(
        re.compile(r"^(Filed|Running|In execution|Closed|Declined) · \d{4}-\d{2}-\d{2}$")
    )
    page.keyboard.press("ArrowDown")
    expect(first).to_be_focused()
    if page.locator(".md-search-result__item a").count() > 1:
        page.keyboard.press("ArrowDown")
        expect(page.locator(".md-search-result__item a").nth(1)).to_be_focused()
        page.keyboard.press("ArrowUp")
    expect(first).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(page.locator("#docket-search-input")).to_be_focused()
    page.keyboard.press("ArrowDown")
    target = first.get_attribute("href") or ""
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(target.split("#")[0].rstrip("/")) + ".*"))
