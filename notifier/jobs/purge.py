"""`docket runs purge CASE`: remove the personal data of a finished run, after saying what goes
and asking (or `--yes`). The run's lock is held from the counting to the end, so nothing can
start in between, and a live run makes it refuse."""

from __future__ import annotations

from notifier.ledger.registry import Registry
from notifier.ledger.retention import purge, purge_plan
from notifier.request import EXIT_DECLINED, Console, Target
from notifier.session import RunSession, require_journal


def purge_run(target: Target, yes: bool, console: Console) -> int:
    folder = target.folder(target.resolve())
    require_journal(folder)
    with RunSession(folder) as session:
        plan = purge_plan(session.journal)
        console.echo(plan.describe())
        if not yes:
            if not console.interactive:
                console.echo(
                    "not purged: no terminal to ask on; pass --yes to purge without asking"
                )
                return EXIT_DECLINED
            if not console.confirm("Purge the personal data of this run?"):
                console.echo("nothing purged")
                return EXIT_DECLINED
        for line in purge(session.journal):
            console.echo(line)
        run_id = session.journal.meta().run_id
    if run_id:  # its recipient hashes leave the registry too (the run stays listed)
        registry = Registry()
        try:
            registry.forget_deliveries(run_id)
        finally:
            registry.close()
    return 0
