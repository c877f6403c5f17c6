"""Directory-style URLs and the relative links between pages."""

from __future__ import annotations

import posixpath

import pytest

from generator.render.urls import MAX_SLUG, page_url, person_slug, relative, slugify


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


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("EvaStöwe", "evastöwe"),
        ("EvaStowe", "evastowe"),
        ("Eva Sto\u0308we", "eva-stöwe"),  # decomposed ö: the same URL as the composed one
        ("Ева Петрова", "ева-петрова"),
        ('X "><svg/onload=alert(3)>', "x-svg-onload-alert-3"),
        ("../../etc", "etc"),
    ],
)
def test_person_slug(name: str, slug: str) -> None:
    assert person_slug(name) == slug


def test_person_slug_is_short_and_unique_for_long_or_letterless_names() -> None:
    long_a, long_b = "A" * 100, "A" * 99 + "B"
    assert person_slug(long_a) != person_slug(long_b)
    assert all(len(person_slug(n)) <= MAX_SLUG for n in (long_a, long_b))
    assert person_slug("!!!") and person_slug("!!!") != person_slug("???")
    assert "/" not in person_slug("/" * 5) and person_slug("/" * 5) != ""
