"""`docket export DIR`: the archive as files any static site generator can take.

Every page becomes a Markdown file (YAML front matter, then the rendered HTML as one raw-HTML
block: no blank lines in it, so CommonMark engines keep it whole), beside the same feed, JSON
and schemas the plugin's build publishes. The folder appears whole or not at all: everything is
written to a temporary sibling that is renamed into place at the end.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import yaml

from generator.render.site import Page, Site

_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.IGNORECASE)
_BLANK = re.compile(r"\n\s*\n+")


class ExportError(Exception):
    """The export folder cannot be written; the message says why and what to do."""


def _one_block(html: str) -> str:
    """HTML with no blank line, so Markdown treats it as one raw block (newlines in <pre> kept
    as character references)."""
    html = _PRE.sub(lambda m: m.group(0).replace("\n", "&#10;"), html)
    return _BLANK.sub("\n", html).strip()


def page_markdown(page: Page) -> str:
    meta: dict[str, object] = {"title": page.title, "docket_kind": page.kind}
    if page.description:
        meta["description"] = page.description
    if page.kind == "case":
        meta["toc"] = [{"id": sid, "title": title} for sid, title in page.toc]
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f'---\n{header}---\n\n<div class="docket-page">\n{_one_block(page.body())}\n</div>\n'


def export_site(site: Site, dest: Path, *, force: bool = False) -> int:
    """Write the site into `dest`; returns the number of files. Refuses a non-empty folder
    that is not a previous export unless `force`."""
    dest = dest.resolve()
    if dest.exists():
        if not dest.is_dir():
            raise ExportError(f"{dest}: exists and is not a folder; choose another path")
        if any(dest.iterdir()) and not force and not (dest / "cases.json").is_file():
            raise ExportError(
                f"{dest}: folder is not empty and holds no earlier export; "
                "choose an empty folder or pass --force to replace it"
            )
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        count = 0
        for page in site.pages:
            target = work / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page_markdown(page), encoding="utf-8")
            count += 1
        for asset in site.assets:
            target = work / asset.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(asset.content)
            count += 1
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
