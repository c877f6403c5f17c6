"""The shared page chrome (generator/render/chrome.py): a region is reused only where it would
come out the same, checked against the same templates rendered without the cache, on real
MkDocs pages, navigation and filters; the theme's copies of Material's text are exact; and a
real build of the fixture archive comes out byte for byte as with the cache switched off."""

from __future__ import annotations

import filecmp
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import material
import pytest
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents, get_toc
from mkdocs.utils.templates import script_tag_filter, url_filter

from generator.render import chrome
from tests.archive_site import ARCHIVE_FIXTURE, SITE_URL, make_project
from tests.conftest import ROOT

MATERIAL = Path(material.__file__).parent / "templates"
THEME = ROOT / "theme"

# A nav region written the way Material writes one: URLs through `url`, active flags, and the
# page's own toc when the page is in the nav.
NAV = (
    '<a href="{{ nav.homepage.url | url }}">home</a>'
    "{% for item in nav.items %}"
    '<a href="{{ item.url | url }}" class="{{ "on" if item.active }}">{{ item.title }}</a>'
    "{% if item == page %}[{% for t in page.toc %}{{ t.title }}{% endfor %}]{% endif %}"
    "{% endfor %}"
)
TOC = '{% for t in page.toc %}<a href="{{ t.url }}">{{ t.title }}</a>{% endfor %}'
YEAR = '<a href="{{ "cases/2014/" | url }}">2014</a>'
CASES = ["cases/2014/a20140408.1.md", "cases/2015/a20150101.1.md", "cases/2014/a20140409.1.md"]


@dataclass
class Build:
    """One build's real MkDocs objects."""

    config: MkDocsConfig
    files: Files
    nav: Navigation

    def page(self, path: str) -> Page:
        file = self.files.get_file_from_path(path)
        assert file is not None and file.page is not None
        return file.page


def _build(root: Path, paths: list[str], nav: list[Any]) -> Build:
    """Config, files, pages and navigation as MkDocs makes them (pages outside `nav` are not
    in it); each page's title is its path."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    config = MkDocsConfig(config_file_path=str(root / "mkdocs.yml"))
    config.load_dict({"site_name": "T", "docs_dir": str(root / "docs"), "nav": nav})
    errors, _ = config.validate()
    assert not errors
    files = Files([File(p, str(root / "docs"), str(root / "site"), True) for p in paths])
    navigation = get_navigation(files, config)
    for file in files.documentation_pages():
        page = file.page or Page(None, file, config)
        page.title = file.src_uri
    return Build(config, files, navigation)


@pytest.fixture()
def site(tmp_path: Path) -> Build:
    paths = ["index.md", "cases/index.md", "years/index.md", "years/2014.md", *CASES, "people/x.md"]
    nav = ["index.md", "cases/index.md", "years/index.md", "years/2014.md"]
    return _build(tmp_path, paths, nav)


def _env(page_html: str, cached: bool = True, **more: str) -> jinja2.Environment:
    """MkDocs's theme environment (its filters) with the cache installed; `cached=False`: the
    same templates, each region's own text alone."""
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"page.html": page_html, **more}), auto_reload=False
    )
    env.filters["url"] = url_filter
    env.filters["script_tag"] = script_tag_filter
    env.globals["cache"] = chrome.install(env)
    if not cached:
        env.globals["docket_chrome"] = lambda *inputs, caller: caller()
    return env


def _render(env: jinja2.Environment, build: Build, page: Page, other: str = "index.md") -> str:
    page.active = True  # as MkDocs's _build_page does
    try:
        context = get_context(build.nav, build.files, build.config, page)
        return env.get_template("page.html").render({**context, "other": build.page(other)})
    finally:
        page.active = False


def _region(body: str, *inputs: str) -> str:
    return (
        f'{{% call docket_chrome("r"{"".join(", " + i for i in inputs)}) %}}{body}{{% endcall %}}'
    )


def _misses(
    build: Build, page_html: str, order: list[str], others: list[str] = (), **more: str
) -> int:
    """Renders the pages in order with and without the cache: the same text, page by page;
    how many times the cache rendered a region. `others`: what `other` is on each page."""
    cached, plain = _env(page_html, **more), _env(page_html, cached=False, **more)
    for n, path in enumerate(order):
        page, other = build.page(path), others[n] if others else "index.md"
        assert _render(cached, build, page, other) == _render(plain, build, page, other), path
    cache: chrome.ChromeCache = cached.globals["cache"]
    return cache.misses


