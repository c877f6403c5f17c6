"""`docket export DIR` as a site source: Zensical, ProperDocs and MkDocs without the plugin each
build it into the archive docket builds itself (every page, no broken link, no private text),
and in Chromium the Zensical build searches and filters as docket's own does. Zensical ignores
plugins it does not know: built from the plugin's configuration it publishes an archive without
its cases, and the page check below says so loudly."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Console
from tests.support.site import (
    ARCHIVE_FIXTURE,
    SITE_URL,
    broken_links,
    build_fixture_site,
    make_project,
    serve,
)

BIN = Path(sys.executable).parent
GENERATORS = ("zensical", "properdocs", "mkdocs")
CANARY = b"DOCKET-CANARY"


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    assert (BIN / command[0]).is_file(), f"{command[0]}: bash scripts/setup.sh --dev installs it"
    done = subprocess.run(
        [str(BIN / command[0]), *command[1:]], cwd=cwd, capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _pages(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("*.html")}


def assert_same_archive(docket_site: Path, site: Path) -> None:
    """Every page docket builds itself is in `site`, and no other; every link leads somewhere;
    no private text anywhere."""
    ours, theirs = _pages(docket_site), _pages(site)
    missing = sorted(ours - theirs)
    assert not missing, f"{len(missing)} of docket's {len(ours)} pages missing, e.g. {missing[:5]}"
    assert theirs == ours, sorted(theirs - ours)
    checked, broken = broken_links(site)
    assert checked > 200 and broken == []
    leaked = [str(p) for p in site.rglob("*") if p.is_file() and CANARY in p.read_bytes()]
    assert leaked == []


@pytest.fixture(scope="module")
def docket_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_site(tmp_path_factory.mktemp("docket") / "project")


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("export")
    project = make_project(
        root / "project", ARCHIVE_FIXTURE / "cases", ARCHIVE_FIXTURE / "docket.toml", SITE_URL
    )
    _run(["docket", "export", str(root / "out"), "--site-url", SITE_URL], project)
    return root / "out"


@pytest.fixture(scope="module")
def built(export: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The export, built by each generator in a copy of its own."""
    sites = {}
    for generator in GENERATORS:
        source = tmp_path_factory.mktemp(generator) / "source"
        shutil.copytree(export, source)
        _run([generator, "build", "-f", "mkdocs.yml"], source)
        sites[generator] = source / "site"
    return sites


@pytest.mark.parametrize("generator", GENERATORS)
def test_the_export_builds_the_same_archive(
    generator: str, built: dict[str, Path], docket_site: Path
) -> None:
    site = built[generator]
    assert_same_archive(docket_site, site)
    for name in ("feed.xml", "cases.json", "cases/a20140408.1.json", "search/index.json"):
        assert (site / name).is_file(), name
    case = (site / "cases/a20140408.1/index.html").read_text("utf-8")
    script = next((site / "assets").glob("docket-search.*.js")).relative_to(site).as_posix()
    for asset in ("assets/docket.css", "assets/docket.js", script):
        assert asset in case and (site / asset).is_file(), asset
    assert 'class="docket-timeline"' in case and "data-docket-search" in case


def test_zensical_ignoring_the_plugin_fails_the_check(tmp_path: Path, docket_site: Path) -> None:
    """The failure this export exists for: Zensical on the plugin's own configuration builds
    without error and without the cases; the check must not let that pass."""
    project = make_project(
        tmp_path / "project", ARCHIVE_FIXTURE / "cases", ARCHIVE_FIXTURE / "docket.toml", SITE_URL
    )
    _run(["zensical", "build", "-f", "mkdocs.yml"], project)
    with pytest.raises(AssertionError, match=r"pages missing"):
        assert_same_archive(docket_site, project / "site")


@pytest.fixture(scope="module")
def zensical_url(built: dict[str, Path]) -> Iterator[str]:
    with serve(built["zensical"]) as url:
        yield url


def test_search_and_filters_work_on_the_zensical_build(
    page: Page, console: Console, zensical_url: str
) -> None:
    page.goto(zensical_url)
    page.click("#docket-search-input")
    page.fill("#docket-search-input", "heartbleed")
    page.wait_for_function(
        "q => document.querySelector('[data-docket-search-result]')"
        ".getAttribute('data-docket-search-done') === q",
        arg="heartbleed",
    )
    first = page.locator(".md-search-result__item h1").first
    expect(first).to_contain_text("a20140408.1")
    page.goto(zensical_url + "cases/")
    rows = "#cases-table tbody tr:not([hidden]) td:first-child"
    assert len(page.locator(rows).all_inner_texts()) == 4
    page.select_option("#filter-status", "running")
    assert sorted(page.locator(rows).all_inner_texts()) == ["a20090618.12", "a20200101.1"]
    assert console.errors == []
