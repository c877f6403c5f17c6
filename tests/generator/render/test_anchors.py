"""Anchors a reader can cite: heading ids and permalinks, history-log ids that stay put."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

from generator.collection import check_paths
from generator.config import load_config
from generator.render.anchors import anchor_headings, log_ids
from generator.render.site import SiteOptions, render_site
from tests.support.paths import ROOT


def test_body_headings_get_prefixed_unique_ids_and_permalinks() -> None:
    html, found = anchor_headings(
        "<h3>Details</h3><p>x</p><h4>A &amp; B <a href='y'>a1</a></h4><h3>Details</h3>",
        "execution",
        {"execution"},
    )
    assert found == [
        ("execution-details", "Details"),
        ("execution-a-b-a1", "A & B a1"),
        ("execution-details-2", "Details"),
    ]
    assert (
        '<h3 id="execution-details">Details<a class="headerlink" href="#execution-details"' in html
    )


def test_log_ids_number_entries_per_day() -> None:
    days = [(date(2014, 4, 8), 3), (date(2014, 4, 9), 2), (None, 1), (date(2014, 4, 9), 1)]
    assert log_ids(days) == [
        ("log-2014-04-08", ["log-2014-04-08-1", "log-2014-04-08-2", "log-2014-04-08-3"]),
        ("log-2014-04-09", ["log-2014-04-09-1", "log-2014-04-09-2"]),
        ("log-undated", ["log-undated-1"]),
        ("log-2014-04-09-from-3", ["log-2014-04-09-3"]),
    ]


def _entry_texts(root: Path, number: str) -> dict[str, str]:
    config = load_config(root)
    collection = check_paths([config.cases_dir], config, base=config.root, jobs=1)
    site = render_site(collection.cases, config.root, config.urls, SiteOptions())
    page = next(p for p in site.pages if p.path == f"cases/{number}.md")
    return {
        m[1]: re.sub(r"<[^>]+>", "", m[2])
        for m in re.finditer(
            r'<li class="docket-timeline__entry[^"]*" id="([^"]+)">(.*?)</li>', page.html
        )
    }


def test_log_ids_survive_an_edit_on_another_day(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "cases", root / "cases")
    shutil.copy(ROOT / "docket.toml", root / "docket.toml")
    before = _entry_texts(root, "a20240902.1")
    case = root / "cases" / "2024" / "a20240902.1.md"
    text = case.read_text("utf-8")
    text = text.replace(
        "- 2024-09-12 (C): accepts the DRP",
        "- 2024-09-10 (A): a new line on a new day\n- 2024-09-12 (C): a new first line\n"
        "- 2024-09-12 (C): accepts the DRP",
    )
    case.write_text(text, "utf-8")
    after = _entry_texts(root, "a20240902.1")
    moved = {k: v for k, v in before.items() if not k.startswith("log-2024-09-12")}
    assert moved and all(after[k] == v for k, v in moved.items())
    assert "a new line on a new day" in after["log-2024-09-10-1"]


def test_log_ids_stay_unique_across_several_logs_of_one_page() -> None:
    counts: dict[str, int] = {}
    first = log_ids([(date(2014, 4, 8), 2)], counts)
    second = log_ids([(date(2014, 4, 8), 1)], counts)  # e.g. a merged case's own log
    assert first == [("log-2014-04-08", ["log-2014-04-08-1", "log-2014-04-08-2"])]
    assert second == [("log-2014-04-08-from-3", ["log-2014-04-08-3"])]
