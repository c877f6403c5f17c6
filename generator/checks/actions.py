"""Mail actions: the files an action names exist, stay beside the case, and parse.

What only a run can find (an undefined template variable, a column the query lacks, a changed
approval digest) is checked by `docket notify --dry-run`, which has the directory at hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import jinja2

from generator.codes import diag
from generator.config import Config
from generator.diagnostics import Diagnostic
from generator.model import Case, MailAction, SectionKind
from generator.template_files import template_names


def _inside(rel: str) -> bool:
    path = PurePosixPath(rel)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in rel


def check_actions(case: Case, config: Config) -> Iterator[Diagnostic]:
    folder = Path(case.path).parent
    has_ruling = any(s.kind is SectionKind.RULING and s.body.strip() for s in case.sections)
    for index, action in enumerate(case.header.actions):
        yield from _check_action(case, folder, index, action, has_ruling)


def _check_action(
    case: Case, folder: Path, index: int, action: MailAction, has_ruling: bool
) -> Iterator[Diagnostic]:
    query_line, query_col = case.pos("actions", index, "audience", "query")
    template_line, template_col = case.pos("actions", index, "template")
    for rel, (line, col), what in (
        (action.audience.query, (query_line, query_col), "audience query"),
        (action.template, (template_line, template_col), "template"),
    ):
        if not _inside(rel):
            yield diag(
                case.path, line, col, "DK606",
                f"{what} path {rel!r} leaves the case's folder: name a file beside the case, "
                f"e.g. {case.number}/{PurePosixPath(rel).name}",
            )  # fmt: skip
    query = folder / action.audience.query
    if _inside(action.audience.query):
        if not query.is_file():
            yield diag(
                case.path, query_line, query_col, "DK601",
                f"audience query {action.audience.query} not found: create it beside the case "
                f"({query})",
            )  # fmt: skip
        elif _linked(folder, action.audience.query):
            yield diag(
                case.path, query_line, query_col, "DK606",
                f"audience query {action.audience.query} is a symbolic link: reviewers see the "
                "link, not the query it points at; put the file itself in the case's folder",
            )  # fmt: skip
        else:
            from generator.audience_sql import (  # sqlglot: only when needed
                check_audience_sql,
                query_params,
            )

            sql = query.read_text("utf-8")
            shown = str(Path(case.path).parent / action.audience.query)
            for problem in check_audience_sql(sql):
                yield diag(shown, problem.line, problem.col, "DK607", problem.message)
            missing = query_params(sql) - set(action.audience.params)
            if missing:
                line, col = case.pos("actions", index, "audience", "params")
                yield diag(
                    case.path, line, col, "DK605",
                    f"audience query uses :{', :'.join(sorted(missing))} but params gives no "
                    "value: add it to audience.params",
                )  # fmt: skip
    template = folder / action.template
    if _inside(action.template):
        if not template.is_file():
            yield diag(
                case.path, template_line, template_col, "DK602",
                f"template {action.template} not found: create it beside the case ({template})",
            )  # fmt: skip
        else:
            yield from _check_templates(case, template, PurePosixPath(action.template).parent)
    if action.approved is not None and not has_ruling:
        line, col = case.pos("actions", index, "approved")
        yield diag(
            case.path, line, col, "DK604",
            f"action {action.id} is approved but the case has no ruling: an approval carries "
            "out a ruling, so add the Ruling section first",
        )  # fmt: skip


def _check_templates(case: Case, template: Path, rel_folder: PurePosixPath) -> Iterator[Diagnostic]:
    """Syntax of every file the templates can load; symlinks and run-time names among them."""
    env = jinja2.Environment(autoescape=False)
    shown_folder = Path(case.path).parent / rel_folder
    folder = template.parent

    def read(rel: str) -> bytes | None:
        path = folder / rel
        return path.read_bytes() if path.is_file() and not _linked(folder, rel) else None

    start = sorted(p.name for p in folder.glob("*.j2"))
    names, dynamic = template_names(".", start, read)
    for name in names:
        path = folder / name
        if _linked(folder, name):
            yield diag(
                str(shown_folder / name), 1, 1, "DK606",
                "template is a symbolic link: reviewers see the link, not the text it points "
                "at; put the file itself in the case's folder",
            )  # fmt: skip
            continue
        if not path.is_file():
            continue  # an include of a missing file fails at run time, with its name
        try:
            env.parse(path.read_text("utf-8"))
        except jinja2.TemplateSyntaxError as exc:
            yield diag(
                str(shown_folder / name), exc.lineno or 1, 1, "DK603",
                f"template syntax error: {exc.message}",
            )  # fmt: skip
        except UnicodeDecodeError:
            yield diag(
                str(shown_folder / name), 1, 1, "DK603",
                "template is not valid UTF-8: re-save it as UTF-8",
            )  # fmt: skip
    for name in dynamic:
        yield diag(
            str(shown_folder / name), 1, 1, "DK603",
            "template includes a template whose name is computed when the mail is sent, "
            'which no approval can cover: name the file literally ({% include "footer.txt" %})',
        )  # fmt: skip


def _linked(folder: Path, rel: str) -> bool:
    """True when `rel` (below `folder`) is, or lies in, a symbolic link."""
    path = folder
    for piece in PurePosixPath(rel).parts:
        path = path / piece
        if path.is_symlink():
            return True
    return False