def _toc(*names: str) -> TableOfContents:
    return get_toc([{"level": 2, "id": n.lower(), "name": n, "children": []} for n in names])


def test_pages_out_of_the_nav_at_one_depth_share_the_region(site: Build) -> None:
    assert _misses(site, _region(NAV), CASES) == 1


def test_a_url_that_differs_at_the_same_depth_is_not_reused(site: Build) -> None:
    # cases/2014/ is ../ from cases/2014/x/ but ../../2014/ from cases/2015/y/
    assert _misses(site, _region(YEAR), CASES) == 2  # the third page reuses the first's
    assert _misses(site, _region(NAV), [*CASES, "people/x.md"]) == 2  # depth 3, depth 2


def test_pages_in_the_nav_are_rendered_for_themselves(site: Build) -> None:
    site.page("index.md").toc = _toc("Welcome")
    order = ["index.md", "cases/index.md", "years/index.md", "years/2014.md", CASES[0]]
    assert _misses(site, _region(NAV), order) == 5


def test_named_inputs_are_in_the_key(site: Build) -> None:
    site.page(CASES[0]).toc = _toc("Ruling", "Dispute")
    site.page(CASES[1]).toc = _toc("Ruling", "Discovery")
    site.page(CASES[2]).toc = _toc("Ruling", "Dispute")  # equal to the first's: shared
    assert _misses(site, _region(TOC, "page.toc"), CASES) == 2
    with pytest.raises(AssertionError):  # what a region reads of the page must be named
        _misses(site, _region(TOC), CASES)


def test_a_url_made_for_another_page_is_not_stored(site: Build) -> None:
    # the include writes URLs for another page (one at the same depth on the first page, the
    # home page on the third): checking them for the page itself would wrongly pass
    shadow = '{% set page = other %}<a href="{{ "topics/" | url }}">t</a>'
    page_html = _region('{% include "shadow.html" %}')
    others = [CASES[1], CASES[0], "index.md"]
    assert _misses(site, page_html, CASES, others, **{"shadow.html": shadow}) == 3


def test_the_nav_state_is_in_the_key(site: Build) -> None:
    actives = "{% for item in nav.items %}{{ item.active }}{% endfor %}"  # no URL in it
    assert _misses(site, _region(actives), ["cases/index.md", "years/index.md"]) == 2


def test_an_enclosing_region_checks_the_urls_of_a_reused_inner_one(site: Build) -> None:
    # the outer region is keyed on the title too: on the second page it is rendered again and
    # reuses the inner one, whose URL must still be checked when the third page reuses it
    for path, title in zip(CASES, ("A", "B", "B"), strict=True):
        site.page(path).title = title
    inner = f'{{% call docket_chrome("inner") %}}{YEAR}{{% endcall %}}'
    page_html = (
        f'{{% call docket_chrome("outer", page.title) %}}{{{{ page.title }}}}{inner}{{% endcall %}}'
    )
    order = [CASES[0], CASES[2], CASES[1]]  # 2014 "A", 2014 "B", 2015 "B"
    assert _misses(site, page_html, order) == 5  # outer thrice; inner on the 2014 and 2015 pages


def test_a_new_build_starts_empty(tmp_path: Path, site: Build) -> None:
    env = _env(_region(NAV))
    before = _render(env, site, site.page(CASES[0]))
    again = _build(tmp_path / "again", ["index.md", CASES[0]], ["index.md"])
    again.page("index.md").title = "Start"  # a title changed between builds (mkdocs serve)
    after = _render(env, again, again.page(CASES[0]))
    assert "Start" in after and "Start" not in before
    assert env.globals["cache"].misses == 2
    rebuilt = chrome.install(env)  # a rebuild in the same environment: MkDocs's own filters
    assert rebuilt._filters == {"url": url_filter, "script_tag": script_tag_filter}


def test_translations_are_materials() -> None:
    """docket's partials/language.html gives what Material's does, key by key, in several
    languages, for keys missing in a language or in all of them."""
    en = (MATERIAL / "partials/languages/en.html").read_text("utf-8")
    keys = [*re.findall(r'^  "([^"]+)":', en, re.M), "no.such.key"]
    assert len(keys) > 50
    probe = "{% import 'partials/language.html' as lang with context %}" + "".join(
        f"[{{{{ lang.t({k!r}) }}}}]" for k in keys
    )
    for language in ("en", "de", "ja", "eo", "zh-TW"):
        outputs = []
        # Material's; docket's; docket's in an environment without the plugin's globals (as
        # Material's search plugin makes one to translate)
        for dirs, install in (([MATERIAL], True), ([THEME, MATERIAL], True), ([THEME], False)):
            loader = jinja2.FileSystemLoader([*dirs, MATERIAL])
            env = jinja2.Environment(loader=loader, auto_reload=False)
            env.filters["url"] = url_filter
            if install:
                chrome.install(env)
            outputs.append(env.from_string(probe).render(config={"theme": {"language": language}}))
        assert outputs[0] == outputs[1] == outputs[2], language
        if language == "en":
            assert "[Table of contents]" in outputs[1] and "[no.such.key]" in outputs[1]


