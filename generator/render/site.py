"""Assemble the whole archive: every page and file, ready for the site generator or for a folder.

Case pages are independent of each other once the cross-reference graph is known, so with
`jobs > 1` they are rendered in forked worker processes (the site generator itself uses one core).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from generator.model import Case
from generator.render.case_inputs import CaseInputs, case_inputs
from generator.render.case_page import RenderedCase, render_case
from generator.render.context import Context
from generator.render.data import index_json, record_json, schemas
from generator.render.feed import render_feed
from generator.render.graph import build_graph
from generator.render.indexes import render_indexes
from generator.render.memo import Memo
from generator.render.search import SearchRecord, search_record
from generator.render.settings import SiteSettings
from generator.render.urls import case_json_url, case_path, page_url
from generator.workers import chunk_size, fork_pool, worth_forking


@dataclass(frozen=True, slots=True)
class Page:
    """A page of the archive: `path` is where its source would live ("cases/a20140408.1.md")."""

    path: str
    title: str
    html: str
    kind: str  # "case" | "index"
    in_nav: bool
    toc: tuple[tuple[str, str], ...] = ()
    description: str = ""
    # the body as UTF-8 when `html` is empty: so forked renderers send case pages, as one
    # non-Latin-1 character ("–") makes a str take two bytes for every character
    utf8: bytes = b""

    def body(self) -> str:
        return self.html or self.utf8.decode("utf-8")


@dataclass(frozen=True, slots=True)
class Asset:
    """A non-page file: feed, JSON, schema."""

    path: str
    content: bytes


@dataclass
class Site:
    pages: list[Page] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    search: list[SearchRecord] | None = None  # the case pages' (SiteOptions.search)

    def page(self, path: str) -> Page | None:
        return next((p for p in self.pages if p.path == path), None)


@dataclass(frozen=True)
class SiteOptions:
    site_name: str = "Arbitration archive"
    site_url: str = ""
    hash_bugs: bool = False
    jobs: int = 0  # 0: as many as there are cores, for 200 cases or more
    search: bool = False  # make each case page's search record beside it (no memo)


_WORKER_CTX: Context | None = None
_WORKER_INPUTS: dict[str, CaseInputs] = {}  # inputs made before forking, by case number


@dataclass(frozen=True, slots=True)
class _Made:
    """What a renderer makes of one case: its page and, in a cold build, its JSON record
    (made beside the page, so on every core, not afterwards in the site generator's process)."""

    page: RenderedCase
    record: bytes | None
    search: SearchRecord | None = None
    utf8: bytes = b""  # the page's HTML, from a forked renderer (then `page.html` is empty)


def _make(
    case: Case, ctx: Context, records: bool, search: bool, inputs: CaseInputs | None = None
) -> _Made:
    page = render_case(inputs or case_inputs(case, ctx), ctx.settings)
    url = page_url(case_path(case.number))
    found = search_record(url, page.title, page.html) if search else None
    return _Made(page, record_json(case, ctx) if records else None, found)


def _make_in_fork(case_index: int, records: bool, search: bool) -> _Made:
    """In a forked renderer: make the page of `ctx.cases[case_index]` (the case itself is
    inherited, not sent); the page goes back as UTF-8 (see `Page.utf8`)."""
    assert _WORKER_CTX is not None
    case = _WORKER_CTX.cases[case_index]
    made = _make(case, _WORKER_CTX, records, search, _WORKER_INPUTS.get(case.number))
    return replace(made, page=replace(made.page, html=""), utf8=made.page.html.encode("utf-8"))


RENDER_MIN = 200  # cases; fewer are rendered in this process (the fork would not pay)


def _render_all(
    ctx: Context,
    cases: list[Case],
    jobs: int,
    records: bool,
    search: bool = False,
    inputs: dict[str, CaseInputs] | None = None,
) -> list[_Made]:
    """`jobs`: processes (generator.workers); 0 is one per core, for RENDER_MIN cases or more.
    `inputs`: the pages' inputs where already made (else each renderer makes them)."""
    global _WORKER_CTX, _WORKER_INPUTS
    inputs = inputs or {}
    workers = worth_forking(jobs, len(cases), RENDER_MIN)
    if workers <= 1:
        return [_make(c, ctx, records, search, inputs.get(c.number)) for c in cases]
    ctx.env  # noqa: B018 - load templates once, before forking
    _WORKER_CTX, _WORKER_INPUTS = ctx, inputs
    try:
        with fork_pool(workers) as pool:
            chunk = chunk_size(len(cases), workers, chunks_per_worker=8, smallest=16)
            index = {id(case): i for i, case in enumerate(ctx.cases)}
            work = partial(_make_in_fork, records=records, search=search)
            return pool.map(work, [index[id(c)] for c in cases], chunksize=chunk)
    finally:
        _WORKER_CTX, _WORKER_INPUTS = None, {}


def _render_cases(ctx: Context, jobs: int, search: bool) -> list[_Made]:
    """Every case page; with a memo, only those whose inputs changed are rendered (the inputs
    are the key; the records are left to the memo too, the search records to the caller)."""
    if ctx.memo is None:
        return _render_all(ctx, ctx.cases, jobs, records=True, search=search)
    keys = [case_inputs(case, ctx) for case in ctx.cases]
    stale = {
        c.number: k
        for c, k in zip(ctx.cases, keys, strict=True)
        if not ctx.memo.has(f"case:{c.number}", k)
    }
    todo = [k.case for k in stale.values()]
    made = _render_all(ctx, todo, jobs, records=False, inputs=stale)
    fresh = {case.number: one.page for case, one in zip(todo, made, strict=True)}
    return [
        _Made(ctx.remember(f"case:{c.number}", k, partial(fresh.__getitem__, c.number)), None)
        for c, k in zip(ctx.cases, keys, strict=True)
    ]


def render_site(
    cases: Sequence[Case],
    root: Path,
    urls: dict[str, str],
    options: SiteOptions,
    memo: Memo | None = None,
) -> Site:
    """Render every page of the archive from checked cases (only public text is read).

    With `memo` (kept by the dev server between builds) a page or file made from the same
    inputs as in the previous render is not rendered again: the old object is returned.
    """
    case_list = list(cases)
    settings = SiteSettings(root, urls, options.site_name, options.site_url, options.hash_bugs)
    if memo is not None:
        memo.begin(settings)
    ctx = Context(
        cases=case_list,
        graph=build_graph(case_list, memo.get if memo is not None else None),
        settings=settings,
        memo=memo,
    )
    for name in sorted({o.person for c in case_list for o in c.header.officers if o.person}):
        ctx.people.slug(name)
    jobs = options.jobs
    site = Site()
    for page in render_indexes(ctx):
        site.pages.append(
            Page(page.path, page.title, page.html, "index", page.in_nav, toc=page.toc)
        )
    made = _render_cases(ctx, jobs, options.search)
    if options.search and memo is None:
        site.search = [m.search for m in made if m.search is not None]
    for one in made:
        rendered = one.page
        site.pages.append(
            Page(
                case_path(rendered.number),
                rendered.title,
                rendered.html,
                "case",
                in_nav=False,
                toc=rendered.toc,
                description=rendered.description,
                utf8=one.utf8,
            )
        )
    site.assets.append(Asset("feed.xml", render_feed(ctx)))
    site.assets.append(Asset("cases.json", index_json(ctx)))
    for case, one in zip(case_list, made, strict=True):
        record = one.record if one.record is not None else record_json(case, ctx)
        site.assets.append(Asset(case_json_url(case.number), record))
    site.assets.extend(Asset(path, content) for path, content in schemas().items())
    if memo is not None:
        memo.finish()
    return site
