"""What every page renderer needs to know about the whole archive, built once per build."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from generator.model import Case
from generator.render.anchors import headerlink, heading
from generator.render.graph import CaseGraph
from generator.render.memo import Memo
from generator.render.settings import SiteSettings
from generator.render.urls import person_slug

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
    """Shared, read-only facts for rendering: cases, links, site settings."""

    cases: list[Case]
    graph: CaseGraph
    settings: SiteSettings
    people: People = field(default_factory=People)
    memo: Memo | None = None  # the previous render's pages, when serving
    # index table rows made in this render, by (id of the case, link to it); see indexes._rows
    rows: dict[tuple[int, str], dict[str, str]] = field(default_factory=dict)

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

    def person_url(self, name: str) -> str:
        return f"people/{self.people.slug(name)}/"


def iso(value: object) -> str:
    """A date as YYYY-MM-DD, "unknown" when not on the record, "" when absent."""
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if value else ""
