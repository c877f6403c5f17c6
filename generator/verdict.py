"""Report a check's findings and say whether they stop the caller: written once for `docket
check`, `docket export` and the site plugin, which only turn the verdict into their own failure
(an exit status, one `Error:` line, the plugin's build error)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from generator.collection import Collection
from generator.diagnostics import Severity
from generator.report import REPORTERS, TEXT


@dataclass(frozen=True)
class Verdict:
    report: str  # what was printed; "" when nothing was
    errors: int
    warnings: int
    failed: bool  # errors, or warnings too when strict


def judge(
    collection: Collection,
    out: TextIO,
    *,
    output_format: str = TEXT,
    strict: bool = False,
    show_allowed: bool = False,
    quiet: bool = False,
) -> Verdict:
    """Print the findings to `out` in `output_format` and judge them.

    `quiet` is for a check before a build (export, the plugin): print only when something was
    found, and leave the acknowledged findings out (`docket check` lists and counts them)."""
    found = collection.diagnostics
    errors = sum(d.severity is Severity.ERROR for d in found)
    warnings = sum(d.severity is Severity.WARNING for d in found)
    report = ""
    if found or not quiet:
        allowed = () if quiet else collection.allowed
        reporter = REPORTERS[output_format]()
        report = reporter.render(found, collection.files, allowed, show_allowed)
        out.write(report + "\n")
        out.flush()
    return Verdict(report, errors, warnings, bool(errors or (strict and warnings)))
