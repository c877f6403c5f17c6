"""A diagnostic (generator/diagnostics.py): ordered by place, shown as a dict with its reason
only when a case acknowledges it."""

from __future__ import annotations

from generator.diagnostics import Diagnostic, Severity


def test_diagnostics_sort_by_file_line_column_code() -> None:
    found = [
        Diagnostic("b.md", 1, 1, "DK001", "", Severity.ERROR),
        Diagnostic("a.md", 9, 1, "DK005", "", Severity.WARNING),
        Diagnostic("a.md", 2, 7, "DK202", "", Severity.ERROR),
        Diagnostic("a.md", 2, 7, "DK107", "", Severity.ERROR),
    ]
    ordered = sorted(found, key=Diagnostic.sort_key)
    assert [(d.path, d.line, d.code) for d in ordered] == [
        ("a.md", 2, "DK107"), ("a.md", 2, "DK202"), ("a.md", 9, "DK005"), ("b.md", 1, "DK001"),
    ]  # fmt: skip


def test_as_dict_names_the_reason_only_when_acknowledged() -> None:
    plain = Diagnostic("a.md", 3, 9, "DK124", "no case manager", Severity.WARNING)
    assert plain.as_dict() == {"path": "a.md", "line": 3, "col": 9, "code": "DK124",
                               "severity": "warning", "message": "no case manager"}  # fmt: skip
    allowed = Diagnostic("a.md", 3, 9, "DK124", "no case manager", Severity.WARNING, "wiki page")
    assert allowed.as_dict() == {**plain.as_dict(), "allowed": True, "reason": "wiki page"}
