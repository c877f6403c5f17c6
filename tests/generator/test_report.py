"""The reporters (generator/report.py), one per --format, called directly on diagnostics made
here: the text lines and summary, the JSON array, GitHub's workflow commands escaped."""

from __future__ import annotations

import json

from generator.diagnostics import Diagnostic, Severity
from generator.report import (
    REPORTERS,
    GithubReporter,
    JsonReporter,
    TextReporter,
    summary,
)

ERROR = Diagnostic("2014/a20140408.1.md", 4, 17, "DK001", "not UTF-8", Severity.ERROR)
WARNING = Diagnostic("2014/a20140408.1.md", 9, 1, "DK005", "CRLF line ends", Severity.WARNING)
NOTE = Diagnostic("2015/a,b:c.md", 2, 3, "DK502", "private text\nsecond line 100%", Severity.NOTE)
ALLOWED = Diagnostic("2014/a20140408.1.md", 20, 3, "DK301", "log out of order", Severity.ERROR,
                     allowed="log order as kept on the wiki")  # fmt: skip


def test_every_format_has_its_reporter() -> None:
    assert {"text": TextReporter, "json": JsonReporter, "github": GithubReporter} == REPORTERS


def test_the_summary_counts_each_severity_in_words() -> None:
    assert summary([], 1) == "0 errors, 0 warnings in 1 file"
    assert summary([ERROR, WARNING, NOTE], 2, allowed=1) == (
        "1 error, 1 warning, 1 note, 1 acknowledged in 2 files"
    )


def test_text_lines_then_the_summary() -> None:
    text = TextReporter().render([ERROR, WARNING], 3)
    assert text.splitlines() == [
        "2014/a20140408.1.md:4:17: DK001 not UTF-8",
        "2014/a20140408.1.md:9:1: DK005 [warning] CRLF line ends",
        "1 error, 1 warning in 3 files",
    ]


def test_text_acknowledged_are_counted_and_listed_on_request() -> None:
    hidden = TextReporter().render([], 1, allowed=[ALLOWED])
    assert (
        hidden
        == "0 errors, 0 warnings, 1 acknowledged in 1 file (--show-allowed lists the acknowledged)"
    )
    shown = TextReporter().render([], 1, allowed=[ALLOWED], show_allowed=True).splitlines()
    assert shown[0] == (
        "2014/a20140408.1.md:20:3: DK301 log out of order"
        " [acknowledged: log order as kept on the wiki]"
    )


def test_json_is_every_finding_in_file_order_acknowledged_marked() -> None:
    rows = json.loads(JsonReporter().render([WARNING, ERROR], 1, allowed=[ALLOWED]))
    assert [(r["line"], r["code"]) for r in rows] == [(4, "DK001"), (9, "DK005"), (20, "DK301")]
    assert rows[0] == {"path": "2014/a20140408.1.md", "line": 4, "col": 17, "code": "DK001",
                       "severity": "error", "message": "not UTF-8"}  # fmt: skip
    assert rows[2]["allowed"] is True and rows[2]["reason"] == "log order as kept on the wiki"
    assert json.loads(JsonReporter().render([], 0)) == []


def test_github_annotations_escape_what_the_syntax_uses() -> None:
    lines = GithubReporter().render([ERROR, NOTE], 2).splitlines()
    assert lines[0] == "::error file=2014/a20140408.1.md,line=4,col=17,title=DK001::not UTF-8"
    assert lines[1] == (
        "::notice file=2015/a%2Cb%3Ac.md,line=2,col=3,title=DK502::private text%0Asecond line 100%25"
    )
    assert lines[2] == "1 error, 0 warnings, 1 note in 2 files"
    shown = GithubReporter().render([], 1, allowed=[ALLOWED], show_allowed=True).splitlines()
    assert shown[0] == (
        "::notice file=2014/a20140408.1.md,line=20,col=3,title=DK301 (acknowledged)"
        "::log out of order [log order as kept on the wiki]"
    )
