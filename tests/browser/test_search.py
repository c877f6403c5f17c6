"""Search as a visitor uses it, in a real browser on the fixture archive: by case number,
name, word and phrase; folding, prefixes, AND; excerpts; what a query downloads."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.support.paths import FIXTURES
from tests.support.site import ARCHIVE_FIXTURE, SITE_URL, make_project, mkdocs_build, serve

RESULT = ".md-search-result__item"


def _search(page: Page, query: str) -> list[str]:
    """The result titles for `query`, once the answer to exactly this query is shown."""
    page.click("#docket-search-input")
    page.fill("#docket-search-input", query)
    page.wait_for_function(
        "q => document.querySelector('[data-docket-search-result]')"
        ".getAttribute('data-docket-search-done') === q",
        arg=query,
    )
    expect(page.locator(".md-search-result__meta")).not_to_contain_text("not available")
    return page.locator(f"{RESULT} h1").all_inner_texts()


def _numbers(titles: list[str]) -> list[str]:
    return [t.split(":")[0] for t in titles]


def test_case_number_finds_the_case_first(page: Page, fixture_url: str) -> None:
    page.goto(fixture_url)
    for query in ("a20140408.1", "20140408", "A20140408", "a20140408"):
        assert _numbers(_search(page, query))[:1] == ["a20140408.1"], query


def test_names_fold_case_and_diacritics(page: Page, fixture_url: str) -> None:
    page.goto(fixture_url)
    for query in ("EvaStöwe", "evastowe", "Stöwe", "stowe", "STOWE", "stöwe"):
        assert {"a20140408.1", "a20200101.1"} <= set(_numbers(_search(page, query))), query
    assert "a20140408.1" in _numbers(_search(page, "Michael T"))


def test_german_and_cyrillic_words(page: Page, fixture_url: str) -> None:
    page.goto(fixture_url)
    for query in ("Schlüsselübergabe", "schlusselubergabe", "DÜSSELDORF", "ёжик", "ЕЖИК", "туман"):
        assert _numbers(_search(page, query)) == ["a20200101.1"], query


def test_every_term_is_a_prefix_and_all_must_match(page: Page, fixture_url: str) -> None:
    page.goto(fixture_url)
    assert "a20140408.1" in _numbers(_search(page, "heartble"))
    assert _numbers(_search(page, "heartb düssel")) == ["a20200101.1"]  # AND, both prefixes
    assert _search(page, "heartbleed zzqqxxnothing") == []
    expect(page.locator(".md-search-result__meta")).to_have_text("No matching documents")


def test_excerpt_marks_the_hits_as_text_only(page: Page, fixture_url: str) -> None:
    page.goto(fixture_url)
    _search(page, "heartbleed stöwe")
    marks = page.locator(f"{RESULT} mark")
    expect(marks.first).to_be_visible()
    texts = {t.lower() for t in marks.all_inner_texts()}
    assert texts and texts <= {"heartbleed", "evastöwe"}, texts
    tags = page.evaluate(
        """() => [...document.querySelectorAll('.md-search-result__list *')]
              .map(e => e.tagName + (e.tagName === 'MARK' && e.children.length ? '!' : ''))"""
    )
    assert set(tags) <= {"LI", "A", "ARTICLE", "H1", "P", "MARK"}, set(tags)
    facts = page.locator(f"{RESULT} .docket-search-facts").first.inner_text()
    assert " · " in facts


def test_a_query_downloads_only_what_it_needs(page: Page, fixture_url: str) -> None:
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "/search/" in r.url else None)
    page.goto(fixture_url)
    shown = _search(page, "heartbleed")
    assert shown
    names = [u.split("/search/", 1)[1] for u in fetched]
    assert names.count("index.json") == 1
    results = [n for n in names if "/d/" in n]
    chunks = [n for n in names if "/t/" in n]
    assert len(results) == len(shown) and 1 <= len(chunks) <= 2, names
    assert set(names) == {"index.json", *results, *chunks}


def test_the_shared_tokeniser_vectors_hold_in_the_browser(page: Page, fixture_url: str) -> None:
    """docket-search.js tokenises as search.py does: the vectors Python asserts too
    (tests/generator/render/search/test_tokens.py), run in Chromium."""
    page.goto(fixture_url)
    vectors = json.loads((FIXTURES / "search-tokeniser.json").read_text("utf-8"))
    found = page.evaluate(
        """v => {
          const t = window.docketSearchTerms;
          const once = a => [...new Set(a.filter(Boolean))];
          return {
            fold: v.fold.map(([w]) => [w, t.fold(w)]),
            word_terms: v.word_terms.map(([w]) => [w, once(t.wordTerms(w)).sort(
              (a, b) => (a < b ? -1 : a > b ? 1 : 0))]),
            query_terms: v.query_terms.map(([q]) => [q, t.queryTerms(q)]),
            index_terms: v.index_terms.map(([text, terms]) =>
              [text, t.queryTerms(text).filter(q => !terms.includes(q))]),
          };
        }""",
        vectors,
    )
    assert found["fold"] == vectors["fold"]
    assert found["word_terms"] == vectors["word_terms"]
    assert found["query_terms"] == vectors["query_terms"]
    assert found["index_terms"] == [[text, []] for text, _ in vectors["index_terms"]]


def test_slash_and_s_open_the_search_box(page: Page, fixture_url: str) -> None:
    """Material's shortcuts: "/" or "s" focus the search box, but not while typing elsewhere."""
    for key in ("/", "s"):
        page.goto(fixture_url + "cases/")
        page.keyboard.press(key)
        expect(page.locator("#docket-search-input")).to_be_focused()
        expect(page.locator("#docket-search-input")).to_have_value("")
        assert page.evaluate("document.getElementById('__search').checked")
    page.goto(fixture_url + "cases/")
    page.fill("#filter-person", "")
    page.focus("#filter-person")
    page.keyboard.type("s/")
    expect(page.locator("#filter-person")).to_have_value("s/")
    expect(page.locator("#docket-search-input")).not_to_be_focused()


def test_an_index_of_another_format_is_never_read(page: Page, fixture_url: str) -> None:
    """A cached script meeting a newer index (or the reverse) says so instead of misreading."""
    page.route(
        "**/search/index.json",
        lambda route: route.fulfill(
            status=200,
            content_type="application/json",
            body=json.dumps({"format": 999, "generation": "x", "docs": 0, "chunks": []}),
        ),
    )
    page.goto(fixture_url)
    page.click("#docket-search-input")
    page.fill("#docket-search-input", "heartbleed")
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_contain_text("not available")
    expect(meta).to_contain_text("index format 999")
    expect(page.locator(".md-search-result__item")).to_have_count(0)


def test_result_lines_come_from_the_themes_translations(
    page: Page, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The archive in German: the search box's lines are Material's German ones."""
    project = make_project(
        tmp_path_factory.mktemp("de") / "project",
        ARCHIVE_FIXTURE / "cases",
        ARCHIVE_FIXTURE / "docket.toml",
        SITE_URL,
    )
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("language: en", "language: de"), "utf-8")
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    with serve(project / "site") as url:
        page.goto(url)
        meta = page.locator(".md-search-result__meta")
        expect(meta).to_have_text("Suchbegriff eingeben")
        assert _search(page, "zzqqxxnothing") == []
        expect(meta).to_have_text("Keine Suchergebnisse")
        _search(page, "heartbleed")
        expect(meta).to_contain_text("2 Suchergebnisse")
