"""The classes of failure seen importing real exported case pages (issue 20), one fixture each:
nothing that names a case is refused, nothing is moved out of its section, nothing is made up,
a cut-off export is said, header and `Before:` disagreements are kept, one person is one person.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.collection import check_paths
from generator.config import Config, load_config
from generator.diagnostics import Severity
from generator.loader import load_text
from generator.model import Case, SectionKind
from generator.wiki.extract import extract
from generator.wiki.facts import Extracted
from generator.wiki.importer import ImportReport, PageResult, import_pages
from tests.generator.wiki.conftest import WIKI
from tests.support.paths import ROOT

ISSUE_20_PAGES = [
    "refused_midtext_a20120416.2.txt",
    "refused_comment_a20130722.1.txt",
    "moved_reasoning_a20150312.1.txt",
    "officer_sentence_a20161204.1.txt",
    "cutoff_print_a20110118.3.txt",
    "cutoff_rendered_a20110204.2.txt",
    "refs_blank_a20140722.1.txt",
    "private_pointer_a20110115.1.txt",
    "headings_print_a20150605.2.txt",
    "flat_lists_a20130909.1.txt",
    "wrapped_rendered_a20120827.1.txt",
    "people_a_a20161011.2.txt",
    "people_b_a20161020.1.txt",
    "late_header_a20170301.1.txt",
]
# Text that only the private parts of these pages hold.
SECRETS = ("Elm Court", "0172 5550188", "0173 5550144")


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "docket.toml", tmp_path / "docket.toml")
    (tmp_path / "cases").mkdir()
    return tmp_path


def _import(repo: Path, *names: str, config: Config | None = None) -> ImportReport:
    return import_pages(
        [WIKI / n for n in names],
        repo / "cases",
        config or load_config(repo),
        dry_run=True,
        shown=[f"wiki/{n}" for n in names],
    )


def _one(repo: Path, name: str) -> tuple[PageResult, str, Case]:
    (result,) = _import(repo, name).results
    assert result.outcome == "would write", [str(f) for f in result.findings]
    assert result.text is not None
    case, problems = load_text(result.text, "x.md")
    assert case is not None, problems
    return result, result.text, case


def _messages(result: PageResult) -> list[str]:
    return [f.message for f in result.findings]


def test_every_page_is_imported_checks_clean_and_keeps_private_text_out(repo: Path) -> None:
    report = import_pages(
        [WIKI / n for n in ISSUE_20_PAGES],
        repo / "cases",
        load_config(repo),
        shown=[f"wiki/{n}" for n in ISSUE_20_PAGES],
    )
    assert [r.outcome for r in report.results] == ["written"] * len(ISSUE_20_PAGES)
    checked = check_paths([repo / "cases"], load_config(repo), jobs=1, base=repo)
    assert [d for d in checked.diagnostics if d.severity is Severity.ERROR] == []
    output = "\n".join((r.text or "") + "\n".join(map(str, r.findings)) for r in report.results)
    assert not [s for s in SECRETS if s in output]


# 1. pages that name a case are never refused


def test_a_fragment_named_by_its_file_is_imported_with_a_note(repo: Path) -> None:
    result, text, case = _one(repo, "refused_midtext_a20120416.2.txt")
    assert case.header.case == "a20120416.2"
    assert any("taken from the file name" in m for m in _messages(result))
    assert "neither a header nor a 'Before:' line" in text  # said in the Import Notes
    assert "seems to start inside the page" in text
    for line in (
        "Frankfurt, 2012-05-20",
        "two server certificates expire in June.",
    ):
        assert line in text
    source = (WIKI / "refused_midtext_a20120416.2.txt").read_text("utf-8")
    # every marker as written (the archive shows bracketed words as text)
    assert text.count("<Anonymized>") == source.count("<Anonymized>") == 5


def test_a_comment_line_above_the_header_does_not_hide_the_header(repo: Path) -> None:
    _result, text, case = _one(repo, "refused_comment_a20130722.1.txt")
    assert case.header.status == "closed"
    assert str(case.header.started) == "2013-07-25"
    assert [p.name for p in case.header.parties] == ["Pia W", "CAcert"]
    assert [(o.role, o.name) for o in case.header.officers] == [
        ("CM", "OskarLind"),
        ("A", "AnnaBerg"),
    ]
    assert "- Case Number:" not in text


# 2. text is never moved out of its section


def test_log_paragraphs_stay_in_the_log_in_order(repo: Path) -> None:
    _result, text, case = _one(repo, "moved_reasoning_a20150312.1.txt")
    log = text.split("## History Log\n", 1)[1].split("\n## ", 1)[0]
    assert "History log lines that fit no entry form" not in text
    order = [
        "- undated (): This log holds the mails of both cases.",
        "- 2015-03-12 (issue.c.o)",
        "### log from case a20150301.3",
        "- 2015-03-02 (C)",
        "### EOT log from case a20150301.3",
        "- 2015-04-20 (A): asks support about the older account",
        "> The older account holds two assurances",
        "> The newer account holds the points",
        "- 2015-05-10 (A): ruling sent",
    ]
    positions = [log.index(piece) for piece in order]
    assert positions == sorted(positions)
    assert "EOT EOT" not in text
    assert case.header.refs.issues == ["s20150312.8", "s20150301.2"]
    # the entries after the sub-log's end belong to the main log again
    entry = next(e for e in case.history if e.text.startswith("asks support"))
    assert "older account holds two assurances" in entry.quote


# 3. a sentence is not a name


def test_an_officer_value_holding_a_sentence_gives_names_and_a_note(repo: Path) -> None:
    result, _text, case = _one(repo, "officer_sentence_a20161204.1.txt")
    officers = [(o.role, o.name, o.until is not None) for o in case.header.officers]
    assert officers[:2] == [("iCM", "HelgaStrom", True), ("iCM", "JonasWeber", False)]
    later = case.header.officers[1]
    assert later.note == "filed the dispute following DRO decisions m20161121.2 and m20161121.3"
    assert case.header.refs.motions == ["m20161121.2", "m20161121.3"]
    assert any("read as" in m and "HelgaStrom" in m for m in _messages(result))


# 4. a cut-off export is said, never acknowledged as the wiki's own state


def test_a_page_ending_in_an_empty_log_entry_is_cut_off(repo: Path) -> None:
    result, text, _case = _one(repo, "cutoff_print_a20110118.3.txt")
    assert any("seems cut off" in m for m in _messages(result))
    assert "as on the wiki page" not in text
    assert "DK122: the export of the wiki page is cut off" in text
    assert "seems cut off before its end" in text


def test_a_page_ending_mid_word_is_cut_off(repo: Path) -> None:
    result, text, _case = _one(repo, "cutoff_rendered_a20110204.2.txt")
    assert any("seems cut off" in m for m in _messages(result))
    assert "DK305: the export of the wiki page is cut off" in text


# 5. no value is made from text that is not that value


def test_a_clause_is_never_read_across_lines(repo: Path) -> None:
    _result, _text, case = _one(repo, "refs_blank_a20140722.1.txt")
    assert case.header.refs.policies == ["CCA 1.3"]
    assert case.header.refs.bugs == [1293]


# 6. the private pointer is kept


def test_a_private_pointer_without_link_to_is_kept(repo: Path) -> None:
    _result, text, case = _one(repo, "private_pointer_a20110115.1.txt")
    private = text.split("## Private Part\n", 1)[1].split("\n## ", 1)[0]
    assert "Arbitration case a20110115.1 (Private Part)" in private
    assert case.header.private == "Arbitration case a20110115.1 (Private Part)"
    assert not [s for s in SECRETS if s in text]
    assert "1 line(s) of the private part were left out" in text


# 7. headings


def test_headings_of_printed_pages_are_recognised(repo: Path) -> None:
    result, text, case = _one(repo, "headings_print_a20150605.2.txt")
    assert [s.title for s in case.sections if s.title != "Import Notes"] == [
        "History Log",
        "Private Part",
        "Dispute by C1 (Rita G) against R2 (Hans P) (originally in a20150520.1)",
        "Discovery for intermediate ruling",
        "Ruling",
    ]
    assert [s.kind.value for s in case.sections][2:4] == ["dispute", "discovery"]
    assert "### Interim steps" in text  # a log sub-heading stays in the log
    assert "Contents" not in text
    assert case.header.refs.cases == ["a20150520.1"]  # named in a heading
    assert [(p.role, p.name) for p in case.header.parties] == [
        ("C1", "Rita G"),
        ("R1", "CAcert"),
        ("R2", "Hans P"),
    ]
    assert any("table of contents" in m for m in _messages(result))


# 8. flattened raw pages


def test_flattened_lists_entries_and_markup(repo: Path) -> None:
    _result, text, case = _one(repo, "flat_lists_a20130909.1.txt")
    dispute = case.section(SectionKind.DISPUTE)
    assert dispute is not None
    assert "- removal of the second assurance\n- a note to the assurer\n- a check" in dispute.body
    discovery = case.section(SectionKind.DISCOVERY)
    assert discovery is not None
    assert "1. Identity\n2. Points\n3. Selection." in discovery.body
    assert "!IsAssurer" not in text and "The flag IsAssurer was set" in text
    assert "Arbitrations/Training/Lesson20" in text
    execution = case.section(SectionKind.EXECUTION)
    assert execution is not None
    assert execution.body.count("\n") >= 1
    assert "{{{" not in text and "}}}" not in text
    assert case.header.complaint == "as mailed to support: I was assured twice by the same assurer."


# 9. hard-wrapped lines of rendered pages


def test_hard_wrapped_lines_are_one_paragraph(repo: Path) -> None:
    _result, text, _case = _one(repo, "wrapped_rendered_a20120827.1.txt")
    assert (
        "I was assured by an assurer who did not check my ID document properly and I want the "
        "assurance removed so that nobody can say my account is not sound.\n\nSecond paragraph"
    ) in text
    assert "checked the document as the assurance handbook asks." in text


# 10. one person across spellings


def test_header_and_before_disagreement_is_printed_and_kept(repo: Path) -> None:
    result, _text, case = _one(repo, "people_a_a20161011.2.txt")
    arbitrator = next(o for o in case.header.officers if o.role == "A")
    assert arbitrator.name == "Tomas H"
    assert arbitrator.note == "the 'Before:' line names Tomas Hallberg"
    assert arbitrator.account == "Tomas Hallberg"  # the page itself says who Tomas H is
    assert any("Tomas Hallberg" in m and "Tomas H" in m for m in _messages(result))


def test_import_proposes_aliases_and_uses_the_table(repo: Path) -> None:
    report = _import(repo, "people_a_a20161011.2.txt", "people_b_a20161020.1.txt")
    proposed = report.proposed_aliases
    assert proposed == {
        "GretaLindqvist": ["Greta Lindqvist"],
        "Tomas Hallberg": ["Tomas H"],
    }
    (repo / "docket.toml").write_text(
        (repo / "docket.toml").read_text("utf-8")
        + '\n[people]\nGretaLindqvist = ["Greta Lindqvist"]\n"Tomas Hallberg" = ["Tomas H"]\n',
        "utf-8",
    )
    report = _import(repo, "people_a_a20161011.2.txt", "people_b_a20161020.1.txt")
    assert report.proposed_aliases == {}
    a, b = (r.text or "" for r in report.results)
    assert "{role: A, name: Tomas H, account: Tomas Hallberg" in a
    assert "{role: CM, name: Greta Lindqvist, account: GretaLindqvist}" in b


def _extract(text: str, name: str = "page_a20130722.1.txt") -> Extracted:
    return extract(name, text.encode("utf-8"), load_config(ROOT).email_allowed)


def test_processing_instructions_above_the_header_do_not_hide_it() -> None:
    f = _extract(
        "#format wiki\n#language en\n * Case Number: a20130722.1\n * Status: closed\n"
        " * Arbitrator: [[AnnaBerg]]\n"
    )
    assert f.status == "closed" and [o.name for o in f.officers] == ["AnnaBerg"]
    assert "2 wiki comment line(s) ('## ...') were left out." in f.notes


def test_a_bold_sub_log_heading_is_a_sub_log() -> None:
    f = _extract(
        " * Case Number: a20130722.1\n== History Log ==\n . 2013-07-22 (A): merged\n"
        "'''log from case a20130701.2'''\n . 2013-07-01 (C): filed [s20130701.9]\n"
        "EOT log from case a20130701.2\n . 2013-07-25 (A): next\n"
    )
    assert [line.text for line in f.history if line.heading] == [
        "### log from case a20130701.2",
        "### EOT log from case a20130701.2",
    ]
    assert "s20130701.9" in f.refs.issues
    assert f.merged_from == ["a20130701.2"]


def test_a_sub_log_line_of_a_printed_page_is_never_joined_to_the_entry_above() -> None:
    f = _extract(
        "- Case Number: a20130722.1\nHistory Log\n- 2013-07-22 (A): merged\n"
        "log from case a20130701.2:\n- 2013-07-01 (C): filed\nEOT log from case a20130701.2\n"
    )
    assert [line.text for line in f.history] == [
        "- 2013-07-22 (A): merged",
        "### log from case a20130701.2:",
        "- 2013-07-01 (C): filed",
        "### EOT log from case a20130701.2",
    ]
    assert f.merged_from == ["a20130701.2"]


def test_a_date_after_bug_is_no_bug_number() -> None:
    f = _extract(" * Case Number: a20130722.1\n== Discovery ==\nbug 2014-07-29 was a duplicate\n")
    assert f.refs.bugs == []


def test_an_officer_note_in_parentheses_and_addresses_in_notes() -> None:
    f = _extract(
        " * Case Number: a20130722.1\n * Supervising Arbitrator: Karl H (SA) and reviewer\n"
        " * Arbitrator: [[AnnaBerg]], later [[OttoWeg]] wrote to otto@example.net about it\n"
    )
    assert [(o.role, o.name, o.note) for o in f.officers] == [
        ("SA", "Karl H", "(SA) and reviewer"),
        ("A", "AnnaBerg", None),
        ("A", "OttoWeg", "wrote to <email anonymized> about it"),
    ]


def test_several_names_in_one_officer_value_are_several_officers() -> None:
    f = _extract(
        " * Case Number: a20130722.1\n"
        " * initial Case Manager: [[OskarLind]] (until 2013-07-24), [[AnnaBerg]] (since 2013-07-24)\n"
        " * Arbitrator: [[AnnaBerg]], [[OttoWeg]]\n"
    )
    assert [(o.role, o.name, o.note) for o in f.officers] == [
        ("iCM", "OskarLind", "until 2013-07-24"),
        ("iCM", "AnnaBerg", "since 2013-07-24"),
        ("A", "AnnaBerg", None),
        ("A", "OttoWeg", None),
    ]


def test_a_flattened_sentence_with_numbers_is_no_list() -> None:
    f = _extract(
        " * Case Number: a20130722.1 * Status: closed == Discovery == The sections 2. and 3. of "
        "the policy apply here, as the arbitrator explained in the mail of the day before. == "
        "Ruling == Done. 2013-08-01"
    )
    discovery = next(s for s in f.sections if s.title == "Discovery")
    assert discovery.lines == [
        "The sections 2. and 3. of the policy apply here, as the arbitrator explained in the "
        "mail of the day before."
    ]


def test_a_header_after_the_before_line_and_navigation_is_read(repo: Path) -> None:
    result, text, case = _one(repo, "late_header_a20170301.1.txt")
    assert case.header.status == "closed" and str(case.header.ruled) == "2017-04-10"
    assert [(o.role, o.name, o.account, o.note) for o in case.header.officers] == [
        ("iCM", "Mia Sommer", "MiaSommer", None),  # same letters: one person
        ("CM", "MiaSommer", None, None),
        ("A", "Lukas B", "Lukas Brandt", "the 'Before:' line names Lukas Brandt"),  # the page says
    ]
    assert case.header.refs.policies == ["CCA 2.5"]  # read once the wrapped line is joined
    assert "Case Number:" not in text
    assert any(
        "the header names Lukas B, the 'Before:' line Lukas Brandt" in m for m in _messages(result)
    )


def test_flattened_dated_entries_with_actors_are_apart() -> None:
    f = _extract(
        " * Case Number: a20130909.1 * Status: closed == Execution == 2013-10-02 (A): mail to "
        "support 2013-10-05 (support): assurance removed, see the mail of 2013-10-01 (attached) "
        "== Similiar Cases == none known to the arbitrator at the time of the ruling, 2013-10-06"
    )
    execution = next(s for s in f.sections if s.title == "Execution")
    assert execution.lines == [
        "2013-10-02 (A): mail to support",
        "2013-10-05 (support): assurance removed, see the mail of 2013-10-01 (attached)",
    ]


def test_an_exported_private_page_is_never_imported(tmp_path: Path) -> None:
    page = tmp_path / "Arbitrations_priv_a20120416.2.txt"
    page.write_text("Olaf lives at Elm Court 4, phone 0172 5550188.\n", "utf-8")
    report = import_pages([page], tmp_path / "cases", load_config(ROOT), dry_run=True)
    (result,) = report.results
    assert result.outcome == "failed"
    messages = "\n".join(str(f) for f in result.findings)
    assert "private part page" in messages and "Elm Court" not in messages


def test_private_text_between_two_headings_on_one_raw_line_is_never_a_title() -> None:
    """Found by the mutation test: `== Private Part == ... == EOT Private Part ==` on one line
    was read as one heading whose title held the private text."""
    f = _extract(
        " * Case Number: a20130722.1\n== History Log ==\n . 2013-07-22 (A): x\n"
        "== Private Part == Olaf lives at Elm Court 4. == EOT Private Part ==\n"
        "== Original Dispute ==\nPublic text.\n"
    )
    titles = [s.title for s in f.sections]
    assert titles == ["History Log", "Private Part", "Original Dispute"]
    assert not [s for s in SECRETS if s in repr(f.sections) + repr(f.findings)]
