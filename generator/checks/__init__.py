"""Checks over parsed cases. Each area is a module; each check yields diagnostics, never raises.

Per-case checks see one case (and run in worker processes); cross checks see all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from generator.checks import (
    actions,
    crossfile,
    header,
    history,
    markup,
    people,
    privacy,
    scripts,
    sections,
)
from generator.config import Config
from generator.diagnostics import Diagnostic
from generator.model import Case

CaseCheck = Callable[[Case, Config], Iterable[Diagnostic]]
CrossCheck = Callable[[list[crossfile.CaseSummary], Config], Iterable[Diagnostic]]

CASE_CHECKS: list[CaseCheck] = [
    header.check_location,
    header.check_dates,
    header.check_status,
    header.check_roles,
    header.check_rulings,
    people.check_people,
    history.check_actors,
    history.check_sublogs,
    sections.check_sections,
    sections.check_placeholders,
    markup.check_markup,
    privacy.check_emails,
    privacy.check_private_part,
    scripts.check_scripts,
    actions.check_actions,
]

CROSS_CHECKS: list[CrossCheck] = [
    crossfile.check_duplicates,
    crossfile.check_references,
]


def run_case_checks(case: Case, config: Config) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for check in CASE_CHECKS:
        found.extend(check(case, config))
    return found
