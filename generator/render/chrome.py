"""Material's page chrome (navigation, tabs, header, footer, toc, config script) rendered once
per distinct input and reused: most of the archive's 1,200 pages are case pages, out of the nav
and at the same URL depth, so their chrome is the same string page after page.

The theme wraps a region in `{% call docket_chrome("name", input, ...) %}...{% endcall %}`.
The region's output is a function of the template context; what of it can differ from one page
to the next of a build is in the key, and everything else is the same for the whole build:

- `base_url`, always;
- the page's place in the navigation: the `active` flag of every nav item, and whether the page
  is itself in the nav (then it is rendered for itself alone: the nav shows its own toc);
- every URL the region wrote through the page-relative filters (`url`, `script_tag`): recorded
  while it renders, and a stored rendering is reused only if each of them comes out the same
  for the new page (relative URLs are equal at the same depth, not everywhere);
- the inputs the template names in the call (`page.previous_page`, the toc, ...): compared by
  value for plain data (strings, numbers, lists, dicts, MkDocs's toc), by identity for any
  other object.

What a region reads of the page beyond that must be named in the call: the theme's templates
(theme/main.html, theme/partials/) say, region by region, what Material's partials read. The
config, the navigation's items and titles, the language and the features are the same for
every page of one build; a cache serves one build (one `config` and `nav`) and starts empty
when either changes, so `mkdocs serve`'s rebuilds (same environment) see their own titles.

`docket_translate` is Material's `lang.t`: its language files are fixed tables (a macro that
builds a dict of 100 strings for every lookup, 25 lookups a page), so each key is looked up once.
See docs/performance.md ("Material's page chrome") for what it saves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import jinja2
from jinja2 import pass_context
from jinja2.runtime import Context

Filter = Callable[[Context, Any], Any]
RELATIVE = ("url", "script_tag")  # MkDocs's filters whose output depends on the page
Written = tuple[tuple[str, Any, Any], ...]  # (filter, value, output) as the region wrote them
_UNDEFINED = ("undefined",)
_TOC = "mkdocs.structure.toc"
_ANCHOR_ORDER = ("active", "children", "id", "level", "title", "typeset")  # an AnchorLink's
_ANCHOR = frozenset(_ANCHOR_ORDER)


class _Recording:
    """What one region wrote through the page-relative filters, while it renders."""

    __slots__ = ("base_url", "page", "reusable", "written")

    def __init__(self, page: Any, base_url: Any) -> None:
        self.page = page
        self.base_url = base_url
        self.written: list[tuple[str, Any, Any]] = []
        self.reusable = True


class ChromeCache:
    """The stored renderings of one build, keyed as the module docstring says."""

    def __init__(self, filters: dict[str, Filter]) -> None:
        self._filters = filters  # MkDocs's own
        self._entries: dict[tuple[Any, ...], list[tuple[Written, str]]] = {}
        self._recordings: list[_Recording] = []
        self._build: tuple[Any, Any] = (None, None)
        self._kept: list[Any] = []  # objects whose id() is in a key: alive as long as the key
        self._items: list[Any] = []  # the nav's items, sections' children included
        self._in_nav: dict[int, bool] = {}
        self._for: tuple[Any, Any] = (None, None)  # the page and base_url of `_outputs`
        self._outputs: dict[tuple[str, type, Any], Any] = {}
        self._words: dict[tuple[Any, Any], Any] = {}
        self.hits = 0
        self.misses = 0

    def install(self, env: jinja2.Environment) -> None:
        """Make `docket_chrome` and `docket_translate` available to the theme, and route the
        page-relative filters through the recorder."""
        env.globals["docket_chrome"] = self.chrome
        env.globals["docket_translate"] = self.translate
        for name in self._filters:
            env.filters[name] = self._recorded(name)

    def _recorded(self, name: str) -> Filter:
        original = self._filters[name]

        @pass_context
        def recorded(context: Context, value: Any) -> Any:
            result = original(context, value)
            for recording in self._recordings:
                if context.get("page") is not recording.page or (
                    context.get("base_url") != recording.base_url
                ):
                    recording.reusable = False  # made for another page: keep it to itself
                recording.written.append((name, value, result))
            return result

        recorded.docket_original = original  # type: ignore[attr-defined]
        return recorded

    @pass_context
    def translate(self, context: Context, language: Any, key: Any) -> Any:
        """`lang.t(key) or fallback.t(key) or key`, as Material's partials/language.html, with
        `lang` the language's file and `fallback` the English one (imported without context)."""
        memo = (language, key)
        if memo not in self._words:
            env = context.environment
            lang = env.get_template(f"partials/languages/{language}.html").module
            fallback = env.get_template("partials/languages/en.html").module
            self._words[memo] = lang.t(key) or fallback.t(key) or key  # type: ignore[attr-defined]
        return self._words[memo]

    @pass_context
    def chrome(self, context: Context, name: str, *inputs: Any, caller: Callable[[], str]) -> str:
        """The region `name` for this page: a stored rendering with the same key and URLs,
        else `caller()` (the region's own template text), stored for the next page."""
        page = context.get("page")
        base_url = context.get("base_url")
        nav = context.get("nav")
        config = context.get("config")
        if config is not self._build[0] or nav is not self._build[1]:
            self._start(config, nav)
        key = (name, _freeze(base_url, self._kept), *self._place(page))
        key += tuple(_freeze(value, self._kept) for value in inputs)
        stored = self._entries.setdefault(key, [])
        for written, html in stored:
            if self._same_output(context, written):
                self.hits += 1
                for recording in self._recordings:  # an enclosing region wrote these too
                    recording.written.extend(written)
                return html
        self.misses += 1
        recording = _Recording(page, base_url)
        self._recordings.append(recording)
        try:
            html = caller()
        finally:
            self._recordings.pop()
        if recording.reusable:  # (enclosing regions saw the same filter calls themselves)
            stored.append((_distinct(recording.written), html))
        return html

    def _start(self, config: Any, nav: Any) -> None:
        """A new build: nothing stored before applies."""
        self._entries = {}
        self._items = list(_walk(getattr(nav, "items", None) or ()))
        self._in_nav = {}
        self._words = {}
        self._kept = [config, nav]
        self._build = (config, nav)
        self._for = (None, None)

    def _same_output(self, context: Context, written: Written) -> bool:
        """Whether each filter call of a stored rendering gives the same output on this page."""
        page, base_url = context.get("page"), context.get("base_url")
        if page is not self._for[0] or base_url != self._for[1]:
            self._for, self._outputs = (page, base_url), {}
        for name, value, output in written:
            memo = (name, type(value), value)  # a str and an equal script object differ
            try:
                now = self._outputs[memo]
            except KeyError:
                now = self._outputs[memo] = self._filters[name](context, value)
            except TypeError:  # an unhashable value
                now = self._filters[name](context, value)
            if now != output:
                return False
        return True

    def _place(self, page: Any) -> tuple[Any, ...]:
        """The page's place in the navigation, as far as Material's templates can see it."""
        actives = tuple([bool(getattr(item, "active", False)) for item in self._items])
        if page is None:
            return (actives, None)
        in_nav = self._in_nav.get(id(page))
        if in_nav is None:  # titles and files do not change during the build
            self._kept.append(page)
            in_nav = self._in_nav[id(page)] = any(_holds(item, page) for item in self._items)
        return (actives, id(page) if in_nav else None)


