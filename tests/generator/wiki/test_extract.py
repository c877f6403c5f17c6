"""Facts extracted from each fixture page, field by field (the case-file format aside)."""

from __future__ import annotations

from datetime import date

import pytest

from generator.config import Config
from generator.wiki.extract import extract
from generator.wiki.facts import UNKNOWN, Extracted, Where
from generator.wiki.shapes import PageError
from tests.generator.wiki.conftest import WIKI, Extract


def _parties(facts: Extracted) -> list[tuple[str | None, str, object]]:
    return [(p.role, p.side, p.name) for p in facts.parties]


def _officers(facts: Extracted) -> list[tuple[str, str, bool]]:
    return [(o.role, o.name, o.former) for o in facts.officers]


def _messages(facts: Extracted) -> list[str]:
    return [str(f) for f in facts.findings]


def test_raw_flattened_page(page: Extract) -> None:
    f = page("raw_flat_a20100314.2.txt")
    assert (f.shape, f.number, f.number_where) == ("raw", "a20100314.2", Where(1, 2))
    assert (f.status, f.status_written) == ("closed", "Closed")
    assert f.complaint == (
        "Dear arbitrators, my assurer entered 35 points although the form said 10. Please "
        "correct my points. Nora"
    )  # the {{{ }}} block holding the whole mail, without its braces
    assert f.relief is None  # TBD is a placeholder
    assert (f.started, f.ruled, f.closed) == (
        date(2010, 3, 20),
        date(2010, 5, 2),
        date(2010, 5, 30),
    )
    assert _parties(f) == [("C", "claimant", "Nora B"), ("R", "respondent", "CAcert")]
    assert _officers(f) == [
        ("CM", "LarsKeil", False),
        ("A", "IrisMond", False),
        ("A", "HugoFels", True),
    ]
    assert f.private == "wiki page Arbitrations/priv/a20100314.2"
    assert f.merged_from == ["a20100316.1"]
    assert [s.title for s in f.sections] == [
        "History Log",
        "Original Dispute, Discovery (Private Part) (optional)",
        "Original Dispute",
        "Discovery",
        "Deliberations",
        "Intermediate Ruling #1",
        "Ruling",
        "Execution",
        "Similiar Cases",
    ]
    log = [line.text for line in f.history]
    assert log[2] == "- 2010-03-21 (A): init mail sent to C, bug #855 noted"  # no colon on the page
    assert log[3] == "- 2010-04-02 (A): steps back, IrisMond takes over"  # no parentheses
    assert log[4] == "- 2010-04-03 (): asks support for the assurance list"  # no actor
    assert log[7] == "- 2010-05-02 (A): ruling sent, see Ruling below"  # log lines show no **
    assert log[8:] == [
        "### log from case a20100316.1",
        "- 2010-03-16 (issue.c.o): case [s20100316.2]",
        "- 2010-03-17 (C): same complaint filed twice",
        "### EOT log from case a20100316.1",
    ]
    discovery = next(s for s in f.sections if s.title == "Discovery")
    assert discovery.lines[:4] == [
        "| **assurer** | **points** |",
        "|---|---|",
        "| AS1 | 35 |",
        "| AS2 | 10 |",
    ]
    deliberations = next(s for s in f.sections if s.title == "Deliberations")
    assert deliberations.lines == [
        "The arbitrator considered a20091120.1 and the "
        "[Assurance Policy](https://wiki.example.org/AssurancePolicy)."
    ]
    assert (f.refs.issues, f.refs.motions, f.refs.bugs) == (
        ["s20100314.9", "s20100316.2"],
        ["m20100305.2"],
        [855],
    )
    assert f.refs.cases == ["a20091120.1"] and f.refs.policies == ["p20091108", "CCA 2.5.2"]
    messages = _messages(f)
    assert (
        "wiki/raw_flat_a20100314.2.txt:1:1498: heading 'Deliberations' is not one the case format knows: kept as a section of its own"
        in messages
    )
    assert any("1 line(s) of private-part text left out" in m for m in messages)
    assert any("macro(s) the export had already emptied" in m for m in messages)


