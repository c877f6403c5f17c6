"""`mkdocs serve`'s incremental rebuilds (a fast path: compat.py decides whether it runs).

A save that touched only cases is MkDocs's own `build(dirty=True)` with the theme's
environment and its file listing reused; anything else is MkDocs's full build. A failed build
is reported in the browser (devserver.py) and does not raise, so open tabs reload to show it.
The server watches with inotify, changes only, instead of polling every file.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer

from generator.mkdocs.devserver import ErrorOverlay
from generator.mkdocs.state import ServeState

log = logging.getLogger("mkdocs.plugins.docket")


class Served(Protocol):
    """What the rebuild asks of the plugin."""

    kept: ServeState

    @property
    def mkdocs_config(self) -> MkDocsConfig: ...

    def rebuilt(self) -> tuple[int, int]:
        """(case files read, pages rendered) by the latest build."""
        ...


def reuse_env(config: MkDocsConfig, kept: ServeState) -> None:
    """A rebuild under serve reuses the theme's environment (compiled templates and the
    listing of the theme's files); a full build makes a new one."""
    if "get_env" in vars(config.theme):
        return
    make = config.theme.get_env

    def get_env() -> jinja2.Environment:
        if not kept.incremental or kept.env is None:
            kept.env = make()
            _list_once(kept.env)
        return kept.env

    config.theme.get_env = get_env  # type: ignore[method-assign]


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


def install(
    plugin: Served,
    server: LiveReloadServer,
    config: MkDocsConfig,
    settings: Path | None,
    builder: Callable[..., Any],
) -> LiveReloadServer:
    """Take over the server's builder (`builder`: MkDocs's full one), wrap its app in the error
    page, watch with inotify."""
    kept = plugin.kept
    kept.full_build = builder
    kept.fingerprint = inputs(config, settings)
    server.builder = lambda: rebuild(plugin, settings)
    app = server.get_app()
    assert app is not None
    server.set_app(ErrorOverlay(app, kept.status))
    _inotify(server, [config.docs_dir, config.config_file_path, *config.theme.dirs])
    return server


def inputs(config: MkDocsConfig, settings: Path | None) -> tuple[Any, ...]:
    """Modification times of everything but the cases that a build reads: when one
    changes, the rebuild is MkDocs's full one (new config, theme, navigation)."""
    # the project's own theme folder; the installed theme's (14,500 files) does not change
    custom = config.theme.custom_dir
    paths = [config.config_file_path, settings, config.docs_dir, custom]
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


def rebuild(plugin: Served, settings: Path | None) -> None:
    """The serve loop's builder: incremental when only cases changed."""
    kept = plugin.kept
    config = plugin.mkdocs_config
    error: list[str] | None = None
    fingerprint = inputs(config, settings)
    incremental = fingerprint == kept.fingerprint and bool(kept.written)
    quiet = _QuietDirty()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    kept.incremental = incremental
    kept.failure = None
    started, cpu = time.perf_counter(), time.thread_time()
    try:
        if incremental:
            mkdocs_build(config, serve_url=config.site_url, dirty=True)
        else:
            kept.background.wait()  # an index installed later must not undo this build's
            full_build: Callable[..., Any] | None = kept.full_build
            assert full_build is not None
            full_build()
            kept.fingerprint = fingerprint
    except (Exception, SystemExit) as exc:  # MkDocs's own loop would only log it
        cause: BaseException = kept.failure or exc  # not MkDocs's "Aborted"
        error = [*(kept.report or []), f"{type(cause).__name__}: {cause}"]
        log.error("docket: the build failed; the browser shows why")
    finally:
        kept.incremental = False
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
    if error is None:
        kind = "rebuilt" if incremental else "built in full"
        read, rendered = plugin.rebuilt()
        log.info(
            f"docket: {kind} in {time.perf_counter() - started:.2f} s "
            f"(CPU {time.thread_time() - cpu:.2f} s), "
            f"{read} case file(s) read, {rendered} page(s) rendered"
        )
    kept.status.finished(error)


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
            options["follow_symlink"] = True  # a cases folder may be a link (watchdog >= 7)
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
