"""Reporters: one class per output format (`--format`'s words, docs/cli.md), each turning
diagnostics into text."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar

from generator.diagnostics import Diagnostic, Severity


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(diagnostics: Sequence[Diagnostic], files: int, allowed: int = 0) -> str:
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    text = (
        f"{_plural(counts[Severity.ERROR], 'error')}, "
        f"{_plural(counts[Severity.WARNING], 'warning')}"
    )
    if counts[Severity.NOTE]:
        text += f", {_plural(counts[Severity.NOTE], 'note')}"
    if allowed:
        text += f", {allowed} acknowledged"
    return f"{text} in {_plural(files, 'file')}"


class Reporter(ABC):
    name: ClassVar[str]

    @abstractmethod
    def render(
        self,
        diagnostics: Sequence[Diagnostic],
        files: int,
        allowed: Sequence[Diagnostic] = (),
        show_allowed: bool = False,
    ) -> str:
        """`allowed`: the findings the cases acknowledge; listed with `show_allowed`."""


def _line(d: Diagnostic) -> str:
    return (
        f"{d.path}:{d.line}:{d.col}: {d.code} "
        + (f"[{d.severity}] " if d.severity is not Severity.ERROR else "")
        + d.message
    )


TEXT = "text"  # for a person to read; the 0.1 name "concise" is still taken, with a warning


class TextReporter(Reporter):
    """ruff's concise shape: `path:line:col: CODE message`, then a summary line."""

    name = TEXT

    def render(
        self,
        diagnostics: Sequence[Diagnostic],
        files: int,
        allowed: Sequence[Diagnostic] = (),
        show_allowed: bool = False,
    ) -> str:
        lines = [_line(d) for d in diagnostics]
        if show_allowed:
            lines.extend(f"{_line(d)} [acknowledged: {d.allowed}]" for d in allowed)
        total = summary(diagnostics, files, len(allowed))
        if allowed and not show_allowed:
            total += " (--show-allowed lists the acknowledged)"
        lines.append(total)
        return "\n".join(lines)


class JsonReporter(Reporter):
    """A JSON array, one object per diagnostic: path, line, col, code, severity, message; the
    acknowledged ones too, marked `"allowed": true` with their `reason`."""

    name = "json"

    def render(
        self,
        diagnostics: Sequence[Diagnostic],
        files: int,
        allowed: Sequence[Diagnostic] = (),
        show_allowed: bool = False,
    ) -> str:
        every = sorted([*diagnostics, *allowed], key=Diagnostic.sort_key)
        return json.dumps([d.as_dict() for d in every], ensure_ascii=False, indent=2)


class GithubReporter(Reporter):
    """GitHub Actions workflow commands, so problems show as annotations on the diff."""

    name = "github"
    _LEVEL: ClassVar[dict[Severity, str]] = {
        Severity.ERROR: "error",
        Severity.WARNING: "warning",
        Severity.NOTE: "notice",
    }

    @staticmethod
    def _escape(text: str, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        if prop:
            text = text.replace(":", "%3A").replace(",", "%2C")
        return text

    def render(
        self,
        diagnostics: Sequence[Diagnostic],
        files: int,
        allowed: Sequence[Diagnostic] = (),
        show_allowed: bool = False,
    ) -> str:
        lines = [
            f"::{self._LEVEL[d.severity]} file={self._escape(d.path, True)},line={d.line},"
            f"col={d.col},title={d.code}::{self._escape(d.message)}"
            for d in diagnostics
        ]
        if show_allowed:
            lines.extend(
                f"::notice file={self._escape(d.path, True)},line={d.line},col={d.col},"
                f"title={d.code} (acknowledged)::{self._escape(f'{d.message} [{d.allowed}]')}"
                for d in allowed
            )
        lines.append(summary(diagnostics, files, len(allowed)))
        return "\n".join(lines)


REPORTERS: dict[str, type[Reporter]] = {
    r.name: r for r in (TextReporter, JsonReporter, GithubReporter)
}
