"""The template loader a run uses: it loads only the files the approval digest covers.

The digest follows every literal include, import and extends, and refuses names computed at run
time; this loader is the same promise from the other side: whatever a template asks for that
the digest does not cover (or a symbolic link) is not found, so it can never be sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

import jinja2

from notifier.approval.digest import Part


def normal_name(name: str) -> str:
    """A template name as the loader splits it (`./a//b.j2` -> `a/b.j2`)."""
    return "/".join(piece for piece in name.split("/") if piece not in ("", "."))


class ApprovedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader on the template folder limited to `names` (relative to it)."""

    def __init__(self, folder: Path, names: Iterable[str]) -> None:
        super().__init__(str(folder))
        self.folder = folder
        self.names = frozenset(normal_name(n) for n in names)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        name = normal_name(template)
        if name not in self.names:
            raise jinja2.TemplateNotFound(f"{template} (not covered by the approval)")
        path = self.folder
        for piece in PurePosixPath(name).parts:
            path = path / piece
            if path.is_symlink():
                raise jinja2.TemplateNotFound(f"{template} (a symbolic link)")
        return super().get_source(environment, template)

    def list_templates(self) -> list[str]:
        return sorted(self.names)


def approved_names(parts: Iterable[Part], folder: str) -> set[str]:
    """The template names (relative to the template folder) among the digest's parts."""
    prefix = f"template {folder}/" if folder not in ("", ".") else "template "
    return {p.name[len(prefix) :] for p in parts if p.name.startswith(prefix)}
