"""Read one case file into a `Case`, or into diagnostics saying exactly where it is broken.

Reading never raises for bad input: every problem becomes a diagnostic with a line.
"""

from __future__ import annotations

import re
from pathlib import Path as FsPath
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from generator.acks import has_ack_comments
from generator.codes import diag
from generator.diagnostics import Diagnostic
from generator.history import parse_history
from generator.model import Case, CaseHeader, HistoryEntry, LogGroup, SectionKind
from generator.schema_errors import describe_error
from generator.sections import split_sections
from generator.yamlsource import YamlDocument, parse_yaml

DEFAULT_MAX_BYTES = 1_000_000
_FENCE = "---"


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


def decode(data: bytes, path: str, max_bytes: int) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text with \\n line ends; None when the file cannot be read as a case file."""
    if len(data) > max_bytes:
        return None, [
            diag(
                path,
                1,
                1,
                "DK003",
                f"file is over the {max_bytes:,}-byte limit for a case "
                "file: move long material into the case's folder and link it",
            )
        ]
    nul = data.find(b"\0")
    if nul >= 0:
        line, col = _line_col(data, nul)
        return None, [
            diag(path, line, col, "DK002", "file is binary (NUL byte): a case file is UTF-8 text")
        ]
    problems: list[Diagnostic] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        problems.append(
            diag(
                path, 1, 1, "DK004", "file starts with a byte-order mark: save as UTF-8 without BOM"
            )
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        problems.append(
            diag(
                path,
                line,
                col,
                "DK001",
                f"byte 0x{data[exc.start]:02x} is not valid UTF-8: re-save the file as UTF-8",
            )
        )
        return None, problems
    if "\r" in text:
        crlf = text.find("\r")
        problems.append(
            diag(
                path,
                text.count("\n", 0, crlf) + 1,
                1,
                "DK005",
                "file uses CRLF (or CR) line ends: convert to LF (git config core.autocrlf input)",
            )
        )
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, problems


def split_front_matter(
    lines: list[str], path: str
) -> tuple[list[str] | None, int, list[Diagnostic]]:
    """Front-matter lines and the index of the first body line."""
    if not any(line.strip() for line in lines):
        return None, 0, [diag(path, 1, 1, "DK010", "file is empty: start it with 'docket new'")]
    if lines[0].rstrip() != _FENCE:
        return (
            None,
            0,
            [
                diag(
                    path,
                    1,
                    1,
                    "DK011",
                    "front matter missing: the file must start with a '---' line, the YAML "
                    "header, and another '---' line",
                )
            ],
        )
    for i in range(1, len(lines)):
        if lines[i].rstrip() in (_FENCE, "..."):
            return lines[1:i], i + 1, []
    return (
        None,
        0,
        [
            diag(
                path,
                1,
                1,
                "DK012",
                "front matter is not terminated: add a '---' line after the YAML header",
            )
        ],
    )


def _validate(doc: YamlDocument, path: str) -> tuple[CaseHeader | None, list[Diagnostic]]:
    if not isinstance(doc.data, dict):
        kind = "empty" if doc.data is None else type(doc.data).__name__
        return None, [
            diag(
                path,
                2,
                1,
                "DK014",
                f"front matter is {kind}, not a mapping: write 'key: value' lines",
            )
        ]
    try:
        return CaseHeader.model_validate(doc.data), []
    except ValidationError as exc:
        return None, [_error_diag(err, doc, path) for err in exc.errors(include_url=False)]


def _error_diag(err: ErrorDetails, doc: YamlDocument, path: str) -> Diagnostic:
    loc = tuple(err["loc"])
    described = describe_error(err, doc.data)
    if err["type"] == "extra_forbidden":
        line, col = doc.keys.get(loc) or _nearest(doc, loc)
    elif err["type"] == "missing":
        line, col = _nearest(doc, loc[:-1])
    else:
        line, col = doc.values.get(loc) or _nearest(doc, loc)
    return diag(path, line, col, described.code, described.message)


def _nearest(doc: YamlDocument, loc: tuple[Any, ...]) -> tuple[int, int]:
    while loc:
        if loc in doc.values:
            return doc.values[loc]
        loc = loc[:-1]
    return doc.values.get((), (2, 1))


_COMMENT_AFTER_VALUE = re.compile(r"[ \t]#")


def _trailing_comments(doc: YamlDocument, header_lines: list[str], path: str) -> list[Diagnostic]:
    """A plain value followed by ` #...` on its line loses that part as a YAML comment
    (`title: preliminary order (ruling) #1`): warn, so that nothing is cut off unannounced."""
    found: list[Diagnostic] = []
    for key, (line, col) in doc.values.items():
        if not key or line - 2 >= len(header_lines):
            continue
        value = _value_at(doc.data, key)
        if isinstance(value, dict | list) or value is None:
            continue
        raw = header_lines[line - 2]
        rest = raw[col - 1 :]
        if not rest or rest[0] in "\"'|>[{":
            continue
        match = _COMMENT_AFTER_VALUE.search(rest)
        if match is None:
            continue
        comment = rest[match.start() + 1 :].rstrip()
        found.append(
            diag(
                path,
                line,
                col + match.start() + 1,
                "DK018",
                f"'{comment}' after the value of '{key[-1]}' is read as a YAML comment and "
                "dropped: quote the value to keep it (or move the comment to its own line)",
            )
        )
    return found


def _value_at(data: Any, key: tuple[Any, ...]) -> Any:
    for part in key:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def load_text(text: str, path: str) -> tuple[Case | None, list[Diagnostic]]:
    lines = text.split("\n")
    header_lines, body_index, problems = split_front_matter(lines, path)
    if header_lines is None:
        return None, problems
    header_text = "\n".join(header_lines)
    doc = parse_yaml(header_text, first_line=2)
    problems.extend(diag(path, p.line, p.col, p.code, p.message) for p in doc.problems)
    if any(p.code == "DK013" for p in doc.problems):
        return None, problems
    header, errors = _validate(doc, path)
    problems.extend(errors)
    if "#" in header_text:
        problems.extend(_trailing_comments(doc, header_lines, path))
    body = split_sections(
        lines[body_index:], first_line=body_index + 1, ack_comments=has_ack_comments(text)
    )
    history: list[HistoryEntry] = []
    groups: list[LogGroup] = []
    for section in body.sections:
        if section.kind is SectionKind.HISTORY:
            log = parse_history(section, first_group=len(groups))
            history.extend(log.entries)
            groups.extend(log.groups)
            problems.extend(diag(path, p.line, p.col, p.code, p.message) for p in log.problems)
    if header is None:
        return None, problems
    positions = dict(doc.values)
    for key, value in doc.keys.items():
        positions.setdefault((*key, "__key__"), value)
    case = Case(
        path=path,
        header=header,
        sections=body.sections,
        history=history,
        log_groups=groups or [LogGroup(None, 0)],
        positions=positions,
        body_line=body.intro_line,
        intro=body.intro,
        text=text,
        lines=lines,
    )
    return case, problems


def load_case(
    path: FsPath, display_path: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[Case | None, list[Diagnostic]]:
    shown = display_path or str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return None, [diag(shown, 1, 1, "DK006", f"cannot read the file: {exc.strerror}")]
    text, problems = decode(data, shown, max_bytes)
    if text is None:
        return None, problems
    case, more = load_text(text, shown)
    return case, problems + more
