"""The MkDocs plugin `docket`: a thin adapter from MkDocs to generator/.

It checks the cases (the same checks and diagnostics as `docket check`), asks generator/ for the
archive's pages and files, and adds them with `File.generated`: nothing is ever written into
`docs_dir`, so `mkdocs serve` does not loop. Page bodies are rendered by generator/ already, so
MkDocs only wraps them in the theme (no Markdown pass: `_GeneratedPage`).

Under `mkdocs serve` (docs/archive.md, "The edit loop") a save rebuilds only what it changed:
parsed cases and rendered pages are kept between builds (generator/casecache.py,
generator/render/memo.py); the rebuild is MkDocs's own `build(dirty=True)`, in which every
generated file whose content is the same as in the site already is marked unmodified, so MkDocs
neither renders nor writes it; search is re-indexed in the background after the reload; a
failed build shows its diagnostics in the browser (generator/devserver.py). A change to
anything but the cases (mkdocs.yml, docket.toml, the theme, docs_dir) gets MkDocs's full build.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import multiprocessing.pool
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.commands.build import _build_page
from mkdocs.commands.build import build as mkdocs_build
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

from generator.casecache import CaseCache
from generator.collection import check_paths
from generator.config import ConfigError, load_config
from generator.devserver import BuildStatus, ErrorOverlay
from generator.diagnostics import Severity
from generator.render.boundary import page_meta, toc_tokens
from generator.render.memo import Memo
from generator.render.search import (
    BackgroundSearch,
    SearchIndexError,
    SearchRecord,
    SearchRecords,
    write_index,
)
from generator.render.site import Asset, Page, Site, SiteOptions, render_site
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
    # "pagefind": the former name of "docket" (docket's own index replaced Pagefind)
    search = c.Choice(("docket", "lunr", "none", "pagefind"), default="docket")
    jobs = c.Type(int, default=0)


class _Kept(File):
    """A generated file whose content is in the site already: a dirty build skips it."""

    def is_modified(self) -> bool:
        return False


def _kept(file: File) -> _Kept:
    """The same file as `file` (of the build before), marked unmodified: a copy of its
    attributes, without File's path arithmetic (2,000 files a save)."""
    kept: _Kept = object.__new__(_Kept)
    kept.__dict__.update(file.__dict__)
    return kept


class _Changed(File):
    """A docs_dir page (the home page's intro) whose generated part changed."""

    def is_modified(self) -> bool:
        return True


class _GeneratedPage(MkPage):
    """A page whose body docket rendered: there is no Markdown to convert (an empty source
    would still cost a Python-Markdown instance, 3 ms a page); on_page_content adds the body."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


def _list_once(env: jinja2.Environment) -> None:
    """MkDocs lists every file of the theme on each build (Material: 14,500, mostly icons,
    each tested against a dozen patterns) to find its static files. A rebuild under serve
    reuses the list; a change to the theme makes it a full build with a new environment."""
    listed: dict[Any, list[str]] = {}
    list_all = env.list_templates

    def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
        key = (extensions, getattr(filter_func, "__code__", filter_func))
        if key not in listed:
            listed[key] = list_all(extensions, filter_func)
        return listed[key]

    env.list_templates = list_templates  # type: ignore[method-assign]


class _QuietDirty(logging.Filter):
    """MkDocs warns that a dirty build may have stale navigation; docket's rebuilds mark
    exactly the files that changed, so the warning would only be noise on every save."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


PARALLEL_MIN = 200  # pages; below it (and jobs: 0) the theme wraps them in this process
ELSEWHERE = "docket/_built-elsewhere.html"  # an empty template: MkDocs skips the page
_Work = tuple[
    MkDocsConfig, Navigation, jinja2.Environment, Sequence[File], list[MkPage], dict[str, bytes]
]
_PARALLEL: _Work | None = None  # what the forked page builders need, set just before the fork
# the page events that see a page's content: with any other plugin's or hook's among them,
# every page is read and wrapped whole in MkDocs's process
PAGE_EVENTS = (
    "page_markdown", "page_content", "page_context", "post_page", "pre_template",
    "template_context",
)  # fmt: skip


def _excluded(page: MkPage) -> bool:
    return bool(page.file.inclusion.is_excluded())  # type: ignore[no-untyped-call]


