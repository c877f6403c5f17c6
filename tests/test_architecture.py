"""The layering the design asks for: generator imports neither MkDocs nor click (but for its
MkDocs adapter), and never the notifier."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT


def _imports(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


GENERATOR = sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / "generator").rglob("*.py") if p.name != "plugin.py"
)


@pytest.mark.parametrize("module", GENERATOR)
def test_generator_module_stays_library(module: str) -> None:
    assert not _imports(module) & {"mkdocs", "material", "click", "notifier", "docket"}
