"""Full-text search: docket's own static index, split into small files the browser fetches.

Two steps, so the costly one can run wherever the pages are rendered (forked workers):
`search_record` turns one case page into a `SearchRecord` (its public text and term counts:
pure, no I/O, cheap to pickle), and `write_index` inverts the records into the files under
`site/search/` that theme/assets/docket-search.js queries. A query downloads the manifest,
the term chunks holding its terms and one small file per shown result, not the whole index.

Text is tokenised the way the browser tokenises queries (docket-search.js keeps the same
rules): words are runs of Unicode letters, digits and `_`, case- and diacritics-folded
(lower case, NFKD without combining marks, ß as ss); dotted runs such as `a20140408.1` or
`cacert.org` are terms too, beside their parts; a CamelCase name (`EvaStöwe`) adds its parts
(`eva`, `stowe`: split before an ASCII capital); a number behind one to three letters
(`a20140408`) adds the number.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import os
import re
import shutil
import sys
import threading
import time
import unicodedata
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import filterfalse, repeat
from pathlib import Path

SEARCH_DIR = "search"  # in the site: search/index.json, search/<generation>/...
IGNORE = "data-docket-search-ignore"  # an element with it is left out of the index
META = "data-docket-search-meta"  # <span hidden data-docket-search-meta="status:Closed">
TITLE_WEIGHT = 4  # a title word counts this many times more than one in the text
CHUNK_BYTES = 16_000  # target size of one term chunk file
MAX_TF = 255  # term frequencies are stored in 8 bits (BM25 saturates long before)
FORMAT = 1  # of the index files; docket-search.js reads this one only (its FORMAT)
SCRIPT = "assets/docket-search.js"  # the search script, in the theme


def script_name(content: bytes) -> str:
    """Where the search script is published: its name carries its content's hash, so a page
    never runs a cached older script against a newer index (nor the reverse)."""
    return f"assets/docket-search.{hashlib.sha256(content).hexdigest()[:10]}.js"


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
_TAGS = re.compile(r"<[^>]*>\s*")
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr")
)  # fmt: skip
_TAG_NAME = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")


class SearchIndexError(Exception):
    """The search index could not be written (the message names the folder)."""


@dataclass(frozen=True, slots=True)
class SearchRecord:
    """One case page as the index needs it: picklable, built by `search_record`."""

    url: str  # the page's URL relative to the site root ("cases/a20140408.1/")
    doc: bytes  # the page's result file (UTF-8): a JSON line (url, title, meta), then the text
    terms: bytes  # its folded terms, UTF-8, one per line: compact to keep and to pickle
    counts: bytes  # each term's weighted frequency (title words count TITLE_WEIGHT), <= 255
    length: int  # words in the indexed text

    def term_counts(self) -> dict[str, int]:
        """The terms and their counts as a dict (for tests and for reading)."""
        if not self.terms:
            return {}
        names = self.terms.decode("utf-8").split("\n")
        return dict(zip(names, self.counts, strict=True))


# -- tokenising --------------------------------------------------------------------------


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


# -- text of a page ----------------------------------------------------------------------


def _closing(html: str, name: str, start: int) -> int:
    """Where the element that opens at `start` ends (after its end tag): same-name elements
    nested inside are counted. Without an end tag, the rest of the page is left out."""
    tag_end = html.find(">", start)
    if tag_end < 0:
        return len(html)
    if name.lower() in _VOID or html[tag_end - 1] == "/":
        return tag_end + 1
    pattern = re.compile(rf"<(/?){re.escape(name)}(?=[\s>/])", re.IGNORECASE)
    depth = 1
    for found in pattern.finditer(html, tag_end + 1):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            close = html.find(">", found.end())
            return len(html) if close < 0 else close + 1
    return len(html)


def public_html(html: str) -> str:
    """The page without its elements marked `data-docket-search-ignore`."""
    out: list[str] = []
    pos = 0
    while True:
        at = html.find(IGNORE, pos)
        if at < 0:
            break
        start = html.rfind("<", pos, at)
        name = _TAG_NAME.match(html, start) if start >= 0 else None
        if name is None or ">" in html[start:at]:  # the words in text, not an attribute
            out.append(html[pos : at + len(IGNORE)])
            pos = at + len(IGNORE)
            continue
        out.append(html[pos:start])
        pos = _closing(html, name.group(1), start)
    out.append(html[pos:])
    return "".join(out)


def page_text(html: str) -> str:
    """The readable text of (public) HTML: every tag becomes one space (with the whitespace
    after it), entities are decoded. The browser tidies the spacing of what it shows."""
    text = _TAGS.sub(" ", html)
    return html_lib.unescape(text) if "&" in text else text


def _meta(html: str) -> dict[str, str]:
    """`<span hidden data-docket-search-meta="key:value">` of the page, as a dict."""
    found: dict[str, str] = {}
    marker = META + '="'
    pos = html.find(marker)
    while pos >= 0:
        end = html.find('"', pos + len(marker))
        if end < 0:
            break
        key, _, value = html[pos + len(marker) : end].partition(":")
        found[key] = html_lib.unescape(value)
        pos = html.find(marker, end)
    return found


def search_record(
    url: str, title: str, html: str, meta: Mapping[str, str] | None = None
) -> SearchRecord:
    """One page's record: its public text (without the ignored elements) and weighted term
    counts; `meta` (status, date) adds to what the page's meta spans say. Pure: no I/O."""
    body = public_html(html)
    facts = _meta(body)
    facts.update(meta or {})
    text = page_text(body).encode("utf-8")
    counts, length = _count(text)
    title_counts, _ = _count(title.encode("utf-8"))
    for term, n in title_counts.items():
        counts[term] += TITLE_WEIGHT * n
    head = json.dumps({"url": url, "title": title, "meta": facts}, ensure_ascii=False)
    # the text as it is: JSON-escaping it would cost more than all the rest
    doc = head.encode("utf-8") + b"\n" + text
    capped = bytes(map(min, counts.values(), repeat(MAX_TF)))
    return SearchRecord(url, doc, b"\n".join(counts), capped, length)


