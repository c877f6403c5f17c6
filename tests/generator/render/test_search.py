"""docket's search index: tokenising and folding, the page text it indexes, the files it
writes (term chunks, result files, the manifest) and how they are replaced."""

from __future__ import annotations

import json
import pickle
import sys
from array import array
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.search import (
    IGNORE,
    META,
    TITLE_WEIGHT,
    BackgroundSearch,
    SearchRecords,
    _count,
    fold,
    page_text,
    public_html,
    query_terms,
    search_record,
    text_terms,
    word_terms,
    write_index,
)

VECTORS = json.loads(
    (Path(__file__).parents[2] / "fixtures" / "search-tokeniser.json").read_text("utf-8")
)


def test_the_shared_tokeniser_vectors_hold_in_python() -> None:
    """The same file is asserted against docket-search.js in tests/browser/test_search.py."""
    for word, folded in VECTORS["fold"]:
        assert fold(word) == folded, word
    for token, terms in VECTORS["word_terms"]:
        assert sorted(word_terms(token)) == terms, token
    for query, terms in VECTORS["query_terms"]:
        assert query_terms(query) == terms, query
    for text, terms in VECTORS["index_terms"]:
        assert sorted(text_terms(text)) == terms, text
        fast = sorted(t.decode("utf-8") for t in _count(text.encode("utf-8"))[0])
        assert fast == terms, text
        assert set(query_terms(text)) <= set(terms), text  # a text finds itself


def test_fold_is_case_and_diacritics_insensitive() -> None:
    assert fold("Stöwe") == fold("Stowe") == fold("stöwe") == fold("STÖWE") == "stowe"
    assert fold("Straße") == "strasse"
    assert fold("Ёжик") == "ежик" and fold("МОСКВА") == "москва"
    assert fold("Ångström") == "angstrom"


def test_word_terms_of_case_numbers_names_and_dotted_words() -> None:
    assert set(word_terms("a20140408.1")) == {
        "a20140408.1", "a20140408", "1", "20140408.1", "20140408",
    }  # fmt: skip
    assert set(word_terms("EvaStöwe")) == {"evastowe", "eva", "stowe"}
    assert set(word_terms("cacert.org")) == {"cacert.org", "cacert", "org"}
    assert word_terms("member") == ("member",)


def _fast(text: str) -> dict[str, int]:
    counts, _ = _count(text.encode("utf-8"))
    return {k.decode("utf-8"): v for k, v in counts.items()}


def test_fast_tokeniser_on_a_sentence() -> None:
    text = "EvaStöwe ruled on a20140408.1. The member's Schlüssel, see cacert.org; Ёжик!"
    assert _fast(text) == dict(text_terms(text))
    assert _fast(text)["stowe"] == 1 and _fast(text)["ежик"] == 1 and "s" in _fast(text)


_ODD = ["ö", "Ö", "ß", "é", "Ё", "ж", "И", "\u0301", "\xa0", "«", "…", "¶", "ǅ", "①", "İ", "ﬁ"]
_ALPHABET = st.sampled_from([*"abcXYZ019_. ,;:-'\"()\n\t", *_ODD])


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_fast_tokeniser_equals_the_reference(text: str) -> None:
    """The C-speed path (bytes split, cached expansions, CamelCase scan) counts exactly what
    the plain regex tokeniser counts, which is what the browser's tokeniser mirrors."""
    assert _fast(text) == dict(text_terms(text))


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


def _page(body: str) -> str:
    return (
        f'<article class="docket-case"><span hidden {META}="status:Closed"></span>'
        f'<span hidden {META}="date:2014-05-01"></span>{body}</article>'
    )


def test_frequencies_are_capped_at_255() -> None:
    record = search_record("cases/x/", "x", _page("<p>" + "word " * 300 + "</p>"))
    assert record.term_counts()["word"] == 255


