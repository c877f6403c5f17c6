"""The `docket` plugin's entry point (pyproject.toml: `mkdocs.plugins`); the adapter itself is
the package generator/mkdocs/."""

from generator.mkdocs.plugin import DocketPlugin

__all__ = ["DocketPlugin"]
