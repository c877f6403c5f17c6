"""The printed resume command: runnable as printed, never holding a password."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from notifier.request import Endpoints, SendRequest, Target

REQUEST = SendRequest(
    target=Target("a20200102.1", Path("/cases")),
    endpoints=Endpoints(smtp="smtp://127.0.0.1:2525"),
    yes=True,
)


def test_a_password_in_the_url_is_left_out_not_masked() -> None:
    request = replace(
        REQUEST,
        endpoints=replace(
            REQUEST.endpoints, directory="mysql+pymysql://crit:s3cret@db.example/members"
        ),
    )
    command = request.resume_command("test-notice", Path("/run"))
    assert "--directory mysql+pymysql://crit@db.example/members" in command
    assert "s3cret" not in command and "***" not in command


def test_a_directory_from_the_environment_stays_there() -> None:
    endpoints = replace(
        REQUEST.endpoints,
        directory="mysql+pymysql://crit:s3cret@db.example/members",
        directory_from_env=True,
    )
    command = replace(REQUEST, endpoints=endpoints).resume_command("test-notice", Path("/run"))
    assert "--directory" not in command and "s3cret" not in command
