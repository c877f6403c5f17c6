"""What the plugin holds between events: one `BuildState` per build, made when the build
starts and dropped when it ends, and one `ServeState` for the process, which `mkdocs serve`'s
rebuilds reuse (a cold `mkdocs build` has one build, so it is simply that build's)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jinja2
from mkdocs.structure.files import File
from mkdocs.structure.nav import Navigation

from generator.casecache import CaseCache
from generator.mkdocs.devserver import BuildStatus
from generator.mkdocs.parallel import ParallelPages
from generator.render.memo import Memo
from generator.render.search import BackgroundSearch, SearchRecord, SearchRecords
from generator.render.site import Asset, Page


@dataclass
class BuildState:
    """One build, from on_pre_build to on_post_build (or on_build_error)."""

    # generated pages whose body is still to be added, by path (each is needed once)
    pages: dict[str, Page] = field(default_factory=dict)
    from_docs: set[str] = field(default_factory=set)  # generated part of a docs_dir page
    built: dict[str, Page | Asset] = field(default_factory=dict)  # everything this build adds
    records: list[SearchRecord] | None = None  # a cold build's search records, by the renderers
    case_pages: list[tuple[str, str, str]] = field(default_factory=list)  # (url, title, body)
    bodies: dict[str, bytes] = field(default_factory=dict)  # case bodies until they are wrapped
    defer: bool = False  # bodies kept as above (a cold build without other page events)
    nav: Navigation | None = None
    parallel: ParallelPages | None = None
    started: float = 0.0  # when MkDocs started on the pages
    rendered: int = 0  # pages rendered again (a rebuild's log line)
    writing: bool = False  # MkDocs is writing into the site folder


@dataclass
class ServeState:
    """Kept across `mkdocs serve`'s rebuilds: the caches behind the next rebuild, and what the
    site folder holds now."""

    cases: CaseCache = field(default_factory=CaseCache)
    memo: Memo = field(default_factory=Memo)
    search: SearchRecords = field(default_factory=SearchRecords)  # each case page's record
    written: dict[str, Page | Asset] = field(default_factory=dict)  # in the site folder
    dest: dict[str, File] = field(default_factory=dict)  # their MkDocs files
    env: jinja2.Environment | None = None  # the theme's, reused by incremental rebuilds
    fingerprint: tuple[Any, ...] = ()  # everything but the cases, as of the last full build
    background: BackgroundSearch = field(default_factory=BackgroundSearch)
    status: BuildStatus = field(default_factory=BuildStatus)
    incremental: bool = False  # the build running now is an incremental rebuild
    full_build: Callable[..., Any] | None = None  # MkDocs's own serve builder
    report: list[str] | None = None  # the case diagnostics of the latest build
    failure: BaseException | None = None  # what failed the latest build
