"""The version guard (generator/mkdocs/compat.py): on a MkDocs whose private parts are not the
ones docket knows, the build takes MkDocs's own path and says so in one line naming the version
(never a traceback, never a site with pages missing); that path gives the very same site."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.support.site import ARCHIVE_FIXTURE, SITE_URL, make_project

# A future MkDocs, as a patch release might make it: `_build_page` takes keyword arguments only,
# and MkDocs's own loop calls it so.
KEYWORD_ONLY = r"""
import inspect
import mkdocs.commands.build as b
source = inspect.getsource(b)
patched = source.replace("def _build_page(\n    page: Page,", "def _build_page(\n    *,\n    page: Page,", 1)
patched = patched.replace(
    "_build_page(\n                file.page, config, doc_files, nav, env, dirty,",
    "_build_page(\n                page=file.page, config=config, doc_files=doc_files, nav=nav,"
    " env=env, dirty=dirty,",
    1,
)
assert patched.count("page=file.page") == 1 and "    *,\n    page: Page," in patched
exec(compile(patched, b.__file__, "exec"), b.__dict__)
"""
NEWER = "import mkdocs\nmkdocs.__version__ = '1.7.0'\n"
RUN = "\nfrom mkdocs.__main__ import cli\ncli.main(['build'], standalone_mode=False)\n"


def _project(root: Path, *options: str) -> Path:
    """The fixture archive, its case pages wrapped by two forked builders (the fast path even
    for a few pages), with `options` added to the plugin's."""
    project = make_project(
        root, ARCHIVE_FIXTURE / "cases", ARCHIVE_FIXTURE / "docket.toml", SITE_URL
    )
    config = project / "mkdocs.yml"
    added = "".join(f"\n      {o}" for o in ("jobs: 2", *options))
    text = config.read_text("utf-8").replace("      search: docket", "      search: docket" + added)
    config.write_text(text, "utf-8")
    return project


def _build(project: Path, prelude: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-c", prelude + RUN], cwd=project, capture_output=True, text=True, env=env
    )


def _differ(one: Path, two: Path, version: bytes = b"") -> list[str]:
    """Files of two sites that differ; `version`: the second's MkDocs version, read as 1.6.1
    (each page's generator meta tag names it)."""
    found = sorted(str(p.relative_to(one)) for p in one.rglob("*") if p.is_file())
    other = sorted(str(p.relative_to(two)) for p in two.rglob("*") if p.is_file())
    assert found == other and len(found) > 20
    if not version:
        return [p for p in found if not filecmp.cmp(one / p, two / p, shallow=False)]
    said = b"mkdocs-" + version
    return [
        p
        for p in found
        if (one / p).read_bytes() != (two / p).read_bytes().replace(said, b"mkdocs-1.6.1")
    ]


@pytest.fixture(scope="module")
def fast_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = _project(tmp_path_factory.mktemp("fast"))
    done = _build(project)
    assert done.returncode == 0, done.stderr
    assert _version_lines(done.stderr) == []
    return project / "site"


def _version_lines(stderr: str) -> list[str]:
    """What docket said about the generator's or the theme's version."""
    names = ("docket: MkDocs", "docket: ProperDocs", "docket: Material")
    return [line for line in stderr.splitlines() if any(n in line for n in names)]


def test_the_plain_path_gives_the_same_site(tmp_path: Path, fast_site: Path) -> None:
    project = _project(tmp_path, "fast: false")
    done = _build(project)
    assert done.returncode == 0, done.stderr
    assert _version_lines(done.stderr) == []  # chosen, so nothing to say
    assert _differ(fast_site, project / "site") == []


def test_a_keyword_only_build_page_takes_the_plain_path_and_says_so(
    tmp_path: Path, fast_site: Path
) -> None:
    project = _project(tmp_path)
    done = _build(project, KEYWORD_ONLY)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    said = _version_lines(done.stderr)
    assert len(said) == 1, said
    assert "MkDocs 1.6.1" in said[0] and "_build_page" in said[0], said
    assert _differ(fast_site, project / "site") == []


def test_an_untested_version_takes_the_plain_path_and_says_which(
    tmp_path: Path, fast_site: Path
) -> None:
    project = _project(tmp_path)
    done = _build(project, NEWER)
    assert done.returncode == 0, done.stderr
    said = _version_lines(done.stderr)
    assert len(said) == 1 and "MkDocs 1.7.0 is not a version" in said[0], said
    assert _differ(fast_site, project / "site", b"1.7.0") == []


def test_proper_docs_is_known_by_its_own_name_and_version() -> None:
    """Under ProperDocs, `import mkdocs` is ProperDocs: the guard names it so (and checks its
    own tested range)."""
    code = (
        "import properdocs.replacement\n"
        "from generator.mkdocs import compat\n"
        "print(compat.running(), compat.why_not_fast())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"ProperDocs {version('properdocs')} None"
