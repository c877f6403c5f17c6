"""Pages to checked case files: every written file passes `docket check`, private text never
reaches the output, bad pages fail alone, existing files stay, pages of one case merge."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.collection import check_paths
from generator.config import Config, load_config
from generator.diagnostics import Severity
from generator.loader import load_case
from generator.wiki.importer import ImportReport, import_pages
from tests.generator.wiki.conftest import WIKI
from tests.support.paths import ROOT

CASE_PAGES = [
    "dup_raw_a20121105.1.txt",
    "dup_rendered_a20121105.1.txt",
    "founding_a20140408.1.txt",
    "print_a20140219.1.txt",
    "raw_flat_a20100314.2.txt",
    "raw_lines_a20090505.3.txt",
    "raw_lines_a20151125.1.txt",
    "rendered_a20150907.1.txt",
    "rendered_appeal_a20110511.1.txt",
    "rendered_dialogue_a20090412.1.txt",
    "rendered_midtext_a20111203.4.txt",
]
BAD_PAGES = ["empty.txt", "latin1_a20100101.1.txt", "not_a_case.txt"]
# Text that only the private parts of the fixture pages hold.
SECRETS = (
    "1971-02-03",
    "Hidden Lane",
    "0170 5550123",
    "Birch Road",
    "Quiet Street",
    "0171 5550199",
)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "docket.toml", tmp_path / "docket.toml")
    (tmp_path / "cases").mkdir()
    return tmp_path


def _import(repo: Path, names: list[str], **options: bool) -> ImportReport:
    config = load_config(repo)
    paths = [WIKI / name for name in names]
    return import_pages(
        paths, repo / "cases", config, shown=[f"wiki/{n}" for n in names], **options
    )


def test_every_case_page_is_written_and_passes_docket_check(repo: Path) -> None:
    report = _import(repo, CASE_PAGES + BAD_PAGES)
    outcomes = {r.number or r.sources[0]: r.outcome for r in report.results}
    assert outcomes == {
        "wiki/empty.txt": "failed",
        "wiki/latin1_a20100101.1.txt": "failed",
        "wiki/not_a_case.txt": "failed",
        "a20121105.1": "written",
        "a20140408.1": "written",
        "a20140219.1": "written",
        "a20100314.2": "written",
        "a20090505.3": "written",
        "a20151125.1": "written",
        "a20150907.1": "written",
        "a20110511.1": "written",
        "a20090412.1": "written",
        "a20111203.4": "written",
    }
    assert report.failed
    written = sorted(
        p.relative_to(repo / "cases").as_posix() for p in (repo / "cases").rglob("*.md")
    )
    assert written == [
        "2009/a20090412.1.md",
        "2009/a20090505.3.md",
        "2010/a20100314.2.md",
        "2011/a20110511.1.md",
        "2011/a20111203.4.md",
        "2012/a20121105.1.md",
        "2014/a20140219.1.md",
        "2014/a20140408.1.md",
        "2015/a20150907.1.md",
        "2015/a20151125.1.md",
    ]
    checked = check_paths([repo / "cases"], load_config(repo), jobs=1, base=repo)
    errors = [d for d in checked.diagnostics if d.severity is Severity.ERROR]
    assert errors == []
    assert not list((repo / "cases").rglob("*.tmp")), "no temporary file is left behind"


def test_bad_pages_fail_with_a_message_and_the_others_still_import(repo: Path) -> None:
    report = _import(
        repo, ["empty.txt", "print_a20140219.1.txt", "latin1_a20100101.1.txt", "not_a_case.txt"]
    )
    messages = [str(f) for r in report.results for f in r.findings if f.failed]
    assert messages == [
        "wiki/empty.txt:1: the file is empty: nothing to import (export the page again)",
        "wiki/latin1_a20100101.1.txt:1:60: byte 0xf6 is not UTF-8: export the page again as UTF-8 (or convert it, e.g. iconv -f latin1 -t utf-8)",
        "wiki/not_a_case.txt:1: not a case page (no case number): a case page has a 'Case Number:' header, a 'Before: ... Case: aYYYYMMDD.N' line or the case's sections; nothing imported",
    ]
    assert (repo / "cases" / "2014" / "a20140219.1.md").is_file()


def test_private_text_never_reaches_the_output(repo: Path) -> None:
    report = _import(repo, CASE_PAGES, dry_run=True)
    output = "\n".join((r.text or "") + "\n".join(map(str, r.findings)) for r in report.results)
    assert "Included on the wiki from `Arbitrations/priv/a20100314.2`" in output  # the pointer
    assert not [s for s in SECRETS if s in output]
    for name in ("raw_flat_a20100314.2.txt", "print_a20140219.1.txt", "raw_lines_a20151125.1.txt"):
        source = (WIKI / name).read_text("utf-8")
        assert any(s in source for s in SECRETS), "the fixture must hold private text"


def test_an_existing_file_is_kept_unless_force(repo: Path) -> None:
    target = repo / "cases" / "2014" / "a20140219.1.md"
    target.parent.mkdir()
    target.write_text("kept\n", "utf-8")
    report = _import(repo, ["print_a20140219.1.txt"])
    assert report.failed and target.read_text("utf-8") == "kept\n"
    assert [str(f) for f in report.results[0].findings if f.failed] == [
        f"wiki/print_a20140219.1.txt:1: {_shown(target)} exists: not replaced (use --force to replace it)"
    ]
    report = _import(repo, ["print_a20140219.1.txt"], force=True)
    assert not report.failed and target.read_text("utf-8").startswith("---\ncase: a20140219.1\n")


def _shown(target: Path) -> str:
    try:
        return str(target.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(target)


def test_dry_run_writes_nothing(repo: Path) -> None:
    report = _import(repo, ["raw_flat_a20100314.2.txt"], dry_run=True)
    assert [r.outcome for r in report.results] == ["would write"]
    assert report.results[0].text is not None and report.results[0].text.startswith(
        "---\ncase: a20100314.2\n"
    )
    assert list((repo / "cases").iterdir()) == []


def test_two_pages_of_one_case_are_merged_and_reported(repo: Path) -> None:
    report = _import(repo, ["dup_rendered_a20121105.1.txt", "dup_raw_a20121105.1.txt"])
    (result,) = report.results
    assert result.sources == ["wiki/dup_raw_a20121105.1.txt", "wiki/dup_rendered_a20121105.1.txt"]
    messages = [str(f) for f in result.findings]
    assert (
        "wiki/dup_raw_a20121105.1.txt:1:2: wiki/dup_rendered_a20121105.1.txt is the same case "
        "a20121105.1: merged into one file (this page's facts win where they differ)"
    ) in messages
    case, found = load_case(repo / "cases" / "2012" / "a20121105.1.md")
    assert case is not None and not [d for d in found if d.severity is Severity.ERROR]
    # Discovery only the rendered page has; the raw page's log; the rendered page's pointer
    # (the raw export had reduced the include to "<>"), so no note is left to make.
    assert [s.title for s in case.sections] == [
        "History Log",
        "Private Part",
        "Original Dispute",
        "Discovery",
    ]
    assert len(case.history) == 2
    assert (
        case.header.private
        == "Link to Arbitration case a20121105.1 (Private Part), Access for (CM) + (A) only"
    )
    assert [(o.role, o.name) for o in case.header.officers] == [
        ("CM", "ArneBlum"),
        ("A", "KimHolm"),
    ]


def test_page_oddities_are_kept_and_acknowledged(repo: Path, repo_config: Config) -> None:
    report = _import(repo, ["print_a20140219.1.txt"], dry_run=True)
    text = report.results[0].text or ""
    assert (
        "- 2014-02-19 (issus.c.o): case [s20140219.33] <!-- docket: allow DK303 as on the wiki page -->"
        in text
    )
    assert (
        "- 2014-02-21 (iCM): added to wiki <!-- docket: allow DK301 as on the wiki page -->" in text
    )
    assert "status: close\n" in text and "  DK109: as on the wiki page\n" in text


def test_cut_off_page_says_so_in_the_file(repo: Path) -> None:
    report = _import(repo, ["rendered_midtext_a20111203.4.txt"], dry_run=True)
    text = report.results[0].text or ""
    assert (
        "- The exported page seems cut off before its end; what followed is not in this file."
        in text
    )
    assert "DK305: the export of the wiki page is cut off" in text
