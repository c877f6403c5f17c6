"""ProperDocs (the maintained continuation of MkDocs 1.6, `generators` extra) builds the archive
as MkDocs does: the example archive and 100 bench cases give the same files, the same links on
every page and the same bytes but for the generator's name in each page's meta tag."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.archive_cases import generate
from tests.support.paths import ROOT
from tests.support.site import SITE_URL, Links, broken_links, make_project

BIN = Path(sys.executable).parent
_GENERATOR_TAG = re.compile(rb'<meta name="generator" content="[^"]*">')


def _build(command: str, project: Path) -> Path:
    executable = BIN / command
    assert executable.is_file(), f"{command} is not installed: bash scripts/setup.sh --dev"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    done = subprocess.run(
        [str(executable), "build", "-f", "mkdocs.yml"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "docket: ProperDocs" not in done.stderr  # no version line: its fast paths run
    return project / "site"


def _links(site: Path) -> dict[str, list[str]]:
    found = {}
    for page in sorted(site.rglob("*.html")):
        parser = Links()
        parser.feed(page.read_text("utf-8"))
        found[str(page.relative_to(site))] = parser.links
    return found


def _same_archive(mkdocs_site: Path, properdocs_site: Path) -> None:
    files = sorted(str(p.relative_to(mkdocs_site)) for p in mkdocs_site.rglob("*") if p.is_file())
    other = [str(p.relative_to(properdocs_site)) for p in properdocs_site.rglob("*") if p.is_file()]
    assert files == sorted(other)
    assert _links(mkdocs_site) == _links(properdocs_site)
    differ = [
        name
        for name in files
        if _GENERATOR_TAG.sub(b"", (mkdocs_site / name).read_bytes())
        != _GENERATOR_TAG.sub(b"", (properdocs_site / name).read_bytes())
    ]
    assert differ == []
    assert b"ProperDocs" in (properdocs_site / "index.html").read_bytes()  # it really built it
    assert broken_links(properdocs_site)[1] == []


@pytest.mark.parametrize("archive", ["example", "bench-100"])
def test_properdocs_builds_the_same_archive(tmp_path: Path, archive: str) -> None:
    if archive == "example":
        cases = ROOT / "cases"
    else:
        cases = tmp_path / "cases"
        generate(cases, 100)
    sites = []
    for command in ("mkdocs", "properdocs"):
        project = make_project(tmp_path / command, cases, ROOT / "docket.toml", SITE_URL)
        config = project / "mkdocs.yml"  # jobs: 2, so the forked page builders run too
        text = config.read_text("utf-8").replace("  - docket:\n", "  - docket:\n      jobs: 2\n")
        config.write_text(text, "utf-8")
        sites.append(_build(command, project))
    _same_archive(*sites)
