"""`docket export DIR`: the archive as a site source any static site generator can build.

Every page becomes a Markdown file (YAML front matter, then the rendered HTML as one raw-HTML
block: no blank lines in it, so CommonMark engines keep it whole), beside the same feed, JSON
and schemas the plugin's build publishes. A `SiteSource` (the site generator's adapter) says
where the pages go, what their front matter holds, and adds the rest: the configuration, the
templates, docket's stylesheet and scripts, the search index. The folder appears whole or not at
all: everything is written to a temporary sibling that is renamed into place at the end.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Protocol

import yaml

from generator.render.site import Page, Site

_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.IGNORECASE)
_BLANK = re.compile(r"\n\s*\n+")


class ExportError(Exception):
    """The export folder cannot be written; the message says why and what to do."""


class SiteSource(Protocol):
    """What a site generator needs around the pages (generator/plugin.py's adapter has one)."""

    pages_dir: str  # the folder of the pages and files, inside the export

    def front_matter(self, page: Page) -> dict[str, object]:
        """The page's front matter, as that generator reads it."""
        ...

    def write(self, site: Site, root: Path) -> int:
        """Everything but the pages and the site's files into `root`; how many files."""
        ...


def _one_block(html: str) -> str:
    """HTML with no blank line, so Markdown treats it as one raw block (newlines in <pre> kept
    as character references)."""
    html = _PRE.sub(lambda m: m.group(0).replace("\n", "&#10;"), html)
    return _BLANK.sub("\n", html).strip()


def source_path(path: str) -> str:
    """Where a page's Markdown goes: as its folder's index ("cases/a20140408.1.md" becomes
    "cases/a20140408.1/index.md", the page's URL either way). The HTML's relative links are
    made for the page's URL; a generator that resolves them from the source file's folder
    instead (Zensical does) then reads them the same."""
    if path == "index.md" or path.endswith("/index.md"):
        return path
    return path.removesuffix(".md") + "/index.md"


def plain_front_matter(page: Page) -> dict[str, object]:
    """Title, description and, for a case, its sections, as plain text."""
    meta: dict[str, object] = {"title": page.title, "docket_kind": page.kind}
    if page.description:
        meta["description"] = page.description
    if page.kind == "case":
        meta["toc"] = [{"id": sid, "title": title} for sid, title in page.toc]
    return meta


def page_markdown(page: Page, meta: dict[str, object] | None = None) -> str:
    header = yaml.safe_dump(
        plain_front_matter(page) if meta is None else meta,
        allow_unicode=True,
        sort_keys=False,
        width=1000,
    )
    return f'---\n{header}---\n\n<div class="docket-page">\n{_one_block(page.body())}\n</div>\n'


def _is_export(folder: Path, source: SiteSource | None) -> bool:
    """A folder an earlier export wrote (this layout, or the pages-only one before it)."""
    inner = folder / source.pages_dir if source is not None else folder
    return (inner / "cases.json").is_file() or (folder / "cases.json").is_file()


def export_site(
    site: Site, dest: Path, *, force: bool = False, source: SiteSource | None = None
) -> int:
    """Write the site into `dest` (the pages into `source.pages_dir`, and what `source` adds);
    returns the number of files. Refuses a non-empty folder that is not a previous export
    unless `force`."""
    dest = dest.resolve()
    if dest.exists():
        if not dest.is_dir():
            raise ExportError(f"{dest}: exists and is not a folder; choose another path")
        if any(dest.iterdir()) and not force and not _is_export(dest, source):
            raise ExportError(
                f"{dest}: folder is not empty and holds no earlier export; "
                "choose an empty folder or pass --force to replace it"
            )
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        pages = work / source.pages_dir if source is not None else work
        count = 0
        for page in site.pages:
            target = pages / source_path(page.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            meta = source.front_matter(page) if source is not None else None
            target.write_text(page_markdown(page, meta), encoding="utf-8")
            count += 1
        for asset in site.assets:
            target = pages / asset.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(asset.content)
            count += 1
        if source is not None:
            count += source.write(site, work)
        old = None
        if dest.exists():
            old = dest.with_name(f".{dest.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            dest.rename(old)
        work.rename(dest)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return count
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
