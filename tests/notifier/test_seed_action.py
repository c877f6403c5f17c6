"""The founding case's mail action: approved as it stands, and it renders for every member."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from docket.cli import cli
from notifier.approval.action import require_approval, resolve

ROOT = Path(__file__).resolve().parents[2]


def test_the_seed_action_is_approved_as_it_stands() -> None:
    resolved = resolve("a20140408.1", ROOT / "cases", None)
    require_approval(resolved)
    assert resolved.action.id == "heartbleed-notice"
    assert str(resolved.action.audience.params["since"]) == "2011-12-01"


def test_the_seed_action_renders_for_the_demo_audience(demo_db: Path) -> None:
    result = CliRunner().invoke(
        cli, ["notify", "a20140408.1", "--cases", str(ROOT / "cases"), "--directory", str(demo_db),
              "--dry-run"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "--- sample (default) ---" in result.output and "--- sample (de) ---" in result.output
    assert "Dear " in result.output
    assert "Heartbleed" in result.output
    line = result.output.strip().splitlines()[-1]
    assert line.startswith("dry run: 1745 messages would be sent (")


def test_german_members_get_the_german_text_too(demo_db: Path) -> None:
    from notifier.message.compose import Composer, TemplateSet

    resolved = resolve("a20140408.1", ROOT / "cases", None)
    composer = Composer(
        TemplateSet(resolved.template_file), case="a20140408.1", action="heartbleed-notice",
        sender=resolved.action.sender, subject=resolved.action.subject, run_id="t",
    )  # fmt: skip
    row = {"fname": "Jürgen", "lname": "Weiß", "language": "de_DE"}
    german, variant = composer.render(row)
    assert variant == "de"
    assert german.startswith("Dear Jürgen Weiß,") and "Deutsche Fassung" in german
    assert "Liebe(r) Jürgen Weiß," in german
    english, variant = composer.render({**row, "language": "en_US"})
    assert variant == "default" and "Deutsche Fassung" not in english