def _distinct(written: list[tuple[str, Any, Any]]) -> Written:
    """Each filter call once (a nav writes the home page's URL several times)."""
    seen: dict[Any, tuple[str, Any, Any]] = {}
    rest: list[tuple[str, Any, Any]] = []
    for call in written:
        try:
            seen.setdefault((call[0], type(call[1]), call[1], call[2]), call)
        except TypeError:
            rest.append(call)
    return (*seen.values(), *rest)


def _holds(item: Any, page: Any) -> bool:
    """Whether a nav item is the page or lists it (`nav_item == page`, `page in
    nav_item.pages` in Material's nav-item.html)."""
    if bool(item == page):
        return True
    pages: Any = getattr(item, "pages", None)
    return bool(pages) and page in pages


def _walk(items: Any) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or ())


def _freeze(value: Any, kept: list[Any]) -> Any:
    """A hashable stand-in, equal for equal plain data; any other object stands for itself.
    A toc (MkDocs's TableOfContents of AnchorLinks) is plain data: its entries' title, id,
    level, children, active and typeset (Material's typeset plugin), when it holds no more."""
    if type(value) is str:
        return value  # the common case; any other value is a tuple
    if value is None or isinstance(value, str | int | float | bool):
        return (type(value).__name__, value)
    if isinstance(value, jinja2.Undefined):
        return _UNDEFINED
    if isinstance(value, list | tuple):
        return ("seq", tuple(_freeze(v, kept) for v in value))
    if isinstance(value, dict):
        return ("map", tuple((_freeze(k, kept), _freeze(v, kept)) for k, v in value.items()))
    kind = (type(value).__module__, type(value).__name__)
    if kind == (_TOC, "TableOfContents") and vars(value).keys() == {"items"}:
        return ("toc", *[_anchor(v, kept) for v in value])
    if kind == (_TOC, "AnchorLink"):
        return _anchor(value, kept)
    kept.append(value)
    return ("id", id(value))


def _anchor(value: Any, kept: list[Any]) -> Any:
    """An AnchorLink (a toc entry) by value: what _freeze gives, in a fifth of the time (a
    case page's toc has 10-30 entries)."""
    fields = getattr(value, "__dict__", None)
    if type(value).__name__ != "AnchorLink" or fields is None or fields.keys() - _ANCHOR:
        # an entry with attributes this module does not know (a newer MkDocs, another
        # plugin): a template may read them, so it is equal only to itself (never handed back
        # to _freeze, which would hand it back here)
        kept.append(value)
        return ("id", id(value))
    title, id_, level = fields.get("title"), fields.get("id"), fields.get("level")
    if type(title) is not str or type(id_) is not str or type(level) is not int:
        return ("anchor", *[_freeze(fields.get(a), kept) for a in _ANCHOR_ORDER])
    children, active, typeset = fields.get("children"), fields.get("active"), fields.get("typeset")
    return (
        "entry",
        title,
        id_,
        level,
        active if active is None or type(active) is bool else _freeze(active, kept),
        None if typeset is None else _freeze(typeset, kept),
        tuple([_anchor(c, kept) for c in children])
        if type(children) is list
        else _freeze(children, kept),
    )


def install(env: jinja2.Environment) -> ChromeCache:
    """A new cache for this build's environment (MkDocs's own filters behind it)."""
    filters = {
        name: getattr(env.filters[name], "docket_original", env.filters[name])
        for name in RELATIVE
        if name in env.filters
    }
    cache = ChromeCache(filters)
    cache.install(env)
    return cache
