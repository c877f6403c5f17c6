"""Every Material template docket overrides or copies in theme/ is compared with the installed
Material's: the difference must be exactly the stored patch (tests/fixtures/material-partials/).
When Material changes one of them (a new version in constraints.txt), this fails, naming the
file: carry docket's change over to the new partial, then store the new difference with

    .venv/bin/python -m tests.generator.mkdocs.test_theme_drift --write
"""

from __future__ import annotations

import difflib
import sys
from importlib.metadata import version
from pathlib import Path

import material
import pytest

from tests.support.paths import ROOT

MATERIAL = Path(material.__file__).parent / "templates"
PATCHES = ROOT / "tests/fixtures/material-partials"
# docket's file -> the Material template it overrides (same path) or was copied from
COPIES = {
    "main.html": "main.html",
    "partials/header.html": "partials/header.html",
    "partials/docket-search.html": "partials/search.html",
}


def _difference(ours: str, theirs: str) -> str:
    mine = (ROOT / "theme" / ours).read_text("utf-8").splitlines(keepends=True)
    material_text = (MATERIAL / theirs).read_text("utf-8").splitlines(keepends=True)
    return "".join(
        difflib.unified_diff(material_text, mine, f"material/{theirs}", f"theme/{ours}", n=1)
    )


def _patch(ours: str) -> Path:
    return PATCHES / (ours.replace("/", "--") + ".diff")


def test_every_theme_override_is_listed() -> None:
    """A new override of a Material template needs its stored difference too."""
    overrides = {
        str(p.relative_to(ROOT / "theme"))
        for p in (ROOT / "theme").rglob("*.html")
        if (MATERIAL / p.relative_to(ROOT / "theme")).exists()
    }
    assert overrides <= set(COPIES)


@pytest.mark.parametrize("ours", sorted(COPIES))
def test_the_difference_from_material_is_the_stored_one(ours: str) -> None:
    expected = _patch(ours).read_text("utf-8")
    found = _difference(ours, COPIES[ours])
    assert found == expected, (
        f"theme/{ours} no longer differs from Material {version('mkdocs-material')}'s "
        f"{COPIES[ours]} by the stored patch {_patch(ours).relative_to(ROOT)}: Material's "
        "template changed, or docket's copy did (see this module's docstring)"
    )


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    PATCHES.mkdir(parents=True, exist_ok=True)
    for ours, theirs in COPIES.items():
        _patch(ours).write_text(_difference(ours, theirs), "utf-8")
        print(_patch(ours))
