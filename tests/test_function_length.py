"""No function in generator/ or notifier/ longer than about a screen (80 lines): a newcomer
reads one whole. Run as a script it lists them all, longest first:

    .venv/bin/python tests/test_function_length.py

The allow-list names the few that are still longer, each with why; an entry that no longer
applies (the function got shorter or went) fails too, so the list stays true.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 80
# "path:Class.function": why it stays whole. Empty today: the last three (render_case,
# map_sections, convert_log) were split; the files being rewritten elsewhere (plugin.py,
# render/chrome.py, render/search*.py, export.py, notifier/jobs/, delivery/pool.py) are under
# the limit as well.
ALLOWED: dict[str, str] = {}


def long_functions(limit: int = LIMIT) -> dict[str, int]:
    """`path:Class.function` -> lines, for every function over `limit` lines (nested too)."""
    found: dict[str, int] = {}
    for folder in ("generator", "notifier"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            _visit(ast.parse(path.read_text("utf-8")), rel, "", limit, found)
    return found


def _visit(node: ast.AST, rel: str, prefix: str, limit: int, found: dict[str, int]) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            name = prefix + child.name
            length = (child.end_lineno or child.lineno) - child.lineno + 1
            if length > limit:
                found[f"{rel}:{name}"] = length
            _visit(child, rel, name + ".", limit, found)
        elif isinstance(child, ast.ClassDef):
            _visit(child, rel, prefix + child.name + ".", limit, found)


def test_no_new_function_longer_than_the_limit() -> None:
    too_long = {name: n for name, n in long_functions().items() if name not in ALLOWED}
    assert not too_long, (
        f"longer than {LIMIT} lines: {too_long}; split them into named steps "
        "(or, if it truly reads best whole, add it to ALLOWED with the reason)"
    )


def test_the_allow_list_is_current() -> None:
    stale = set(ALLOWED) - set(long_functions())
    assert not stale, f"no longer over {LIMIT} lines (or gone): remove from ALLOWED: {stale}"


if __name__ == "__main__":
    for name, lines in sorted(
        long_functions(int(sys.argv[1]) if len(sys.argv) > 1 else LIMIT).items(),
        key=lambda kv: -kv[1],
    ):
        print(f"{lines:4}  {name}" + ("  (allowed)" if name in ALLOWED else ""))
