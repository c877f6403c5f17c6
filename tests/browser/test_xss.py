"""Stored XSS as a class: a payload in every field of every case, and nothing runs anywhere.

The fixture (tests/fixtures/archive-xss/) puts `<script>`, `onerror=`/`onload=` and `javascript:`
payloads into every front-matter string, every heading level, the log's actors and text, the
legend, the references and the Private Part's pointer. Every HTML page of the built site is
opened in Chromium; a dialog or a set `window.__xss` is a script that ran.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog

from tests.support.paths import FIXTURES
from tests.support.site import SITE_URL, make_project, mkdocs_build, serve

XSS_FIXTURE = FIXTURES / "archive-xss"
SYNOPSIS = "Evil </title><script>alert(1)</script>"

# every attribute that could carry a payload's script, and what a payload looks like in a script
_FOUND_IN_DOM = """() => {
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) bad.push(`${el.tagName} ${name}=${attr.value}`);
      if (/^\\s*javascript:/i.test(attr.value)) bad.push(`${el.tagName} ${name}=${attr.value}`);
    }
    if (el.tagName === "SCRIPT" && /alert|__xss/.test(el.textContent)) bad.push("script element");
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    project = make_project(
        tmp_path_factory.mktemp("xss") / "project",
        XSS_FIXTURE / "cases",
        XSS_FIXTURE / "docket.toml",
        SITE_URL,
    )
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    assert "DK503" in done.stderr  # the build says what `docket check` says
    with serve(project / "site") as url:
        yield url, project / "site"


def _html_pages(site: Path) -> list[str]:
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) > 10, pages
    return pages


def test_no_script_runs_on_any_page(browser: Browser, xss_site: tuple[str, Path]) -> None:
    url, site = xss_site
    context = browser.new_context()
    context.add_init_script("window.__xss = undefined;")
    tab = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(f"{tab.url.removeprefix(url)}: {dialog.message}")
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    problems: list[str] = []
    try:
        for path in _html_pages(site):
            tab.goto(url + path)
            tab.wait_for_load_state("load")
            if tab.evaluate("window.__xss !== undefined"):
                problems.append(f"{path}: window.__xss set")
            problems.extend(f"{path}: {found}" for found in tab.evaluate(_FOUND_IN_DOM))
    finally:
        context.close()
    assert not dialogs, sorted(set(dialogs))
    assert not problems, sorted(set(problems))


def test_payloads_are_shown_as_text(browser: Browser, xss_site: tuple[str, Path]) -> None:
    """Escaped, not removed: the reader sees exactly what the case file says."""
    url, _ = xss_site
    context = browser.new_context()
    tab = context.new_page()
    try:
        tab.goto(url + "cases/a20210101.2/")
        assert tab.title() == f"a20210101.2: {SYNOPSIS} - Arbitration archive"
        topic = tab.locator(".md-header__topic[data-md-component=header-topic]").inner_text()
        assert topic.strip() == f"a20210101.2: {SYNOPSIS}"
        tab.goto(url + "cases/a20210101.1/")
        toc = tab.locator(".md-sidebar--secondary .md-nav__link").all_inner_texts()
        assert any("Ruling <script>alert(2)</script>" in t for t in toc), toc
    finally:
        context.close()


def test_feed_and_json_carry_the_text_unchanged(xss_site: tuple[str, Path]) -> None:
    _, site = xss_site
    feed = ET.parse(site / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")]
    assert any(t and SYNOPSIS in t for t in titles) or any(
        t and "synopsis </title>" in t for t in titles
    ), titles
    assert not list(feed.iter("script")) and not list(feed.iter(f"{atom}script"))
    record = json.loads((site / "cases" / "a20210101.2.json").read_text("utf-8"))
    assert record["header"]["synopsis"] == SYNOPSIS  # JSON stays JSON: not HTML-escaped
    index = json.loads((site / "cases.json").read_text("utf-8"))
    assert SYNOPSIS in [c["synopsis"] for c in index["cases"]]


def test_search_results_do_not_run_payloads(browser: Browser, xss_site: tuple[str, Path]) -> None:
    url, _ = xss_site
    context = browser.new_context()
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        tab.goto(url)
        for query in ("onerror", "script", "alert", "synopsis", "svg"):
            tab.click("#docket-search-input")
            tab.fill("#docket-search-input", query)
            tab.locator(".md-search-result__item").first.wait_for()
            tab.wait_for_timeout(300)
            assert tab.evaluate(_FOUND_IN_DOM) == []
            excerpt = tab.locator(".md-search-result__item p").first.inner_text()
            assert excerpt.strip(), query
    finally:
        context.close()
    assert not dialogs, dialogs
