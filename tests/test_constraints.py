"""constraints.txt is the tested set: it pins every dependency pyproject.toml declares, inside
the declared range, and this environment (set up by scripts/setup.sh) runs exactly those."""

from __future__ import annotations

import tomllib
from importlib.metadata import version

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.paths import ROOT

# what builds the archive: these must be the very versions the tests ran with
ARCHIVE_STACK = (
    "mkdocs",
    "mkdocs-material",
    "markdown",
    "pymdown-extensions",
    "jinja2",
    "watchdog",
)


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, pinned = line.partition("==")
            assert pinned, f"constraints.txt: {line!r} is not an exact pin (name==version)"
            pins[canonicalize_name(name)] = pinned
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    found = [Requirement(r) for r in project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        found += [Requirement(r) for r in extra]
    return [r for r in found if r.marker is None or r.marker.evaluate()]


@pytest.mark.parametrize("requirement", _declared(), ids=str)
def test_every_dependency_is_pinned_inside_its_range(requirement: Requirement) -> None:
    pins = _pins()
    name = canonicalize_name(requirement.name)
    assert name in pins, f"{requirement.name} is declared in pyproject.toml but not pinned"
    assert requirement.specifier.contains(pins[name], prereleases=True), (
        f"constraints.txt pins {requirement.name}=={pins[name]}, outside {requirement.specifier}"
    )


@pytest.mark.parametrize("name", ARCHIVE_STACK)
def test_the_archive_is_built_with_the_pinned_versions(name: str) -> None:
    assert version(name) == _pins()[canonicalize_name(name)]
