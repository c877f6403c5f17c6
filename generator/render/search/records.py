"""One case page as the index needs it: its public text, its terms and their counts (pure, no
I/O, cheap to pickle: made wherever the page is rendered).
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import repeat

from generator.render.search.tokens import _count

IGNORE = "data-docket-search-ignore"  # an element with it is left out of the index
META = "data-docket-search-meta"  # <span hidden data-docket-search-meta="status:Closed">
TITLE_WEIGHT = 4  # a title word counts this many times more than one in the text
MAX_TF = 255  # term frequencies are stored in 8 bits (BM25 saturates long before)
_TAGS = re.compile(r"<[^>]*>\s*")
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr")
)  # fmt: skip
_TAG_NAME = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")


@dataclass(frozen=True, slots=True)
class SearchRecord:
    """One case page as the index needs it: picklable, built by `search_record`."""

    url: str  # the page's URL relative to the site root ("cases/a20140408.1/")
    doc: bytes  # the page's result file (UTF-8): a JSON line (url, title, meta), then the text
    terms: bytes  # its folded terms, UTF-8, one per line: compact to keep and to pickle
    counts: bytes  # each term's weighted frequency (title words count TITLE_WEIGHT), <= 255
    length: int  # words in the indexed text

    def term_counts(self) -> dict[str, int]:
        """The terms and their counts as a dict (for tests and for reading)."""
        if not self.terms:
            return {}
        names = self.terms.decode("utf-8").split("\n")
        return dict(zip(names, self.counts, strict=True))


def _closing(html: str, name: str, start: int) -> int:
    """Where the element that opens at `start` ends (after its end tag): same-name elements
    nested inside are counted. Without an end tag, the rest of the page is left out."""
    tag_end = html.find(">", start)
    if tag_end < 0:
        return len(html)
    if name.lower() in _VOID or html[tag_end - 1] == "/":
        return tag_end + 1
    pattern = re.compile(rf"<(/?){re.escape(name)}(?=[\s>/])", re.IGNORECASE)
    depth = 1
    for found in pattern.finditer(html, tag_end + 1):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            close = html.find(">", found.end())
            return len(html) if close < 0 else close + 1
    return len(html)


def public_html(html: str) -> str:
    """The page without its elements marked `data-docket-search-ignore`."""
    out: list[str] = []
    pos = 0
    while True:
        at = html.find(IGNORE, pos)
        if at < 0:
            break
        start = html.rfind("<", pos, at)
        name = _TAG_NAME.match(html, start) if start >= 0 else None
        if name is None or ">" in html[start:at]:  # the words in text, not an attribute
            out.append(html[pos : at + len(IGNORE)])
            pos = at + len(IGNORE)
            continue
        out.append(html[pos:start])
        pos = _closing(html, name.group(1), start)
    out.append(html[pos:])
    return "".join(out)


def page_text(html: str) -> str:
    """The readable text of (public) HTML: every tag becomes one space (with the whitespace
    after it), entities are decoded. The browser tidies the spacing of what it shows."""
    text = _TAGS.sub(" ", html)
    return html_lib.unescape(text) if "&" in text else text


def _meta(html: str) -> dict[str, str]:
    """`<span hidden data-docket-search-meta="key:value">` of the page, as a dict."""
    found: dict[str, str] = {}
    marker = META + '="'
    pos = html.find(marker)
    while pos >= 0:
        end = html.find('"', pos + len(marker))
        if end < 0:
            break
        key, _, value = html[pos + len(marker) : end].partition(":")
        found[key] = html_lib.unescape(value)
        pos = html.find(marker, end)
    return found


def search_record(
    url: str, title: str, html: str, meta: Mapping[str, str] | None = None
) -> SearchRecord:
    """One page's record: its public text (without the ignored elements) and weighted term
    counts; `meta` (status, date) adds to what the page's meta spans say. Pure: no I/O."""
    body = public_html(html)
    facts = _meta(body)
    facts.update(meta or {})
    text = page_text(body).encode("utf-8")
    counts, length = _count(text)
    title_counts, _ = _count(title.encode("utf-8"))
    for term, n in title_counts.items():
        counts[term] += TITLE_WEIGHT * n
    head = json.dumps({"url": url, "title": title, "meta": facts}, ensure_ascii=False)
    # the text as it is: JSON-escaping it would cost more than all the rest
    doc = head.encode("utf-8") + b"\n" + text
    capped = bytes(map(min, counts.values(), repeat(MAX_TF)))
    return SearchRecord(url, doc, b"\n".join(counts), capped, length)
