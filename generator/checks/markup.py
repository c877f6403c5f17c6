"""Markup in public text that the archive would remove or change, reported at its line.

Angle-bracket text that is no element is shown as text (generator/render/text.py); what the
sanitiser still removes must not vanish unannounced: an HTML comment (the acknowledgement
comment excepted: it is never published, by design), a `<style>` element, an attribute or URL
the sanitiser drops, an attribute-list entry (`{: ... }`) the archive does not apply. Script
markup (`<script>`, `on...=`, `javascript:`) is DK503's (generator/checks/scripts.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.codes import diag
from generator.config import Config
from generator.diagnostics import Diagnostic
from generator.markup import (
    ATTR_LIST_RE,
    ATTRIBUTES,
    DROPPED_TAGS,
    GLOBAL_ATTRIBUTES,
    KEPT_TAGS,
    URL_ATTRIBUTES,
    URL_SCHEMES,
    parse_attr_list,
)
from generator.model import Case, SectionKind

_CONSTRUCT = re.compile(
    r"<!--.*?(?:-->|$)|<(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<attrs>(?:\s[^<>]*)?)/?>", re.DOTALL
)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_SCRIPTY = re.compile(r"^on[a-z]+$|^\s*(?:java|vb)script\s*:", re.IGNORECASE)
_CODE_SPAN = re.compile(r"(`+).*?\1")
_FENCES = ("```", "~~~")


def check_markup(case: Case, config: Config) -> Iterator[Diagnostic]:
    if "<" not in case.text and not _has_attr_list(case.text):
        return
    blocks = [(case.body_line, case.intro, False)] + [
        (s.body_line, s.body, s.kind is SectionKind.HISTORY) for s in case.public_sections
    ]
    for first, body, log in blocks:
        if "<" not in body and not _has_attr_list(body):
            continue
        in_fence = False
        for offset, raw in enumerate(body.split("\n")):
            if raw.lstrip()[:3] in _FENCES:
                in_fence = not in_fence
                continue
            if in_fence or raw.startswith(("    ", "\t")):
                continue
            if log and not raw.lstrip().startswith(">"):
                continue  # log lines are shown as plain text; only quotes are Markdown
            line = _CODE_SPAN.sub(lambda m: " " * len(m[0]), raw)
            yield from _line_findings(case, first + offset, line)


def _has_attr_list(text: str) -> bool:
    """Whether "{:" is in `text`, from a search for "{" (rare in text: found at machine speed,
    where a two-character search is twenty times slower)."""
    at = text.find("{")
    while at >= 0:
        if text.startswith(":", at + 1):
            return True
        at = text.find("{", at + 1)
    return False


def _line_findings(case: Case, number: int, line: str) -> Iterator[Diagnostic]:
    if "<" in line:
        for match in _CONSTRUCT.finditer(line):
            col = match.start() + 1
            name = (match["name"] or "").lower()
            if match[0].startswith("<!--"):
                yield _removed(case, number, col, "an HTML comment is not published")
            elif name in DROPPED_TAGS and name != "script":
                yield _removed(case, number, col, f"a <{name}> element is removed with its text")
            elif name in KEPT_TAGS and match["attrs"]:
                yield from _attributes(case, number, col, name, match["attrs"])
    if "{:" in line:
        attr_list = ATTR_LIST_RE.search(line)
        if attr_list is not None:
            _kept, refused = parse_attr_list(attr_list["attrs"])
            if refused:
                yield diag(
                    case.path, number, attr_list.start() + 1, "DK404",
                    f"attribute list entry {', '.join(refused)} is not applied: the archive "
                    "takes lang=\"..\", #id and the theme's classes (.docket-note) only",
                )  # fmt: skip


def _attributes(case: Case, number: int, col: int, tag: str, text: str) -> Iterator[Diagnostic]:
    allowed = ATTRIBUTES.get(tag, set()) | GLOBAL_ATTRIBUTES
    for match in _ATTR.finditer(text):
        key = match[1].lower()
        value = next((v for v in match.groups()[1:] if v is not None), "")
        if _SCRIPTY.search(key) or _SCRIPTY.search(value):
            continue  # DK503 reports script markup
        if key not in allowed:
            yield _removed(case, number, col, f"attribute '{key}' of <{tag}> is removed")
        elif key in URL_ATTRIBUTES and ":" in value.split("/", 1)[0]:
            scheme = value.split(":", 1)[0].strip().lower()
            if scheme not in URL_SCHEMES:
                yield _removed(case, number, col, f"the {scheme}: link of <{tag}> is removed")


def _removed(case: Case, number: int, col: int, what: str) -> Diagnostic:
    return diag(
        case.path, number, col, "DK403",
        f"{what} by the archive: write it as text (in `code`, or without the markup) so that "
        "nothing is dropped unannounced",
    )  # fmt: skip
