"""What a case page shows besides its own file and the site's settings, gathered from the whole
archive into one value: `render_case` is given this and nothing else of the archive, and the dev
server keeps each page under it as the key. So a page cannot depend on a fact its key does not
hold: equal inputs give an equal page, and a save renders again only the pages whose inputs
changed (the settings are the key of the render as a whole, `Memo.begin`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from generator.model import Case
from generator.render.context import Context

# A case number anywhere, even inside a word: a superset of the numbers the Linker can meet in
# the page's text once Markdown and the sanitiser have run (`_a20090618.3_` is emphasis there).
# Found from its "." (rare in text), the "a" and eight digits before it in a look-behind: two
# to three times faster than from the "a" (common), the same numbers (tests/generator/render/
# test_case_inputs.py compares them). A match starts at the ".", 9 characters into the number.
_CASE_NUMBER_TAIL = re.compile(r"\.(?<=a\d{8}\.)\d+")
_BEFORE_DOT = 9


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
    """The inputs of `case`'s page in this archive. (Made for every case after every save: the
    facts that depend on the case alone are remembered with it, the rest is lookups.)"""
    number = case.number
    h = case.header
    cited_by = ctx.graph.cited_by.get(number, ())
    related = ctx.graph.related(case)
    merged_into = (h.merged_into,) if h.merged_into else ()
    linked = (*cited_by, *related, *h.merged_from, *merged_into)
    by_number = ctx.by_number
    titles = tuple((n, _title(by_number[n])) for n in dict.fromkeys(linked) if n in by_number)
    own = ctx.remember(f"own:{number}", case, partial(_own_facts, case, ctx.person_url))
    return CaseInputs(case, cited_by, related, titles, own.named & ctx.known, own.people)


@dataclass(frozen=True, slots=True)
class _OwnFacts:
    """What the inputs take from the case alone: the numbers it names, its officers' pages."""

    named: frozenset[str]
    people: tuple[tuple[str, str], ...]


def _own_facts(case: Case, person_url: Callable[[str], str]) -> _OwnFacts:
    persons = dict.fromkeys(o.person for o in case.header.officers)
    people = tuple((p, person_url(p)) for p in persons if p)
    return _OwnFacts(named_numbers(case.text), people)


def named_numbers(text: str) -> frozenset[str]:
    """Every case number the text spells, character references decoded (`&#97;20090618.3`
    renders as a case number)."""
    found = _scan(text)
    if "&" in text:
        found.update(_scan(html.unescape(text)))
    return frozenset(found)


def _scan(text: str) -> set[str]:
    return {text[m.start() - _BEFORE_DOT : m.end()] for m in _CASE_NUMBER_TAIL.finditer(text)}


def _title(case: Case) -> str:
    return case.header.synopsis or case.header.complaint
