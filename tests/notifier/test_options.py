"""One definition of every send option: the click options, the kept options, the send loop's
settings and the printed words are all made from `SendOptions`, and these tests hold them to it."""

from __future__ import annotations

import dataclasses

import click
import pytest

from docket.cli import cli
from notifier.delivery.connection import parse_smtp_url
from notifier.delivery.pool import RunOptions
from notifier.options import SendOptions

NOTIFY = cli.commands["notify"]  # type: ignore[attr-defined]
CHANGED = SendOptions(
    rate="50/s", pool=2, limit=7, wait=False, resend_uncertain=False, record=True,
    retry_delay=1.5, max_attempts=2, smtp_timeout=30.0, data_timeout=60.0, pipelining=False,
    skip_sent=True, verp=False, per_domain=3, per_domain_rate="600/m", dkim_key="/keys/rsa.pem",
    dkim_selector="s2026",
    dkim_ed25519_key="/keys/ed.pem", dkim_ed25519_selector="ed2026",
)  # fmt: skip


def test_every_option_is_a_click_option_with_its_default_and_help() -> None:
    params = {p.name: p for p in NOTIFY.params}
    for name, _kind, default, spec in SendOptions.specs():
        assert name in params, f"notify has no option for {name}"
        assert params[name].default == default
        assert getattr(params[name], "help", None) == spec.help


def test_the_changed_fields_cover_every_option() -> None:
    """CHANGED must differ from the defaults everywhere, or the round trip below proves less."""
    for name, _kind, default, _spec in SendOptions.specs():
        assert getattr(CHANGED, name) != default, name


@pytest.mark.parametrize("options", [SendOptions(), CHANGED], ids=["defaults", "changed"])
def test_the_printed_words_parse_back_to_the_same_options(options: SendOptions) -> None:
    ctx = NOTIFY.make_context("notify", ["a20200102.1", *options.words()])
    parsed = SendOptions(**{name: ctx.params[name] for name, *_ in SendOptions.specs()})
    assert parsed == options


def test_kept_options_resume_as_they_were() -> None:
    kept = CHANGED.kept()
    assert set(kept) == {name for name, *_rest, spec in SendOptions.specs() if spec.kept}
    taken = SendOptions().with_kept(kept, given=frozenset({"pool"}))
    assert dataclasses.replace(SendOptions(), **taken) == dataclasses.replace(CHANGED, pool=4)


def test_a_journal_of_version_0_1_keeps_its_no_wait() -> None:
    assert SendOptions().with_kept({"no_wait": True}, given=frozenset()) == {"wait": False}
    assert SendOptions().with_kept({"no_wait": False}, given=frozenset()) == {}


def test_the_send_loop_and_the_connection_start_from_the_same_defaults() -> None:
    defaults = SendOptions()
    loop = defaults.run_options(rate=10.0)
    assert loop == RunOptions(rate=10.0)
    settings = parse_smtp_url("smtp://127.0.0.1:25")
    assert (settings.timeout, settings.data_timeout, settings.pipelining) == (
        defaults.smtp_timeout, defaults.data_timeout, defaults.pipelining,
    )  # fmt: skip
    changed = CHANGED.run_options(rate=50.0)
    assert (changed.pool, changed.limit, changed.wait, changed.resend_uncertain) == (
        2,
        7,
        False,
        False,
    )
    assert (changed.max_attempts, changed.retry_delay) == (2, 1.5)


def test_bad_values_are_refused_by_click() -> None:
    with pytest.raises(click.BadParameter):
        NOTIFY.make_context("notify", ["a20200102.1", "--pool", "0"])
