"""A page's search record (generator/render/search/records.py): only its public text, entities
decoded, the title weighted, frequencies capped, picklable across processes."""

from __future__ import annotations

import json
import pickle

from generator.render.search.records import (
    IGNORE,
    TITLE_WEIGHT,
    page_text,
    public_html,
    search_record,
)
from tests.generator.render.search.conftest import case_page


def test_public_html_drops_ignored_elements_whole() -> None:
    page = (
        f"<article><p>kept one</p><nav {IGNORE}><nav>inner</nav><p>gone</p></nav>"
        f'<p>kept two mentions {IGNORE} as words</p><dd class="x" {IGNORE}>gone too</dd>'
        f'<img {IGNORE} alt="x"><p>kept three</p></article>'
    )
    text = page_text(public_html(page))
    assert "kept one" in text and "kept two" in text and "kept three" in text
    assert "gone" not in text and "inner" not in text and IGNORE in text


def test_public_html_without_end_tag_leaves_out_the_rest() -> None:
    assert "secret" not in public_html(f"<p>a</p><div {IGNORE}><p>secret</p>")


def test_page_text_separates_elements_and_decodes_entities() -> None:
    text = page_text("<ul><li>Hans S</li><li><span>R</span> Team</li></ul><p>a &amp; b</p>")
    assert text.split() == ["Hans", "S", "R", "Team", "a", "&", "b"]


def test_frequencies_are_capped_at_255() -> None:
    record = search_record("cases/x/", "x", case_page("<p>" + "word " * 300 + "</p>"))
    assert record.term_counts()["word"] == 255


def test_search_record_indexes_public_text_only_and_weights_the_title() -> None:
    html = case_page(
        f"<h1>a20140408.1 Heartbleed</h1><p>heartbleed and stowe.</p>"
        f"<section {IGNORE}><p>linkedtitle words</p></section>"
    )
    record = search_record("cases/a20140408.1/", "a20140408.1: Heartbleed", html)
    counts = record.term_counts()
    assert counts["stowe"] == 1 and counts["heartbleed"] == 2 + TITLE_WEIGHT
    assert "linkedtitle" not in counts and b"linkedtitle" not in record.doc
    head, text = record.doc.decode("utf-8").split("\n", 1)
    assert json.loads(head) == {
        "url": "cases/a20140408.1/",
        "title": "a20140408.1: Heartbleed",
        "meta": {"status": "Closed", "date": "2014-05-01"},
    }
    assert "heartbleed and stowe." in text
    assert pickle.loads(pickle.dumps(record)) == record  # records cross process boundaries
