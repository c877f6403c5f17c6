"""The MkDocs plugin `docket`: a thin adapter from MkDocs to generator/.

It checks the cases (the same checks and diagnostics as `docket check`), asks generator/ for the
archive's pages and files, and adds them with `File.generated`: nothing is ever written into
`docs_dir`, so `mkdocs serve` does not loop. Page bodies are rendered by generator/ already, so
MkDocs only wraps them in the theme.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkPage
from mkdocs.structure.toc import get_toc

from generator.collection import check_paths
from generator.config import ConfigError, load_config
from generator.diagnostics import Severity
from generator.render.boundary import page_meta, toc_tokens
from generator.render.search import SearchIndexer, SearchIndexError
from generator.render.site import Page, SiteOptions, render_site
from generator.render.urls import page_url
from generator.report import ConciseReporter

log = logging.getLogger("mkdocs.plugins.docket")
SITE_URL_MISSING = (
    "docket: site_url is not set in mkdocs.yml, so the sitemap lists no page and the Atom feed "
    "has no absolute links and the same id as every other archive; set it to the archive's "
    "public address, for example `site_url: https://arbitration.example.org/`"
)


class DocketConfig(base.Config):  # type: ignore[no-untyped-call]
    cases = c.Optional(c.Type(str))
    search = c.Choice(("pagefind", "lunr", "none"), default="pagefind")
    jobs = c.Type(int, default=0)


class DocketPlugin(BasePlugin[DocketConfig]):  # type: ignore[no-untyped-call]
    """Renders `cases/` into the archive; see docs/archive.md."""

    def __init__(self) -> None:
        self._pages: dict[str, Page] = {}
        self._from_docs: set[str] = set()
        self._indexer: SearchIndexer | None = None
        self._build_started = 0.0
        self._serving = False
        self.search_shards = 1  # read by theme/partials/docket-search.html

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` runs a livereload thread; forking worker processes beside threads can
        # deadlock, so a served archive renders in one process
        self._serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        try:
            self.settings = load_config(root)
        except ConfigError as exc:
            raise PluginError(str(exc)) from exc
        self.cases_dir = (
            (root / self.config.cases).resolve() if self.config.cases else self.settings.cases_dir
        )
        if not config.site_url:
            log.warning(SITE_URL_MISSING)
        for css in ("assets/docket.css",):
            if css not in config.extra_css:
                config.extra_css.append(css)
        scripts = ["assets/docket.js"]
        if self.config.search == "pagefind":
            scripts.append("assets/docket-search.js")
        present = {str(s) for s in config.extra_javascript}
        config.extra_javascript.extend(s for s in scripts if s not in present)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        started = time.perf_counter()
        # One process: shipping whole parsed cases back from workers costs more than parsing
        # them (measured: 1,000 cases 1.6 s in one process, 2.8 s with two workers).
        collection = check_paths([self.cases_dir], self.settings, base=self.settings.root, jobs=1)
        checked = time.perf_counter()
        found = collection.diagnostics
        if found:  # the very lines `docket check` prints
            print(ConciseReporter().render(found, collection.files), file=sys.stderr)
        errors = sum(d.severity is Severity.ERROR for d in found)
        warnings = sum(d.severity is Severity.WARNING for d in found)
        if errors:
            raise PluginError(
                f"docket: {errors} error(s) in the case files (listed above); "
                "fix them (docket check shows the same) and build again"
            )
        if warnings:
            log.warning(f"docket: {warnings} warning(s) in the case files (listed above)")
        site = render_site(
            collection.cases,
            self.settings.root,
            self.settings.urls,
            SiteOptions(
                site_name=config.site_name,
                site_url=config.site_url or "",
                hash_bugs=self.settings.hash_bug_refs,
                jobs=1 if self._serving else self.config.jobs,
            ),
        )
        rendered = time.perf_counter()
        if self.config.search == "pagefind":
            case_pages = [
                (page_url(p.path), p.title, p.html) for p in site.pages if p.kind == "case"
            ]
            self._indexer = SearchIndexer(case_pages).start()
            self.search_shards = len(self._indexer.shards)
        self._pages = {}
        self._from_docs = set()
        for page in site.pages:
            self._pages[page.path] = page
            if files.get_file_from_path(page.path) is not None:
                self._from_docs.add(page.path)  # e.g. the archive's own index.md intro
                continue
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.path, content="", inclusion=inclusion))
        for asset in site.assets:
            existing = files.get_file_from_path(asset.path)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, asset.path, content=asset.content))
        log.debug(
            f"docket: checked {len(collection.cases)} cases in {checked - started:.2f} s, "
            f"rendered in {rendered - checked:.2f} s, "
            f"search input and files in {time.perf_counter() - rendered:.2f} s"
        )
        self._build_started = time.perf_counter()
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: MkPage, config: MkDocsConfig, files: Files
    ) -> str:
        found = self._pages.get(page.file.src_uri)
        if found is None or page.file.src_uri in self._from_docs:
            return markdown
        page.meta.update(page_meta(found.title, found.description))  # escaped: see boundary.py
        if found.kind == "case":
            page.meta["template"] = "docket/case.html"
            page.meta["hide"] = ["navigation"]
        else:
            page.meta["hide"] = ["navigation", "toc"]  # the tables need the width
        return markdown

    def on_page_content(
        self, html: str, /, *, page: MkPage, config: MkDocsConfig, files: Files
    ) -> str:
        found = self._pages.pop(page.file.src_uri, None)  # each body is needed once: free it
        if found is None:
            return html
        if found.toc:
            tokens: list[Any] = toc_tokens(found.toc)
            page.toc = get_toc(tokens)
        return html + found.html

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        indexer, self._indexer = self._indexer, None
        if indexer is None:
            return
        waited = time.perf_counter()
        log.debug(f"docket: MkDocs built the pages in {waited - self._build_started:.2f} s")
        try:
            shards = indexer.install(Path(config.site_dir))
        except SearchIndexError as exc:
            raise PluginError(str(exc)) from exc
        log.info(
            f"docket: Pagefind search index written ({shards} shard(s)); "
            f"waited {time.perf_counter() - waited:.2f} s for it"
        )

    def on_build_error(self, *, error: Exception) -> None:
        indexer, self._indexer = self._indexer, None
        if indexer is not None:
            indexer.cleanup()
