"""A run folder while one command works on it.

The journal is opened and locked on entry (so a second process, a purge or a fold, cannot work
beside a live run) and, for a send, Ctrl-C and SIGTERM are counted rather than raised (see
`notifier.interrupts`). On exit, whatever happened, the run's deliveries are copied into the run
registry, and everything is closed and restored in the reverse order.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from notifier.interrupts import Interrupts
from notifier.ledger.journal import Journal, JournalError
from notifier.ledger.registry import Registry


def require_journal(folder: Path) -> None:
    """For the jobs that work on an existing run: never create a run folder by mistake."""
    if not (folder / "journal.sqlite").is_file():
        raise JournalError(f"no run journal in {folder} (pass the --journal DIR of the run)")


class RunSession:
    """`with RunSession(folder) as session:` the journal, locked; `registry` and `interrupts`
    for a send."""

    def __init__(
        self, folder: Path, *, registry: Registry | None = None, count_interrupts: bool = False
    ) -> None:
        self.folder = folder
        self.registry = registry
        self.interrupts = Interrupts()
        self._count_interrupts = count_interrupts
        self._journal: Journal | None = None

    @property
    def journal(self) -> Journal:
        assert self._journal is not None, "only inside `with RunSession(...)`"
        return self._journal

    def __enter__(self) -> RunSession:
        if self._count_interrupts:
            self.interrupts.install()
        try:
            self._journal = Journal(self.folder)
            self._journal.lock()
        except BaseException:
            self._close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._close()

    def _close(self) -> None:
        try:
            if self.registry is not None and self._journal is not None:
                meta = self._journal.meta()
                this = self.registry.this_run(meta.run_id) if meta.run_id else None
                if this is not None:
                    self.registry.record_deliveries(meta.case, meta.action, this)
        finally:
            if self.registry is not None:
                self.registry.close()
            if self._journal is not None:
                self._journal.close()
            self.interrupts.restore()
