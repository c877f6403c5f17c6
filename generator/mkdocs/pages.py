"""MkDocs's File and Page, as docket's generated pages use them."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkPage
from mkdocs.structure.toc import get_toc


class Kept(File):
    """A generated file whose content is in the site already: a dirty build skips it."""

    def is_modified(self) -> bool:
        return False


def kept(file: File) -> Kept:
    """The same file as `file` (of the build before), marked unmodified: a copy of its
    attributes, without File's path arithmetic (2,000 files a save). Fast path only."""
    copy: Kept = object.__new__(Kept)
    copy.__dict__.update(file.__dict__)
    return copy


class Changed(File):
    """A docs_dir page (the home page's intro) whose generated part changed."""

    def is_modified(self) -> bool:
        return True


class GeneratedPage(MkPage):
    """A page whose body docket rendered: there is no Markdown to convert (an empty source
    would still cost a Python-Markdown instance, 3 ms a page); on_page_content adds the body.
    Fast path only: it sets the attributes MkDocs 1.6's `render` sets."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


def excluded(page: MkPage) -> bool:
    return bool(page.file.inclusion.is_excluded())  # type: ignore[no-untyped-call]
