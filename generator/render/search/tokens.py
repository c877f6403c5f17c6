"""The tokeniser: words of a text or a query as index terms (the rules in __init__'s docstring;
theme/assets/docket-search.js follows them, tests/fixtures/search-tokeniser.json pins both).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from itertools import filterfalse

# ASCII bytes that are not word characters (all but letters, digits, `_` and `.`) become
# spaces; bytes >= 0x80 (UTF-8 sequences) are kept, and such tokens take the slow path
_SPACE = bytes(b if chr(b).isalnum() or chr(b) in "_." or b >= 0x80 else 0x20 for b in range(256))
# the same split, and each byte's class: a lower-case (or non-ASCII) letter, A an ASCII capital
_CLASSES = bytes(
    0x20 if _SPACE[b] == 0x20
    else 0x41 if 0x41 <= b <= 0x5A
    else 0x61 if chr(b).isalpha() or b >= 0x80
    else 0x30
    for b in range(256)
)  # fmt: skip
_WORD = re.compile(r"\w+(?:\.\w+)*")
_DIGITS = re.compile(r"[^\W\d_]{1,3}(\d+(?:\.\d+)*)")


def fold(word: str) -> str:
    """A word as the index keeps it: lower case, no diacritics (Stöwe -> stowe), ß as ss."""
    word = word.lower()
    if word.isascii():
        return word
    word = unicodedata.normalize("NFKD", word)
    word = "".join(ch for ch in word if unicodedata.category(ch) != "Mn")
    return word.replace("ß", "ss")


def _camel_parts(word: str) -> list[str]:
    """`EvaStöwe` -> [`Eva`, `Stöwe`]: split where a lower-case letter meets an ASCII capital
    (only those: the fast path finds them with a byte scan)."""
    parts: list[str] = []
    start = 0
    for i in range(1, len(word)):
        if "A" <= word[i] <= "Z" and word[i - 1].islower():
            parts.append(word[start:i])
            start = i
    if parts:
        parts.append(word[start:])
    return parts


def word_terms(token: str) -> tuple[str, ...]:
    """Every index term of one token of `_WORD` (a word or a dotted run), unfolded order
    kept and duplicates removed. The reference the fast path and the browser follow."""
    terms: list[str] = [fold(token)]
    pieces = token.split(".") if "." in token else [token]
    if len(pieces) > 1:
        terms += [fold(p) for p in pieces]
    for piece in pieces:
        terms += [fold(p) for p in _camel_parts(piece)]
    for term in list(terms):
        digits = _DIGITS.fullmatch(term)
        if digits:
            terms.append(digits.group(1))
    return tuple(dict.fromkeys(t for t in terms if t))


def text_terms(text: str) -> Counter[str]:
    """Reference tokeniser (slow, clear): term -> count for a text. Tests compare with it."""
    counts: Counter[str] = Counter()
    for token in _WORD.findall(unicodedata.normalize("NFC", text)):
        counts.update(word_terms(token))
    return counts


def query_terms(query: str) -> list[str]:
    """The terms a query looks up, as docket-search.js makes them (each word folded, once):
    every one is an index term of the same text (or a prefix of one)."""
    found = (fold(token) for token in _WORD.findall(unicodedata.normalize("NFC", query)))
    return list(dict.fromkeys(term for term in found if term))


_EXPANDED: dict[bytes, tuple[bytes, ...]] = {}
_SAME: set[bytes] = set()  # raw tokens that are their own only term ("member", "2009")


def _expand(raw: bytes) -> tuple[bytes, ...] | None:
    """Index terms of one raw token of the fast path (split at ASCII non-word bytes only);
    None when the token is its own only term (then it joins _SAME)."""
    found = _EXPANDED.get(raw)
    if found is not None:
        return found
    if raw.isdigit() or (raw.isalpha() and raw.islower()):  # "member", "2009": no regex
        _SAME.add(raw)
        return None
    word = raw.rstrip(b".")
    if word and (word.isdigit() or (word.isalpha() and word.islower())):  # "member." too
        found = _EXPANDED[raw] = (word,)
        return found
    text = unicodedata.normalize("NFC", raw.decode("utf-8"))
    found = tuple(  # one token may hold several words: "a\xa0b"
        term.encode("utf-8") for token in _WORD.findall(text) for term in word_terms(token)
    )
    if found == (raw,):
        _SAME.add(raw)
        return None
    _EXPANDED[raw] = found
    return found


def _camel_extra(raw: bytes) -> tuple[bytes, ...]:
    """The terms a token's ASCII capitals add (`EvaStöwe`: `eva`, `stowe`), beyond those of
    its ASCII-lower-cased form, which the fast path counts."""
    found = _CAMEL.get(raw)
    if found is None:
        more = Counter(_expand(raw) or (raw,)) - Counter(_expand(raw.lower()) or (raw.lower(),))
        found = _CAMEL[raw] = tuple(more.elements())
    return found


_CAMEL: dict[bytes, tuple[bytes, ...]] = {}


def _count(data: bytes) -> tuple[Counter[bytes], int]:
    """(term -> count, number of words) for a text, fast: the bytes are lower-cased (ASCII)
    and split at ASCII non-word characters in C; only distinct tokens that are not their own
    term (dots, digits after letters, non-ASCII) go through `word_terms`, each once per
    process; CamelCase boundaries are found with one scan of a byte-class copy."""
    tokens = data.lower().translate(_SPACE).split()  # "word." is one: _expand strips the dot
    counts = Counter(tokens)
    odd = list(filterfalse(_SAME.__contains__, counts))
    if odd:  # first the plain words seen for the first time: "member", "2009" (in C)
        plain = set(filter(bytes.islower, filter(bytes.isalpha, odd)))
        plain.update(filter(bytes.isdigit, odd))
        if plain:
            _SAME.update(plain)
            odd = list(filterfalse(plain.__contains__, odd))
    if odd:
        extra: dict[bytes, int] = {}
        pop, get = counts.pop, extra.get
        for raw in odd:
            terms = _expand(raw)
            if terms is None:
                continue
            n = pop(raw)
            for term in terms:
                extra[term] = get(term, 0) + n
        for term, n in extra.items():
            counts[term] += n
    classes = data.translate(_CLASSES)
    at = classes.find(b"aA")
    while at >= 0:  # a lower-case letter before an ASCII capital: EvaStöwe
        start = classes.rfind(b" ", 0, at) + 1
        end = classes.find(b" ", at)
        if end < 0:
            end = len(classes)
        for term in _camel_extra(data[start:end]):
            counts[term] += 1
        at = classes.find(b"aA", end)
    return counts, len(tokens)
