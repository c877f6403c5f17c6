"""The approval digest: one hash over everything that decides what is sent.

The parts are the query text, its parameters, the subject, the sender, the return path, every
`*.j2` file beside the default template and every file those include, import or extend (followed
as the loader would, into subfolders too). Each part is hashed on its own and the
digest hashes the list, so when an approval does not match, the approved version of the parts can
be found in the case repository's git history and the changed part named.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from generator.loader import load_text
from generator.model import MailAction
from generator.template_files import template_names


@dataclass(frozen=True, slots=True)
class Part:
    """One thing the approval covers, with the hash of its content."""

    name: str
    sha256: str


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _canonical(value: Any) -> bytes:
    def default(obj: Any) -> Any:
        if isinstance(obj, date):
            return obj.isoformat()
        raise TypeError(type(obj).__name__)

    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=default).encode()


class DigestError(Exception):
    """The action's files cannot be covered by a digest (a symlink, a run-time include)."""


def parts_from(
    action: MailAction,
    read: Callable[[str], bytes | None],
    listdir: Callable[[str], list[str]],
    strict: bool = False,
) -> list[Part]:
    """The parts, reading files through `read`/`listdir` (the working tree or a git commit).

    With `strict`, a template that includes a file chosen at run time is a DigestError.
    """
    query = read(action.audience.query)
    parts = [
        Part(f"query {action.audience.query}", _sha(query if query is not None else b"<missing>")),
        Part("params", _sha(_canonical(action.audience.params))),
        Part("subject", _sha(action.subject.encode())),
        Part("from", _sha(action.sender.encode())),
        Part("return-path", _sha((action.return_path or "").encode())),
    ]
    folder = str(PurePosixPath(action.template).parent)
    names = sorted(n for n in listdir(folder) if n.endswith(".j2"))
    default_name = PurePosixPath(action.template).name
    if default_name not in names:
        names.append(default_name)
    names, dynamic = template_names(folder, names, read)
    if strict and dynamic:
        rel = str(PurePosixPath(folder) / dynamic[0])
        raise DigestError(
            f"template {rel} includes a template whose name is computed when the mail is sent, "
            'which no approval can cover: name the file literally ({% include "footer.txt" %})'
        )
    for name in sorted(names):
        rel = str(PurePosixPath(folder) / name)
        data = read(rel)
        parts.append(Part(f"template {rel}", _sha(data if data is not None else b"<missing>")))
    return parts


def _no_symlink(case_dir: Path, rel: str) -> None:
    """Refuse a file that is, or lies below, a symbolic link under the case's folder.

    Reviewers see a link in git, not the text it points at (which may be outside the case).
    """
    if PurePosixPath(rel).is_absolute() or ".." in PurePosixPath(rel).parts:
        raise DigestError(f"{rel} leaves the case's folder: name a file beside the case")
    path = case_dir
    for piece in PurePosixPath(rel).parts:
        path = path / piece
        if path.is_symlink():
            raise DigestError(
                f"{path} is a symbolic link (to {os.readlink(path)}): its text is not what "
                "reviewers see in git; put the file itself in the case's folder"
            )


def working_parts(action: MailAction, case_dir: Path) -> list[Part]:
    """The parts as they are on disk now (paths in the action are relative to the case's folder).

    A symbolic link among the files, or a run-time include, is a DigestError.
    """

    def read(rel: str) -> bytes | None:
        _no_symlink(case_dir, rel)
        path = case_dir / rel
        return path.read_bytes() if path.is_file() else None

    def listdir(rel: str) -> list[str]:
        folder = case_dir / rel
        return [p.name for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []

    return parts_from(action, read, listdir, strict=True)


def combine(parts: list[Part]) -> str:
    """The digest of the parts, as the case file's `approved.digest` holds it."""
    lines = "".join(f"{p.name}\0{p.sha256}\n" for p in sorted(parts, key=lambda p: p.name))
    return "sha256:" + _sha(lines.encode())


def changed_parts(old: list[Part], new: list[Part]) -> list[str]:
    """Names of the parts that differ, were added or were removed."""
    before = {p.name: p.sha256 for p in old}
    after = {p.name: p.sha256 for p in new}
    names: list[str] = []
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            names.append(f"{name} (removed)")
        elif name not in before:
            names.append(f"{name} (added)")
        elif before[name] != after[name]:
            names.append(name)
    return names


def approved_parts(
    case_file: Path, action_id: str, digest: str, depth: int = 200
) -> list[Part] | None:
    """Search the git history of the case for the version whose parts make the approved digest."""
    folder = case_file.parent
    cwd = [folder]

    def git(*args: str) -> bytes | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=cwd[0], capture_output=True, check=False, timeout=30
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout if done.returncode == 0 else None

    top = git("rev-parse", "--show-toplevel")
    if top is None:
        return None
    root = Path(top.decode().strip())
    cwd[0] = root  # pathspecs below are relative to the top
    try:
        rel_dir = folder.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    rel_case = rel_dir / case_file.name
    log = git("log", f"-n{depth}", "--format=%H", "--", str(rel_dir))
    if log is None:
        return None
    for commit in log.decode().split():
        text = git("show", f"{commit}:{rel_case.as_posix()}")
        if text is None:
            continue
        action = _action_in(text.decode("utf-8", "replace"), action_id)
        if action is None:
            continue

        def read(rel: str, commit: str = commit) -> bytes | None:
            return git("show", f"{commit}:{(rel_dir / rel).as_posix()}")

        def listdir(rel: str, commit: str = commit) -> list[str]:
            out = git("ls-tree", "--name-only", commit, f"{(rel_dir / rel).as_posix()}/")
            return [PurePosixPath(line).name for line in (out or b"").decode().splitlines()]

        parts = parts_from(action, read, listdir)
        if combine(parts) == digest:
            return parts
    return None


def _action_in(text: str, action_id: str) -> MailAction | None:
    """The action as an older version of the case file defined it (read by the same loader)."""
    case, _ = load_text(text, "history")
    if case is None:
        return None
    return next((a for a in case.header.actions if a.id == action_id), None)
