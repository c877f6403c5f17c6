"""A diagnostic: one problem at one place in one file, the unit every check reports."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    line: int
    col: int
    code: str
    message: str
    severity: Severity
    # the reason, when the case acknowledges this finding (`allow`): then it is not counted
    allowed: str | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.code)

    def as_dict(self) -> dict[str, str | int | bool]:
        shown: dict[str, str | int | bool] = {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
        }
        if self.allowed is not None:
            shown["allowed"] = True
            shown["reason"] = self.allowed
        return shown
