"""Rules the checker and the importer or the notifier must apply alike are written once.

Two copies drift: `docket check` would pass a query the notifier then refuses to bind, or the
importer would call a ruling final that the checker calls intermediate. Each pattern below is
the text of one rule; it must appear in exactly one module of generator/, notifier/, docket/.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT

RULES = {
    # generator/sections.py NOT_FINAL_RULING_KINDS: the checker's and the importer's final ruling
    "rulings that are not final": r'"intermediate",\s*"interim",\s*"preliminary"',
    # generator/model.py OPEN_STATUSES: the open-cases index, DK1xx, the importer's dates
    "open statuses": r'\(\s*"init",\s*"running",\s*"execution"\s*\)',
    # generator/audience_sql.py: DK605 and the notifier's binding read the same placeholders
    "audience :param placeholder": r"\(\?<!\[:\\w\]\):",
    # generator/wiki/markup.py WIKI_LINK: converted links and the private-part link finder
    "wiki [[link]]": r"\\\[\\\[\(\?P<target>",
    # notifier/ledger/record.py record_outcome: after a send and after folding bounces alike
    "recording an outcome in the case file": r"append_execution_line\(",
    # generator/verdict.py judge: check, export and the site plugin print and judge alike
    "printing a check's findings": r"REPORTERS\[|Reporter\(\)\.render\(",
}
SOURCES = sorted(
    p for folder in ("generator", "notifier", "docket") for p in (ROOT / folder).rglob("*.py")
)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_rule_is_written_once(rule: str) -> None:
    pattern = re.compile(RULES[rule])
    holders = [str(p.relative_to(ROOT)) for p in SOURCES if pattern.search(p.read_text("utf-8"))]
    assert len(holders) == 1, f"{rule} is written in {holders}: keep one and import it"
