"""Which case mentions which: "cited by" and "related" come from public text only.

A mention inside a private section must not surface as a backlink (that would tell the world
what the private part talks about), so only public sections, the log and the header count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from generator.model import Case, case_sort_key
from generator.references import CASE_REF_RE


def public_text(case: Case) -> str:
    """All text of a case that may be published, for reference scanning."""
    parts = [case.intro] + [s.body for s in case.public_sections]
    parts.extend(entry.text for entry in case.history)
    return "\n".join(parts)


@dataclass(frozen=True)
class CaseGraph:
    mentions: dict[str, frozenset[str]]
    cited_by: dict[str, tuple[str, ...]]
    _related: dict[int, tuple[Case, tuple[str, ...]]] = field(default_factory=dict)

    def related(self, case: Case) -> tuple[str, ...]:
        """Cases this one points at: listed refs, merges and mentions in its public text."""
        hit = self._related.get(id(case))
        if hit is None or hit[0] is not case:
            hit = (case, self._related_to(case))
            self._related[id(case)] = hit
        return hit[1]

    def _related_to(self, case: Case) -> tuple[str, ...]:
        header = case.header
        found = set(self.mentions.get(case.number, ())) | set(header.refs.cases)
        found.update(header.merged_from)
        if header.merged_into:
            found.add(header.merged_into)
        found.discard(case.number)
        return tuple(sorted(found, key=case_sort_key))


def mentioned(case: Case) -> frozenset[str]:
    """The case numbers that the public text of `case` names, but its own."""
    found = {m.group(0) for m in CASE_REF_RE.finditer(public_text(case))}
    found.update(case.header.refs.cases)
    found.discard(case.number)
    return frozenset(found)


Remember = Callable[[str, Any, Callable[[], frozenset[str]]], frozenset[str]]


def build_graph(cases: list[Case], remember: Remember | None = None) -> CaseGraph:
    """Who mentions whom; `remember` (Context.remember) reuses the last build's scans."""
    known = {case.number for case in cases}
    mentions: dict[str, frozenset[str]] = {}
    cited: defaultdict[str, set[str]] = defaultdict(set)
    for case in cases:
        if remember is None:
            found = mentioned(case)
        else:
            found = remember(f"mentions:{case.number}", case, partial(mentioned, case))
        mentions[case.number] = found
        for target in found & known:
            cited[target].add(case.number)
    return CaseGraph(
        mentions=mentions,
        cited_by={k: tuple(sorted(v, key=case_sort_key)) for k, v in cited.items()},
    )