class _Caught(logging.Handler):
    """In a forked page builder: keep MkDocs's warnings for the parent, which logs them again
    (so `--strict` counts them and they are printed once)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


_CAUGHT = _Caught()


def _builder_init() -> None:
    gc.disable()  # one build's worth of pages, little cyclic garbage (as the renderers)
    root = logging.getLogger("mkdocs")
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(_CAUGHT)
    root.propagate = False


def _build_some(indexes: list[int]) -> tuple[list[tuple[str, int, str]], str | None]:
    """Wrap pages `indexes` in the theme and write them, in a forked process."""
    assert _PARALLEL is not None
    config, nav, env, doc_files, pages, bodies = _PARALLEL
    failure = None
    try:
        for index in indexes:
            page = pages[index]
            _with_body(page, bodies)
            _build_page(page, config, doc_files, nav, env, False, _excluded(page))
    except Exception as exc:  # reported by the parent, as MkDocs would
        failure = f"{type(exc).__name__}: {exc}"
    caught, _CAUGHT.records = _CAUGHT.records, []
    return caught, failure


def _with_body(page: MkPage, bodies: dict[str, bytes]) -> None:
    """A case page's body is kept as UTF-8 until the page is wrapped (see `Page.utf8`)."""
    body = bodies.get(page.file.src_uri)
    if body:
        page.content = (page.content or "") + body.decode("utf-8")


class _SkipElsewhere(logging.Filter):
    """MkDocs logs the pages it skips because their template gave no output ("Page skipped"
    and, under -v, "Building page"); those pages were written by the forked builders."""

    def __init__(self, paths: set[str]) -> None:
        super().__init__()
        self._lines = {f"Page skipped: '{p}'. Generated empty output." for p in paths}
        self._lines |= {f"Building page {p}" for p in paths}

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self._lines


class ParallelPages:
    """The case pages wrapped in the theme on every core, in a cold build.

    MkDocs wraps each page in the theme's templates one after another on one core (4-5 ms a
    case page). After every page is read (on_env), the case pages are handed to forked
    processes, and MkDocs's own loop is left with the rest: the static files, the index pages,
    the sitemap. A page given away gets an empty template, so MkDocs writes nothing for it.
    """

    def __init__(self, pool: multiprocessing.pool.Pool, result: Any, quiet: logging.Filter):
        self._pool = pool
        self._result = result
        self._quiet = quiet

    @classmethod
    def start(
        cls,
        env: jinja2.Environment,
        config: MkDocsConfig,
        files: Files,
        nav: Navigation,
        paths: set[str],
        jobs: int,
        bodies: dict[str, bytes],
    ) -> ParallelPages | None:
        """`jobs`: processes; 0 is one per core, for 200 pages or more (fewer are not
        worth the fork). `bodies`: the pages' bodies not yet in their content, by source
        path; once the builders have them, they are dropped here."""
        global _PARALLEL
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        pages = [f.page for f in doc_files if f.src_uri in paths and f.page is not None]
        few = jobs == 0 and len(pages) < PARALLEL_MIN
        jobs = jobs or os.cpu_count() or 1
        forks = "fork" in multiprocessing.get_all_start_methods()
        if jobs <= 1 or few or len(pages) < 2 or not forks:
            return None
        first = pages.pop(0)  # built here first: its templates are compiled before the fork
        _with_body(first, bodies)
        _build_page(first, config, doc_files, nav, env, False, _excluded(first))
        first.content = None
        _PARALLEL = (config, nav, env, doc_files, pages, bodies)
        try:
            pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_builder_init)
            chunk = max(8, len(pages) // (jobs * 8))
            starts = range(0, len(pages), chunk)
            batches = [list(range(i, min(i + chunk, len(pages)))) for i in starts]
            result = pool.map_async(_build_some, batches, chunksize=1)
        finally:
            _PARALLEL = None
        pool.close()
        bodies.clear()  # the builders have their copy (fork): about 50 MB at 1,000 cases
        loader = env.loader
        assert loader is not None
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({ELSEWHERE: ""}), loader])
        for page in (first, *pages):
            page.meta["template"] = ELSEWHERE
        quiet = _SkipElsewhere({page.file.src_uri for page in (first, *pages)})
        logging.getLogger("mkdocs.commands.build").addFilter(quiet)
        return cls(pool, result, quiet)

    def finish(self) -> None:
        """Wait for the forked builders; their warnings are logged here, a failure raised."""
        try:
            failures = []
            for caught, failure in self._result.get():
                for name, level, message in caught:
                    logging.getLogger(name).log(level, message)
                if failure:
                    failures.append(failure)
            if failures:
                raise PluginError(f"docket: a case page could not be built: {failures[0]}")
        finally:
            self.stop()

    def stop(self) -> None:
        logging.getLogger("mkdocs.commands.build").removeFilter(self._quiet)
        self._pool.terminate()
        self._pool.join()


