"""Mailboxes are read one message at a time: mbox (split at From lines), Maildir, .eml, folders."""

from __future__ import annotations

import mailbox
from pathlib import Path

from notifier.bounces.mailboxes import messages


def test_mbox_is_split_at_from_lines_and_unquoted(tmp_path: Path) -> None:
    path = tmp_path / "returns"
    path.write_bytes(
        b"From MAILER-DAEMON Tue Dec  1 10:00:00 2026\nSubject: one\n\nbody\n>From the past\n\n"
        b"From MAILER-DAEMON Tue Dec  1 10:00:01 2026\nSubject: two\n\nFrom here, no split\n"
    )
    items = list(messages([path]))
    assert [i.where for i in items] == [f"{path}:1", f"{path}:7"]
    assert items[0].data == b"Subject: one\n\nbody\nFrom the past\n\n"
    assert items[1].data == b"Subject: two\n\nFrom here, no split\n"


def test_maildir_new_and_cur_and_a_folder_of_eml(tmp_path: Path) -> None:
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    box.add(b"Subject: a\n\nA\n")
    key = box.add(b"Subject: b\n\nB\n")
    message = box[key]
    message.set_subdir("cur")
    box[key] = message
    folder = tmp_path / "emls"
    (folder / "deeper").mkdir(parents=True)
    (folder / "x.eml").write_bytes(b"Subject: x\n\nX\n")
    (folder / "deeper" / "y.eml").write_bytes(b"Subject: y\n\nY\n")
    (folder / ".hidden").write_bytes(b"no")
    got = sorted(i.data or b"" for i in messages([tmp_path / "Maildir", folder]))
    assert got == sorted(
        [b"Subject: a\n\nA\n", b"Subject: b\n\nB\n", b"Subject: x\n\nX\n", b"Subject: y\n\nY\n"]
    )


def test_empty_file_is_one_message_and_a_dangling_link_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty.eml").write_bytes(b"")
    (tmp_path / "link").symlink_to(tmp_path / "gone")
    items = list(messages([tmp_path]))
    assert [(Path(i.where).name, i.data, bool(i.error)) for i in items] == [
        ("empty.eml", b"", False),
        ("link", None, True),
    ]
