"""Property: each fast search of the checks finds exactly what the plain one it replaced finds.

The check's speed work (docs/performance.md) replaced plain searches by cheaper ones that must
give the same answers: these compare them on random text made of the pieces that matter.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from yaml import ScalarNode
from yaml.resolver import BaseResolver

from generator.checks.crossfile import _CASE_REF_TAIL_RE, cited_cases
from generator.checks.markup import _has_attr_list
from generator.checks.scripts import _script_url_word
from generator.checks.sections import _HINTS, _hinted_lines
from generator.loader import load_text
from generator.references import CASE_REF_RE
from generator.sections import _HEADING, split_sections
from generator.yamlsource import _Loader

# digits (also a non-ASCII one: \d takes it), the number's punctuation, word characters
_REF_PIECES = [
    "a", "a2", "20100101", "1", ".", ".1", "-", "/", "x", " ", "\n", "\u0663", "_",
    "a20100101", "a20100101.1", "a2010010\u0663.1",
]  # fmt: skip
_HINT_PIECES = [*_HINTS, "sur", "name ", "na", "me", "\n", " ", "x", "#", "-", "tbd"]
_SCRIPT_PIECES = ["java", "vb", "script", "scrip", "t", "a", " ", "javascript", "vbscript"]
_BODY_PIECES = [
    "## ", "### ", "#", "```", "~~~", " ", "  ```", "\t", "Ruling", "History Log", "\n", "x",
    "a20100101.1", "a20100101.2", " a20090909.3", "<!-- docket: allow DK202 kept -->", "> ",
]  # fmt: skip


def _text(pieces: list[str], size: int = 40) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=size).map("".join)


@settings(max_examples=400, deadline=None)
@given(_text(_REF_PIECES))
def test_case_numbers_found_from_their_dot_are_case_ref_re_matches(text: str) -> None:
    old = [(m[0], m.start()) for m in CASE_REF_RE.finditer(text)]
    new = [(text[m.start() - 9 : m.end()], m.start() - 9) for m in _CASE_REF_TAIL_RE.finditer(text)]
    assert new == old


@settings(max_examples=300, deadline=None)
@given(_text(_HINT_PIECES))
def test_hinted_lines_are_the_lines_holding_a_hint(text: str) -> None:
    lines = text.split("\n")
    assert _hinted_lines(text) == [
        i for i, line in enumerate(lines) if any(h in line for h in _HINTS)
    ]


@settings(max_examples=300, deadline=None)
@given(_text(_SCRIPT_PIECES, 12))
def test_script_url_word(text: str) -> None:
    assert _script_url_word(text) == ("javascript" in text or "vbscript" in text)


@settings(max_examples=300, deadline=None)
@given(_text(["{", ":", "{:", "x", " ", "\n"], 12))
def test_attribute_list_opening(text: str) -> None:
    assert _has_attr_list(text) == ("{:" in text)


def _headings_of_every_line(lines: list[str]) -> list[tuple[int, str]]:
    """The heading scan as it was: every line looked at."""
    found: list[tuple[int, str]] = []
    in_fence = False
    for i, line in enumerate(lines):
        head = line[:3]
        if head in ("```", "~~~") or (line[:1] == " " and line.lstrip()[:3] in ("```", "~~~")):
            in_fence = not in_fence
            continue
        if head[:2] == "##" and head != "###" and not in_fence:
            match = _HEADING.match(line)
            if match:
                found.append((i, match["title"].strip()))
    return found


@settings(max_examples=300, deadline=None)
@given(_text(_BODY_PIECES, 60))
def test_sections_are_found_from_candidate_lines_as_from_every_line(text: str) -> None:
    lines = text.split("\n")
    sections = split_sections(lines, first_line=1).sections
    assert [(s.line - 1, s.title) for s in sections] == _headings_of_every_line(lines)


_HEADER = "---\ncase: a20100101.1\nstatus: running\ncomplaint: x\nparties: []\n---\n"


def _cited_line_by_line(case_text: str) -> list[tuple[str, int, int]]:
    """Cited numbers as they were found: CASE_REF_RE on each source line of each block."""
    case, _ = load_text(case_text, "a.md")
    assert case is not None
    blocks = [(case.body_line, case.intro)] + [(s.body_line, s.body) for s in case.public_sections]
    found = []
    for first, body in blocks:
        if not CASE_REF_RE.search(body):
            continue
        for offset in range(body.count("\n") + 1):
            for match in CASE_REF_RE.finditer(case.line(first + offset)):
                found.append((match[0], first + offset, match.start() + 1))
    return found


@settings(max_examples=300, deadline=None)
@given(_text(_BODY_PIECES, 60))
def test_cited_cases_as_found_line_by_line(body: str) -> None:
    text = _HEADER + body
    case, _ = load_text(text, "a.md")
    assert case is not None
    assert list(cited_cases(case)) == _cited_line_by_line(text)


_YAML11_TEXT = {"on", "off", "yes", "no", "y", "n"}


_YAML_WORDS = [
    *[
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "NO",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
    ],
    *["null", "Null", "NULL", "~", "n", "N", "y", "Y", "t", "f", "tRUE", "nulL"],
    *["", "true\n", "null\n", "True ", " null"],
]
_YAML_PIECES = ["n", "N", "t", "T", "f", "F", "rue", "RUE", "alse", "ull", "o", "~", " ", "\n", "1"]


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(st.sampled_from(_YAML_WORDS), _text(_YAML_PIECES, 6)), st.booleans(), st.booleans()
)
def test_yaml_resolver_fast_path_gives_the_base_resolvers_tags(
    value: str, plain: bool, quoted: bool
) -> None:
    """The loader's tags are the base resolver's, except that YAML 1.1 words (on, no, ...) and
    plain text that cannot be typed are text by design."""
    loader = _Loader("")
    expected = BaseResolver.resolve(loader, ScalarNode, value, (plain, quoted))
    if (
        plain
        and value
        and (value[0] not in "0123456789+-.~nNtTfF" or value.lower() in _YAML11_TEXT)
    ):
        expected = "tag:yaml.org,2002:str"
    assert loader.resolve(ScalarNode, value, (plain, quoted)) == expected
