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


ADAPTER = ("generator/plugin.py", "generator/mkdocs/")
GENERATOR = sorted(
    str(p.relative_to(ROOT))
    for p in (ROOT / "generator").rglob("*.py")
    if not str(p.relative_to(ROOT)).startswith(ADAPTER)
)


@pytest.mark.parametrize("module", GENERATOR)
def test_generator_module_stays_library(module: str) -> None:
    assert not _imports(module) & {"mkdocs", "material", "click", "notifier", "docket"}


STAGES = ("approval", "audience", "message", "ledger", "delivery", "bounces")


def _notifier_imports(path: str) -> set[str]:
    """The notifier sub-packages (or top modules) a module imports."""
    tree = ast.parse((ROOT / path).read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
        for module in modules:
            parts = module.split(".")
            if parts[0] == "notifier" and len(parts) > 1:
                names.add(parts[1])
    return names


NOTIFIER_STAGED = sorted(
    str(p.relative_to(ROOT))
    for stage in STAGES
    for p in (ROOT / "notifier" / stage).rglob("*.py")
    if (ROOT / "notifier" / stage).is_dir()
)


@pytest.mark.parametrize("module", NOTIFIER_STAGED)
def test_notifier_stage_imports_only_lower_stages(module: str) -> None:
    """A stage imports its own and lower stages, never a higher one nor the top (steps, command)."""
    stage = module.split("/")[1]
    allowed = set(STAGES[: STAGES.index(stage) + 1])
    assert _notifier_imports(module) <= allowed, _notifier_imports(module) - allowed
    assert "docket" not in _imports(module)
