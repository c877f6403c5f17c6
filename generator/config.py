"""One configuration, read by the CLI and the site plugin alike: `docket.toml` over defaults."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

CONFIG_NAME = "docket.toml"


class ConfigError(Exception):
    """The configuration file cannot be used; the message names the file and what to do."""


@dataclass(frozen=True)
class Config:
    root: Path
    cases_dir: Path
    teams: tuple[str, ...]
    allowed_email_domains: tuple[str, ...]
    private_text: str
    max_file_bytes: int
    urls: dict[str, str] = field(default_factory=dict)
    source: Path | None = None
    hash_bug_refs: bool = False

    def email_allowed(self, domain: str) -> bool:
        domain = domain.lower().rstrip(".")
        return any(domain == d or domain.endswith("." + d) for d in self.allowed_email_domains)


def _defaults() -> dict[str, Any]:
    text = resources.files("generator").joinpath("defaults.toml").read_text("utf-8")
    return tomllib.loads(text)


def _merge(base: dict[str, Any], override: dict[str, Any], where: Path, prefix: str = "") -> None:
    for key, value in override.items():
        if key not in base:
            known = ", ".join(sorted(base))
            raise ConfigError(f"{where}: unknown setting '{prefix}{key}' (known: {known})")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: '{prefix}{key}' must be a table")
            _merge(base[key], value, where, f"{prefix}{key}.")
        else:
            if type(value) is not type(base[key]):
                want = type(base[key]).__name__
                raise ConfigError(f"{where}: '{prefix}{key}' must be a {want}")
            base[key] = value


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding docket.toml; else `start` itself."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return start


def load_config(root: Path | None = None) -> Config:
    root = find_root(root or Path.cwd())
    data = _defaults()
    source: Path | None = root / CONFIG_NAME
    if source is not None and source.is_file():
        try:
            override = tomllib.loads(source.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{source}: {exc}; fix the TOML syntax") from exc
        _merge(data, override, source)
    else:
        source = None
    checks = data["checks"]
    if checks["private_text"] not in ("error", "note"):
        raise ConfigError(f'{source}: checks.private_text must be "error" or "note"')
    return Config(
        root=root,
        cases_dir=root / "cases",
        teams=tuple(checks["teams"]),
        allowed_email_domains=tuple(d.lower() for d in checks["allowed_email_domains"]),
        private_text=checks["private_text"],
        max_file_bytes=checks["max_file_bytes"],
        urls=dict(data["urls"]),
        source=source,
        hash_bug_refs=data["archive"]["hash_bug_refs"],
    )
