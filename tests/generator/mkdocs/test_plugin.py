"""The MkDocs plugin, through real `mkdocs build` runs of a real project folder."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.support.net import free_port
from tests.support.paths import ROOT
from tests.support.site import (
    ARCHIVE_FIXTURE,
    MKDOCS,
    broken_links,
    build_fixture_site,
    make_project,
    mkdocs_build,
    start_serve,
)

CANARIES = (
    b"DOCKET-CANARY-PRIVATE-PART",
    b"DOCKET-CANARY-PRIVATE-SECTION",
    b"DOCKET-CANARY-MARKED",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_site(tmp_path_factory.mktemp("plugin") / "project")


def _readable(path: Path) -> bytes:
    """A file's bytes, gunzipped when compressed (sitemap.xml.gz)."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def test_private_text_appears_in_no_output_file(site: Path) -> None:
    files = [p for p in site.rglob("*") if p.is_file()]
    assert {".bin", ".txt"} <= {p.suffix for p in files if "search" in p.parts}  # the index
    kinds = {p.suffix for p in files}
    assert {".html", ".json", ".xml", ".gz"} <= kinds
    public = _readable(site / "cases" / "a20200101.1" / "index.html")
    assert b"Heartbleed is mentioned here too" in public  # the canary case itself is built
    for path in files:
        data = _readable(path)
        for canary in CANARIES:
            assert canary not in data, f"{canary!r} leaked into {path.relative_to(site)}"


def test_search_index_holds_public_text(site: Path) -> None:
    index = site / "search"
    generation = json.loads((index / "index.json").read_text("utf-8"))["generation"]
    results = b"".join(p.read_bytes() for p in (index / generation / "d").iterdir())
    assert b"Heartbleed is mentioned here too" in results
    assert b"a20140408.1" in results
    terms = b"".join(p.read_bytes() for p in (index / generation / "t").iterdir())
    assert b'"heartbleed"' in terms and b'"evastowe"' in terms and b'"stowe"' in terms


def test_no_broken_internal_link(site: Path) -> None:
    checked, broken = broken_links(site)
    assert checked > 200
    assert broken == []


def test_link_checker_finds_a_broken_link(site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site / "cases" / "a20140408.1", copy / "cases" / "a20140408.1")
    _, broken = broken_links(copy)
    assert any("a20090618.12" in b for b in broken)


def test_case_pages_are_out_of_the_navigation(site: Path) -> None:
    home = (site / "index.html").read_text("utf-8")
    nav = home[home.index('<nav class="md-tabs"') : home.index("</nav>", home.index("md-tabs"))]
    assert "All cases" in nav and "a20140408.1" not in nav
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert "cases/a20140408.1/" in sitemap


def test_case_page_uses_the_theme_template(site: Path) -> None:
    html = (site / "cases" / "a20140408.1" / "index.html").read_text("utf-8")
    assert "md-header" in html and "docket-timeline" in html
    assert 'data-docket-search-meta="status:' in html
    assert 'href="#history-log"' in html  # the table of contents comes from the sections
    assert "assets/docket.css" in html


def test_the_former_search_name_still_builds_and_says_what_to_rename(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "p", ARCHIVE_FIXTURE / "cases", ARCHIVE_FIXTURE / "docket.toml"
    )
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("search: docket", "search: pagefind"))
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    assert "`search: pagefind` is now `search: docket`: rename it" in done.stderr
    assert (project / "site" / "search" / "index.json").is_file()
    assert "assets/docket-search." in (project / "site" / "index.html").read_text("utf-8")


def test_the_search_script_is_published_under_its_content_hash(tmp_path: Path) -> None:
    """A page names the script by its content: a browser never runs a cached older one
    against a newer index; the unhashed theme file is not published at all."""
    names = []
    for edit in ("", "\n// changed\n"):
        project = make_project(
            tmp_path / f"p{len(names)}", ARCHIVE_FIXTURE / "cases", ARCHIVE_FIXTURE / "docket.toml"
        )
        script = project / "theme" / "assets" / "docket-search.js"
        script.write_text(script.read_text("utf-8") + edit, "utf-8")
        done = mkdocs_build(project)
        assert done.returncode == 0, done.stderr
        site = project / "site"
        published = sorted(p.name for p in (site / "assets").glob("docket-search*.js"))
        assert len(published) == 1 and re.fullmatch(
            r"docket-search\.[0-9a-f]{10}\.js", published[0]
        )
        assert (site / "assets" / published[0]).read_bytes() == script.read_bytes()
        assert f"assets/{published[0]}" in (site / "cases/a20140408.1/index.html").read_text(
            "utf-8"
        )
        names.append(published[0])
    assert names[0] != names[1]


