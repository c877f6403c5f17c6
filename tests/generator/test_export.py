"""The archive as a site source (generator/export.py), from a small Site made here: one Markdown
file per page (front matter, then the HTML as one raw block), the assets beside them, the folder
written whole or not at all, a foreign folder refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.export import ExportError, export_site, page_markdown, source_path
from generator.render.site import Asset, Page, Site

CASE_HTML = (
    '<h1 id="a20140408.1">a20140408.1</h1>\n\n<p>First paragraph.</p>\n  \n\n'
    "<pre><code>line one\n\nline three</code></pre>\n"
)


def _site() -> Site:
    case = Page(
        path="cases/a20140408.1.md",
        title="a20140408.1: Heartbleed",
        html=CASE_HTML,
        kind="case",
        in_nav=False,
        toc=(("ruling", "Ruling"),),
        description="Revoke the certificates",
    )
    home = Page(path="index.md", title="Arbitration archive", html="<p>Home</p>", kind="index",
                in_nav=True)  # fmt: skip
    return Site(pages=[home, case], assets=[Asset("cases.json", b"[]\n")])


def _front_and_body(text: str) -> tuple[dict[str, object], str]:
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def test_a_page_is_its_folders_index() -> None:
    assert source_path("cases/a20140408.1.md") == "cases/a20140408.1/index.md"
    assert source_path("index.md") == "index.md"
    assert source_path("cases/index.md") == "cases/index.md"


def test_the_html_is_one_raw_block_and_pre_keeps_its_lines() -> None:
    front, body = _front_and_body(page_markdown(_site().pages[1]))
    assert front == {
        "title": "a20140408.1: Heartbleed",
        "docket_kind": "case",
        "description": "Revoke the certificates",
        "toc": [{"id": "ruling", "title": "Ruling"}],
    }
    block = body.strip()
    assert block.startswith('<div class="docket-page">') and block.endswith("</div>")
    assert "\n\n" not in block
    assert "line one&#10;&#10;line three" in block


def test_a_site_sources_own_front_matter_replaces_the_plain_one() -> None:
    front, _ = _front_and_body(page_markdown(_site().pages[0], {"title": "Home", "hide": ["toc"]}))
    assert front == {"title": "Home", "hide": ["toc"]}


def test_export_writes_every_page_and_asset(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    assert export_site(_site(), dest) == 3
    assert sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file()) == [
        "cases.json",
        "cases/a20140408.1/index.md",
        "index.md",
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary sibling left


def test_an_earlier_export_is_replaced_a_foreign_folder_is_not(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    export_site(_site(), dest)
    (dest / "stale.md").write_text("from an older export", "utf-8")
    export_site(_site(), dest)  # it holds cases.json: an earlier export
    assert not (dest / "stale.md").exists()
    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "todo.txt").write_text("mine", "utf-8")
    with pytest.raises(ExportError, match="holds no earlier export; choose an empty folder"):
        export_site(_site(), foreign)
    assert [p.name for p in foreign.iterdir()] == ["todo.txt"]
    export_site(_site(), foreign, force=True)
    assert not (foreign / "todo.txt").exists()
    a_file = tmp_path / "file"
    a_file.write_text("x", "utf-8")
    with pytest.raises(ExportError, match="exists and is not a folder"):
        export_site(_site(), a_file)


class Failing:
    """A site source whose own files cannot be written (a full disk, say)."""

    pages_dir = "docs"

    def front_matter(self, page: Page) -> dict[str, object]:
        return {"title": page.title}

    def write(self, site: Site, root: Path) -> int:
        raise OSError(28, "No space left on device")


def test_a_failed_export_leaves_the_earlier_one_untouched(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    export_site(_site(), dest)
    before = sorted(p.relative_to(dest) for p in dest.rglob("*"))
    with pytest.raises(OSError, match="No space left"):
        export_site(_site(), dest, source=Failing())
    assert sorted(p.relative_to(dest) for p in dest.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
