"""The catalogue of diagnostic codes: stable, each documented in docs/checks.md.

DK0xx reading the file, DK1xx front matter, DK2xx across files, DK3xx history log,
DK4xx sections, placeholders and markup, DK5xx privacy, DK6xx mail actions, DK7xx
acknowledgements (`<!-- docket: allow CODE reason -->`, front-matter `allow:`).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.diagnostics import Diagnostic, Severity

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    title: str


_TABLE: list[tuple[str, Severity, str]] = [
    ("DK001", E, "file is not valid UTF-8"),
    ("DK002", E, "file is binary"),
    ("DK003", E, "file is too large"),
    ("DK004", W, "file starts with a byte-order mark"),
    ("DK005", W, "file uses CRLF line ends"),
    ("DK006", E, "file cannot be read"),
    ("DK010", E, "file is empty"),
    ("DK011", E, "front matter missing"),
    ("DK012", E, "front matter not terminated"),
    ("DK013", E, "YAML syntax error"),
    ("DK014", E, "front matter is not a mapping"),
    ("DK015", E, "YAML anchors and aliases are not allowed"),
    ("DK016", E, "duplicate key"),
    ("DK017", E, "YAML tag not allowed"),
    ("DK018", W, "YAML comment directly after a value"),
    ("DK101", E, "unknown field"),
    ("DK102", E, "missing required field"),
    ("DK103", E, "wrong type or format"),
    ("DK104", E, "dates out of order"),
    ("DK105", E, "invalid case number"),
    ("DK106", E, "invalid date"),
    ("DK107", E, "invalid status"),
    ("DK108", E, "invalid role code"),
    ("DK109", W, "status word as written on the wiki"),
    ("DK110", E, "file name does not match the case number"),
    ("DK111", E, "folder year does not match the case number"),
    ("DK120", E, "status contradicts the closing date"),
    ("DK121", E, "ruling date without a Ruling section"),
    ("DK122", E, "status needs a ruling"),
    ("DK123", E, "status needs a start date"),
    ("DK124", W, "running case without a case manager or arbitrator"),
    ("DK125", E, "duplicate party or officer role"),
    ("DK126", W, "current case with facts not on the record"),
    ("DK127", W, "ruling without a section"),
    ("DK128", E, "rulings disagree with 'ruled'"),
    ("DK129", E, "party without a side, or a side that contradicts its role"),
    ("DK130", W, "officer spelt as another person's alias without 'account'"),
    ("DK201", E, "duplicate case number"),
    ("DK202", W, "reference to an unknown case"),
    ("DK301", E, "history log out of order"),
    ("DK302", E, "line is not a history log entry"),
    ("DK303", E, "unknown actor"),
    ("DK304", E, "invalid date in the history log"),
    ("DK305", E, "History Log section missing"),
    ("DK306", W, "sub-log of a case that is not merged"),
    ("DK401", E, "template placeholder left in"),
    ("DK402", W, "duplicate section"),
    ("DK403", W, "markup the archive removes"),
    ("DK404", W, "attribute not allowed in an attribute list"),
    ("DK501", E, "e-mail address in public text"),
    ("DK502", E, "text in the Private Part beyond a pointer"),
    ("DK503", W, "markup that would run a script in public text"),
    ("DK504", W, "text after the end-of-private marker is not published"),
    ("DK601", E, "audience query file missing"),
    ("DK602", E, "template file missing"),
    ("DK603", E, "template syntax error"),
    ("DK604", E, "approval on a case without a ruling"),
    ("DK605", E, "query parameter without a value"),
    ("DK606", E, "action file outside the case's folder"),
    ("DK607", E, "audience query is not exactly one SELECT statement"),
    ("DK701", W, "acknowledgement that suppresses nothing"),
    ("DK702", E, "acknowledgement without a reason"),
]

CODES: dict[str, Code] = {code: Code(code, sev, title) for code, sev, title in _TABLE}


def diag(
    path: str, line: int, col: int, code: str, message: str, severity: Severity | None = None
) -> Diagnostic:
    """A diagnostic whose severity comes from the catalogue unless given."""
    return Diagnostic(path, line, col, code, message, severity or CODES[code].severity)
