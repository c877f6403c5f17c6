"""History-log lines in all their shapes become the case file's log syntax."""

from __future__ import annotations

from generator.wiki.facts import Where
from generator.wiki.history import convert_log
from generator.wiki.shapes import SrcLine


def _convert(lines: list[str], raw: bool) -> tuple[list[str], list[str]]:
    log = convert_log([SrcLine(t, Where(n)) for n, t in enumerate(lines, 1)], raw)
    return [line.text for line in log.lines], [line.text for line in log.paragraphs]


def test_raw_forms() -> None:
    converted, paragraphs = _convert(
        [
            " . 2010-03-14 (issue.c.o): case [s20100314.9]",
            " . 2010-03-21 (A) init mail sent to C",
            " . 2010-04-02 A: steps back",
            " . 2010-04-03 asks support for the list",
            " . 2010-04-05 (AS1): answered {+} '''now'''",
            "  . sub note under the entry",
            " . 2014-04-08/09 (software): a range",
            " . this line has no date and no actor",
        ],
        raw=True,
    )
    assert converted == [
        "- 2010-03-14 (issue.c.o): case [s20100314.9]",
        "- 2010-03-21 (A): init mail sent to C",
        "- 2010-04-02 (A): steps back",
        "- 2010-04-03 (): asks support for the list",
        "- 2010-04-05 (AS1): answered {+} now",  # emphasis marks dropped: the log shows text
        "  - sub note under the entry",
        "- 2014-04-08/09 (software): a range",
        "- undated (): this line has no date and no actor",
    ]
    assert paragraphs == [" . this line has no date and no actor"]  # reported, kept


def test_print_forms_and_dialogue() -> None:
    converted, paragraphs = _convert(
        [
            "- 2014-02-19 (issus.c.o): case [s20140219.33]",
            "2014-02-22 (A): a line without its bullet",
            "- 2014-02-25 (support) sends the record",
            "  - case selected for review",
            "- (C): continues the date above",
            "A: Hello, I am the arbitrator.",
            "Note that this is prose, not an entry",
        ],
        raw=False,
    )
    assert converted == [
        "- 2014-02-19 (issus.c.o): case [s20140219.33]",
        "- 2014-02-22 (A): a line without its bullet",
        "- 2014-02-25 (support): sends the record",
        "  - case selected for review",
        "- (C): continues the date above",
        "- undated (A): Hello, I am the arbitrator.",
        "> Note that this is prose, not an entry",  # quoted under the entry above it
    ]
    assert paragraphs == ["Note that this is prose, not an entry"]


def test_merged_sub_log_headings() -> None:
    converted, _ = _convert(
        ["log from case a20100316.1", "- 2010-03-16 (C): x", "EOT log from case a20100316.1"],
        raw=False,
    )
    assert converted == [
        "### log from case a20100316.1",
        "- 2010-03-16 (C): x",
        "### EOT log from case a20100316.1",
    ]


def test_quoted_text_right_after_a_sub_heading_has_no_entry_to_belong_to() -> None:
    converted, paragraphs = _convert(
        [" . 2015-11-30 (A): init", "### Interference", "{{{", "a mail", "}}}", "> a quote"],
        raw=True,
    )
    assert converted == [
        "- 2015-11-30 (A): init",
        "### Interference",
        "- undated ():",
        "```",
        "a mail",
        "```",
        "> a quote",
    ]
    assert paragraphs == ["{{{"]  # the quoted block that had no entry to belong to
