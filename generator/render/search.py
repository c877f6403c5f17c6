"""Full-text search for a built site with Pagefind: a static index that loads in small chunks.

Pagefind reads the built HTML; only elements marked `data-pagefind-body` (the public case
article) are indexed, so navigation and index pages do not crowd the results.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex


class SearchIndexError(Exception):
    """Pagefind could not index the site."""


async def _index(site_dir: Path, output: str) -> int:
    config = IndexConfig(output_path=str(site_dir / output), force_language="en")
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(str(site_dir))
        count = int(result.get("page_count", 0))
    return count


def index_site(site_dir: Path, output: str = "pagefind") -> int:
    """Write the Pagefind bundle into `site_dir/output`; returns the number of pages indexed."""
    try:
        return asyncio.run(_index(site_dir, output))
    except Exception as exc:  # pagefind raises plain exceptions from its service
        raise SearchIndexError(f"pagefind could not index {site_dir}: {exc}") from exc
