"""Messages out of an mbox file, a Maildir folder, single .eml files or folders of them.

Streamed one message at a time, so a mailbox of any size costs the memory of its largest
message: an mbox is split at its `From ` lines while it is read, a Maildir listed with scandir.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# `From sender Tue Dec  1 10:00:00 2026`: a body line "From here on..." is no separator.
_FROM_LINE_RE = re.compile(rb"^From \S+ .*\d\d:\d\d(:\d\d)?.* \d{4}\s*$")
MAX_MESSAGE = 16 * 1024 * 1024  # past this an mbox message is cut (the head is what matters)


@dataclass(frozen=True, slots=True)
class Item:
    """One message (or why it could not be read) and where it is: a path, `path:line` in mbox."""

    where: str
    data: bytes | None
    error: str | None = None


def is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() or (path / "new").is_dir()


def messages(paths: Iterable[Path]) -> Iterator[Item]:
    """Every message under the paths, in order; unreadable ones as an Item with `error`."""
    for path in paths:
        try:
            if path.is_dir():
                yield from _folder(path)
            else:
                yield from _file(path)
        except OSError as exc:
            yield Item(str(path), None, f"cannot read: {exc.strerror or exc}")


def _folder(path: Path) -> Iterator[Item]:
    if is_maildir(path):
        for sub in ("new", "cur"):
            folder = path / sub
            if not folder.is_dir():
                continue
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith(".") or not entry.is_file():
                        continue
                    yield _maildir_message(entry.path)
        return
    for child in sorted(path.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            yield from _folder(child)
        elif child.is_file():
            yield from _file(child)
        else:
            yield Item(str(child), None, "neither a file nor a folder (a dangling link?)")


def _maildir_message(path: str) -> Item:
    """One Maildir file, read with plain os calls (pathlib's cost showed per message)."""
    try:
        with open(path, "rb") as handle:
            return Item(path, handle.read(MAX_MESSAGE))
    except OSError as exc:
        return Item(path, None, f"cannot read: {exc.strerror or exc}")


def _file(path: Path) -> Iterator[Item]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Item(str(path), None, f"cannot read: {exc.strerror or exc}")
        return
    with handle:
        head = handle.read(5)
        if head != b"From ":
            rest = handle.read(MAX_MESSAGE)
            yield Item(str(path), head + rest)
            return
        handle.seek(0)
        yield from _mbox(path, handle)


def _mbox(path: Path, handle: Iterable[bytes]) -> Iterator[Item]:
    """Split at `From sender date` lines that follow a blank line (or start the file); mboxrd's
    `>From ` quoting is undone."""
    chunks: list[bytes] = []
    size = 0
    start = 0
    blank = True
    for number, line in enumerate(handle, 1):
        if blank and line.startswith(b"From ") and _FROM_LINE_RE.match(line):
            if start:
                yield Item(f"{path}:{start}", b"".join(chunks))
            chunks, size, start = [], 0, number
            blank = False
            continue
        blank = line in (b"\n", b"\r\n")
        if line.startswith(b">") and line.lstrip(b">").startswith(b"From "):
            line = line[1:]
        if size < MAX_MESSAGE:
            chunks.append(line)
            size += len(line)
    if start:
        yield Item(f"{path}:{start}", b"".join(chunks))