def test_an_archive_without_cases_has_an_empty_search_index(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    project = make_project(tmp_path / "p", tmp_path / "cases", ARCHIVE_FIXTURE / "docket.toml")
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((project / "site" / "search" / "index.json").read_text("utf-8"))
    assert manifest["docs"] == 0 and manifest["chunks"] == []
    assert (project / "site" / "search" / manifest["generation"] / "d").is_dir()


def test_docs_dir_is_never_written(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "p", ARCHIVE_FIXTURE / "cases", ARCHIVE_FIXTURE / "docket.toml"
    )
    before = sorted(p.relative_to(project) for p in (project / "archive").rglob("*"))
    assert mkdocs_build(project).returncode == 0
    after = sorted(p.relative_to(project) for p in (project / "archive").rglob("*"))
    assert before == after == [Path("archive/index.md")]


def test_invalid_case_fails_the_build_with_the_check_diagnostics(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "p", ARCHIVE_FIXTURE / "cases", ARCHIVE_FIXTURE / "docket.toml"
    )
    broken = project / "cases" / "2009" / "a20090618.3.md"
    broken.write_text(broken.read_text("utf-8").replace("status: init", "status: [init"), "utf-8")
    done = mkdocs_build(project)
    assert done.returncode != 0
    check = subprocess.run(
        [str(Path(MKDOCS).parent / "docket"), "check"], cwd=project, capture_output=True, text=True
    )
    line = next(x for x in check.stdout.splitlines() if x.startswith("cases/2009/a20090618.3.md"))
    assert re.match(r"cases/2009/a20090618\.3\.md:\d+:\d+: DK\d{3} ", line)
    assert line in done.stderr
    assert "error(s) in the case files" in done.stderr
    assert not (project / "site" / "cases" / "a20090618.3").exists()


def test_warnings_fail_only_under_strict(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "p", ARCHIVE_FIXTURE / "cases", ARCHIVE_FIXTURE / "docket.toml"
    )
    relaxed = mkdocs_build(project)
    assert relaxed.returncode == 0
    assert "DK202" in relaxed.stderr  # a20991231.1 is cited but unknown
    strict = mkdocs_build(project, "--strict")
    assert strict.returncode != 0


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, ConnectionError):
        return 0