class DocketPlugin(BasePlugin[DocketConfig]):  # type: ignore[no-untyped-call]
    """Renders `cases/` into the archive; see docs/archive.md."""

    def __init__(self) -> None:
        self._pages: dict[str, Page] = {}
        self._from_docs: set[str] = set()
        self._search = SearchRecords()  # each case page's search record, kept under serve
        self._records: list[SearchRecord] | None = None  # a cold build's, from the renderers
        self._bodies: dict[str, bytes] = {}  # case pages' bodies, until they are wrapped
        self._defer = False  # keep them so (a cold build without other page events)
        self._nav: Navigation | None = None
        self._parallel: ParallelPages | None = None
        self._build_started = 0.0
        self._serving = False
        # mkdocs serve: what the site folder holds now, and the caches behind the next rebuild
        self._cases = CaseCache()
        self._memo = Memo()
        self._written: dict[str, Page | Asset] = {}
        self._built: dict[str, Page | Asset] = {}
        self._dest: dict[str, File] = {}
        self._case_pages: list[tuple[str, str, str]] = []
        self._incremental = False
        self._rendered = 0
        self._writing = False
        self._failure: BaseException | None = None
        self._env: jinja2.Environment | None = None
        self._fingerprint: tuple[Any, ...] = ()
        self._report: list[str] | None = None
        self._background = BackgroundSearch()
        self.status = BuildStatus()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` runs a livereload thread; forking worker processes beside threads can
        # deadlock, so a served archive renders in one process
        self._serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._config = config  # the config of the latest build: a rebuild reuses it
        if self._serving and "get_env" not in vars(config.theme):
            # a rebuild under serve reuses the theme's environment (compiled templates and
            # the listing of the theme's files); a full build makes a new one
            make = config.theme.get_env

            def get_env() -> jinja2.Environment:
                if not self._incremental or self._env is None:
                    self._env = make()
                    _list_once(self._env)
                return self._env

            config.theme.get_env = get_env  # type: ignore[method-assign]
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
            log.warning("docket: `search: pagefind` is now `search: docket`: rename it")
            self.config.search = "docket"
        if self.config.search == "docket":
            scripts.append("assets/docket-search.js")
        present = {str(s) for s in config.extra_javascript}
        config.extra_javascript.extend(s for s in scripts if s not in present)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        started = time.perf_counter()
        self._report = None
        if self._serving:  # kept between builds: a save re-reads only the files it touched
            collection = self._cases.check([self.cases_dir], self.settings, self.settings.root)
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
        found = collection.diagnostics
        if found:  # the very lines `docket check` prints
            report = ConciseReporter().render(found, collection.files)
            print(report, file=sys.stderr)
            self._report = report.splitlines()
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
                search=self.config.search == "docket" and not self._serving,
            ),
            self._memo if self._serving else None,
        )
        rendered = time.perf_counter()
        self._defer = not self._serving and self._page_hooks_ours(config)
        self._bodies = {}
        self._records = site.search  # a cold build: made beside the pages, by their renderers
        self._case_pages = []
        if self.config.search == "docket" and site.search is None:
            self._case_pages = [
                (page_url(p.path), p.title, p.body()) for p in site.pages if p.kind == "case"
            ]
        self._add_files(site, files, config)
        self._writing = True  # from here on MkDocs writes into the site folder
        log.debug(
            f"docket: checked {len(collection.cases)} cases in {checked - started:.2f} s, "
            f"rendered in {rendered - checked:.2f} s, "
            f"search input and files in {time.perf_counter() - rendered:.2f} s"
        )
        self._build_started = time.perf_counter()
        return files

    def _add_files(self, site: Site, files: Files, config: MkDocsConfig) -> None:
        """Every page and file of the site into MkDocs's list; in a rebuild, those that are in
        the site folder already, unchanged, are marked so that MkDocs skips them."""
        self._pages = {}
        self._from_docs = set()
        self._built = {}
        self._rendered = 0
        if not self._incremental:
            self._dest = {}
        same = self._written if self._incremental else {}
        present = {file.src_uri: file for file in files}
        for page in site.pages:
            self._built[page.path] = page
            kept = same.get(page.path) == page
            existing = present.get(page.path)
            if existing is not None:
                self._from_docs.add(page.path)  # e.g. the archive's own index.md intro
                if not kept:
                    self._pages[page.path] = page
                    if self._incremental:  # its source did not change, its generated part did
                        files.remove(existing)
                        files.append(
                            _Changed(
                                existing.src_uri,
                                existing.src_dir,
                                existing.dest_dir,
                                existing.use_directory_urls,
                                inclusion=existing.inclusion,
                            )
                        )
                continue
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            old = self._dest.get(page.path)
            file: File
            if kept and not page.in_nav and old is not None and old.page is not None:
                # the file and page objects of the build before: nothing of them changed
                file = _kept(old)
                file.page, old.page.file = old.page, file
                file.page.content = None
            else:
                if not kept:
                    self._pages[page.path] = page
                    self._rendered += 1
                kind = _Kept if kept else File
                file = kind.generated(config, page.path, content="", inclusion=inclusion)
            self._dest[page.path] = file
            files.append(file)
        for asset in site.assets:
            self._built[asset.path] = asset
            existing = present.get(asset.path)
            if existing is not None:
                files.remove(existing)
            old = self._dest.get(asset.path)
            asset_file: File
            if same.get(asset.path) == asset and old is not None:
                asset_file = _kept(old)
            else:
                asset_file = File.generated(config, asset.path, content=asset.content)
            self._dest[asset.path] = asset_file
            files.append(asset_file)

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._nav = nav
        for path in self._built:
            file = files.get_file_from_path(path)
            if file is None or path in self._from_docs or not file.is_documentation_page():
                continue
            if file.page is None:
                _GeneratedPage(None, file, config)
            elif type(file.page) is MkPage:  # created by the nav: same page, no Markdown pass
                file.page.__class__ = _GeneratedPage
        return nav

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        bodies, self._bodies = self._bodies, {}
        if self._defer and self._nav is not None:
            generated = {path for path in self._built if path not in self._from_docs}
            self._parallel = ParallelPages.start(
                env, config, files, self._nav, generated, self.config.jobs, bodies
            )
        for path in bodies:  # not handed to forked builders: wrapped here, whole
            file = files.get_file_from_path(path)
            if file is not None and file.page is not None:
                _with_body(file.page, bodies)
        return env

    def _page_hooks_ours(self, config: MkDocsConfig) -> bool:
        """A page built in another process runs the page events there: only docket's own
        may be among them (another plugin would miss the pages, e.g. Material's search)."""
        hooks = [h for e in PAGE_EVENTS for h in config.plugins.events.get(e, [])]
        return all(getattr(h, "__self__", None) is self for h in hooks)

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
        if found.utf8 and self._defer:
            self._bodies[page.file.src_uri] = found.utf8
            return html
        return html + found.body()

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        parallel, self._parallel = self._parallel, None
        records, self._records = self._records, None
        try:
            if records is not None:  # a cold build: written while the forked builders work
                indexed = time.perf_counter()
                write_index(records, Path(config.site_dir))
                log.info(f"docket: search index written in {time.perf_counter() - indexed:.2f} s")
        except SearchIndexError as exc:
            raise PluginError(str(exc)) from exc
        finally:
            if parallel is not None:
                parallel.finish()
        if records is not None or parallel is not None:
            built = time.perf_counter() - self._build_started
            log.debug(f"docket: MkDocs and the forked builders built the pages in {built:.2f} s")
        self._writing = False
        if self._serving:
            self._remember_site(config)
        pages, self._case_pages = self._case_pages, []
        if records is not None or self._incremental or self.config.search != "docket":
            return  # written above (a cold build), or after the reload (serve)
        indexed = time.perf_counter()
        log.debug(f"docket: MkDocs built the pages in {indexed - self._build_started:.2f} s")
        try:
            self._search.write(pages, Path(config.site_dir), keep=self._serving)
        except SearchIndexError as exc:
            raise PluginError(str(exc)) from exc
        log.info(f"docket: search index written in {time.perf_counter() - indexed:.2f} s")

    def on_build_error(self, *, error: Exception) -> None:
        self._failure = error
        parallel, self._parallel = self._parallel, None
        if parallel is not None:
            parallel.stop()
        self._case_pages = []
        self._records = None
        self._bodies = {}
        if self._writing:  # the site folder may hold part of this build: compare with nothing
            self._written = {}
        self._writing = False

    def _remember_site(self, config: MkDocsConfig) -> None:
        """After a good build under serve: what the site folder holds, for the next rebuild."""
        site_dir = Path(config.site_dir)
        changed = self._incremental and any(
            self._written.get(u) != p for u, p in self._built.items() if u.startswith("cases/")
        )
        gone = set(self._written) - set(self._built) if self._incremental else set()
        for path in gone:  # a deleted case: its page and JSON leave the site too
            with contextlib.suppress(KeyError, OSError):
                os.remove(self._dest.pop(path).abs_dest_path)
        self._written = dict(self._built)
        if self._incremental and self.config.search == "docket" and (changed or gone):
            pages, search = self._case_pages, self._search
            self._background.request(lambda: search.write(pages, site_dir, keep=True))

    # mkdocs serve ---------------------------------------------------------------------------

    def on_shutdown(self) -> None:
        self._background.stop()

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer:
        self._full_build = builder
        self._fingerprint = self._inputs(config)
        server.builder = self._rebuild
        app = server.get_app()
        assert app is not None
        server.set_app(ErrorOverlay(app, self.status))
        _inotify(server, [config.docs_dir, config.config_file_path, *config.theme.dirs])
        return server

    def _inputs(self, config: MkDocsConfig) -> tuple[Any, ...]:
        """Modification times of everything but the cases that a build reads: when one
        changes, the rebuild is MkDocs's full one (new config, theme, navigation)."""
        # the project's own theme folder; the installed theme's (14,500 files) does not change
        custom = config.theme.custom_dir
        paths = [config.config_file_path, self.settings.source, config.docs_dir, custom]
        stamps: list[tuple[str, int]] = []
        for path in paths:
            if not path or not os.path.exists(path):
                continue
            if os.path.isdir(path):
                for folder, _, names in os.walk(path):
                    stamps += [(n, _mtime(os.path.join(folder, n))) for n in names]
            else:
                stamps.append((str(path), _mtime(str(path))))
        return tuple(sorted(stamps))

    def _rebuild(self) -> None:
        """The serve loop's builder: incremental when only cases changed. A failed build is
        reported in the browser and does not raise, so open tabs reload to show it."""
        error: list[str] | None = None
        fingerprint = self._inputs(self._config)
        incremental = fingerprint == self._fingerprint and bool(self._written)
        quiet = _QuietDirty()
        logging.getLogger("mkdocs.commands.build").addFilter(quiet)
        self._incremental = incremental
        self._failure = None
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            if incremental:
                mkdocs_build(self._config, serve_url=self._config.site_url, dirty=True)
            else:
                self._background.wait()  # an index installed later must not undo this build's
                self._full_build()
                self._fingerprint = fingerprint
        except (Exception, SystemExit) as exc:  # MkDocs's own loop would only log it
            cause: BaseException = self._failure or exc  # not MkDocs's "Aborted"
            error = [*(self._report or []), f"{type(cause).__name__}: {cause}"]
            log.error("docket: the build failed; the browser shows why")
        finally:
            self._incremental = False
            logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
        if error is None:
            kind = "rebuilt" if incremental else "built in full"
            log.info(
                f"docket: {kind} in {time.perf_counter() - started:.2f} s "
                f"(CPU {time.thread_time() - cpu:.2f} s), "
                f"{len(self._cases.reread)} case file(s) read, {self._rendered} page(s) rendered"
            )
        self.status.finished(error)


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def _inotify(server: LiveReloadServer, paths: list[str | None]) -> None:
    """Watch with inotify instead of MkDocs's polling every 0.5 s of every file (1,000 stats a
    poll, and half a second of a one-second edit loop). Only changes count: inotify also
    reports files being opened and read, and the build itself reads every case."""
    try:
        from watchdog import events
        from watchdog.observers import Observer
    except ImportError:  # pragma: no cover - watchdog comes with MkDocs
        return
    changes: list[type[events.FileSystemEvent]] = [
        events.FileCreatedEvent,
        events.FileDeletedEvent,
        events.FileModifiedEvent,
        events.FileMovedEvent,
        events.FileClosedEvent,
    ]

    class ChangesOnly(Observer):  # type: ignore[misc,valid-type]
        def schedule(self, handler: Any, path: Any, **options: Any) -> Any:
            options["event_filter"] = changes
            options["follow_symlink"] = True  # a cases folder may be a link
            return super().schedule(handler, path, **options)

    try:
        observer = ChangesOnly()
    except OSError:  # pragma: no cover - no inotify: MkDocs keeps polling
        return
    moved = []
    for path in paths:
        if not path:
            continue
        try:
            server.unwatch(path)
        except KeyError:
            continue
        moved.append(path)
    server.observer = observer
    for path in moved:
        server.watch(path)
