"""The printed resume command: runnable as printed, never holding a password."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from notifier.command import NotifyArgs, _resume_command

ARGS = NotifyArgs(
    case="a20200102.1", action_id=None, directory=None, smtp="smtp://127.0.0.1:2525",
    journal_dir=None, rate=None, pool=4, limit=None, dry_run=False, test_to=None, status=False,
    digest_only=False, yes=True, no_wait=False, resend_uncertain=True, record=False,
    retry_delay=300.0, max_attempts=6, smtp_timeout=300.0, data_timeout=600.0,
    cases_dir=Path("/cases"),
)  # fmt: skip


def test_a_password_in_the_url_is_left_out_not_masked() -> None:
    args = replace(ARGS, directory="mysql+pymysql://crit:s3cret@db.example/members")
    command = _resume_command(args, "test-notice", Path("/run"))
    assert "--directory mysql+pymysql://crit@db.example/members" in command
    assert "s3cret" not in command and "***" not in command


def test_a_directory_from_the_environment_stays_there() -> None:
    args = replace(
        ARGS, directory="mysql+pymysql://crit:s3cret@db.example/members", directory_from_env=True
    )
    command = _resume_command(args, "test-notice", Path("/run"))
    assert "--directory" not in command and "s3cret" not in command
