"""One configuration, read by the CLI and the site plugin alike: `docket.toml` over defaults."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
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
    flagged: tuple[str, ...] = ()  # [notify] flagged: for the notifier's preflight
    # one person's spellings: the name their person page keys on (the wiki account) -> the other
    # spellings cases use for them ("Eva Stöwe", "Eva S")
    people: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # cases filed before this date may be missing from the repository (a partial import): citing
    # one gives no DK202
    missing_cases_before: date | None = None

    def email_allowed(self, domain: str) -> bool:
        domain = domain.lower().rstrip(".")
        return any(domain == d or domain.endswith("." + d) for d in self.allowed_email_domains)

    def person_of(self, name: str) -> str | None:
        """The person a spelling belongs to by the `[people]` table, None when not listed."""
        key = _name_key(name)
        for person, spellings in self.people.items():
            if key == _name_key(person) or any(key == _name_key(s) for s in spellings):
                return person
        return None


def _name_key(name: str) -> str:
    return re.sub(r"[\W_]+", "", name).casefold()


def _people(value: object, where: Path | None) -> dict[str, tuple[str, ...]]:
    """`[people]`: `"EvaStöwe" = ["Eva Stöwe", "Eva S"]`; a spelling listed under two people is
    refused (it could not tell them apart)."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: '[people]' must be a table: Person = [\"spelling\", ...]")
    people: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for person, spellings in value.items():
        if not isinstance(spellings, list) or not all(isinstance(s, str) for s in spellings):
            raise ConfigError(
                f'{where}: people.{person} must be a list of spellings, e.g. ["Eva S"]'
            )
        for spelling in [person, *spellings]:
            key = _name_key(spelling)
            if owner.get(key, person) != person:
                raise ConfigError(
                    f"{where}: the spelling '{spelling}' is listed under both '{owner[key]}' and "
                    f"'{person}' in [people]: keep it under one"
                )
            owner[key] = person
        people[person] = tuple(spellings)
    return people


def _missing_before(value: str, where: Path | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(
            f"{where}: checks.missing_cases_before must be a date written YYYY-MM-DD, not '{value}'"
        ) from None


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
    """The nearest folder at or above `start` holding docket.toml; else `start` itself (the
    folder of `start` when it is a file)."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return start


def find_config(cases_dir: Path | None = None, *, near: Path | None = None) -> Config:
    """The configuration of the case repository a command works on, by the one rule every
    command and the site plugin follow (docs/cli.md, "Which docket.toml"):

    the nearest docket.toml at or above the cases folder when one is named (`--cases DIR`, the
    plugin's `cases:`), else at or above `near` (`docket check`'s first PATH; the plugin: the
    folder of its site configuration; default: the current folder). Its folder is the
    repository root; without one, the defaults, with the starting folder as the root. The cases
    folder is the named one, else `cases/` of the root.
    """
    config = load_config(cases_dir or near or Path.cwd())
    return replace(config, cases_dir=cases_dir) if cases_dir is not None else config


def load_config(root: Path | None = None) -> Config:
    """docket.toml at or above `root` (default: the current folder) over the defaults; the
    commands and the plugin call `find_config`, which says where to start."""
    root = find_root(root or Path.cwd())
    data = _defaults()
    source: Path | None = root / CONFIG_NAME
    people: object = {}
    if source is not None and source.is_file():
        try:
            override = tomllib.loads(source.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{source}: {exc}; fix the TOML syntax") from exc
        people = override.pop("people", {})  # names of its own choosing: not merged over defaults
        before = override.get("checks", {}).get("missing_cases_before")
        if isinstance(before, date):  # a TOML date, written without quotes
            override["checks"]["missing_cases_before"] = before.isoformat()
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
        flagged=tuple(data["notify"]["flagged"]),
        people=_people(people, source),
        missing_cases_before=_missing_before(checks["missing_cases_before"], source),
    )
