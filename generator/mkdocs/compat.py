"""Which MkDocs docket may reach into: the one place that decides whether the fast paths run.

docket's fast paths use parts of MkDocs that are not its plugin API: the private
`mkdocs.commands.build._build_page` (the forked page builders, parallel.py), the internals of
`Page`, `File` and the live-reload server (the incremental dev server, serve.py) and the text of
MkDocs's log lines. They were written against the versions in `TESTED`; on any other version,
or when `_build_page` no longer takes the arguments docket passes, the build says so in one
line naming the version and takes MkDocs's own path instead (one process, full rebuilds under
serve): slower, the same site. The plugin setting `fast: false` takes that path on purpose.

ProperDocs (a continuation of MkDocs 1.6) answers to `import mkdocs` with itself, so the same
checks apply to it under its own name and version.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

import mkdocs
from mkdocs.commands import build as mkdocs_build

# generator -> (lowest tested, first untested) release; constraints.txt holds the exact ones
TESTED: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    "mkdocs": ((1, 6, 1), (1, 7)),
    "properdocs": ((1, 6, 7), (1, 7)),
}
# Material: theme/partials/header.html is a copy of this range's partial (tests/generator/
# mkdocs/test_theme_drift.py compares it with the installed one)
MATERIAL_TESTED = ((9, 7), (9, 9))
BUILD_PAGE = ("page", "config", "doc_files", "nav", "env", "dirty", "excluded")


@dataclass(frozen=True)
class Generator:
    """The MkDocs (or ProperDocs) running this build."""

    name: str
    version: str

    def __str__(self) -> str:
        return f"{'ProperDocs' if self.name == 'properdocs' else 'MkDocs'} {self.version}"


def running() -> Generator:
    return Generator(
        "properdocs" if mkdocs.__name__ == "properdocs" else "mkdocs", mkdocs.__version__
    )


def _release(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", text.split("+")[0])[:3])


def _within(found: str, tested: tuple[tuple[int, ...], tuple[int, ...]]) -> bool:
    low, past = tested
    return low <= _release(found) < past


def _range(tested: tuple[tuple[int, ...], tuple[int, ...]]) -> str:
    low, past = tested
    return f">={'.'.join(map(str, low))},<{'.'.join(map(str, past))}"


def build_page_signature() -> tuple[str, ...]:
    """The names of `_build_page`'s positional parameters, as this MkDocs defines it."""
    try:
        parameters = inspect.signature(mkdocs_build._build_page).parameters.values()
    except (AttributeError, TypeError, ValueError):  # gone, or not a function any more
        return ()
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return tuple(p.name for p in parameters if p.kind in positional)


def why_not_fast() -> str | None:
    """None when the fast paths may run on this MkDocs; else the one line that says why not."""
    generator = running()
    if not _within(generator.version, TESTED[generator.name]):
        return (
            f"docket: {generator} is not a version docket's fast paths were tested with "
            f"({_range(TESTED[generator.name])}); building on its own slower path"
        )
    if build_page_signature() != BUILD_PAGE:
        return (
            f"docket: {generator}'s private _build_page is not the one docket knows; "
            "building on MkDocs's own slower path"
        )
    return None


def material_warning() -> str | None:
    """One line when the installed Material is outside the range theme/ was copied from."""
    try:
        found = version("mkdocs-material")
    except PackageNotFoundError:
        return None
    if _within(found, MATERIAL_TESTED):
        return None
    return (
        f"docket: Material {found} is not a version docket's theme/ was tested with "
        f"({_range(MATERIAL_TESTED)}): check the archive's header and search box"
    )
