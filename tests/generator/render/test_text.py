"""Case text to HTML: sanitised, autolinked, never executable."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.references import BUG_REF_RE, CASE_REF_RE, ISSUE_REF_RE, MOTION_REF_RE
from generator.render.text import (
    Linker,
    _md,
    inline_html,
    markdown_html,
    sanitise,
    simple_markdown,
)

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


# -- the fast paths give exactly what the plain ways give ----------------------------------------

_TRICKY = "ab \"'-+=#1.)*_`<>&[]!|~\\\t\r\x00\x0c\xa0\u3000{}:"
_LINE_STARTS = ["", "", "- ", "-", "  ", "    ", "1. ", "2) ", "# ", "> ", "* ", "+ ", "=", "---"]


@st.composite
def prose(draw: st.DrawFn) -> str:
    """Text shaped like case sections (paragraphs, bullet lists, blank lines), with any of the
    characters and line starts Markdown treats specially mixed in."""
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.integers(0, 3)) == 0:
            lines.append(draw(st.sampled_from(["", "", "  ", "\t"])))  # blank, or almost
            continue
        start = draw(st.sampled_from(_LINE_STARTS))
        words = draw(st.lists(st.sampled_from(["word", "a20140408.1", '"q"', "x"]), max_size=4))
        tail = draw(st.text(alphabet=_TRICKY, max_size=4))
        lines.append(start + " ".join(words) + draw(st.sampled_from(["", tail])))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prose())
def test_simple_markdown_is_the_parsers_output_or_none(text: str) -> None:
    fast = simple_markdown(text)
    assert fast is None or fast == _md.render(text)


def test_simple_markdown_takes_the_common_shapes() -> None:
    text = 'One "line"\nand another.\n\n- item a20140408.1\n- item 2\n\nAfter 2014-08-31, Köln.\n'
    assert simple_markdown(text) == _md.render(text)
    for parser_only in (
        "- a\n\n- b",
        "p\n- x",
        "- a\nb",
        "x  \ny",
        "1. x",
        "*x*",
        "a\n===",
        "    c",
    ):
        assert simple_markdown(parser_only) is None


def _plain_patterns(linker: Linker) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The Linker's patterns as they read without the look-aheads that make them fast."""
    parts = [rf"(?P<case>{CASE_REF_RE.pattern})"]
    for kind, ref in (("issue", ISSUE_REF_RE), ("motion", MOTION_REF_RE), ("bug", BUG_REF_RE)):
        if linker.urls.get(kind):
            parts.append(rf"(?P<{'bugref' if kind == 'bug' else kind}>{ref.pattern})")
    if linker.urls.get("bug") and linker.hash_bugs:
        parts.append(r"(?P<hashref>(?<![\w&#])#\d{3,6}\b)")
    refs = "|".join(parts)
    html_pattern = re.compile(
        r"(?:(?P<skip><(?P<tag>a|code|pre)\b[^>]*>.*?</(?P=tag)\s*>)"
        rf"|(?:{refs})(?![^<>]*>))",
        re.DOTALL | re.IGNORECASE,
    )
    return re.compile(refs), html_pattern


_REF_TEXT = st.lists(
    st.sampled_from(
        ["a20140408.1", "A20140408.1", "s20140408.5", "\u017f20140408.5", "m20140413.x", "bug 12",
         "BUG#12", "Bug-7", "#1266", "&#1266;", "<a href='a20140408.1'>", "</a>", "<CODE>",
         "</code>", "<pre>", "</PRE>", "<abbr>", "<p>", "</p>", ">", "<", " ", "x", "/", "-", "."]
    ),
    max_size=12,
).map("".join)  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(_REF_TEXT, st.booleans(), st.sampled_from([{}, URLS, {"bug": URLS["bug"]}]))
def test_linker_look_aheads_change_no_match(
    text: str, hash_bugs: bool, urls: dict[str, str]
) -> None:
    fast = Linker({"a20140408.1"}, urls, hash_bugs, "cases/a20090618.3/")
    plain_text, plain_html = _plain_patterns(fast)
    assert fast.link_text(text) == plain_text.sub(fast._link, text)
    assert fast.link_html(text) == plain_html.sub(fast._link_or_keep, text)
