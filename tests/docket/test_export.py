"""`docket export DIR`: the same archive as files for any other static site generator."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from docket.cli import cli
from tests.support.paths import ROOT
from tests.support.site import ARCHIVE_FIXTURE


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(ARCHIVE_FIXTURE, root)
    shutil.copytree(ROOT / "theme", root / "theme")  # an archive repository has its theme
    monkeypatch.chdir(root)
    return root


def test_export_writes_a_site_source(project: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "out", "--site-url", "https://a.example.org/"])
    assert result.exit_code == 0, result.output
    out = project / "out"
    docs = out / "docs"
    page = (docs / "cases" / "a20140408.1" / "index.md").read_text("utf-8")
    _, header, body = page.split("---\n", 2)
    meta = yaml.safe_load(header)
    assert meta["title"].startswith("a20140408.1: ")
    assert meta["docket_kind"] == "case" and meta["template"] == "docket/case.html"
    assert "\n\n" not in body.strip()  # one raw HTML block for CommonMark engines
    assert 'class="docket-timeline"' in body
    assert (docs / "index.md").is_file() and (docs / "cases" / "index.md").is_file()
    assert json.loads((docs / "cases.json").read_text("utf-8"))["count"] == 4
    assert (docs / "cases" / "a20140408.1.json").is_file()
    assert b"<feed" in (docs / "feed.xml").read_bytes()
    assert json.loads((docs / "search" / "index.json").read_text("utf-8"))["docs"] == 4
    for asset in ("docket.css", "docket.js"):
        assert (docs / "assets" / asset).is_file()
    script = yaml.safe_load((out / "mkdocs.yml").read_text("utf-8"))["extra_javascript"][1]
    assert re.fullmatch(r"assets/docket-search\.[0-9a-f]{10}\.js", script)
    assert (docs / script).read_bytes() == (ROOT / "theme/assets/docket-search.js").read_bytes()
    assert (out / "overrides" / "partials" / "header.html").is_file()
    config = yaml.safe_load((out / "mkdocs.yml").read_text("utf-8"))
    assert config["docs_dir"] == "docs" and config["plugins"] == []
    assert config["site_url"] == "https://a.example.org/"
    assert config["nav"][:2] == [{"Home": "index.md"}, {"All cases": "cases/index.md"}]
    for path in out.rglob("*"):
        if path.is_file():
            assert b"DOCKET-CANARY" not in path.read_bytes(), path
    assert not list(project.glob(".out.*"))  # no temporary folder left behind


def test_export_takes_the_projects_theme_else_dockets_own(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "theme" / "partials" / "header.html").write_text("<header>ours</header>", "utf-8")
    assert CliRunner().invoke(cli, ["export", "out"]).exit_code == 0
    header = project / "out" / "overrides" / "partials" / "header.html"
    assert header.read_text("utf-8") == "<header>ours</header>"
    shutil.rmtree(project / "theme")
    assert CliRunner().invoke(cli, ["export", "out"]).exit_code == 0
    assert "docket_search" in header.read_text("utf-8")  # docket's own
    monkeypatch.setattr("generator.mkdocs.export.OWN_THEME", project / "nowhere")
    result = CliRunner().invoke(cli, ["export", "elsewhere"])
    assert result.exit_code == 1
    assert "no docket theme here" in result.output and "Traceback" not in result.output
    assert not (project / "elsewhere").exists() and not list(project.glob(".elsewhere.*"))


def test_export_refuses_a_foreign_non_empty_folder(project: Path) -> None:
    (project / "out").mkdir()
    (project / "out" / "mine.txt").write_text("keep me", "utf-8")
    result = CliRunner().invoke(cli, ["export", "out"])
    assert result.exit_code == 1
    assert "not empty" in result.output and "Traceback" not in result.output
    assert (project / "out" / "mine.txt").read_text("utf-8") == "keep me"
    replaced = CliRunner().invoke(cli, ["export", "out", "--force"])
    assert replaced.exit_code == 0
    assert not (project / "out" / "mine.txt").exists()


def test_export_stops_on_case_errors_and_writes_nothing(project: Path) -> None:
    case = project / "cases" / "2009" / "a20090618.3.md"
    case.write_text(case.read_text("utf-8").replace("status: init", "status: nonsense"), "utf-8")
    result = CliRunner().invoke(cli, ["export", "out"])
    assert result.exit_code == 1
    assert "cases/2009/a20090618.3.md:" in result.output
    assert "nothing was exported" in result.output
    assert not (project / "out").exists()


def test_export_takes_the_cases_folder_like_every_command(project: Path) -> None:
    (project / "cases").rename(project / "record")
    missing = CliRunner().invoke(cli, ["export", "out"])
    assert missing.exit_code == 2 and "--cases DIR" in missing.output
    result = CliRunner().invoke(cli, ["export", "out", "--cases", "record"])
    assert result.exit_code == 0, result.output
    assert json.loads((project / "out" / "docs" / "cases.json").read_text("utf-8"))["count"] == 4