def test_raw_page_with_lines(page: Extract) -> None:
    f = page("raw_lines_a20090505.3.txt")
    assert (f.status, f.status_written) == ("execution", "execute")
    assert f.complaint == "My name was spelt wrong in the certificate and in the account"
    assert f.relief == "- correct the name\n- issue a new certificate"  # empty value, then bullets
    assert (f.started, f.ruled, f.closed) == (date(2009, 5, 10), date(2009, 6, 1), None)
    assert _officers(f) == [
        ("iCM", "GerdaHahn", False),  # "Inital Case Manager"
        ("CM", "GerdaHahn", True),  # "former Case Manager"
        ("CM", "TimoLang", False),
        ("A", "VeraKorn", False),
        ("SA", "UweStolz", False),
    ]
    assert [line.text for line in f.history] == [
        "- 2009-05-05 (issue.c.o): case [s20090505.4]",
        "- undated (A): Hello Bodo, I am the arbitrator of your case.",
        "- undated (C): Thank you, the name should read Bodo with one d.",
        "- 2009-06-01 (A): ruling sent",
        "  - sub note: sent also to support",
        "- 2009-06-02 (Triage): this line is fine",
        "- undated (): this line has no date and no actor at all",  # kept in its place
    ]
    assert (
        "wiki/raw_lines_a20090505.3.txt:26: text in the History Log that is no entry: kept in its "
        "place, as quoted text of the entry above it (an undated entry when none is above it)"
        in _messages(f)
    )


def test_print_header_page(page: Extract) -> None:
    f = page("print_a20140219.1.txt")
    assert (f.shape, f.status, f.status_written) == ("print", "closed", "close")
    assert (
        f.complaint == "An organisation administrator was added without the organisation's consent"
    )
    assert f.relief == "remove the administrator"
    assert _parties(f) == [("C", "claimant", "Selma V"), ("R", "respondent", "CAcert")]
    assert f.parties[0].note == "in role as OA"
    assert _officers(f) == [
        ("iCM", "JakobHeld", False),
        ("CM", "JakobHeld", False),
        ("A", "MiraSonne", False),
    ]
    log = [line.text for line in f.history]
    assert log[2] == "- 2014-02-22 (A): init mail to C"  # printed without its bullet
    assert log[3] == "- 2014-02-23 (A): asks support for the organisation record"
    assert log[5] == "  - case selected for review by the supervising team"
    assert log[6] == "- (C): confirms the record"
    messages = _messages(f)
    assert (
        "wiki/print_a20140219.1.txt:14: the 'Before:' line holds a placeholder for A ('name arbitor'), the header names MiraSonne: the header is kept"
        in messages
    )
    assert "wiki/print_a20140219.1.txt:2: status 'close' read as 'closed'" in messages
    assert f.refs.issues == ["s20140219.33", "s20140301.7"] and f.refs.bugs == [1131]


def test_rendered_page_from_before(page: Extract) -> None:
    f = page("rendered_a20150907.1.txt")
    assert (f.shape, f.number, f.has_header) == ("rendered", "a20150907.1", False)
    assert (f.status, f.complaint, f.started, f.ruled, f.closed) == (UNKNOWN,) * 5
    assert [(p.role, p.formerly, p.name, p.note) for p in f.parties] == [
        ("C1", ["C"], "CAcert", "Support - originally filed by Dirk W"),
        ("C2", [], "Anton G", None),
    ]
    assert _officers(f) == [("A", "Petra Lind", False)]
    assert f.history == []
    assert [s.title for s in f.sections] == [
        "History Log",
        "Private Part",
        "origianl Dispute",
        "Discovery 1",
        "Discovery 2",
        "Interim Ruling",
        "Ruling",
        "Similiar Cases",
    ]
    messages = _messages(f)
    assert (
        "wiki/rendered_a20150907.1.txt:1: the 'Before:' line names no respondent ('-'): none imported"
        in messages
    )
    assert (
        "wiki/rendered_a20150907.1.txt:2: the History Log has no entries in this export (rendered pages lose them)"
        in messages
    )
    assert any("last edited 2015-10-13" in note for note in f.notes)


def test_page_cut_off_in_the_middle_and_starting_mid_text(page: Extract) -> None:
    f = page("rendered_midtext_a20111203.4.txt")
    assert f.number == "a20111203.4" and f.truncated
    assert f.parties == [] and f.officers == []
    assert f.intro == [
        "and then the assurer did not answer my mails for three months, so I ask arbitration to look into it."
    ]
    messages = _messages(f)
    assert (
        "wiki/rendered_midtext_a20111203.4.txt:1: case number a20111203.4 taken from the file name"
        in messages
    )
    assert any(
        m.startswith("wiki/rendered_midtext_a20111203.4.txt:3: the page seems cut off here")
        for m in messages
    )


def test_founding_page(page: Extract) -> None:
    f = page("founding_a20140408.1.txt")
    assert (f.shape, f.number, f.status) == ("print", "a20140408.1", "closed")
    assert _parties(f) == [
        ("C", "claimant", "Michael T"),
        ("C2", "claimant", "Ron C"),
        ("R", "respondent", "CAcert"),
    ]
    assert f.parties[0].note == "as Organization Admin for CAcert"
    assert f.parties[1].joined == date(2014, 4, 11) and f.parties[1].note is None
    assert len(f.history) == 51  # as many entries as the hand-written case file


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "the file is empty"),
        ("not_a_case.txt", "not a case page"),
        ("latin1_a20100101.1.txt", "is not UTF-8"),
    ],
)
def test_bad_pages_raise_a_clear_error(name: str, message: str, repo_config: Config) -> None:
    with pytest.raises(PageError, match=message):
        extract(name, (WIKI / name).read_bytes(), repo_config.email_allowed)


