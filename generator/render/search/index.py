"""The index files under `site/search/`: term chunks, result files and the manifest, written
as a new generation and installed in one rename; and the search script's published name.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import threading
from array import array
from collections import defaultdict, deque
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from generator.render.search.records import SearchRecord

SEARCH_DIR = "search"  # in the site: search/index.json, search/<generation>/...
CHUNK_BYTES = 16_000  # target size of one term chunk file
FORMAT = 1  # of the index files; docket-search.js reads this one only (its FORMAT)
SCRIPT = "assets/docket-search.js"  # the search script, in the theme


def script_name(content: bytes) -> str:
    """Where the search script is published: its name carries its content's hash, so a page
    never runs a cached older script against a newer index (nor the reverse)."""
    return f"assets/docket-search.{hashlib.sha256(content).hexdigest()[:10]}.js"


class SearchIndexError(Exception):
    """The search index could not be written (the message names the folder)."""


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
