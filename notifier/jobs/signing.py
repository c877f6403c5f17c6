"""The run's DKIM signer, from `--dkim-key` and `--dkim-selector` (and the optional Ed25519
pair): loaded before anything is kept, so a bad key stops the plan with one line."""

from __future__ import annotations

from email.utils import parseaddr
from pathlib import Path

from notifier.approval.action import ResolvedAction
from notifier.message.dkim import DkimKey, DkimKeyError, Signer, load_key
from notifier.options import SendOptions


def signer_for(options: SendOptions, resolved: ResolvedAction) -> Signer | None:
    """None without --dkim-key; d= is the From domain, so DKIM aligns with From (DMARC)."""
    if options.dkim_key is None:
        if options.dkim_ed25519_key is not None:
            raise DkimKeyError("--dkim-ed25519-key adds a second signature: it needs --dkim-key")
        return None
    domain = parseaddr(resolved.action.sender)[1].rpartition("@")[2]
    keys = [_key(options.dkim_key, options.dkim_selector, "--dkim-selector", domain)]
    if options.dkim_ed25519_key is not None:
        keys.append(
            _key(
                options.dkim_ed25519_key,
                options.dkim_ed25519_selector,
                "--dkim-ed25519-selector",
                domain,
            )
        )
    return Signer(keys)


def _key(path: str, selector: str | None, flag: str, domain: str) -> DkimKey:
    if not selector:
        raise DkimKeyError(f"{path}: the key needs its selector: pass {flag} S")
    return load_key(Path(path), selector=selector, domain=domain)


def describe(signer: Signer) -> str:
    """The plan's line: who signs, and where receivers look the keys up."""
    keys = ", ".join(
        f"s={key.selector} ({key.algorithm}, TXT {key.dns_name()})" for key in signer.keys
    )
    return f"DKIM: signing as d={signer.domain} with {keys}"
