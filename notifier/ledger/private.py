"""The run folder holds every recipient's address and name: only its owner may read it.

The folder is 0700 and every file in it 0600 whatever the umask: modes are set explicitly after
creating, since the umask only takes bits away (a umask of 0 would leave the journal 0644).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


class PrivateFolderError(Exception):
    """A run folder that cannot be made private without harming what else is in it."""


def private_folder(folder: Path, marker: str = "journal.sqlite") -> None:
    """Create `folder` (and parents) and make it 0700 with its files 0600.

    An existing folder is tightened only when it is empty or already a run folder (holds
    `marker`); any other folder is refused rather than have its mode changed.
    """
    existed = folder.is_dir()
    if existed and any(folder.iterdir()) and not (folder / marker).exists():
        raise PrivateFolderError(
            f"{folder} exists and is no run folder (it holds other files); pass a new or empty "
            "folder to --journal"
        )
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, FOLDER_MODE)
    if existed:
        for path in folder.iterdir():
            if path.is_file() and not path.is_symlink():
                private_file(path)


def private_file(path: Path) -> None:
    """Create `path` if needed and make it 0600 (owner read and write only)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) != FILE_MODE:
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
