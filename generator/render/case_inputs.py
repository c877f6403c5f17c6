"""What a case page shows besides its own file and the site's settings, gathered from the whole
archive into one value: `render_case` is given this and nothing else of the archive, and the dev
server keeps each page under it as the key. So a page cannot depend on a fact its key does not
hold: equal inputs give an equal page, and a save renders again only the pages whose inputs
changed (the settings are the key of the render as a whole, `Memo.begin`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from generator.model import CASE_NUMBER_PATTERN, Case
from generator.render.context import Context

# A case number anywhere, even inside a word: a superset of the numbers the Linker can meet in
# the page's text once Markdown and the sanitiser have run (`_a20090618.3_` is emphasis there).
# "[a]", not "a": a one-letter set is scanned for twice as fast (measured on case text).
_ANY_CASE_NUMBER = re.compile("[a]" + re.sub(r"[()]", "", CASE_NUMBER_PATTERN)[1:])


@dataclass(frozen=True, slots=True)
class CaseInputs:
    """A case and the facts about other cases its page shows. Equality is "the page would come
    out the same" (tuple comparison tries identity first, so an unchanged case costs nothing)."""

    case: Case
    cited_by: tuple[str, ...]  # the cases whose public text names this one
    related: tuple[str, ...]  # the cases this one points at (CaseGraph.related)
    titles: tuple[tuple[str, str], ...]  # (number, title) of every linked case the archive holds
    linkable: frozenset[str]  # the case numbers in the text that the archive holds
    people: tuple[tuple[str, str], ...]  # (person, page URL) of the officers with a person page


def case_inputs(case: Case, ctx: Context) -> CaseInputs:
    """The inputs of `case`'s page in this archive."""
    number = case.number
    h = case.header
    cited_by = ctx.graph.cited_by.get(number, ())
    related = ctx.graph.related(case)
    linked = dict.fromkeys((*cited_by, *related, *h.merged_from))
    if h.merged_into:
        linked[h.merged_into] = None
    named = ctx.remember(f"named:{number}", case, lambda: named_numbers(case.text))
    return CaseInputs(
        case=case,
        cited_by=cited_by,
        related=related,
        titles=tuple(_titles(linked, ctx)),
        linkable=named & ctx.known,
        people=tuple((p, ctx.person_url(p)) for p in dict.fromkeys(_people(case))),
    )


def named_numbers(text: str) -> frozenset[str]:
    """Every case number the text spells, character references decoded (`&#97;20090618.3`
    renders as a case number)."""
    found = _ANY_CASE_NUMBER.findall(text)
    if "&" in text:
        found += _ANY_CASE_NUMBER.findall(html.unescape(text))
    return frozenset(found)


def _titles(numbers: Iterable[str], ctx: Context) -> Iterable[tuple[str, str]]:
    for number in numbers:
        found = ctx.by_number.get(number)
        if found is not None:
            yield number, found.header.synopsis or found.header.complaint


def _people(case: Case) -> Iterable[str]:
    for officer in case.header.officers:
        if officer.person:
            yield officer.person
