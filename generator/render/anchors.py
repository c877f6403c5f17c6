"""Anchors a reader can cite: a permalink on every heading, ids on the headings inside sections,
and a stable id for every day and entry of the history log.

Ids inside a section are prefixed with the section's id and numbered per day for the log, so
an edit elsewhere in the case (another section, another day of the log) never moves them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import date

from markupsafe import Markup, escape

from generator.render.urls import slugify

_HEADING = re.compile(r"<h([3-6])>(.*?)</h\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def headerlink(anchor: str) -> Markup:
    """The theme's permalink mark (styled by its `.headerlink` rule)."""
    return Markup(f'<a class="headerlink" href="#{escape(anchor)}" title="Permanent link">¶</a>')


def heading(level: int, anchor: str, text: str) -> Markup:
    """A heading with an id and its permalink; `text` is plain text."""
    return Markup('<h{0} id="{1}">{2}{3}</h{0}>').format(level, anchor, text, headerlink(anchor))


def plain(fragment: str) -> str:
    """The text of an HTML fragment (tags dropped, entities decoded)."""
    return html.unescape(_TAG.sub("", fragment)).strip()


def anchor_headings(
    fragment: str, prefix: str, taken: set[str]
) -> tuple[str, list[tuple[str, str]]]:
    """Give every h3-h6 of sanitised section HTML an id (`<section id>-<heading slug>`) and a
    permalink; returns the HTML and the (id, text) of each heading, for the table of contents."""
    found: list[tuple[str, str]] = []
    if "<h" not in fragment:
        return fragment, found

    def add(match: re.Match[str]) -> str:
        level, inner = match[1], match[2]
        text = plain(inner)
        anchor = unique(f"{prefix}-{slugify(text)}", taken)
        found.append((anchor, text))
        return f'<h{level} id="{anchor}">{inner}{headerlink(anchor)}</h{level}>'

    return _HEADING.sub(add, fragment), found


def unique(anchor: str, taken: set[str]) -> str:
    """`anchor`, or `anchor-2`, `anchor-3`... when it is taken; then it is taken."""
    candidate, n = anchor, 2
    while candidate in taken:
        candidate, n = f"{anchor}-{n}", n + 1
    taken.add(candidate)
    return candidate


def log_ids(
    days: Iterable[tuple[date | None, int]], counts: dict[str, int] | None = None
) -> list[tuple[str, list[str]]]:
    """Ids for the log's days and their entries: `log-2014-04-09` and `log-2014-04-09-3` for the
    third entry of that day. `days` gives each day's date and number of entries, in order; a
    date that comes back later (after a range) continues its numbering, and that second group
    of the day is `log-2014-04-09-from-4`. Pass the same `counts` for several parts of one
    page's log, so their ids stay unique. Log ids start with "log-" and a date (or "undated")."""
    counts = {} if counts is None else counts
    out: list[tuple[str, list[str]]] = []
    for day, entries in days:
        stem = f"log-{day.isoformat()}" if day else "log-undated"
        first = counts.get(stem, 0)
        day_id = stem if stem not in counts else f"{stem}-from-{first + 1}"
        out.append((day_id, [f"{stem}-{first + i + 1}" for i in range(entries)]))
        counts[stem] = first + entries
    return out
