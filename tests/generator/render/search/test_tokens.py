"""The tokeniser (generator/render/search/tokens.py): folding, the terms of a word, a text and a
query, the fast byte path equal to the reference, and the vectors the browser shares."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.search.tokens import _count, fold, query_terms, text_terms, word_terms
from tests.support.paths import FIXTURES

VECTORS = json.loads((FIXTURES / "search-tokeniser.json").read_text("utf-8"))


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
