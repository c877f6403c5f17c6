"""The case pages wrapped in the theme on every core, in a cold build (a fast path: it calls
MkDocs's private `_build_page`, so compat.py decides whether it runs at all)."""

from __future__ import annotations

import gc
import logging
import multiprocessing.pool
from collections.abc import Sequence
from typing import Any

import jinja2
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkPage

from generator.mkdocs.pages import excluded
from generator.workers import chunk_size, fork_pool, worth_forking

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


def page_hooks_only(config: MkDocsConfig, plugin: object) -> bool:
    """A page built in another process runs the page events there: only `plugin`'s own may be
    among them (another plugin would miss the pages, e.g. Material's search)."""
    hooks = [h for e in PAGE_EVENTS for h in config.plugins.events.get(e, [])]
    return all(getattr(h, "__self__", None) is plugin for h in hooks)


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


def _build_page(page: MkPage, config: MkDocsConfig, doc_files: Sequence[File], nav: Navigation,
                env: jinja2.Environment) -> None:  # fmt: skip
    """MkDocs's own page step (compat.py checked its parameters before any page got here)."""
    mkdocs_build._build_page(page, config, doc_files, nav, env, False, excluded(page))


def _build_some(indexes: list[int]) -> tuple[list[tuple[str, int, str]], str | None]:
    """Wrap pages `indexes` in the theme and write them, in a forked process."""
    assert _PARALLEL is not None
    config, nav, env, doc_files, pages, bodies = _PARALLEL
    failure = None
    try:
        for index in indexes:
            page = pages[index]
            with_body(page, bodies)
            _build_page(page, config, doc_files, nav, env)
    except Exception as exc:  # reported by the parent, as MkDocs would
        failure = f"{type(exc).__name__}: {exc}"
    caught, _CAUGHT.records = _CAUGHT.records, []
    return caught, failure


def with_body(page: MkPage, bodies: dict[str, bytes]) -> None:
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
        workers = worth_forking(jobs, len(pages), PARALLEL_MIN)
        if workers <= 1:
            return None
        first = pages.pop(0)  # built here first: its templates are compiled before the fork
        with_body(first, bodies)
        _build_page(first, config, doc_files, nav, env)
        first.content = None
        _PARALLEL = (config, nav, env, doc_files, pages, bodies)
        try:
            pool = fork_pool(workers, initializer=_builder_init)
            chunk = chunk_size(len(pages), workers, chunks_per_worker=8, smallest=8)
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
