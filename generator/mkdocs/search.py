"""The search-index step: after MkDocs has written the pages, docket's index is written from
the pages' search records (generator/render/search/), as a PluginError when it cannot be."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from mkdocs.exceptions import PluginError

from generator.render.search import SearchIndexError, SearchRecord, SearchRecords, write_index

log = logging.getLogger("mkdocs.plugins.docket")


def write_records(records: list[SearchRecord], site_dir: str) -> None:
    """A cold build's index, from the records the renderers made beside the pages."""
    started = time.perf_counter()
    try:
        write_index(records, Path(site_dir))
    except SearchIndexError as exc:
        raise PluginError(str(exc)) from exc
    log.info(f"docket: search index written in {time.perf_counter() - started:.2f} s")


def write_pages(
    search: SearchRecords, pages: list[tuple[str, str, str]], site_dir: str, keep: bool
) -> None:
    """The index from the pages' text (url, title, body); `keep`: remember each page's record
    for the next rebuild (mkdocs serve)."""
    started = time.perf_counter()
    try:
        search.write(pages, Path(site_dir), keep=keep)
    except SearchIndexError as exc:
        raise PluginError(str(exc)) from exc
    log.info(f"docket: search index written in {time.perf_counter() - started:.2f} s")
