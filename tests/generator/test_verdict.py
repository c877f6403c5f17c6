"""`judge`: the findings printed and judged once for `docket check`, `docket export` and the
site plugin."""

from __future__ import annotations

import io
from pathlib import Path

from generator.collection import check_paths
from generator.config import Config
from generator.verdict import Verdict, judge
from tests.support.paths import FIXTURES

CHECKS = FIXTURES / "checks"


def _judged(
    folder: Path,
    config: Config,
    *,
    output_format: str = "text",
    strict: bool = False,
    quiet: bool = False,
) -> tuple[str, Verdict]:
    out = io.StringIO()
    collection = check_paths([folder], config, jobs=1)
    verdict = judge(collection, out, output_format=output_format, strict=strict, quiet=quiet)
    assert out.getvalue() == (verdict.report + "\n" if verdict.report else "")
    return out.getvalue(), verdict


def test_an_error_fails_and_is_printed(config: Config) -> None:
    printed, verdict = _judged(CHECKS / "DK104", config)
    assert "DK104 'ruled' (2014-04-07) is before 'started'" in printed
    assert printed.endswith("1 error, 0 warnings in 1 file\n")
    assert verdict == Verdict(printed[:-1], errors=1, warnings=0, failed=True)


def test_warnings_fail_only_when_strict(config: Config) -> None:
    _, lenient = _judged(CHECKS / "DK202", config)
    _, strict = _judged(CHECKS / "DK202", config, strict=True)
    assert lenient.warnings == strict.warnings > 0
    assert not lenient.failed and strict.failed


def test_quiet_prints_nothing_when_nothing_was_found(config: Config, tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    assert _judged(tmp_path / "cases", config)[0] == "0 errors, 0 warnings in 0 files\n"
    printed, verdict = _judged(tmp_path / "cases", config, quiet=True)
    assert printed == "" and not verdict.failed


def test_quiet_leaves_the_acknowledged_out(config: Config) -> None:
    folder = CHECKS / "acknowledged"
    assert "2 acknowledged" in _judged(folder, config)[0]
    assert _judged(folder, config, quiet=True)[0] == ""  # acknowledged only: nothing found


def test_each_format(config: Config) -> None:
    github, _ = _judged(CHECKS / "DK104", config, output_format="github")
    assert github.startswith("::error file=")
    json_text, _ = _judged(CHECKS / "DK104", config, output_format="json")
    assert json_text.startswith("[")
