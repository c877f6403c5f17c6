"""Where each page lives and how one page links to another (directory-style URLs)."""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata

MAX_SLUG = 60


def page_url(src_path: str) -> str:
    """The site URL of a page source path: "cases/a1.md" -> "cases/a1/", "index.md" -> ""."""
    stem = src_path.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url`, both site-relative directory URLs.

    Called tens of thousands of times per build, so no posixpath.relpath: go up to the common
    folder, then down.
    """
    start = (
        from_url if not from_url or from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    )
    if start == "/":
        start = ""
    if to_url.startswith(start):
        rest = to_url[len(start) :]
        return rest or "./"
    up = start.count("/")
    common = 0
    while True:
        cut = start.find("/", common)
        if cut < 0 or not to_url.startswith(start[: cut + 1]):
            break
        common = cut + 1
        up -= 1
    return "../" * up + to_url[common:]


def case_path(number: str) -> str:
    return f"cases/{number}.md"


def case_url(number: str) -> str:
    return f"cases/{number}/"


def case_json_url(number: str) -> str:
    return f"cases/{number}.json"


def slugify(text: str) -> str:
    """ASCII slug for a topic or a heading id: "Similiar Cases" -> "similiar-cases"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


_NOT_WORD = re.compile(r"[\W_]+")


def person_slug(name: str) -> str:
    """A person's URL name from their name alone, so no other name can ever move it.

    Letters of any script are kept, lowercased ("EvaStöwe" -> "evastöwe", "EvaStowe" ->
    "evastowe"): folding "ö" to "o" would give two people one URL. Everything else becomes "-",
    so a slug is always a safe file and URL name; a long or letterless name is cut and gets a
    short hash of the whole name, so it stays unique.
    """
    text = unicodedata.normalize("NFC", name).casefold()
    slug = _NOT_WORD.sub("-", text).strip("-")
    if slug and len(slug) <= MAX_SLUG:
        return slug
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"{slug[: MAX_SLUG - 9].rstrip('-')}-{digest}".lstrip("-")