def _without_calls(text: str) -> str:
    text = re.sub(r"\{% call docket_chrome\([^%]*\) %\}", "", text)
    return re.sub(r"\{%-? endcall %\}", "", text)


def test_the_themes_copies_are_materials_text() -> None:
    """theme/main.html's site_nav block is Material's, theme/partials/top.html Material's
    partial, once the calls around their parts are taken away; the other blocks wrap
    Material's own (`super()`)."""
    main = (THEME / "main.html").read_text("utf-8")
    block = r"\{% block site_nav %\}(.*?)\{% endblock %\}"
    ours = re.search(block, main, re.S)
    theirs = re.search(block, (MATERIAL / "base.html").read_text("utf-8"), re.S)
    assert ours and theirs and _without_calls(ours.group(1)) == theirs.group(1)
    mine = (THEME / "partials/top.html").read_text("utf-8").split("-#}\n", 1)[1]
    material_top = (MATERIAL / "partials/top.html").read_text("utf-8").split("-#}\n", 1)[1]
    assert _without_calls(mine).rstrip("\n") == material_top.rstrip("\n")
    for name in ("styles", "tabs", "footer", "config", "scripts"):
        found = re.search(rf"\{{% block {name} %\}}(.*?)\{{% endblock %\}}", main, re.S)
        assert (
            found
            and "{{ super() }}" in found.group(1)
            and _without_calls(found.group(1)) == ("{{ super() }}")
        ), name


# The build with the cache switched off: every region renders its own text, and Material's own
# partials/language.html and top.html stand in for docket's.
UNCACHED = """
import sys
from jinja2 import pass_context
from generator.render import chrome
chrome.ChromeCache.chrome = pass_context(lambda self, context, name, *inputs, caller: caller())
from mkdocs.__main__ import cli
sys.exit(cli.main(["build", "-q"], standalone_mode=False))
"""


def test_a_real_build_is_byte_identical_without_the_cache(tmp_path: Path) -> None:
    cases, toml = ARCHIVE_FIXTURE / "cases", ARCHIVE_FIXTURE / "docket.toml"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    sites = []
    for name, code in (("cached", None), ("uncached", UNCACHED)):
        project = make_project(tmp_path / name, cases, toml, SITE_URL)
        if code is not None:
            for partial in ("language.html", "top.html"):
                (project / "theme/partials" / partial).unlink()
            command = [sys.executable, "-c", code]
        else:
            command = [str(Path(sys.executable).parent / "mkdocs"), "build", "-q"]
        done = subprocess.run(command, cwd=project, capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        sites.append(project / "site")
    differ: list[str] = []
    pages = 0
    for folder, _, names in os.walk(sites[0]):
        for name in names:
            path = Path(folder, name)
            twin = sites[1] / path.relative_to(sites[0])
            pages += name == "index.html"
            if not twin.is_file() or not filecmp.cmp(path, twin, shallow=False):
                differ.append(str(path.relative_to(sites[0])))
    assert sum(len(n) for _, _, n in os.walk(sites[1])) == sum(
        len(n) for _, _, n in os.walk(sites[0])
    )
    assert pages > 10 and not differ


def test_a_toc_entry_with_an_unknown_attribute_is_its_own_key(site: Build) -> None:
    """A newer MkDocs (or a plugin) adding an attribute to AnchorLink: the toc is still keyed
    (by identity, as any object the cache does not know), never a RecursionError."""
    for path in CASES:
        toc = _toc("Ruling", "Dispute")
        for entry in toc:
            entry.permalink_title = "Link to this section"  # type: ignore[attr-defined]
        site.page(path).toc = toc
    assert _misses(site, _region(TOC, "page.toc"), CASES) == 3
    site.page(CASES[0]).toc.items[0].children = [_toc("Inside").items[0]]
    site.page(CASES[0]).toc.items[0].children[0].extra = 1  # type: ignore[attr-defined]
    assert _misses(site, _region(TOC, "page.toc.items[0]"), CASES[:1]) == 1
