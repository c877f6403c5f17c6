"""The site's settings, as every renderer reads them: one frozen value that is also the dev
server's memo key for the whole render (a change of any of them renders every page again)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class SiteSettings:
    """Where the repository is, the configured URL templates (`issue`, `motion`, `bug`, `edit`,
    each with `{number}` or `{path}`), the site's name and address, and whether `#1234` is a bug.
    """

    root: Path
    urls: Mapping[str, str]
    site_name: str = "Arbitration archive"
    site_url: str = ""
    hash_bugs: bool = False

    def __post_init__(self) -> None:
        # a read-only copy: the settings are a memo key, so nothing may change them afterwards
        object.__setattr__(self, "urls", MappingProxyType(dict(self.urls)))

    def source_path(self, case_path: str) -> str:
        """A case file's path relative to the repository root, for the edit link."""
        path = Path(case_path)
        if path.is_absolute():
            try:
                return path.relative_to(self.root).as_posix()
            except ValueError:
                return path.name
        return path.as_posix()

    def edit_url(self, case_path: str) -> str:
        template = self.urls.get("edit", "")
        return template.replace("{path}", self.source_path(case_path)) if template else ""
