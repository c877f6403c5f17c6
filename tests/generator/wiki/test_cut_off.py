"""Exports are often cut off anywhere: every prefix of every fixture page imports (or fails with a
message), passes the check, and never carries private text, not even in a finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import Config
from generator.wiki.importer import import_pages
from tests.generator.wiki.conftest import WIKI
from tests.generator.wiki.test_importer import CASE_PAGES, SECRETS
from tests.generator.wiki.test_real_exports import ISSUE_20_PAGES
from tests.generator.wiki.test_real_exports import SECRETS as ISSUE_20_SECRETS


@pytest.mark.parametrize("name", CASE_PAGES + ISSUE_20_PAGES)
def test_every_cut_of_a_page_imports_without_private_text(
    name: str, tmp_path: Path, repo_config: Config
) -> None:
    text = (WIKI / name).read_text("utf-8")
    page = tmp_path / name
    step = max(5, len(text) // 60)
    for cut in range(1, len(text), step):
        page.write_text(text[:cut], "utf-8")
        report = import_pages([page], tmp_path / "cases", repo_config, dry_run=True)
        for result in report.results:
            output = (result.text or "") + "\n".join(map(str, result.findings))
            assert not [s for s in SECRETS + ISSUE_20_SECRETS if s in output], (cut, output)
            failures = [f.message for f in result.findings if f.failed]
            assert not [m for m in failures if "would not pass docket check" in m], (cut, failures)
            assert result.outcome == "would write" or failures, cut
