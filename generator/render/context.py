"""What every page renderer needs to know about the whole archive, built once per build."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from generator.model import Case
from generator.render.anchors import headerlink, heading
from generator.render.graph import CaseGraph
from generator.render.memo import Memo
from generator.render.text import Linker
from generator.render.urls import case_url, person_slug, relative

TEMPLATES = Path(__file__).parent / "templates"
T = TypeVar("T")

STATUS_WORDS = {
    "init": "Filed",
    "running": "Running",
    "execution": "In execution",
    "closed": "Closed",
    "declined": "Declined",
    "unknown": "Status unknown",
}
ROLE_NAMES = {
    "C": "claimant",
    "R": "respondent",
    "RC": "respondent of a counter-claim",
    "iCM": "initial case manager",
    "CM": "case manager",
    "A": "arbitrator",
    "SA": "supervising arbitrator",
}


def role_name(role: str) -> str:
    base = role.rstrip("0123456789")
    return ROLE_NAMES.get(base, role)


@cache
def status_badge(status: str) -> Markup:
    """Status as a colour and a word: never by colour alone. (Cached: thousands of rows.)"""
    word = STATUS_WORDS.get(status, status)
    return Markup('<span class="docket-status docket-status--{0}">{1}</span>').format(status, word)


@cache
def make_env() -> Environment:
    """One environment per process: the templates are package files, compiled once (a served
    archive renders again on every save)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=False,
    )
    env.globals.update(
        status_badge=status_badge,
        status_word=lambda status: STATUS_WORDS.get(status, status),
        role_name=role_name,
        headerlink=headerlink,
        heading=heading,
    )
    return env


@dataclass
class People:
    """Officers' page names: each from the name alone (see `person_slug`), never numbered."""

    slugs: dict[str, str] = field(default_factory=dict)

    def slug(self, name: str) -> str:
        found = self.slugs.get(name)
        if found is None:
            found = self.slugs[name] = person_slug(name)
        return found


@dataclass
class Context:
    """Shared, read-only facts for rendering: cases, links, URL templates, site settings."""

    cases: list[Case]
    graph: CaseGraph
    urls: dict[str, str]
    root: Path
    site_name: str = "Arbitration archive"
    site_url: str = ""
    hash_bugs: bool = False
    people: People = field(default_factory=People)
    memo: Memo | None = None  # the previous render's pages, when serving
    # index table rows made in this render, by (id of the case, link to it); see indexes._rows
    rows: dict[tuple[int, str], dict[str, str]] = field(default_factory=dict)
    links: dict[tuple[str, str], Markup] = field(default_factory=dict)  # see case_link

    def remember(self, name: str, key: Any, make: Callable[[], T]) -> T:
        """`make()`, or its value from the previous render when made from an equal `key`."""
        return make() if self.memo is None else self.memo.get(name, key, make)

    @cached_property
    def known(self) -> frozenset[str]:
        return frozenset(case.number for case in self.cases)

    @cached_property
    def by_number(self) -> dict[str, Case]:
        return {case.number: case for case in self.cases}

    @cached_property
    def env(self) -> Environment:
        return make_env()

    def linker(self, page_url: str) -> Linker:
        return Linker(self.known, self.urls, self.hash_bugs, page_url)

    def case_link(self, page_url: str, number: str) -> Markup:
        """A link to a known case (with its title), the bare number for an unknown one.
        (Made once per link: a case is listed on the pages of all the cases it cites or
        relates to.)"""
        case = self.by_number.get(number)
        if case is None:
            return escape(number)
        href = relative(page_url, case_url(number))
        found = self.links.get((href, number))
        if found is None:
            title = case.header.synopsis or case.header.complaint
            found = self.links[(href, number)] = Markup(
                f'<a href="{escape(href)}">{escape(number)}</a> {escape(title)}'
            )
        return found

    def person_url(self, name: str) -> str:
        return f"people/{self.people.slug(name)}/"

    def source_path(self, case: Case) -> str:
        """The case file's path relative to the repository root, for the edit link."""
        path = Path(case.path)
        if path.is_absolute():
            try:
                return path.relative_to(self.root).as_posix()
            except ValueError:
                return path.name
        return path.as_posix()

    def edit_url(self, case: Case) -> str:
        template = self.urls.get("edit", "")
        return template.replace("{path}", self.source_path(case)) if template else ""


def iso(value: object) -> str:
    """A date as YYYY-MM-DD, "unknown" when not on the record, "" when absent."""
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if value else ""