def test_search_record_indexes_public_text_only_and_weights_the_title() -> None:
    html = _page(
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


def _records() -> list:  # type: ignore[type-arg]
    pages = [
        ("cases/b/", "b: Heartbleed ruling", _page("<p>heartbleed heartbleed Stöwe</p>")),
        ("cases/a/", "a: Other", _page("<p>the heartbeat of a member</p>")),
        ("cases/c/", "c: Третий", _page("<p>Ёжик and heartbleed</p>")),
    ]
    return [search_record(*page) for page in pages]


def _chunk(data: bytes) -> dict[str, list[int]]:
    """A term chunk as the browser reads it: header length, JSON header, uint32 postings."""
    size = int.from_bytes(data[:4], "little")
    header = json.loads(data[4 : 4 + size])
    postings = array("I", data[4 + size :])
    if sys.byteorder == "big":
        postings.byteswap()
    assert (4 + size) % 4 == 0 and len(postings) == sum(header["counts"])
    out: dict[str, list[int]] = {}
    at = 0
    for term, count in zip(header["terms"], header["counts"], strict=True):
        out[term] = list(postings[at : at + count])
        at += count
    return out


def _load(site: Path) -> tuple[dict, dict[str, list[int]], Path]:  # type: ignore[type-arg]
    manifest = json.loads((site / "search" / "index.json").read_text("utf-8"))
    folder = site / "search" / manifest["generation"]
    terms: dict[str, list[int]] = {}
    for number in range(len(manifest["chunks"])):
        chunk = _chunk((folder / "t" / f"{number}.bin").read_bytes())
        assert next(iter(chunk)) == manifest["chunks"][number]
        terms.update(chunk)
    return manifest, terms, folder


def test_write_index_files(tmp_path: Path) -> None:
    write_index(_records(), tmp_path)
    manifest, terms, folder = _load(tmp_path)
    assert manifest["docs"] == 3 and len(manifest["lengths"]) == 3
    assert list(terms) == sorted(terms, key=lambda t: t.encode("utf-8"))
    # doc numbers follow the URLs: a=0, b=1, c=2; each posting is doc << 8 | frequency
    assert [(v >> 8, v & 255) for v in terms["heartbleed"]] == [(1, 2 + TITLE_WEIGHT), (2, 1)]
    assert [v >> 8 for v in terms["stowe"]] == [1] and [v >> 8 for v in terms["ежик"]] == [2]
    head = json.loads((folder / "d" / "1.txt").read_text("utf-8").split("\n", 1)[0])
    assert head["url"] == "cases/b/" and head["meta"]["status"] == "Closed"


def test_small_chunks_split_the_terms(tmp_path: Path, monkeypatch: object) -> None:
    import generator.render.search.index as search

    setattr(search, "CHUNK_BYTES", 40)  # noqa: B010
    try:
        write_index(_records(), tmp_path)
    finally:
        setattr(search, "CHUNK_BYTES", 16_000)  # noqa: B010
    manifest, terms, _ = _load(tmp_path)
    assert len(manifest["chunks"]) > 3 and "heartbleed" in terms and "ежик" in terms


def test_the_index_is_replaced_by_generation(tmp_path: Path) -> None:
    records = _records()
    first = write_index(records, tmp_path)
    assert write_index(records, tmp_path) == first  # same content, same files: nothing written
    second = write_index(records[:2], tmp_path)
    third = write_index(records[:1], tmp_path)
    folders = {p.name for p in (tmp_path / "search").iterdir() if p.is_dir()}
    assert len({first, second, third}) == 3
    assert folders == {second, third}  # the previous one stays for searches already running
    assert _load(tmp_path)[0]["generation"] == third


def test_records_are_kept_under_serve() -> None:
    search = SearchRecords()
    pages = [("cases/a/", "a: x", _page("<p>one</p>")), ("cases/b/", "b: y", _page("<p>two</p>"))]
    first = search.records(pages, keep=True)
    changed = [pages[0], ("cases/b/", "b: y", _page("<p>three</p>"))]
    second = search.records(changed, keep=True)
    assert second[0] is first[0] and second[1] is not first[1]
    assert "three" in second[1].term_counts() and "two" not in second[1].term_counts()


def test_background_search_folds_requests(tmp_path: Path) -> None:
    runs: list[int] = []
    background = BackgroundSearch(delay=0.2)
    for number in range(5):
        background.request(lambda n=number: runs.append(n))  # type: ignore[misc]
    assert background.wait(timeout=30)
    assert runs == [4] and background.runs == 1
