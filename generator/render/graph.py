"""Which case mentions which: "cited by" and "related" come from public text only.

A mention inside a private section must not surface as a backlink (that would tell the world
what the private part talks about), so only public sections, the log and the header count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

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

    def related(self, case: Case) -> tuple[str, ...]:
        """Cases this one points at: listed refs, merges and mentions in its public text."""
        header = case.header
        found = set(self.mentions.get(case.number, ())) | set(header.refs.cases)
        found.update(header.merged_from)
        if header.merged_into:
            found.add(header.merged_into)
        found.discard(case.number)
        return tuple(sorted(found, key=case_sort_key))


def build_graph(cases: list[Case]) -> CaseGraph:
    known = {case.number for case in cases}
    mentions: dict[str, frozenset[str]] = {}
    cited: defaultdict[str, set[str]] = defaultdict(set)
    for case in cases:
        found = {m.group(0) for m in CASE_REF_RE.finditer(public_text(case))}
        found.update(case.header.refs.cases)
        found.discard(case.number)
        mentions[case.number] = frozenset(found)
        for target in found & known:
            cited[target].add(case.number)
    return CaseGraph(
        mentions=mentions,
        cited_by={k: tuple(sorted(v, key=case_sort_key)) for k, v in cited.items()},
    )
