"""The edit loop in a real browser: `mkdocs serve --livereload` on 127.0.0.1, a case file edited
on disk, and the open Chromium tab showing the change, or the build error, by itself."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.support.net import free_port
from tests.support.site import ARCHIVE_FIXTURE, make_project, start_serve

WAIT_MS = 120_000  # a shared, loaded machine: generous, and never a speed assertion
CASE = Path("cases/2009/a20090618.3.md")


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=10):
            return True
    except urllib.error.HTTPError:
        return True
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextmanager
def serving(project: Path) -> Iterator[str]:
    port = free_port()
    server = start_serve(project, port, project / "serve.log")
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + WAIT_MS / 1000
        while not _up(base):
            assert server.poll() is None, (project / "serve.log").read_text()
            assert time.monotonic() < deadline, "mkdocs serve did not start"
            time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=60)


def _shows(page: Page, text: str) -> None:
    """Wait (across the live reload) until the page's text contains `text`."""
    page.wait_for_function(
        "t => document.body && document.body.innerText.includes(t)", arg=text, timeout=WAIT_MS
    )


def _save(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p", ARCHIVE_FIXTURE / "cases", ARCHIVE_FIXTURE / "docket.toml")


def test_a_saved_case_shows_in_its_page_the_citing_page_and_the_index(
    browser: Browser, project: Path
) -> None:
    with serving(project) as base:
        case = browser.new_page()
        case.goto(base + "cases/a20090618.3/")
        citing = browser.new_page()  # a20090618.12 mentions a20090618.3: its linked cases
        citing.goto(base + "cases/a20090618.12/")
        index = browser.new_page()
        index.goto(base + "cases/")
        _save(project / CASE, "it still exists.", "it still exists. FIRST-SAVE-TEXT")
        _shows(case, "FIRST-SAVE-TEXT")
        _save(
            project / CASE,
            "complaint: Account of a member",
            "complaint: RENAMED-IN-SERVE account of a member",
        )
        _shows(case, "RENAMED-IN-SERVE")
        _shows(citing, "RENAMED-IN-SERVE")
        _shows(index, "RENAMED-IN-SERVE")
        # pages nobody changed are still whole (MkDocs skipped them, it did not drop them)
        other = browser.new_page()
        other.goto(base + "cases/a20140408.1/")
        assert other.locator("article.docket-case h1").count() == 1
        assert other.locator(".md-header").count() == 1
        for tab in (case, citing, index, other):
            tab.close()


def test_a_build_error_shows_in_the_browser_and_the_next_good_save_recovers(
    browser: Browser, project: Path
) -> None:
    with serving(project) as base:
        tab = browser.new_page()
        tab.goto(base + "cases/a20090618.3/")
        good = (project / CASE).read_text("utf-8")
        _save(project / CASE, "complaint: Account", 'complaint: "Account')  # never closed
        # the open tab reloads by itself and shows the `docket check` line
        tab.wait_for_selector("#docket-build-error", timeout=WAIT_MS)
        report = tab.locator("#docket-build-error pre").inner_text()
        assert "cases/2009/a20090618.3.md:4:12: DK013" in report
        # a new page load does not hang: it gets the error page at once
        fresh = browser.new_page()
        response = fresh.goto(base + "cases/", timeout=WAIT_MS)
        assert response is not None and response.status == 500
        assert "DK013" in fresh.locator("#docket-build-error").inner_text()
        (project / CASE).write_text(good.replace("it still exists.", "FIXED-AGAIN"), "utf-8")
        _shows(tab, "FIXED-AGAIN")
        assert tab.locator("#docket-build-error").count() == 0
        _shows(fresh, "All cases")
        assert fresh.locator("#docket-build-error").count() == 0
        tab.close()
        fresh.close()


def test_search_is_indexed_again_after_a_save(browser: Browser, project: Path) -> None:
    with serving(project) as base:
        _save(project / CASE, "it still exists.", "it still exists. Zyxwvutsrq")
        tab = browser.new_page()
        tab.goto(base + "cases/a20090618.3/")
        _shows(tab, "Zyxwvutsrq")
        deadline = time.monotonic() + WAIT_MS / 1000
        while True:  # the index follows the reload, in the background
            tab.goto(base)
            tab.click(".md-search__input")
            tab.fill(".md-search__input", "zyxwvutsrq")
            try:
                tab.wait_for_selector(".md-search-result__item", timeout=5_000)
                break
            except Exception:
                assert time.monotonic() < deadline, "the new word was never found"
        assert "a20090618.3" in tab.locator(".md-search-result").inner_text()
        tab.close()


def test_the_plain_path_serves_a_save_too(browser: Browser, project: Path) -> None:
    """`fast: false` (or an MkDocs the version guard does not know): MkDocs's own serve, a full
    build on every save, and the save still shows, search included."""
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8").replace(
        "      search: docket", "      search: docket\n      fast: false"
    )
    config.write_text(text, "utf-8")
    with serving(project) as base:
        tab = browser.new_page()
        tab.goto(base + "cases/a20090618.3/")
        _save(project / CASE, "it still exists.", "it still exists. Qwertzuiopx")
        _shows(tab, "Qwertzuiopx")
        tab.goto(base)
        tab.click(".md-search__input")
        tab.fill(".md-search__input", "qwertzuiopx")
        tab.wait_for_selector(".md-search-result__item", timeout=WAIT_MS)
        assert "a20090618.3" in tab.locator(".md-search-result").inner_text()
        tab.close()
    assert "docket: rebuilt" not in (project / "serve.log").read_text("utf-8")  # MkDocs's own
