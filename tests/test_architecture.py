"""The layering the design asks for: generator imports neither MkDocs nor click (but for its
MkDocs adapter, the package generator/mkdocs/), and never the notifier."""

from __future__ import annotations

import ast
import io
import re
import tokenize

import pytest

from tests.support.paths import ROOT


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


# MkDocs (any case) and Material (the theme: capitalised, or as a module or template path);
# "material" as an English word in a message is not the theme
_GENERATOR_NAMES = re.compile(r"(?i:mkdocs)|\bMaterial\b|\bmaterial[./]")


def _mentions(text: str) -> list[str]:
    """Every name, string (docstrings too) and comment that names MkDocs or Material."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        kinds = (tokenize.NAME, tokenize.STRING, tokenize.COMMENT)
        if token.type in kinds and _GENERATOR_NAMES.search(token.string):
            found.append(f"line {token.start[0]}: {token.string[:60]!r}")
    return found


GENERATOR_FILES = sorted(
    str(p.relative_to(ROOT))
    for p in (ROOT / "generator").rglob("*")
    if p.is_file()
    and p.suffix in {".py", ".html", ".toml", ".json"}
    and not str(p.relative_to(ROOT)).startswith(ADAPTER)
)


@pytest.mark.parametrize("path", GENERATOR_FILES)
def test_only_the_adapter_knows_the_site_generator(path: str) -> None:
    """Everything that knows MkDocs or Material lives in generator/mkdocs/: no other module
    imports it, names it in code, strings or comments, or reaches it by a string."""
    text = (ROOT / path).read_text("utf-8")
    if path.endswith(".py"):
        assert not _mentions(text), _mentions(text)
    else:
        assert not _GENERATOR_NAMES.search(text)


def test_the_entry_point_only_re_exports_the_adapter() -> None:
    """generator/plugin.py stays for the `mkdocs.plugins` entry point: one import, nothing else."""
    tree = ast.parse((ROOT / "generator/plugin.py").read_text("utf-8"))
    body = [n for n in tree.body if not isinstance(n, ast.Expr)]  # the docstring
    imports = [n for n in body if isinstance(n, ast.ImportFrom)]
    assert [i.module for i in imports] == ["generator.mkdocs.plugin"]
    assert all(isinstance(n, ast.ImportFrom | ast.Assign) for n in body)


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