def test_header_and_before_disagree_the_header_wins(repo_config: Config) -> None:
    text = (
        "- Case Number: a20120101.1\n- Status: running\n- Claimants: Anna B\n- Respondents: CAcert\n"
        "Case Manager: Pia M\nArbitrator: Otto K\n- Date of arbitration start: 2012-01-05\n"
        "- Complaint: x\nBefore: Arbitrator Karl Z (A), Respondent: CAcert (R), Claimant: Anna B (C), "
        "Bert C (C2), Case: a20120101.1\nHistory Log\n- 2012-01-05 (A): start\n"
    )
    f = extract("p.txt", text.encode(), repo_config.email_allowed)
    assert _officers(f) == [("CM", "Pia M", False), ("A", "Otto K", False)]
    assert _parties(f) == [("C", "claimant", "Anna B"), ("R", "respondent", "CAcert")]
    messages = _messages(f)
    assert (
        "p.txt:9: the 'Before:' line names Karl Z (A), the header Otto K: the header is kept"
        in messages
    )
    assert (
        "p.txt:9: the 'Before:' line names claimant Bert C (C2), the header does not: the header is kept"
        in messages
    )


def test_private_text_reaches_no_fact_and_no_finding(page: Extract) -> None:
    secrets = ("1971-02-03", "Hidden Lane", "0170 5550123", "Birch Road")
    for name in ("raw_flat_a20100314.2.txt", "print_a20140219.1.txt"):
        f = page(name)
        everything = repr(f) + "\n".join(_messages(f))
        assert not [s for s in secrets if s in everything], name


def test_counter_claim_former_party_sub_heading_quotes_and_private_link(page: Extract) -> None:
    f = page("raw_lines_a20151125.1.txt")
    assert [(p.role, p.side, p.name, p.formerly, p.left) for p in f.parties] == [
        ("C", "claimant", "Hedda M", [], None),
        ("R1", "respondent", "CAcert", [], None),
        ("R2", "respondent", "Rolf B", ["R"], None),  # "(R, later R2)"
        (
            "RC1",
            "counter-respondent",
            "Hedda M",
            [],
            None,
        ),  # the claimant, answering a counter-claim
        ("R3", "respondent", "Uwe K", [], UNKNOWN),  # "Former parties:" after the Before: line
    ]
    assert f.intro == []  # the Former parties line became facts
    assert [line.text for line in f.history] == [
        "- 2015-11-25 (issue.c.o): case [s20151125.6]",
        "- 2015-11-30 (A): init mails sent",
        "### Interference with case started",
        "- 2015-12-01 (R2): writes to C directly",
        "```",
        "Dear Hedda, please reconsider.",
        "```",
        "- 2015-11-29 (C): forwards the mail",
        "> I asked him to stop before.",
    ]
    assert f.private == "wiki page Arbitrations/priv/a20151125.1, Access for (CM) + (A) only"
    assert any("Summary: first case with a counter-claim in 2015" in note for note in f.notes)
    messages = _messages(f)
    assert (
        "wiki/raw_lines_a20151125.1.txt:12: 'Summary: first case with a counter-claim in 2015': "
        "header field not in the case-file format; kept in the Import Notes"
    ) in messages
    everything = repr(f) + "\n".join(messages)
    assert "Quiet Street" not in everything and "0171 5550199" not in everything


def _text(text: str, repo_config: Config) -> Extracted:
    return extract("p.txt", text.encode(), repo_config.email_allowed)


PRINT_HEAD = "- Case Number: a20140219.1\n- Status: running\n- Complaint: x\nHistory Log\n- 2014-02-19 (A): x\n"


def test_the_end_marker_without_a_private_heading_fails_the_page(repo_config: Config) -> None:
    with pytest.raises(
        PageError, match="'EOT Private Part' with no private part above it"
    ) as caught:
        _text(
            PRINT_HEAD + "Original Dispute\nMy phone is 0170 5550123.\nEOT Private Part\n",
            repo_config,
        )
    assert caught.value.where == Where(8) and "0170" not in caught.value.message


def test_everything_up_to_the_end_marker_is_private_whatever_its_headings(
    repo_config: Config,
) -> None:
    f = _text(
        PRINT_HEAD
        + "Private Part\nDiscovery\nMy phone is 0170 5550123.\nEOT Private Part\nRuling\nDone.\n",
        repo_config,
    )
    assert [s.title for s in f.sections] == ["History Log", "Private Part", "Ruling"]
    assert "0170" not in repr(f)


