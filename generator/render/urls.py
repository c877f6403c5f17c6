"""Where each page lives and how one page links to another (directory-style URLs)."""

from __future__ import annotations

import posixpath
import re
import unicodedata


def page_url(src_path: str) -> str:
    """The site URL of a page source path: "cases/a1.md" -> "cases/a1/", "index.md" -> ""."""
    stem = src_path.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url`, both site-relative, as a relative URL."""
    start = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url)
    target = to_url or "."
    rel = posixpath.relpath(target, start.rstrip("/") or ".")
    if to_url.endswith("/") or not to_url:
        rel = "./" if rel == "." else rel + "/"
    return rel


def case_path(number: str) -> str:
    return f"cases/{number}.md"


def case_url(number: str) -> str:
    return f"cases/{number}/"


def case_json_url(number: str) -> str:
    return f"cases/{number}.json"


def slugify(text: str) -> str:
    """ASCII slug for a person's name or topic: "EvaStöwe" -> "evastowe"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"
