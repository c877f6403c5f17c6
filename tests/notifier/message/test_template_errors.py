"""An error in an included template is reported at the included file's own line."""

from __future__ import annotations

from pathlib import Path

from tests.notifier.conftest import CASE, Sink, make_directory
from tests.notifier.test_bad_input import MEMBERS, approve, run


def test_an_error_in_an_included_file_names_that_file_and_line(
    tmp_path: Path, cases: Path, sink: Sink
) -> None:
    folder = cases / "2020" / CASE
    (folder / "parts").mkdir()
    (folder / "parts" / "footer.txt").write_text(
        "--\nThe test team\nCall {{ phone }}\n", encoding="utf-8"
    )
    template = folder / "notice.txt.j2"
    template.write_text(
        template.read_text(encoding="utf-8") + '{% include "parts/footer.txt" %}\n',
        encoding="utf-8",
    )
    approve(cases)
    members = make_directory(tmp_path / "members.sqlite", MEMBERS)
    result = run(cases, members, sink)
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {folder / 'parts' / 'footer.txt'}:3:1: template error: 'phone' is undefined"
    )
    assert sink.received == []