def test_only_the_pointer_of_a_link_line_is_kept(repo_config: Config) -> None:
    f = _text(
        PRINT_HEAD
        + "Private Part\nLink to Arbitration case a20140219.1 (Private Part), Access for "
        "(CM) + (A) only. Phone 0170 5550123\nEOT Private Part\n",
        repo_config,
    )
    assert (
        f.private
        == "Link to Arbitration case a20140219.1 (Private Part), Access for (CM) + (A) only"
    )
    assert "0170" not in repr(f)


def test_a_raw_heading_glued_to_other_text_still_starts_its_section(repo_config: Config) -> None:
    f = _text(
        " * Case Number: a20140219.1\n * Status: running\n== History Log ==\n . 2014-02-19 (A): x"
        " == Private Part == <<Include(Arbitrations/priv/a20140219.1)>>\nPhone 0170 5550123\n"
        "== EOT Private Part ==\n",
        repo_config,
    )
    assert [s.title for s in f.sections] == ["History Log", "Private Part"]
    assert f.private == "wiki page Arbitrations/priv/a20140219.1"
    assert "0170" not in repr(f)


def test_appeal_page_with_heading_variants(page: Extract) -> None:
    f = page("rendered_appeal_a20110511.1.txt")
    assert f.number == "a20110511.1"  # "Review Before: ... Case: a20110511.1 Appeal Before ..."
    assert _parties(f) == [("R", "respondent", "CAcert"), ("C1", "claimant", "Reinhold P")]
    assert _officers(f) == [("A", "Jan Wolters", False)]
    assert [s.title for s in f.sections] == [
        "History Log",
        "Original Dispute, Discovery (Private Part)",
        "Original Dispute by C1 (Reinhold) against R1 (CAcert)",
        "Grounds for appeal",
        "Discovery 4a",
        "Intermediate Ruling 2 (confirmed by Supervising-Arbitrator)",
        "Ruling:",
        "Similiar Cases",
    ]
    private = f.sections[1]
    assert private.lines == [
        "Link to Arbitration case a20110511.1 (Private Part), Access for (CM) + (A) only",
        "EOT Private Part",  # "EOT private part" on the page
    ]
    assert [(r.title, r.date, r.final) for r in f.rulings] == [
        ("Intermediate Ruling 2 (confirmed by Supervising-Arbitrator)", date(2011, 6, 1), False),
        ("Ruling:", date(2011, 7, 15), True),
    ]
    assert f.intro == ["The appeal of the ruling in a20110120.2 is heard by three arbitrators."]
    assert f.refs.cases == ["a20110120.2"] and f.refs.policies == ["DRP 3.4"]
    assert (
        "wiki/rendered_appeal_a20110511.1.txt:1: the 'Before:' line gives the code A1 without a name: none imported"
        in _messages(f)
    )


def test_2009_dialogue_page_without_headings(page: Extract) -> None:
    f = page("rendered_dialogue_a20090412.1.txt")
    # periods instead of commas between the segments, no comma before Case:
    assert _parties(f) == [("R", "respondent", "CAcert"), ("C", "claimant", "Lisa H")]
    assert _officers(f) == [("A", "Max Weber", False)]
    assert f.sections == [] and f.history == []
    text = [line for line in f.intro if line]
    assert text[0] == "Dispute about a name mismatch between ID and account"  # above Before:
    assert (
        text[-1]
        == "A: Ruling: the account name may omit the second given name. 2009-05-02, Hamburg"
    )
    assert not f.truncated  # a sign-off with a date ends the page


def test_a_table_of_contents_naming_the_private_part_starts_nothing(repo_config: Config) -> None:
    f = _text(
        "Before: Arbitrator X Y (A), Respondent: CAcert (R), Claimant: Jo B (C), Case: a20110101.1\n"
        "Contents\n1. History Log\n2. Original Dispute, Discovery (Private Part)\n3. Ruling\n"
        "History Log\nOriginal Dispute, Discovery (Private Part)\nLink to Arbitration case "
        "a20110101.1 (Private Part), Access for (CM) + (A) only\nEOT Private Part\nRuling\nDone.\n",
        repo_config,
    )
    assert [s.title for s in f.sections] == [
        "History Log",
        "Original Dispute, Discovery (Private Part)",
        "Ruling",
    ]  # the table of contents is left out (and reported)
    assert any("table of contents (3 line(s)) left out" in x.message for x in f.findings)


def test_a_log_entry_mentioning_the_private_part_stays_an_entry(repo_config: Config) -> None:
    f = _text(
        PRINT_HEAD + "- 2014-02-20 (CM): copied the mails to the (Private Part)\n"
        "- 2014-02-21 (A): next step\nPrivate Part\nEOT Private Part\n",
        repo_config,
    )
    assert [line.text for line in f.history][1:] == [
        "- 2014-02-20 (CM): copied the mails to the (Private Part)",
        "- 2014-02-21 (A): next step",
    ]
