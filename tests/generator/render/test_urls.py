"""Directory-style URLs and the relative links between pages."""

from __future__ import annotations

import posixpath

import pytest

from generator.render.urls import page_url, relative, slugify


@pytest.mark.parametrize(
    ("src", "url"),
    [
        ("index.md", ""),
        ("cases/index.md", "cases/"),
        ("cases/a20140408.1.md", "cases/a20140408.1/"),
    ],
)
def test_page_url(src: str, url: str) -> None:
    assert page_url(src) == url


@pytest.mark.parametrize(
    ("start", "target", "link"),
    [
        ("cases/a1/", "cases/a2/", "../a2/"),
        ("cases/", "cases/a1/", "a1/"),
        ("", "cases/", "cases/"),
        ("cases/a1/", "", "../../"),
        ("people/x/", "topics/y/", "../../topics/y/"),
        ("cases/a1/", "cases/a1.json", "../a1.json"),
        ("cases/", "cases/", "./"),
    ],
)
def test_relative(start: str, target: str, link: str) -> None:
    assert relative(start, target) == link
    resolved = posixpath.normpath(posixpath.join(start or ".", link))
    assert resolved == (posixpath.normpath(target) if target else ".")


def test_slugify_folds_accents() -> None:
    assert slugify("EvaStöwe") == "evastowe"
    assert slugify("Ron C.") == "ron-c"
    assert slugify("!!!") == "x"
