"""The steps the notify jobs share (notifier/steps.py), called directly on the fixture action
(tests/fixtures/notify/) and a small SQLite directory: everything that can refuse does so before
a row is read, the snapshot is taken once, samples and the dry run render what a run would."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest

from notifier.approval.action import ResolvedAction, resolve
from notifier.audience.directory import DirectoryError, directory_url
from notifier.ledger.journal import Journal, State
from notifier.message.compose import Composer
from notifier.steps import (
    bounce_counts,
    dry_run,
    languages,
    load_templates,
    make_composer,
    open_directory,
    samples,
    scratch_journal,
    show_message,
    snapshot,
    verp_envelopes,
)
from tests.notifier.conftest import CASE, make_directory

MEMBERS = [
    ("anna@example.org", "Anna", "Ahrens", "de_DE"),
    ("ben@example.org", "Ben", "Brandt", ""),  # no language: the default text
    ("chloe@example.org", "Chloé", "Colin", "fr"),
    ("dirk@example.org", "Dirk", "Dorn", "de"),
]


@pytest.fixture
def resolved(cases: Path) -> ResolvedAction:
    return resolve(CASE, cases, None)


@pytest.fixture
def directory(tmp_path: Path) -> str:
    return directory_url(str(make_directory(tmp_path / "members.sqlite", MEMBERS)))


@pytest.fixture
def journal(tmp_path: Path, resolved: ResolvedAction, directory: str) -> Journal:
    journal = Journal(tmp_path / "run")
    journal.bind(CASE, resolved.action.id, resolved.digest)
    templates = load_templates(resolved)
    assert snapshot(journal, open_directory(directory, resolved, templates))
    return journal


@pytest.fixture
def composer(resolved: ResolvedAction, journal: Journal) -> Composer:
    return make_composer(resolved, load_templates(resolved), journal.meta().run_id)


def test_the_snapshot_is_taken_once_sending_has_begun(
    journal: Journal, resolved: ResolvedAction, directory: str
) -> None:
    assert journal.counts()[State.QUEUED] == len(MEMBERS)
    journal.claim(1, 0.0, resend_uncertain=True)  # sending began
    again = open_directory(directory, resolved, load_templates(resolved))
    assert snapshot(journal, again) is False
    assert sum(journal.counts().values()) == len(MEMBERS)


def test_a_query_without_the_columns_the_templates_use_refuses_before_any_row(
    cases: Path, directory: str
) -> None:
    resolved = resolve(CASE, cases, None)
    query = resolved.query_file.read_text("utf-8")
    resolved.query_file.write_text(query.replace("u.fname, u.lname,", ""), "utf-8")
    with pytest.raises(DirectoryError, match=r"the templates use fname, lname but the audience"):
        open_directory(directory, resolve(CASE, cases, None), load_templates(resolved))
    resolved.query_file.write_text(query.replace("u.email,", ""), "utf-8")
    with pytest.raises(
        DirectoryError, match=r"audience\.sql: the audience query returns no 'email'"
    ):
        open_directory(directory, resolve(CASE, cases, None), load_templates(resolved))


def test_one_sample_per_variant_and_who_gets_which(journal: Journal, composer: Composer) -> None:
    found = {s.variant: s.address for s in samples(journal, composer)}
    assert found == {"de": "anna@example.org", "default": "ben@example.org"}
    spread = languages(journal, composer)
    assert spread.by_variant == {"de": 2, "default": 2}
    assert spread.unmatched == {"fr": 1}  # no French text: Chloé gets the default


def test_the_dry_run_renders_every_queued_recipient(journal: Journal, composer: Composer) -> None:
    result = dry_run(journal, composer)
    assert (result.would_send, result.invalid, result.failed) == (4, 0, 0)
    assert result.by_variant == {"de": 2, "default": 2} and result.bytes_total > 0
    assert dry_run(journal, composer, limit=1).would_send == 1


def test_a_sample_shown_as_a_person_reads_it(journal: Journal, composer: Composer) -> None:
    [*_, default] = sorted(samples(journal, composer), key=lambda s: s.variant)
    shown = show_message(default.message)
    assert "To: Ben Brandt <ben@example.org>" in shown and "Dear Ben Brandt," in shown
    assert shown.splitlines()[-1].startswith("[... ") is False
    cut = show_message(default.message, max_lines=1)
    assert cut.splitlines()[-1].startswith("[... ") and cut.endswith("more lines]")


def test_verp_envelopes_are_the_runs_and_verify(journal: Journal) -> None:
    [item] = journal.claim(1, 0.0, resend_uncertain=True)
    envelope = verp_envelopes(journal, "returns@cacert.example")(item)
    assert envelope.startswith(f"returns+{item.id}.") and envelope.endswith("@cacert.example")
    assert (journal.folder / "verp.key").is_file()


def test_a_scratch_journal_leaves_nothing_behind() -> None:
    with scratch_journal() as journal:
        folder = journal.folder
        assert folder.is_dir()
    assert not folder.exists()


def test_bounce_counts_are_none_before_any_mailbox_was_folded(journal: Journal) -> None:
    from notifier.ledger.report import write_report

    assert bounce_counts(write_report(journal)) is None


def test_messages_are_mail_a_client_reads(journal: Journal, composer: Composer) -> None:
    for sample in samples(journal, composer):
        parsed = email.message_from_bytes(sample.message, policy=email.policy.default)
        assert parsed["To"].addresses[0].addr_spec == sample.address
