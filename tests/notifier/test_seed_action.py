"""The founding case's mail action: approved as it stands, and it renders for every member."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from docket.cli import cli
from notifier.action import require_approval, resolve

ROOT = Path(__file__).resolve().parents[2]


def test_the_seed_action_is_approved_as_it_stands() -> None:
    resolved = resolve("a20140408.1", ROOT / "cases", None)
    require_approval(resolved)
    assert resolved.action.id == "heartbleed-notice"
    assert resolved.action.audience.params == {"since": __import__("datetime").date(2011, 12, 1)}


def test_the_seed_action_renders_for_the_demo_audience(demo_db: Path) -> None:
    result = CliRunner().invoke(
        cli, ["notify", "a20140408.1", "--cases", str(ROOT / "cases"), "--directory", str(demo_db),
              "--dry-run"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "--- sample (default) ---" in result.output and "--- sample (de) ---" in result.output
    assert "Dear " in result.output and "Deutsche Fassung" in result.output
    assert "Heartbleed" in result.output
    line = result.output.strip().splitlines()[-1]
    assert line.startswith("dry run: 1745 messages would be sent (")