def _wait_for(url: str, status: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _status(url) == status:
            return
        time.sleep(0.3)
    raise AssertionError(f"{url} never answered {status}")


def test_serve_rebuilds_cleanly_when_a_case_is_renamed_or_deleted(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "p", ARCHIVE_FIXTURE / "cases", ARCHIVE_FIXTURE / "docket.toml"
    )
    port = free_port()
    log = tmp_path / "serve.log"
    server = start_serve(project, port, log)
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(base + "cases/a20090618.3/", 200)
        _wait_for(base + "cases/a20090618.12/", 200)
        old = project / "cases" / "2009" / "a20090618.3.md"
        new = project / "cases" / "2009" / "a20090618.4.md"
        new.write_text(old.read_text("utf-8").replace("a20090618.3", "a20090618.4"), "utf-8")
        old.unlink()
        _wait_for(base + "cases/a20090618.4/", 200)
        _wait_for(base + "cases/a20090618.3/", 404)
        new.unlink()
        _wait_for(base + "cases/a20090618.4/", 404)
        assert _status(base + "cases/a20140408.1/") == 200
        assert not (project / "archive" / "cases").exists()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "Traceback" not in log.read_text("utf-8")


def test_repository_archive_builds(tmp_path: Path) -> None:
    project = make_project(tmp_path / "repo", ROOT / "cases", ROOT / "docket.toml")
    done = mkdocs_build(project, "--strict")
    assert done.returncode == 0, done.stderr
    assert (project / "site" / "cases" / "a20140408.1" / "index.html").is_file()
    checked, broken = broken_links(project / "site")
    assert checked > 100 and broken == []


def _with_jobs(project: Path, jobs: int) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    config.write_text(text.replace("  - docket:\n", f"  - docket:\n      jobs: {jobs}\n"), "utf-8")


def _pages(site: Path) -> dict[str, bytes]:
    """Every file of a built site, the search index's included."""
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_pages_wrapped_on_every_core_are_the_pages_of_one_process(tmp_path: Path) -> None:
    """`jobs: 2` hands the case pages to forked builders: the site is the same, byte for byte."""
    sites = {}
    for jobs in (1, 2):
        project = make_project(
            tmp_path / f"j{jobs}", ARCHIVE_FIXTURE / "cases", ARCHIVE_FIXTURE / "docket.toml"
        )
        _with_jobs(project, jobs)
        done = mkdocs_build(project, "-v")
        assert done.returncode == 0, done.stderr
        assert "Page skipped" not in done.stderr
        sites[jobs] = _pages(project / "site")
    assert len(sites[1]) > 20
    manifest = json.loads(sites[2]["search/index.json"])
    assert manifest["docs"] == len(list((ARCHIVE_FIXTURE / "cases").rglob("*.md"))) > 2
    assert sites[2].keys() == sites[1].keys()
    for name, data in sites[1].items():
        assert sites[2][name] == data, name


def test_a_page_that_fails_in_a_forked_builder_fails_the_build(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "p", ARCHIVE_FIXTURE / "cases", ARCHIVE_FIXTURE / "docket.toml"
    )
    _with_jobs(project, 2)
    template = project / "theme" / "docket" / "case.html"
    broken = '{% if "a20200101.1" in page.url %}{{ (page.title | length) // 0 }}{% endif %}'
    text = template.read_text("utf-8").replace("{{ page.content }}", "{{ page.content }}" + broken)
    template.write_text(text, "utf-8")
    done = mkdocs_build(project)
    assert done.returncode != 0
    assert "a case page could not be built: ZeroDivisionError" in done.stderr
    assert "Traceback" not in done.stderr


def test_another_plugins_page_events_keep_the_pages_in_one_process(tmp_path: Path) -> None:
    """A plugin or hook that reads each page's output would miss the pages built by forked
    processes, so with one (here an MkDocs hook) the pages are wrapped in MkDocs's process."""
    project = make_project(
        tmp_path / "p", ARCHIVE_FIXTURE / "cases", ARCHIVE_FIXTURE / "docket.toml"
    )
    _with_jobs(project, 2)
    (project / "hooks.py").write_text(
        "SEEN = []\n"
        "def on_post_page(output, page, config):\n"
        "    if '</html>' in output:\n"
        "        SEEN.append(page.file.src_uri)\n"
        "    return output\n"
        "def on_post_build(config):\n"
        "    open('seen.txt', 'w').write('\\n'.join(sorted(SEEN)))\n",
        "utf-8",
    )
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "hooks:\n  - hooks.py\n", "utf-8")
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    seen = (project / "seen.txt").read_text("utf-8").splitlines()
    assert {"cases/a20090618.3.md", "cases/a20200101.1.md"} <= set(seen)


def test_the_plugin_finds_docket_toml_by_the_commands_rule(tmp_path: Path) -> None:
    """Beside mkdocs.yml without `cases:`; above the named cases folder with it (docs/cli.md,
    "Which docket.toml"): the error names the file that was read."""
    broken = "[checks]\nteamz = []\n"
    project = make_project(
        tmp_path / "p", ARCHIVE_FIXTURE / "cases", ARCHIVE_FIXTURE / "docket.toml"
    )
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(ARCHIVE_FIXTURE / "cases", elsewhere / "cases")
    (elsewhere / "docket.toml").write_text(broken, "utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    config.write_text(
        text.replace("search: docket", "search: docket\n      cases: ../elsewhere/cases"), "utf-8"
    )
    done = mkdocs_build(project)
    assert done.returncode == 1
    assert f"{(elsewhere / 'docket.toml').resolve()}: unknown setting 'checks.teamz'" in done.stderr
    config.write_text(text, "utf-8")
    (project / "docket.toml").write_text(broken, "utf-8")
    done = mkdocs_build(project)
    assert done.returncode == 1
    assert f"{(project / 'docket.toml').resolve()}: unknown setting 'checks.teamz'" in done.stderr
