"""What must not be published: personal e-mail addresses, and any Private Part text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.codes import diag
from generator.config import Config
from generator.diagnostics import Diagnostic, Severity
from generator.model import Case, Section, SectionKind
from generator.references import EMAIL_RE
from generator.sections import EOT_PRIVATE_RE

_POINTER_RE = re.compile(
    r"\]\(|https?://|<https?://|\bpriv/a\d{8}\.\d+|^link to\b|\baccess for\b|^eot private part"
    r"|^arbitration case a\d{8}\.\d+ ?\(private part\)$",
    re.IGNORECASE,
)


def _public_strings(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[Any, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if path == () and key == "actions":
                continue  # sender and return path are operational, not published text
            yield from _public_strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _public_strings(item, (*path, i))


def check_emails(case: Case, config: Config) -> Iterator[Diagnostic]:
    if "@" not in case.text:
        return
    header = case.header.model_dump(by_alias=True, exclude_defaults=True)
    for path, text in _public_strings(header, ()):
        for match in EMAIL_RE.finditer(text):
            if config.email_allowed(match[1]):
                continue
            line, col = case.pos(*path)
            yield _email(case, line, col, match[0])
    for section in case.public_sections:
        yield from _emails_in(case, section.body, section.body_line, config)
    yield from _emails_in(case, case.intro, case.body_line, config)


def _emails_in(case: Case, body: str, first: int, config: Config) -> Iterator[Diagnostic]:
    if "@" not in body:
        return
    for offset in range(body.count("\n") + 1):
        line = case.line(first + offset)
        for match in EMAIL_RE.finditer(line):
            if not config.email_allowed(match[1]):
                yield _email(case, first + offset, match.start() + 1, match[0])


def _email(case: Case, line: int, col: int, address: str) -> Diagnostic:
    return diag(
        case.path,
        line,
        col,
        "DK501",
        f"e-mail address '{address}' in public text: anonymise it ('<email anonymized>') or "
        "allow its domain in docket.toml [checks] allowed_email_domains",
    )


def _private_lines(section: Section) -> Iterator[tuple[int, str]]:
    for offset, line in enumerate(section.body.split("\n")):
        if line.strip():
            yield section.body_line + offset, line.strip()


def check_private_part(case: Case, config: Config) -> Iterator[Diagnostic]:
    severity = Severity.ERROR if config.private_text == "error" else Severity.NOTE
    for section in case.sections:
        if section.kind is SectionKind.EOT:
            yield from _after_marker(case, section)
            continue
        if not section.private:
            continue
        for line, text in _private_lines(section):
            if _POINTER_RE.search(text) or EOT_PRIVATE_RE.match(text):
                continue
            yield diag(
                case.path,
                line,
                1,
                "DK502",
                f"text in '{section.title}' beyond a pointer: keep private text out of this "
                "repository and link to where it lives (it is never published either way)",
                severity,
            )


def _after_marker(case: Case, section: Section) -> Iterator[Diagnostic]:
    """Text between a level-2 end-of-private marker and the next heading is not published (it
    might still be private): say so, once, at its first line."""
    for line, _text in _private_lines(section):
        yield diag(
            case.path, line, 1, "DK504",
            f"text after '{section.title}' is not published: start it with a heading "
            "('## Discovery', ...) to publish it, or move it into the private part",
        )  # fmt: skip
        return
