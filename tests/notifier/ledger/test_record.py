"""--record: one line into the Execution section, every other byte unchanged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from notifier.ledger.record import RecordError, append_execution_line, record_line

LINE = record_line(
    date(2014, 4, 10), "heartbleed-notice", {"sent": 5, "deferred": 1, "failed": 2, "invalid": 3}
)


def test_record_line_format() -> None:
    assert (
        LINE
        == "- 2014-04-10 (notifier): heartbleed-notice: 5 sent, 1 deferred, 2 failed, 3 invalid"
    )


def test_appends_after_the_last_entry(tmp_path: Path) -> None:
    text = (
        "---\ncase: a20200102.1\n---\n## History Log\n\n- 2020-01-02 (C): x\n\n"
        "## Execution\n\n- 2020-01-03 (A): one\n- 2020-01-04 (A): two\n  continued\n\n"
        "(needs update)\n\n### Execution details\n\n- 2020-01-09 (A): not this list\n\n"
        "## Similar Cases\n\nnone\n"
    )
    path = tmp_path / "a20200102.1.md"
    path.write_text(text, encoding="utf-8")
    at = append_execution_line(path, LINE)
    after = path.read_text(encoding="utf-8")
    lines = after.split("\n")
    assert lines[at - 1] == LINE
    assert lines[at - 2] == "  continued"
    lines.pop(at - 1)
    assert "\n".join(lines) == text


def test_section_without_entries(tmp_path: Path) -> None:
    text = "---\ncase: x\n---\n## Execution\n\nNothing yet.\n\n## Similar Cases\n\nnone\n"
    path = tmp_path / "c.md"
    path.write_text(text, encoding="utf-8")
    append_execution_line(path, LINE)
    assert path.read_text(encoding="utf-8") == (
        "---\ncase: x\n---\n## Execution\n\nNothing yet.\n\n"
        + LINE
        + "\n\n## Similar Cases\n\nnone\n"
    )


def test_execution_section_at_the_end_with_crlf(tmp_path: Path) -> None:
    text = "---\r\ncase: x\r\n---\r\n## Execution\r\n\r\n- 2020-01-03 (A): one\r\n"
    path = tmp_path / "c.md"
    path.write_bytes(text.encode())
    append_execution_line(path, LINE)
    assert (
        path.read_bytes()
        == (
            "---\r\ncase: x\r\n---\r\n## Execution\r\n\r\n- 2020-01-03 (A): one\r\n" + LINE + "\r\n"
        ).encode()
    )


def test_no_execution_section(tmp_path: Path) -> None:
    path = tmp_path / "c.md"
    path.write_text("---\ncase: x\n---\n## Ruling\n\n```\n## Execution\n```\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(RecordError, match="no '## Execution' section"):
        append_execution_line(path, LINE)
    assert path.read_bytes() == before
