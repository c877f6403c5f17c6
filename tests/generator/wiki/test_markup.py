"""MoinMoin markup to Markdown."""

from __future__ import annotations

from generator.wiki.markup import Dropped, convert, escape_line, plain


def test_inline_markup() -> None:
    dropped = Dropped()
    (line,) = convert(
        [
            "'''bold''' and ''it'' [[Arbitrations/a20100101.1|a20100101.1]] [[https://x.org/p|P]] {{{code}}} <<TableOfContents>> <>"
        ],
        raw=True,
        dropped=dropped,
    )
    assert line == "**bold** and *it* a20100101.1 [P](https://x.org/p) `code`"
    assert dropped.macros == 2


def test_blocks_tables_bullets_and_comments() -> None:
    dropped = Dropped()
    lines = convert(
        [
            "## a template comment",
            "||<#ff3300> S || [[Arbitrations/a1|a1]] || {g} closed ||",
            "|| x || y || z ||",
            " * one",
            "  * two",
            "{{{",
            "mail text",
            "}}}",
        ],
        raw=True,
        dropped=dropped,
    )
    assert lines == [
        "| S | a1 | {g} closed |",
        "|---|---|---|",
        "| x | y | z |",
        "- one",
        "  - two",
        "```",
        "mail text",
        "```",
    ]
    assert dropped.comments == 1


def test_rendered_lines_only_get_escapes() -> None:
    assert convert(["# not a heading", "====", "plain"], raw=False, dropped=Dropped()) == [
        "\\# not a heading",
        "\\====",
        "plain",
    ]
    assert escape_line("text") == "text"
    assert plain("[[EvaStöwe]]") == "EvaStöwe"
