"""Every actor in the history log must be someone the case or the configuration knows."""

from __future__ import annotations

from collections.abc import Iterator

from generator.codes import diag
from generator.config import Config
from generator.diagnostics import Diagnostic
from generator.model import Case


def check_actors(case: Case, config: Config) -> Iterator[Diagnostic]:
    known = case.known_actors(config.teams)
    for entry in case.history:
        raw = case.line(entry.line)
        for actor in entry.actors:
            if actor.lower() in known:
                continue
            offset = raw.find(actor, entry.col - 1)
            col = offset + 1 if offset >= 0 else entry.col
            yield diag(
                case.path,
                entry.line,
                col,
                "DK303",
                f"unknown actor '{actor}': use a party or officer role of this case, a team "
                "from docket.toml, or explain it in the case's 'legend'",
            )
