"""The search index files (generator/render/search/index.py): term chunks as the browser reads
them, result files, the manifest, and a new generation beside the one searches still use."""

from __future__ import annotations

import json
import sys
from array import array
from pathlib import Path

import pytest

import generator.render.search.index as search
from generator.render.search.index import write_index
from generator.render.search.records import TITLE_WEIGHT, SearchRecord, search_record
from tests.generator.render.search.conftest import case_page


def _records() -> list[SearchRecord]:
    pages = [
        ("cases/b/", "b: Heartbleed ruling", case_page("<p>heartbleed heartbleed Stöwe</p>")),
        ("cases/a/", "a: Other", case_page("<p>the heartbeat of a member</p>")),
        ("cases/c/", "c: Третий", case_page("<p>Ёжик and heartbleed</p>")),
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


def test_small_chunks_split_the_terms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "CHUNK_BYTES", 40)
    write_index(_records(), tmp_path)
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
