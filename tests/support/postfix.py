"""A private Postfix instance for the tests: its own config and queue under a temporary folder,
SMTP on 127.0.0.1 only, no relaying, delivery only to its own virtual mailboxes.

`example.org` is its one local domain: `returns@` is a Maildir (the DSNs land there, VERP
addresses included through `recipient_delimiter = +`), `anna@` an mbox, `full@` an mbox already
past the mailbox size limit; any other local part is accepted at RCPT and bounced after, as a
remote server does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.net import free_port

MAILBOX_LIMIT = 20_000
SERVICES = """\
{listen} inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
virtual   unix  - n n - - virtual
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
"""


@dataclass(frozen=True)
class Postfix:
    port: int
    base: Path

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def returns(self) -> Path:
        return self.base / "mail" / "returns"

    def log(self) -> str:
        path = self.base / "postfix.log"
        return path.read_text("utf-8", "replace") if path.exists() else "(no log)"


def _main_cf(base: Path) -> str:
    nobody = 65534
    return f"""\
compatibility_level = 3.6
queue_directory = {base}/queue
data_directory = {base}/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = {base}/postfix.log
maillog_file_prefixes = {base}
myhostname = mx.example.org
mydomain = example.org
myorigin = example.org
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relay_domains =
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_reject_unlisted_recipient = no
default_transport = error:5.3.0 this test instance delivers only to its own mailboxes
relay_transport = error:5.3.0 this test instance relays nothing
virtual_mailbox_domains = example.org
virtual_mailbox_base = {base}/mail
virtual_mailbox_maps = texthash:{base}/conf/mailboxes
virtual_uid_maps = static:{nobody}
virtual_gid_maps = static:{nobody}
virtual_mailbox_limit = {MAILBOX_LIMIT}
message_size_limit = {MAILBOX_LIMIT // 2}
recipient_delimiter = +
alias_maps =
alias_database =
biff = no
smtputf8_enable = no
"""


def _postfix(base: Path, verb: str) -> subprocess.CompletedProcess[str]:
    # `script` gives postfix a terminal, so that its start-up errors reach the output.
    return subprocess.run(
        ["script", "-qec", f"postfix -c {base / 'conf'} {verb}", "/dev/null"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@contextmanager
def private_postfix() -> Iterator[Postfix]:
    """Start the instance (as root, `postfix -c DIR start`); stop it and remove it after."""
    assert shutil.which("postfix") and Path("/usr/lib/postfix/sbin/master").exists(), (
        "run scripts/deps-postfix.sh (Debian's postfix)"
    )
    assert os.geteuid() == 0, "the Postfix tests start their own instance and need root"
    # Outside pytest's 0700 folders: the virtual agent runs as nobody and must reach the mail.
    base = Path(tempfile.mkdtemp(prefix="docket-postfix-"))
    base.chmod(0o755)
    try:
        for sub in ("conf", "queue", "data", "mail"):
            (base / sub).mkdir()
        shutil.chown(base / "data", "postfix")
        shutil.chown(base / "mail", 65534, 65534)
        full = base / "mail" / "full"
        full.write_bytes(b"From x\n" + b"x" * 70 * ((MAILBOX_LIMIT + 5000) // 70))
        shutil.chown(full, 65534, 65534)
        port = free_port()
        (base / "conf" / "main.cf").write_text(_main_cf(base))
        (base / "conf" / "master.cf").write_text(SERVICES.format(listen=f"127.0.0.1:{port}"))
        (base / "conf" / "mailboxes").write_text(
            "returns@example.org returns/\nanna@example.org anna\nfull@example.org full\n"
        )
        started = _postfix(base, "start")
        instance = Postfix(port, base)
        assert started.returncode == 0, started.stdout + started.stderr + instance.log()
        try:
            yield instance
        finally:
            _postfix(base, "stop")
    finally:
        shutil.rmtree(base, ignore_errors=True)
