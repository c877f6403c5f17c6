"""Markup in public text that would run a script: `<script`, `on...=` handlers, `javascript:`.

The archive escapes or strips all of it (the plugin's escaping, the body sanitiser), so nothing
runs; but text written like this is either an attack or a paste gone wrong, and the case
manager should hear of it before the case is published, at the line it is on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.checks.text import lowered
from generator.codes import diag
from generator.config import Config
from generator.diagnostics import Diagnostic
from generator.model import Case

SCRIPT_RE = re.compile(
    r"<\s*script\b"  # a script element
    r"|<[a-z][^<>]*?[\s/\"']on[a-z]+\s*="  # an event-handler attribute inside a tag
    r"|\b(?:java|vb)script\s*:",  # a script URL
    re.IGNORECASE,
)
_FENCES = ("```", "~~~")


def _script_url_word(low: str) -> bool:
    """Whether "javascript" or "vbscript" is in the (lower-case) text: one search for "script",
    the common word, then a look at what stands before each."""
    at = low.find("script")
    while at >= 0:
        if low.endswith("java", 0, at) or low.endswith("vb", 0, at):
            return True
        at = low.find("script", at + 6)
    return False


def _strings(
    value: Any, path: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every published string of the front matter, keys of mappings (the legend) included."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if path == () and key == "actions":
                continue  # mail actions are operational, not published
            if path and isinstance(key, str):
                yield (*path, key), key
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))


def _what(found: str) -> str:
    lowered = found.lower()
    if "script" in lowered and "<" in lowered:
        return "a <script> element"
    if lowered.rstrip().endswith(":"):
        return f"a '{found.strip()}' URL"
    attribute = re.search(r"on[a-z]+", lowered)
    return f"an event-handler attribute ({attribute[0] if attribute else 'on...'}=)"


def _diag(case: Case, line: int, col: int, found: str) -> Diagnostic:
    return diag(
        case.path,
        line,
        col,
        "DK503",
        f"{_what(found)} in public text: the archive never runs it (it is escaped or removed); "
        "remove it, or put it in `code` if the case is about such markup",
    )


def check_scripts(case: Case, config: Config) -> Iterator[Diagnostic]:
    # every match holds a "<" or the word javascript/vbscript: most files need no regex at all
    # (the word "script" alone is common in case text; the regex over a whole file is 0.7 ms)
    if "<" not in case.text and not _script_url_word(lowered(case)):
        return  # no letter case to "<", nor a character lowered to it
    if SCRIPT_RE.search(case.text) is None:
        return
    header = case.header.model_dump(by_alias=True, exclude_defaults=True)
    for path, text in _strings(header, ()):
        for match in SCRIPT_RE.finditer(text):
            at, col = case.pos(*path)
            yield _diag(case, at, col, match[0])
    private = _private_lines(case)
    in_fence = False
    for number in range(case.body_line, len(case.lines) + 1):
        line = case.line(number)
        if line.lstrip()[:3] in _FENCES:
            in_fence = not in_fence
            continue
        if in_fence or number in private:
            continue
        for match in SCRIPT_RE.finditer(line):
            if not _in_code(line, match.start()):
                yield _diag(case, number, match.start() + 1, match[0])


def _private_lines(case: Case) -> set[int]:
    """Body lines of private sections (never published); their headings are published."""
    lines: set[int] = set()
    for section in case.sections:
        if section.private:
            lines.update(range(section.line + 1, section.body_line + section.body.count("\n") + 1))
    return lines


def _in_code(line: str, index: int) -> bool:
    """Inside a `code span` (an odd number of backticks before it)."""
    return line.count("`", 0, index) % 2 == 1
