"""The site's settings: a read-only value (it is the render's memo key) that makes edit links."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.render.settings import SiteSettings


def test_the_urls_cannot_change_after_the_fact() -> None:
    urls = {"edit": "https://git.example/edit/main/{path}"}
    settings = SiteSettings(Path("/repo"), urls)
    urls["edit"] = "changed"  # the caller's dict: not the settings'
    assert settings.urls["edit"] == "https://git.example/edit/main/{path}"
    with pytest.raises(TypeError):
        settings.urls["edit"] = "x"  # type: ignore[index]
    assert settings == SiteSettings(Path("/repo"), {"edit": "https://git.example/edit/main/{path}"})


def test_edit_links_name_the_file_from_the_repository_root() -> None:
    settings = SiteSettings(Path("/repo"), {"edit": "https://git.example/edit/{path}"})
    assert settings.edit_url("/repo/cases/2014/a20140408.1.md") == (
        "https://git.example/edit/cases/2014/a20140408.1.md"
    )
    assert settings.source_path("cases/2014/a.md") == "cases/2014/a.md"
    assert settings.source_path("/elsewhere/a20140408.1.md") == "a20140408.1.md"
    assert SiteSettings(Path("/repo"), {}).edit_url("/repo/cases/x.md") == ""
