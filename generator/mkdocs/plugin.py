"""The MkDocs plugin `docket`: MkDocs's events, handed to generator/.

It checks the cases (the same checks and diagnostics as `docket check`), asks generator/ for the
archive's pages and files, and adds them with `File.generated`: nothing is ever written into
`docs_dir`, so `mkdocs serve` does not loop. Page bodies are rendered by generator/ already, so
MkDocs only wraps them in the theme.

Fast paths (compat.py decides whether they may run on this MkDocs; `fast: false` turns them
off): no Markdown pass for generated pages (pages.py), the case pages wrapped in forked
processes (parallel.py), and under `mkdocs serve` incremental rebuilds (serve.py, docs/
archive.md "The edit loop"). Without them the build is MkDocs's own, slower, same site.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkPage
from mkdocs.structure.toc import get_toc

from generator.collection import check_paths
from generator.config import ConfigError, find_config
from generator.mkdocs import compat, serve
from generator.mkdocs.boundary import page_meta, toc_tokens
from generator.mkdocs.devserver import BuildStatus
from generator.mkdocs.pages import Changed, GeneratedPage, Kept, kept
from generator.mkdocs.parallel import ParallelPages, page_hooks_only, with_body
from generator.mkdocs.search import write_pages, write_records
from generator.mkdocs.state import BuildState, ServeState
from generator.render.search import SCRIPT, script_name
from generator.render.site import Site, SiteOptions, render_site
from generator.render.urls import page_url
from generator.verdict import judge

log = logging.getLogger("mkdocs.plugins.docket")
SITE_URL_MISSING = (
    "docket: site_url is not set in mkdocs.yml, so the sitemap lists no page and the Atom feed "
    "has no absolute links and the same id as every other archive; set it to the archive's "
    "public address, for example `site_url: https://arbitration.example.org/`"
)
_SAID: set[str] = set()  # version lines said in this process (serve: once, not every build)


def _say_once(line: str) -> None:
    if line not in _SAID:
        _SAID.add(line)
        log.warning(line)


def _search_script(config: MkDocsConfig) -> tuple[str, bytes] | None:
    """The theme's search script (the project's theme/ before Material's folders): its
    published, content-hashed name and its content."""
    for folder in config.theme.dirs:
        path = Path(folder) / SCRIPT
        if path.is_file():
            content = path.read_bytes()
            return script_name(content), content
    return None


class DocketConfig(base.Config):  # type: ignore[no-untyped-call]
    cases = c.Optional(c.Type(str))
    # "pagefind": the former name of "docket" (docket's own index replaced Pagefind)
    search = c.Choice(("docket", "lunr", "none", "pagefind"), default="docket")
    jobs = c.Type(int, default=0)
    fast = c.Type(bool, default=True)  # false: MkDocs's own page loop and serve, no private API


class DocketPlugin(BasePlugin[DocketConfig]):  # type: ignore[no-untyped-call]
    """Renders `cases/` into the archive; see docs/archive.md."""

    def __init__(self) -> None:
        self.build = BuildState()
        self.kept = ServeState()
        self._serving = False
        self._fast = True
        self._script: tuple[str, bytes] | None = None  # the search script's name and content

    @property
    def status(self) -> BuildStatus:
        """The latest build's outcome, as the dev server's error page shows it."""
        return self.kept.status

    @property
    def mkdocs_config(self) -> MkDocsConfig:
        return self._config

    def rebuilt(self) -> tuple[int, int]:
        return len(self.kept.cases.reread), self.build.rendered

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` runs a livereload thread; forking worker processes beside threads can
        # deadlock, so a served archive renders in one process
        self._serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._config = config  # the config of the latest build: a rebuild reuses it
        self._fast = bool(self.config.fast)
        if self._fast and (reason := compat.why_not_fast()):
            _say_once(reason)
            self._fast = False
        if warning := compat.material_warning():
            _say_once(warning)
        if self._serving and self._fast:
            serve.reuse_env(config, self.kept)
        project = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        named = (project / self.config.cases).resolve() if self.config.cases else None
        try:  # the rule every docket command follows (docs/cli.md, "Which docket.toml")
            self.settings = find_config(named, near=project)
        except ConfigError as exc:
            raise PluginError(str(exc)) from exc
        self.cases_dir = self.settings.cases_dir
        if not config.site_url:
            log.warning(SITE_URL_MISSING)
        for css in ("assets/docket.css",):
            if css not in config.extra_css:
                config.extra_css.append(css)
        scripts = ["assets/docket.js"]
        if self.config.search == "pagefind":
            log.warning("docket: `search: pagefind` is now `search: docket`: rename it")
            self.config.search = "docket"
        self._script = None
        if self.config.search == "docket":
            self._script = _search_script(config)
            scripts.append(self._script[0] if self._script else SCRIPT)
        present = {str(s) for s in config.extra_javascript}
        config.extra_javascript.extend(s for s in scripts if s not in present)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.build = BuildState()

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        started = time.perf_counter()
        build, kept_ = self.build, self.kept
        kept_.report = None
        if self._serving:  # kept between builds: a save re-reads only the files it touched
            collection = kept_.cases.check([self.cases_dir], self.settings, self.settings.root)
        else:
            # One process: shipping whole parsed cases back from workers costs more than
            # parsing them (measured: 1,000 cases 1.6 s in one process, 2.8 s with two workers).
            collection = check_paths(
                [self.cases_dir], self.settings, base=self.settings.root, jobs=1
            )
        checked = time.perf_counter()
        if not self._serving:
            # the parsed cases live until the build ends: the collector need not walk them
            # again and again while pages are rendered (measured: a quarter of render time)
            gc.freeze()
        verdict = judge(collection, sys.stderr, quiet=True)  # the very lines `docket check` prints
        kept_.report = verdict.report.splitlines() if verdict.report else None
        if verdict.failed:
            raise PluginError(
                f"docket: {verdict.errors} error(s) in the case files (listed above); "
                "fix them (docket check shows the same) and build again"
            )
        if verdict.warnings:
            log.warning(f"docket: {verdict.warnings} warning(s) in the case files (listed above)")
        site = render_site(
            collection.cases,
            self.settings.root,
            self.settings.urls,
            SiteOptions(
                site_name=config.site_name,
                site_url=config.site_url or "",
                hash_bugs=self.settings.hash_bug_refs,
                jobs=1 if self._serving else self.config.jobs,
                search=self.config.search == "docket" and not self._serving,
            ),
            kept_.memo if self._serving else None,
        )
        rendered = time.perf_counter()
        build.defer = self._fast and not self._serving and page_hooks_only(config, self)
        build.records = site.search  # a cold build: made beside the pages, by their renderers
        if self.config.search == "docket" and site.search is None:
            build.case_pages = [
                (page_url(p.path), p.title, p.body()) for p in site.pages if p.kind == "case"
            ]
        self._add_files(site, files, config)
        if self._script is not None:  # the theme's search script, under its hashed name
            name, content = self._script
            theirs = files.get_file_from_path(SCRIPT)
            if theirs is not None:
                files.remove(theirs)
            files.append(File.generated(config, name, content=content))
        build.writing = True  # from here on MkDocs writes into the site folder
        log.debug(
            f"docket: checked {len(collection.cases)} cases in {checked - started:.2f} s, "
            f"rendered in {rendered - checked:.2f} s, "
            f"search input and files in {time.perf_counter() - rendered:.2f} s"
        )
        build.started = time.perf_counter()
        return files

    def _add_files(self, site: Site, files: Files, config: MkDocsConfig) -> None:
        """Every page and file of the site into MkDocs's list; in a rebuild, those that are in
        the site folder already, unchanged, are marked so that MkDocs skips them."""
        build, kept_ = self.build, self.kept
        incremental = kept_.incremental
        if not incremental:
            kept_.dest = {}
        same = kept_.written if incremental else {}
        present = {file.src_uri: file for file in files}
        for page in site.pages:
            build.built[page.path] = page
            unchanged = same.get(page.path) == page
            existing = present.get(page.path)
            if existing is not None:
                build.from_docs.add(page.path)  # e.g. the archive's own index.md intro
                if not unchanged:
                    build.pages[page.path] = page
                    if incremental:  # its source did not change, its generated part did
                        files.remove(existing)
                        files.append(
                            Changed(
                                existing.src_uri,
                                existing.src_dir,
                                existing.dest_dir,
                                existing.use_directory_urls,
                                inclusion=existing.inclusion,
                            )
                        )
                continue
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            old = kept_.dest.get(page.path)
            file: File
            if unchanged and not page.in_nav and old is not None and old.page is not None:
                # the file and page objects of the build before: nothing of them changed
                file = kept(old)
                file.page, old.page.file = old.page, file
                file.page.content = None
            else:
                if not unchanged:
                    build.pages[page.path] = page
                    build.rendered += 1
                kind = Kept if unchanged else File
                file = kind.generated(config, page.path, content="", inclusion=inclusion)
            kept_.dest[page.path] = file
            files.append(file)
        for asset in site.assets:
            build.built[asset.path] = asset
            existing = present.get(asset.path)
            if existing is not None:
                files.remove(existing)
            old = kept_.dest.get(asset.path)
            asset_file: File
            if same.get(asset.path) == asset and old is not None:
                asset_file = kept(old)
            else:
                asset_file = File.generated(config, asset.path, content=asset.content)
            kept_.dest[asset.path] = asset_file
            files.append(asset_file)

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.build.nav = nav
        if not self._fast:
            return nav  # MkDocs converts each generated page's empty Markdown itself
        for path in self.build.built:
            file = files.get_file_from_path(path)
            if file is None or path in self.build.from_docs or not file.is_documentation_page():
                continue
            if file.page is None:
                GeneratedPage(None, file, config)
            elif type(file.page) is MkPage:  # created by the nav: same page, no Markdown pass
                file.page.__class__ = GeneratedPage
        return nav

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        build = self.build
        bodies, build.bodies = build.bodies, {}
        if build.defer and build.nav is not None:
            generated = {path for path in build.built if path not in build.from_docs}
            build.parallel = ParallelPages.start(
                env, config, files, build.nav, generated, self.config.jobs, bodies
            )
        for path in bodies:  # not handed to forked builders: wrapped here, whole
            file = files.get_file_from_path(path)
            if file is not None and file.page is not None:
                with_body(file.page, bodies)
        return env

    def on_page_markdown(
        self, markdown: str, /, *, page: MkPage, config: MkDocsConfig, files: Files
    ) -> str:
        found = self.build.pages.get(page.file.src_uri)
        if found is None or page.file.src_uri in self.build.from_docs:
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
        found = self.build.pages.pop(page.file.src_uri, None)  # each body is needed once
        if found is None:
            return html
        if found.toc:
            tokens: list[Any] = toc_tokens(found.toc)
            page.toc = get_toc(tokens)
        if found.utf8 and self.build.defer:
            self.build.bodies[page.file.src_uri] = found.utf8
            return html
        return html + found.body()

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        build = self.build
        parallel, build.parallel = build.parallel, None
        records, build.records = build.records, None
        try:
            if records is not None:  # a cold build: written while the forked builders work
                write_records(records, config.site_dir)
        finally:
            if parallel is not None:
                parallel.finish()
        log.debug(f"docket: MkDocs built the pages in {time.perf_counter() - build.started:.2f} s")
        build.writing = False
        if self._serving:
            self._remember_site(config)
        pages, build.case_pages = build.case_pages, []
        if records is not None or self.kept.incremental or self.config.search != "docket":
            return  # written above (a cold build), or after the reload (serve)
        write_pages(self.kept.search, pages, config.site_dir, keep=self._serving)

    def on_build_error(self, *, error: Exception) -> None:
        build, self.build = self.build, BuildState()
        self.kept.failure = error
        if build.parallel is not None:
            build.parallel.stop()
        if build.writing:  # the site folder may hold part of this build: compare with nothing
            self.kept.written = {}

    def _remember_site(self, config: MkDocsConfig) -> None:
        """After a good build under serve: what the site folder holds, for the next rebuild."""
        build, kept_ = self.build, self.kept
        site_dir = Path(config.site_dir)
        incremental = kept_.incremental
        changed = incremental and any(
            kept_.written.get(u) != p for u, p in build.built.items() if u.startswith("cases/")
        )
        gone = set(kept_.written) - set(build.built) if incremental else set()
        for path in gone:  # a deleted case: its page and JSON leave the site too
            with contextlib.suppress(KeyError, OSError):
                os.remove(kept_.dest.pop(path).abs_dest_path)
        kept_.written = dict(build.built)
        if incremental and self.config.search == "docket" and (changed or gone):
            pages, search = build.case_pages, kept_.search
            kept_.background.request(lambda: search.write(pages, site_dir, keep=True))

    # mkdocs serve ---------------------------------------------------------------------------

    def on_shutdown(self) -> None:
        self.kept.background.stop()

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer:
        if not self._fast:
            return server  # MkDocs's own serve: a full build on every save
        return serve.install(self, server, config, self.settings.source, builder)
