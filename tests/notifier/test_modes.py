"""`docket notify` and `docket runs` as a critical types them, with no terminal: modes that make
no sense together are refused before anything happens, `--dry-run` writes nothing anywhere, and
purging asks (or needs `--yes`) and never runs beside a live run.

Every command here is a real subprocess with stdin from /dev/null, against aiosmtpd.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.notifier.conftest import CASE, Sink, make_directory

DOCKET = str(Path(sys.executable).parent / "docket")
MEMBERS = [
    ("anna.quoxley@example.org", "Anna", "Quoxley", "en"),
    ("bertil.vandermolen@example.org", "Bertil", "Vandermolen", "de"),
    ("clara.zyzzyva@example.org", "Clara", "Zyzzyva", "en"),
]


def docket(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DOCKET, *args], stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=cwd,
        timeout=120, env=None if env is None else {**os.environ, **env},
    )  # fmt: skip


def tree_digest(*roots: Path) -> dict[str, str]:
    """Every file and folder under the roots with its content hash: a write anywhere shows."""
    seen: dict[str, str] = {}
    for root in roots:
        if not root.exists():
            seen[str(root)] = "absent"
            continue
        for path in sorted(root.rglob("*")):
            kind = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
            seen[str(path)] = f"{kind} {path.stat().st_mode:o}"
    return seen


@pytest.fixture
def finished_run(tmp_path: Path, cases: Path, sink: Sink) -> tuple[Path, Path]:
    """A run that sent to everyone: (members directory, run folder)."""
    members = make_directory(tmp_path / "members.sqlite", MEMBERS)
    run = tmp_path / "run"
    sent = docket(
        "notify", CASE, "--cases", str(cases), "--directory", str(members), "--smtp", sink.url,
        "--journal", str(run), "--yes", "--rate", "0",
    )  # fmt: skip
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert len(sink.received) == 3
    return members, run


PAIRS = [
    (["--purge", "--dry-run"], "--purge"),
    (["--dry-run", "--test-to", "me@example.org"], "--test-to"),
    (["--status", "--purge"], "--purge"),
    (["--digest", "--dry-run"], "--digest"),
    (["--bounces", "{box}", "--dry-run", "--record"], "--bounces"),
    (["--dry-run", "--record"], "--record"),
    (["--dry-run", "--requeue-failed"], "--requeue-failed"),
    (["--test-to", "me@example.org", "--skip-sent"], "--skip-sent"),
    (["--dry-run", "--new-run", "--reason", "again"], "--new-run"),
    (["--status", "--smtp", "smtp://127.0.0.1:1"], "--smtp"),
]


@pytest.mark.parametrize(("flags", "named"), PAIRS, ids=[" ".join(p[0]) for p in PAIRS])
def test_modes_that_do_not_go_together_are_refused(
    flags: list[str], named: str, tmp_path: Path, cases: Path, sink: Sink,
    finished_run: tuple[Path, Path], state_home: Path,
) -> None:  # fmt: skip
    members, run = finished_run
    box = tmp_path / "returns.mbox"
    box.write_text("")
    args = [f.format(box=box) for f in flags]
    before = tree_digest(cases, run, state_home)
    result = docket(
        "notify", CASE, "--cases", str(cases), "--journal", str(run), *args,
        env={"DOCKET_DIRECTORY": str(members)},
    )  # fmt: skip
    assert result.returncode == 2, result.stdout + result.stderr
    error = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1 and named in error[0], result.stderr
    assert tree_digest(cases, run, state_home) == before
    assert "anna.quoxley@example.org" in (run / "recipients.csv").read_text()
    assert len(sink.received) == 3


def test_dry_run_writes_nothing_anywhere(
    tmp_path: Path, cases: Path, sink: Sink, state_home: Path
) -> None:
    members = make_directory(tmp_path / "members.sqlite", MEMBERS)
    work = tmp_path / "work"
    work.mkdir()
    roots = (cases, state_home, work, members.parent / "members.sqlite")
    before = tree_digest(cases, state_home, work) | {"db": members.read_bytes().hex()}
    result = docket(
        "notify", CASE, "--cases", str(cases), "--directory", str(members), "--smtp", sink.url,
        "--dry-run", cwd=work,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "dry run: 3 messages would be sent" in result.stdout
    assert tree_digest(cases, state_home, work) | {"db": members.read_bytes().hex()} == before
    assert not any(p.name.startswith("docket-dry-run") for p in Path("/tmp").iterdir()), roots
    assert sink.received == []


def test_purge_without_terminal_and_without_yes_keeps_every_address(
    cases: Path, finished_run: tuple[Path, Path]
) -> None:
    _members, run = finished_run
    csv_before = (run / "recipients.csv").read_text()
    for command in (
        ["runs", "purge", CASE, "--cases", str(cases), "--journal", str(run)],
        ["notify", CASE, "--cases", str(cases), "--journal", str(run), "--purge"],  # old spelling
    ):
        result = docket(*command)
        assert result.returncode == 4, result.stdout + result.stderr
        assert "3 recipients" in result.stdout, result.stdout  # what it would remove, first
        assert "--yes" in result.stdout + result.stderr
        assert (run / "recipients.csv").read_text() == csv_before
        journal = (run / "journal.sqlite").read_bytes()
        assert b"anna.quoxley@example.org" in journal


def test_purge_with_yes_removes_the_addresses(cases: Path, finished_run: tuple[Path, Path]) -> None:
    _members, run = finished_run
    result = docket("runs", "purge", CASE, "--cases", str(cases), "--journal", str(run), "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "purged 3 recipients" in result.stdout
    assert not (run / "recipients.csv").exists()
    for path in run.iterdir():
        assert b"quoxley" not in path.read_bytes().lower(), path.name
    status = docket("runs", "status", CASE, "--cases", str(cases), "--journal", str(run))
    assert status.returncode == 0 and "3 sent" in status.stdout, status.stdout + status.stderr


def test_purge_during_a_live_run_is_refused(cases: Path, finished_run: tuple[Path, Path]) -> None:
    _members, run = finished_run
    fd = os.open(run / "run.lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # what a sending run holds
    try:
        result = docket(
            "runs", "purge", CASE, "--cases", str(cases), "--journal", str(run), "--yes"
        )
    finally:
        os.close(fd)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "another run of this action is going on" in result.stderr
    assert b"anna.quoxley@example.org" in (run / "journal.sqlite").read_bytes()


def test_an_old_resume_command_still_resumes(tmp_path: Path, cases: Path, sink: Sink) -> None:
    """The spellings earlier versions printed (--no-wait, --no-resend-uncertain, --no-verp ...)."""
    members = make_directory(tmp_path / "members.sqlite", MEMBERS)
    run = tmp_path / "run"
    old = [
        "notify", CASE, "--action", "test-notice", "--journal", str(run), "--directory",
        str(members), "--smtp", sink.url, "--rate", "0", "--limit", "1", "--no-wait",
        "--no-resend-uncertain", "--no-pipelining", "--no-verp", "--cases", str(cases), "--yes",
    ]  # fmt: skip
    first = docket(*old)
    assert first.returncode == 0, first.stdout + first.stderr
    assert len(sink.received) == 1
    again = docket(*[w for w in old if w not in ("--limit", "1")], "--limit", "0")
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(sink.received) == 3
    assert sink.received[-1].sender == "returns@example.org"  # --no-verp held
    assert "resuming the run" in again.stdout


def test_the_printed_resume_command_runs_as_printed(
    tmp_path: Path, cases: Path, sink: Sink
) -> None:
    members = make_directory(tmp_path / "members.sqlite", MEMBERS)
    run = tmp_path / "run"
    first = docket(
        "notify", CASE, "--cases", str(cases), "--directory", str(members), "--smtp", sink.url,
        "--journal", str(run), "--rate", "0", "--limit", "1", "--no-verp", "--no-wait", "--yes",
    )  # fmt: skip
    assert first.returncode == 0, first.stdout + first.stderr
    resume = [line for line in first.stdout.splitlines() if "docket notify" in line]
    assert resume, first.stdout
    words = shlex.split(resume[-1].split("run: ", 1)[1])
    assert words[0] == "docket" and "--no-verp" in words and "--limit" in words
    at = words.index("--limit")
    words[at + 1] = "0"  # lift the kept limit, as the docs say
    again = docket(*words[1:])
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(sink.received) == 3


def test_the_jobs_are_their_own_commands(
    tmp_path: Path, cases: Path, finished_run: tuple[Path, Path]
) -> None:
    _members, run = finished_run
    digest = docket("digest", CASE, "--cases", str(cases))
    assert digest.returncode == 0 and digest.stdout.startswith("sha256:"), digest.stderr
    status = docket("runs", "status", CASE, "--cases", str(cases), "--journal", str(run))
    assert status.returncode == 0 and "3 sent" in status.stdout, status.stderr
    box = tmp_path / "returns.mbox"
    box.write_text("")
    folded = docket("runs", "bounces", CASE, str(box), "--cases", str(cases), "--journal", str(run))
    assert folded.returncode == 0, folded.stdout + folded.stderr
    old = docket("notify", CASE, "--cases", str(cases), "--journal", str(run), "--status")
    assert old.returncode == 0 and "3 sent" in old.stdout
    assert "deprecated" in old.stderr and "docket runs status" in old.stderr


def _on_a_terminal(args: list[str], answer: bytes) -> tuple[int, str]:
    """Run docket with a pseudo-terminal as stdin and stdout; type `answer` at its question."""
    import pty
    import select
    import time

    leader, follower = pty.openpty()
    proc = subprocess.Popen([DOCKET, *args], stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    seen = b""
    answered = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        if not answered and b"[y/N]" in seen:
            os.write(leader, answer)
            answered = True
        if proc.poll() is not None and not ready:
            break
    os.close(leader)
    return proc.wait(timeout=30), seen.decode("utf-8", "replace")


def test_purge_asks_on_a_terminal(cases: Path, finished_run: tuple[Path, Path]) -> None:
    _members, run = finished_run
    command = ["runs", "purge", CASE, "--cases", str(cases), "--journal", str(run)]
    code, screen = _on_a_terminal(command, b"n\n")
    assert code == 4 and "nothing purged" in screen, screen
    assert "3 recipients" in screen.split("[y/N]")[0]  # said before asking
    assert b"anna.quoxley@example.org" in (run / "journal.sqlite").read_bytes()
    code, screen = _on_a_terminal(command, b"y\n")
    assert code == 0 and "purged 3 recipients" in screen, screen
    assert b"anna.quoxley" not in (run / "journal.sqlite").read_bytes()
