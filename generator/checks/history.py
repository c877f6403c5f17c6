"""Every actor in the history log must be someone the case or the configuration knows; a
merged case's sub-log names a case that was merged (its actors are that case's, so an unknown
one there is only a warning)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.codes import diag
from generator.config import Config
from generator.diagnostics import Diagnostic, Severity
from generator.model import Case


def check_actors(case: Case, config: Config) -> Iterator[Diagnostic]:
    known = case.known_actors(config.teams)
    groups = case.log_groups
    for entry in case.history:
        raw = case.line(entry.line)
        for actor in entry.actors:
            if actor.lower() in known:
                continue
            offset = raw.find(actor, entry.col - 1)
            col = offset + 1 if offset >= 0 else entry.col
            sublog = groups[entry.group].sublog if entry.group < len(groups) else None
            if sublog is not None:
                yield diag(
                    case.path, entry.line, col, "DK303",
                    f"unknown actor '{actor}' in the log from case {sublog}: if it is that "
                    "case's party or officer, explain the code in this case's 'legend'",
                    Severity.WARNING,
                )  # fmt: skip
                continue
            yield diag(
                case.path,
                entry.line,
                col,
                "DK303",
                f"unknown actor '{actor}': use a party or officer role of this case, a team "
                "from docket.toml, or explain it in the case's 'legend'",
            )


def check_sublogs(case: Case, config: Config) -> Iterator[Diagnostic]:
    merged = set(case.header.merged_from)
    for group in case.log_groups:
        if group.sublog is not None and group.sublog not in merged:
            yield diag(
                case.path, group.line, 1, "DK306",
                f"the log of case {group.sublog} is kept here but {group.sublog} is not in "
                f"'merged_from': add it there (merged_from: [{group.sublog}])",
            )  # fmt: skip
