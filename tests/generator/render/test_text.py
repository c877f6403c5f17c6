"""Case text to HTML: sanitised, autolinked, never executable."""

from __future__ import annotations

from generator.render.text import Linker, inline_html, markdown_html, sanitise

URLS = {
    "issue": "https://issue.example.org/?n={number}",
    "motion": "https://motions.example.org/{number}",
    "bug": "https://bugs.example.org/view.php?id={number}",
}


def linker(hash_bugs: bool = False) -> Linker:
    return Linker({"a20140408.1", "a20090618.12"}, URLS, hash_bugs, "cases/a20090618.3/")


def test_scripts_event_handlers_and_javascript_urls_are_removed() -> None:
    html = markdown_html(
        '<script>alert(1)</script> <img src="x.png" onerror="alert(2)">'
        ' [x](javascript:alert(3)) <a href="javascript:alert(4)">y</a> <b onclick="z()">b</b>',
        linker(),
    )
    assert "<script" not in html
    assert "alert(1)" not in html
    assert "onerror" not in html and "onclick" not in html
    assert 'href="javascript' not in html.replace(" ", "")
    assert "<b>b</b>" in html


def test_sanitise_keeps_ordinary_markup() -> None:
    assert sanitise("<p><em>a</em> <code>b</code></p>") == "<p><em>a</em> <code>b</code></p>"


def test_known_case_links_relative_unknown_stays_text() -> None:
    html = markdown_html("see a20140408.1 and a20991231.1", linker())
    assert '<a class="docket-ref docket-ref--case" href="../a20140408.1/">a20140408.1</a>' in html
    assert "a20991231.1" in html
    assert 'href="../a20991231.1/"' not in html


def test_issue_motion_and_bug_links_use_the_url_templates() -> None:
    html = markdown_html("case s20140408.5, motion m20140413.3, bug 1265 and #1266", linker(True))
    assert 'href="https://issue.example.org/?n=s20140408.5"' in html
    assert 'href="https://motions.example.org/m20140413.3"' in html
    assert 'href="https://bugs.example.org/view.php?id=1265">bug 1265</a>' in html
    assert 'href="https://bugs.example.org/view.php?id=1266">#1266</a>' in html


def test_hash_bug_references_only_when_configured() -> None:
    assert "#1266</a>" not in markdown_html("see #1266", linker(False))


def test_no_links_inside_code_pre_or_existing_links() -> None:
    html = markdown_html(
        "`a20140408.1`\n\n```\na20140408.1\n```\n\n[a20140408.1](https://example.org/)", linker()
    )
    assert html.count('class="docket-ref') == 0


def test_unconfigured_templates_leave_references_as_text() -> None:
    plain = Linker({"a20140408.1"}, {}, False, "")
    html = markdown_html("s20140408.5 m20140413.3 bug 1265 a20140408.1", plain)
    assert html.count("<a ") == 1
    assert 'href="cases/a20140408.1/"' in html


def test_headings_inside_sections_are_demoted_below_the_section_heading() -> None:
    html = markdown_html("# Big\n\n## Also big\n\n### Fine", linker())
    assert "<h1" not in html and "<h2" not in html
    assert html.count("<h3") == 3


def test_history_line_is_escaped_and_linked() -> None:
    html = inline_html(
        "case [s20140408.5] <b>not bold</b> `x<y` see https://heartbleed.com/. and a20140408.1",
        linker(),
    )
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html
    assert "<code>x&lt;y</code>" in html
    assert '<a href="https://heartbleed.com/" rel="nofollow">https://heartbleed.com/</a>.' in html
    assert 'href="../a20140408.1/"' in html
    assert 'href="https://issue.example.org/?n=s20140408.5"' in html


def test_angle_bracket_text_that_is_no_element_is_shown_as_text() -> None:
    """Issue 11: the wiki's anonymisation markers and IRC nicks were removed as tags."""
    linker = Linker(frozenset(), {})
    assert markdown_html("Claimant: <anonymized> (C), mail <email anonymized>", linker) == (
        "<p>Claimant: &lt;anonymized&gt; (C), mail &lt;email anonymized&gt;</p>\n"
    )
    assert markdown_html("[22:31] <nick> hm ..", linker) == "<p>[22:31] &lt;nick&gt; hm ..</p>\n"
    # alone on a line, the marker starts an HTML block in CommonMark: still text, and the
    # Markdown after it still renders
    assert markdown_html("<snip>\nthe **rest**", linker) == (
        "<p>&lt;snip&gt;\nthe <strong>rest</strong></p>\n"
    )
    # elements the sanitiser keeps stay markup; code stays code
    assert (
        markdown_html("<b>bold</b> `<x>`", linker) == "<p><b>bold</b> <code>&lt;x&gt;</code></p>\n"
    )


def test_attribute_lists_set_validated_attributes_only() -> None:
    linker = Linker(frozenset(), {})
    assert markdown_html('Der Spruch.\n{: lang="de" }', linker) == '<p lang="de">Der Spruch.</p>\n'
    assert markdown_html('x {: lang=de onclick="y" .docket-note }', linker) == (
        '<p lang="de" class="docket-note">x</p>\n'
    )
    assert markdown_html("### Title {: #My Id }", linker).startswith('<h3 id="my">Title')
