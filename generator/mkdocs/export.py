"""`docket export DIR` as a site source for the MkDocs family: a `mkdocs.yml` that MkDocs (without
the plugin), ProperDocs and Zensical each build into the same archive.

    DIR/mkdocs.yml     Material theme, docket's templates, an explicit nav, no plugins
    DIR/overrides/     theme/'s templates (the case page, the feed link, docket's search box)
    DIR/docs/          the pages (Markdown), feed, JSON, schemas; assets/: docket's stylesheet
                       and scripts (filters, sorting, search: its name carries its hash);
                       search/: the search index

The search index is made by docket from its own rendering of the pages (the same records a
plugin build indexes), so the three generators serve the same index; no generator plugin runs.
Titles and descriptions are escaped here as the plugin escapes them (boundary.py): these
generators print them into the page as HTML.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from generator.export import ExportError, plain_front_matter, source_path
from generator.mkdocs.boundary import mkdocs_text
from generator.render.search import SCRIPT, SearchIndexError, script_name, write_index
from generator.render.site import Page, Site

CONFIG = "mkdocs.yml"
TEMPLATES = "overrides"
FEATURES = ["navigation.tabs", "navigation.top", "toc.follow"]
EXTENSIONS: list[Any] = [
    {"toc": {"permalink": True}},
    "tables",
    "admonition",
    "attr_list",
    "md_in_html",
]
HEADER = """\
# Written by `docket export`: the archive as a site source. Build it with any of
#   zensical build -f mkdocs.yml      properdocs build -f mkdocs.yml      mkdocs build
# (no plugin needed: the pages, the search index and docket's scripts are here already).
"""


# docket's own theme, beside the code (a checkout or an editable install: how docket is installed)
OWN_THEME = Path(__file__).resolve().parents[2] / "theme"


def find_theme(project: Path) -> Path:
    """The archive's theme folder (its templates and assets): the project's own `theme/`, else
    the one docket comes with."""
    for folder in (project / "theme", OWN_THEME):
        if (folder / SCRIPT).is_file():
            return folder
    raise ExportError(
        f"{project / 'theme'}: no docket theme here (templates and assets/), nor beside docket "
        f"({OWN_THEME}); run `docket export` in the archive's repository, beside its theme/"
    )


class MkDocsSource:
    """The `SiteSource` (generator/export.py) of MkDocs, ProperDocs and Zensical."""

    pages_dir = "docs"

    def __init__(self, theme: Path, site_name: str, site_url: str) -> None:
        self.theme = theme
        self.script = script_name((theme / SCRIPT).read_bytes())  # published content-hashed
        self.site_name = site_name
        self.site_url = site_url

    def front_matter(self, page: Page) -> dict[str, object]:
        meta = plain_front_matter(page)
        meta["title"] = mkdocs_text(page.title)
        if page.description:
            meta["description"] = mkdocs_text(page.description)
        if page.kind == "case":
            meta["template"] = "docket/case.html"
            meta["hide"] = ["navigation"]
        else:
            meta["hide"] = ["navigation", "toc"]  # the tables need the width
        return meta

    def config(self, site: Site) -> dict[str, Any]:
        nav = [{page.title: source_path(page.path)} for page in site.pages if page.in_nav]
        config: dict[str, Any] = {"site_name": self.site_name}
        if self.site_url:
            config["site_url"] = self.site_url
        config |= {
            "docs_dir": self.pages_dir,
            "site_dir": "site",
            "use_directory_urls": True,
            "theme": {
                "name": "material",
                "custom_dir": TEMPLATES,
                "language": "en",
                "font": False,
                "features": FEATURES,
                "palette": {"primary": "indigo", "accent": "indigo"},
            },
            "extra": {"docket_search": True},  # theme/partials/header.html: docket's search box
            "extra_css": ["assets/docket.css"],
            "extra_javascript": ["assets/docket.js", self.script],
            "markdown_extensions": EXTENSIONS,
            "plugins": [],  # MkDocs would add its lunr search by default
            "nav": nav,
        }
        return config

    def write(self, site: Site, root: Path) -> int:
        count = 0
        for template in sorted(self.theme.rglob("*.html")):
            target = root / TEMPLATES / template.relative_to(self.theme)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(template, target)
            count += 1
        assets = root / self.pages_dir / "assets"
        assets.mkdir(parents=True, exist_ok=True)
        for asset in sorted((self.theme / "assets").iterdir()):
            if asset.is_file():
                name = self.script if asset == self.theme / SCRIPT else f"assets/{asset.name}"
                shutil.copyfile(asset, root / self.pages_dir / name)
                count += 1
        try:
            write_index(site.search or [], root / self.pages_dir)
        except SearchIndexError as exc:
            raise ExportError(str(exc)) from exc
        count += sum(1 for p in (root / self.pages_dir / "search").rglob("*") if p.is_file())
        text = yaml.safe_dump(self.config(site), allow_unicode=True, sort_keys=False, width=1000)
        (root / CONFIG).write_text(HEADER + text, encoding="utf-8")
        return count + 1
