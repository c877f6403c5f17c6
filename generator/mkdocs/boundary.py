"""The one escaping rule at the boundary to MkDocs and Material.

To MkDocs a page title, a description and a table-of-contents entry are HTML (it makes them from
Markdown), and Material prints them as they are: into `<title>`, `<meta content="...">`, the
header, the navigation, the `<h1>` of pages without one, the TOC. Everything docket hands over is
plain text from case files, so generator/plugin.py passes nothing to MkDocs that has not been
through `mkdocs_text` here. Page bodies are not this module's business: they are rendered with
Jinja's autoescape and the body sanitiser (generator/render/text.py) before they get here.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any


def mkdocs_text(text: str) -> str:
    """Plain text as HTML that shows exactly that text, safe in element and attribute content."""
    return html.escape(text, quote=True)


def page_meta(title: str, description: str) -> dict[str, str]:
    """The `page.meta` values that come from case files, escaped."""
    meta = {"title": mkdocs_text(title)}
    if description:
        meta["description"] = mkdocs_text(description)
    return meta


def toc_tokens(toc: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """A page's table of contents (anchor id, plain title) as MkDocs' `get_toc` tokens."""
    return [
        {"level": 2, "id": mkdocs_text(sid), "name": mkdocs_text(title), "children": []}
        for sid, title in toc
    ]
