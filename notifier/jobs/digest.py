"""`docket digest CASE`: the approval digest of a mail action, with one hash per part, to put in
the case file's `approved:` once the arbitrator has approved exactly this."""

from __future__ import annotations

from notifier.request import Console, Target


def digest(target: Target, console: Console) -> int:
    resolved = target.resolve()
    console.echo(resolved.digest)
    for part in resolved.parts:
        console.echo(f"  {part.sha256[:16]}  {part.name}")
    return 0
