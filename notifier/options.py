"""Every option of a send run, defined once.

The click options of `docket notify`, the options a run keeps in its journal for a resume, the
delivery settings and the printed resume command are all made from `SendOptions`, so they cannot
drift apart: there is no table of names to keep in step. The defaults themselves belong to the
stage that uses them (the send loop, the SMTP connection) and are read from there.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from notifier.delivery.settings import COMMAND_TIMEOUT, DATA_TIMEOUT, RunOptions

_LOOP = RunOptions(rate=0.0)  # the send loop's defaults (its rate comes from the action)


@dataclass(frozen=True)
class Spec:
    """How one option looks on the command line; a bool is a `--name/--no-name` pair."""

    help: str
    kept: bool = True  # kept in the journal: a resume sends as the run before it did
    metavar: str | None = None
    minimum: float | None = None
    maximum: float | None = None


def _option(default: Any, help: str, **spec: Any) -> Any:
    return field(default=default, metadata={"spec": Spec(help, **spec)})


@dataclass(frozen=True)
class SendOptions:
    """How a run sends; a field per option, its default and its help."""

    rate: str | None = _option(
        None, "Override the action's rate for this run: N/s, N/m, N/h; 0 = none.", metavar="N/s"
    )
    pool: int = _option(_LOOP.pool, "SMTP connections.", minimum=1, maximum=64)
    limit: int | None = _option(
        None,
        "Send at most N new messages this run (0: no limit, lifting a resumed run's).",
        minimum=0,
    )
    wait: bool = _option(
        _LOOP.wait, "Wait for deferred recipients (--no-wait: end when only they remain)."
    )
    resend_uncertain: bool = _option(
        _LOOP.resend_uncertain,
        "Resend what a crash left in flight (--no-resend-uncertain: at-most-once).",
    )
    record: bool = _option(False, "Append the outcome to the case's Execution section.")
    retry_delay: float = _option(
        _LOOP.retry_delay,
        "Seconds before the first retry of a 4xx; doubles per attempt.",
        minimum=0,
    )
    max_attempts: int = _option(_LOOP.max_attempts, "Attempts per recipient.", minimum=1)
    smtp_timeout: float = _option(
        COMMAND_TIMEOUT, "Seconds to wait for a reply (RFC 5321: 5 minutes).", minimum=0.1
    )
    data_timeout: float = _option(
        DATA_TIMEOUT, "Seconds to wait for the reply to the final dot (RFC 5321: 10 min).",
        minimum=0.1,
    )  # fmt: skip
    pipelining: bool = _option(
        True, "Use PIPELINING where offered (--no-pipelining: wait for each reply)."
    )
    skip_sent: bool = _option(False, "Skip whoever an earlier run of the action already sent to.")
    verp: bool = _option(
        True,
        "A per-recipient return path (--no-verp: one for all, for relays that refuse VERP).",
    )
    per_domain: int | None = _option(
        None,
        "At most N messages handed to the relays for one receiving domain at once.",
        minimum=1,
    )
    per_domain_rate: str | None = _option(
        None,
        "At most N messages for one receiving domain a minute (N/s, N/m, N/h), evenly spaced; "
        "the others wait in the journal for their turn.",
        metavar="N/m",
    )
    dkim_key: str | None = _option(
        None,
        "Sign with this RSA private key (PEM, not readable by others), for relays that do not "
        "sign; d= is the From domain.",
        metavar="PEM",
    )
    dkim_selector: str | None = _option(None, "The selector of --dkim-key (s=).", metavar="S")
    dkim_ed25519_key: str | None = _option(
        None,
        "Add a second signature with this Ed25519 key (RFC 8463; some relays refuse two).",
        metavar="PEM",
    )
    dkim_ed25519_selector: str | None = _option(
        None, "The selector of --dkim-ed25519-key.", metavar="S"
    )

    # -- the model's own description ---------------------------------------------------------

    @classmethod
    def specs(cls) -> Iterator[tuple[str, type, Any, Spec]]:
        """(name, value type, default, spec) of every option, in declaration order."""
        hints = typing.get_type_hints(cls)
        for item in dataclasses.fields(cls):
            yield item.name, _base_type(hints[item.name]), item.default, item.metadata["spec"]

    # -- what is made from it -------------------------------------------------------------------

    def kept(self) -> dict[str, Any]:
        """The values a run keeps in its journal."""
        return {name: getattr(self, name) for name, _t, _d, spec in self.specs() if spec.kept}

    def with_kept(self, stored: dict[str, Any], given: frozenset[str]) -> dict[str, Any]:
        """The kept values of an earlier run that this command line does not override and that
        differ from this command's: what a resume takes over."""
        stored = _upgrade(stored)
        return {
            name: stored[name]
            for name, _t, _d, spec in self.specs()
            if spec.kept and name in stored and name not in given
            if stored[name] != getattr(self, name)
        }

    def words(self, values: dict[str, Any] | None = None) -> list[str]:
        """Command-line words for the options (or `values`) that differ from the defaults."""
        words: list[str] = []
        for name, kind, default, _spec in self.specs():
            value = getattr(self, name) if values is None else values.get(name, default)
            if value == default:
                continue
            flag = "--" + name.replace("_", "-")
            if kind is bool:
                words.append(flag if value else "--no-" + flag[2:])
            elif value is not None:
                words += [flag, f"{value:g}" if isinstance(value, float) else str(value)]
        return words

    def run_options(self, rate: float, per_domain_rate: float = 0.0) -> RunOptions:
        """The send loop's settings; `rate` is the action's or this run's, parsed, as is
        `per_domain_rate` (messages a second)."""
        return RunOptions(
            pool=self.pool,
            rate=rate,
            limit=self.limit,
            wait=self.wait,
            resend_uncertain=self.resend_uncertain,
            max_attempts=self.max_attempts,
            retry_delay=self.retry_delay,
            per_domain=self.per_domain,
            per_domain_rate=per_domain_rate,
        )


# Journals of version 0.1 kept `no_wait`; read it as `wait`. Drop with the 0.1 spellings.
_LEGACY_KEPT: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "no_wait": ("wait", lambda value: not value)
}


def _upgrade(stored: dict[str, Any]) -> dict[str, Any]:
    upgraded = dict(stored)
    for old, (new, convert) in _LEGACY_KEPT.items():
        if old in upgraded:
            upgraded.setdefault(new, convert(upgraded.pop(old)))
    return upgraded


def _base_type(hint: Any) -> type:
    """int for `int | None`, and so on."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    base = args[0] if args else hint
    assert isinstance(base, type)
    return base
