"""What a critical asked for, typed: which action and run folder, which directory and relay, how
to send, and how to talk to them. Every job takes these; none reads the command line itself."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from notifier.approval.action import ResolvedAction, resolve
from notifier.audience.directory import without_password
from notifier.ledger.registry import runs_root
from notifier.options import SendOptions

# exit statuses beyond 0 (done) and 1 (bad input, or an error stopped the run)
EXIT_FAILED = 1
EXIT_PAUSED = 3
EXIT_DECLINED = 4
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class Console:
    """How a job talks to the person: print a line, ask yes/no (only when `interactive`)."""

    echo: Callable[[str], None]
    confirm: Callable[[str], bool]
    interactive: bool  # a terminal to ask on; without one, nothing is asked and --yes decides


@dataclass(frozen=True)
class Target:
    """The action a job is about, and its run folder."""

    case: str
    cases_dir: Path
    action_id: str | None = None
    journal_dir: Path | None = None

    def resolve(self) -> ResolvedAction:
        return resolve(self.case, self.cases_dir, self.action_id)

    def folder(self, resolved: ResolvedAction) -> Path:
        """--journal DIR, else outside the repository: $XDG_STATE_HOME/docket/runs/CASE/ACTION."""
        return self.journal_dir or runs_root() / resolved.case / resolved.action.id


@dataclass(frozen=True)
class Endpoints:
    """The member directory and the relay; their passwords come from the environment only."""

    directory: str | None = None
    smtp: tuple[str, ...] = ()  # relays; none: DOCKET_SMTP
    directory_from_env: bool = False  # the URL came from DOCKET_DIRECTORY: a resume leaves it there


@dataclass(frozen=True)
class SendRequest:
    """`docket notify CASE ...`: everything a send (or its preview) needs."""

    target: Target
    endpoints: Endpoints = field(default_factory=Endpoints)
    options: SendOptions = field(default_factory=SendOptions)
    given: frozenset[str] = field(default_factory=frozenset)  # options typed on this command line
    yes: bool = False
    new_run: bool = False
    reason: str | None = None
    requeue_failed: str | None = None  # a reply pattern; "" re-queues every failed recipient
    flagged: tuple[str, ...] = ()  # docket.toml [notify] flagged: for the preflight

    def resume_command(self, action_id: str, folder: Path) -> str:
        """The command that carries on this run, runnable as printed, with every option that
        changes how it sends; it never holds a password.

        A directory taken from DOCKET_DIRECTORY is left to the environment; a password in a
        command-line URL is left out, to come from DOCKET_DIRECTORY_PASSWORD.
        """
        words = ["notify", self.target.case, "--action", action_id, "--journal", str(folder)]
        directory = self.endpoints.directory
        if directory and not self.endpoints.directory_from_env:
            words += ["--directory", without_password(directory)]
        for url in self.endpoints.smtp:
            words += ["--smtp", url]
        words += self.options.words()
        words += ["--cases", str(self.target.cases_dir), "--yes"]
        return "docket " + shlex.join(words)
