"""Real-browser fixtures: Debian's Chromium driven by Playwright, sites served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, sync_playwright

from tests.support.paths import ROOT
from tests.support.site import (
    ARCHIVE_FIXTURE,
    build_fixture_site,
    make_project,
    mkdocs_build,
    serve,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


# Package scope, not session: Playwright's sync API keeps an event loop running in the main
# thread while it is open, and later tests (the notifier's) call asyncio.run().
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).is_file(), "run scripts/deps-browser.sh (scripts/test.sh does)"
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def fixture_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture archive (seed, numbering, sanitiser and privacy cases), built and served."""
    site = build_fixture_site(tmp_path_factory.mktemp("browser") / "project")
    with serve(site) as url:
        yield url


@pytest.fixture(scope="package")
def repo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """This repository's own example archive (cases/), built and served."""
    project = make_project(
        tmp_path_factory.mktemp("repo") / "project", ROOT / "cases", ROOT / "docket.toml"
    )
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    with serve(project / "site") as url:
        yield url


class Console:
    """Every console error and uncaught page error a page produced."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def on_error(self, error: Error) -> None:
        self.errors.append(f"page error: {error}")


@pytest.fixture()
def console() -> Console:
    return Console()


@pytest.fixture()
def page(browser: Browser, console: Console) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.on("console", console.on_console)
    tab.on("pageerror", console.on_error)
    tab.set_default_timeout(20_000)
    yield tab
    context.close()


__all__ = ["ARCHIVE_FIXTURE", "AXE", "Console"]
