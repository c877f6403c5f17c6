"""Which files a mail action's templates can load (generator/template_files.py): literal
includes, imports and extends followed into subfolders, names computed at send time reported,
names the loader refuses left out."""

from __future__ import annotations

from generator.template_files import template_names

FILES = {
    "act/notice.txt.j2": b'{% extends "base.j2" %}{% block b %}{% include "parts/footer.txt" %}'
    b"{% endblock %}",
    "act/base.j2": b'{% import "macros.j2" as m %}{% block b %}{% endblock %}',
    "act/macros.j2": b"{% macro hi(n) %}Hi {{ n }}{% endmacro %}",
    "act/parts/footer.txt": b'{% from "./parts/sig.txt" import s %}--',
    "act/parts/sig.txt": b"{% macro s() %}Team{% endmacro %}",
    "act/notice.de.txt.j2": b'{% include "lang/" ~ language ~ ".txt" %}'
    b'{% include "../outside.txt" %}{% include "/etc/passwd" %}',
    "act/broken.j2": b"{% if %}",
}


def _read(path: str) -> bytes | None:
    return FILES.get(path)


def test_every_template_a_notice_reaches_in_the_order_found() -> None:
    names, dynamic = template_names("act", ["notice.txt.j2"], _read)
    assert names == ["notice.txt.j2", "base.j2", "parts/footer.txt", "macros.j2", "parts/sig.txt"]
    assert dynamic == []


def test_computed_names_are_reported_and_refused_names_left_out() -> None:
    names, dynamic = template_names("act", ["notice.de.txt.j2"], _read)
    assert names == ["notice.de.txt.j2"]  # not ../outside.txt nor /etc/passwd
    assert dynamic == ["notice.de.txt.j2"]


def test_missing_and_broken_files_are_kept_as_named_not_followed() -> None:
    names, dynamic = template_names("act", ["missing.j2", "broken.j2", "missing.j2"], _read)
    assert names == ["missing.j2", "broken.j2"] and dynamic == []