# -- the index files ---------------------------------------------------------------------


def _chunk(terms: list[str], lists: list[array[int]]) -> bytes:
    header = json.dumps(
        {"terms": terms, "counts": list(map(len, lists))},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    header += b" " * (-len(header) % 4)
    if sys.byteorder == "big":
        lists = [array("I", lst) for lst in lists]
        for lst in lists:
            lst.byteswap()
    return b"".join((len(header).to_bytes(4, "little"), header, *map(array.tobytes, lists)))


def _chunks(postings: dict[bytes, array[int]]) -> tuple[list[str], list[bytes]]:
    """(first term of each chunk, bytes of each chunk): terms in code point order (UTF-8 byte
    order), cut into chunks of about CHUNK_BYTES. A chunk is a little-endian uint32 giving the
    length of a JSON header ({"terms": [...], "counts": [...]}, padded to 4 bytes), then each
    term's postings as uint32s, doc << 8 | frequency: binary costs no number formatting here
    and no parsing in the browser, and takes 4 bytes a posting."""
    keys = sorted(postings)
    names = list(map(bytes.decode, keys))
    lists = list(map(postings.__getitem__, keys))
    firsts: list[str] = []
    chunks: list[bytes] = []
    start = size = 0
    for end, (raw, packed) in enumerate(zip(keys, lists, strict=True), 1):
        size += len(raw) + 8 + 4 * len(packed)
        if size >= CHUNK_BYTES or end == len(keys):
            firsts.append(names[start])
            chunks.append(_chunk(names[start:end], lists[start:end]))
            start, size = end, 0
    return firsts, chunks


def _write(path: str, data: bytes) -> None:
    """One new file, with the fewest system calls (a thousand of them per index)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _current_generation(folder: Path) -> str | None:
    try:
        manifest = json.loads((folder / "index.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    generation = manifest.get("generation") if isinstance(manifest, dict) else None
    return generation if isinstance(generation, str) else None


def write_index(records: Sequence[SearchRecord], site_dir: Path) -> str:
    """Write the index of `records` into `site_dir/search/`; returns its generation name.

    The files go into a new generation folder, `search/<generation>/` (named by a hash of
    the content), and then `search/index.json`, the only file the browser reads first, is
    replaced in one rename: a search running meanwhile (the dev server) uses the old index or
    the new one, never none or half. The previous generation is kept for searches that
    started before, older ones removed. Raises SearchIndexError when the folder cannot be
    written."""
    ordered = sorted(records, key=lambda r: r.url)
    postings: defaultdict[bytes, array[int]] = defaultdict(partial(array, "I"))
    lookup, append = postings.__getitem__, array.append
    consume = deque[None](maxlen=0).extend
    for number, record in enumerate(ordered):  # the inversion, run in C by map()
        if record.terms:
            terms = record.terms.split(b"\n")
            consume(map(append, map(lookup, terms), map((number << 8).__or__, record.counts)))
    firsts, chunks = _chunks(postings)
    docs = [r.doc for r in ordered]
    lengths = [r.length for r in ordered]
    digest = hashlib.sha1()
    for data in (*docs, *chunks):
        digest.update(data)
    generation = digest.hexdigest()[:16]
    manifest = json.dumps(
        {
            "format": FORMAT,
            "generation": generation,
            "docs": len(ordered),
            "average": (sum(lengths) / len(lengths)) if lengths else 0.0,
            "lengths": lengths,
            "chunks": firsts,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    folder = site_dir / SEARCH_DIR
    try:
        _install(folder, generation, manifest.encode("utf-8"), chunks, docs)
    except OSError as exc:
        raise SearchIndexError(f"{folder}: cannot write the search index: {exc}") from exc
    return generation


def _install(
    folder: Path, generation: str, manifest: bytes, chunks: list[bytes], docs: list[bytes]
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    previous = _current_generation(folder)
    target = folder / generation
    if previous != generation or not target.is_dir():
        work = folder / f".new-{generation}-{os.getpid()}-{threading.get_ident()}"
        shutil.rmtree(work, ignore_errors=True)
        (work / "t").mkdir(parents=True)
        (work / "d").mkdir()
        for number, data in enumerate(chunks):
            _write(f"{work}/t/{number}.bin", data)
        for number, data in enumerate(docs):
            _write(f"{work}/d/{number}.txt", data)
        shutil.rmtree(target, ignore_errors=True)
        work.rename(target)
    fresh = folder / f".index-{os.getpid()}-{threading.get_ident()}.json"
    _write(str(fresh), manifest)
    os.replace(fresh, folder / "index.json")
    for stale in folder.iterdir():  # older generations, and scratch of interrupted runs
        if stale.name not in (generation, previous, "index.json") and stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)


# -- the build's side ---------------------------------------------------------------------


class SearchRecords:
    """Records of a build's (url, title, html) case pages. With `keep` (the dev server) they are
    kept by URL, so a rebuild tokenises only the pages whose title or HTML changed."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[str, str, SearchRecord]] = {}
        self._lock = threading.Lock()

    def records(
        self, pages: Sequence[tuple[str, str, str]], *, keep: bool = False
    ) -> list[SearchRecord]:
        with self._lock:
            kept, fresh = self._kept, {}
            out: list[SearchRecord] = []
            for url, title, body in pages:
                old = kept.get(url)
                if old is not None and old[0] == title and old[1] == body:
                    record = old[2]
                else:
                    record = search_record(url, title, body)
                if keep:
                    fresh[url] = (title, body, record)
                out.append(record)
            self._kept = fresh
            return out

    def write(
        self, pages: Sequence[tuple[str, str, str]], site_dir: Path, *, keep: bool = False
    ) -> str:
        """Index `pages` into `site_dir` (see `write_index`); returns the generation."""
        return write_index(self.records(pages, keep=keep), site_dir)


class BackgroundSearch:
    """Re-indexing for the dev server, after the reload rather than before it.

    `request(job)` returns at once; one thread runs the latest job (it writes the index) a
    moment later; jobs that arrive meanwhile are folded into one more run, so a burst of saves
    costs one more indexing, not one per save. Measured (docs/performance.md): indexing 1,000
    cases takes about a second of CPU, which would delay the reload if done before it.
    """

    def __init__(self, delay: float = 0.5) -> None:
        self.delay = delay  # let the browsers' reload be served first (the GIL is shared)
        self._cond = threading.Condition()
        self._pending: Callable[[], object] | None = None
        self._busy = False
        self.runs = 0  # indexes installed, for the log and the tests
        self.error: str | None = None

    def stop(self) -> None:
        """At the server's shutdown: drop what is pending."""
        with self._cond:
            self._pending = None

    def request(self, job: Callable[[], object]) -> None:
        with self._cond:
            self._pending = job
            if not self._busy:
                self._busy = True
                threading.Thread(target=self._loop, name="docket-search-bg", daemon=True).start()

    def _loop(self) -> None:
        time.sleep(self.delay)
        while True:
            with self._cond:
                job = self._pending
                self._pending = None
                if job is None:
                    self._busy = False
                    self._cond.notify_all()
                    return
            try:
                job()
                self.error = None
            except SearchIndexError as exc:
                self.error = str(exc)
            with self._cond:
                self.runs += 1

    def wait(self, timeout: float | None = None) -> bool:
        """Until nothing is pending or running (a full build must not race an install)."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._busy, timeout=timeout)
