"""One case as a page: header card, timeline, public sections, links. Never the private text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from generator.model import Case, HistoryEntry, SectionKind
from generator.references import CASE_REF_RE
from generator.render.context import Context
from generator.render.text import inline_html, markdown_html
from generator.render.urls import case_json_url, case_url, relative, slugify


@dataclass(frozen=True, slots=True)
class RenderedCase:
    """A case page's HTML and its table of contents (section id, title)."""

    number: str
    title: str
    html: str
    toc: tuple[tuple[str, str], ...]
    description: str


@dataclass(frozen=True, slots=True)
class _Entry:
    actors: tuple[str, ...]
    dated: bool
    html: Markup


@dataclass(frozen=True, slots=True)
class _Day:
    date: date | None
    label: str
    entries: list[_Entry]


def _days(entries: list[HistoryEntry], render: Any) -> list[_Day]:
    """Group the log under its dates; undated lines stay under the date they continue."""
    days: list[_Day] = []
    for entry in entries:
        label = entry.date.isoformat() if entry.date else ""
        if entry.date and entry.end and entry.end != entry.date:
            label = f"{entry.date.isoformat()} – {entry.end.isoformat()}"
        if not days or days[-1].label != label or (days[-1].date != entry.date):
            days.append(_Day(entry.date, label, []))
        days[-1].entries.append(_Entry(entry.actors, entry.dated, Markup(render(entry.text))))
    return days


def render_case(case: Case, ctx: Context) -> RenderedCase:
    h = case.header
    url = case_url(case.number)
    linker = ctx.linker(url)
    taken = {case.number, "links", "references"}
    sections: list[dict[str, Any]] = []
    toc: list[tuple[str, str]] = []
    for section in case.sections:
        public = not section.private and section.kind is not SectionKind.HISTORY
        if public and not section.body.strip():
            continue  # an empty heading is an empty box: leave it out
        sid = slugify(section.title)
        while sid in taken:
            sid += "-2"
        taken.add(sid)
        toc.append((sid, section.title))
        body = ""
        if section.kind is SectionKind.PRIVATE:
            kind = "private"
        elif section.kind is SectionKind.HISTORY:
            kind = "history"
        else:
            kind = str(section.kind)
            body = markdown_html(section.body, linker) if section.body.strip() else ""
        sections.append({"id": sid, "title": section.title, "kind": kind, "html": Markup(body)})
    days = _days(case.history, lambda t: inline_html(t, linker))
    cited_by = ctx.graph.cited_by.get(case.number, ())
    related = ctx.graph.related(case)
    if cited_by or related:
        toc.append(("links", "Linked cases"))
    refs = _refs(case, ctx)
    if refs:
        toc.append(("references", "References"))
    topics = [{"name": t, "href": relative(url, f"topics/{slugify(t)}/")} for t in h.topics]
    html = ctx.env.get_template("case.html").render(
        c=case,
        h=h,
        intro=Markup(markdown_html(case.intro, linker)) if case.intro.strip() else "",
        sections=sections,
        days=days,
        cited_by=cited_by,
        related=related,
        refs=refs,
        topics=topics,
        edit_url=ctx.edit_url(case),
        json_href=relative(url, case_json_url(case.number)),
        case_link=lambda n: ctx.case_link(url, n),
        person_href=lambda name: relative(url, ctx.person_url(name)),
    )
    # a space between the card's cells, so search excerpts read "Complaint Notify ..." and not
    # "ComplaintNotify ..." (Pagefind joins adjacent elements' text)
    html = html.replace("</dt><dd>", "</dt> <dd>").replace("</dd><dt>", "</dd> <dt>")
    title = f"{case.number}: {h.synopsis or h.complaint}"
    return RenderedCase(case.number, title, html, tuple(toc), h.synopsis or h.complaint)


def render_key(case: Case, ctx: Context) -> tuple[Any, ...]:
    """Everything `render_case` reads but the case and the site's settings: equal keys give
    equal pages, so `mkdocs serve` renders again only the pages a save affects. Keep it in step
    with render_case (tests/generator/render/test_incremental.py compares with a full render).
    """
    number = case.number
    h = case.header
    cited_by = ctx.graph.cited_by.get(number, ())
    related = ctx.graph.related(case)
    shown = (*cited_by, *related, *h.merged_from, h.merged_into or "")
    titles = [ctx.by_number[n].header if n in ctx.by_number else None for n in shown]
    # numbers anywhere in the file (a superset of what the linker can meet) that are cases
    named = ctx.remember(f"named:{number}", case, lambda: _named(case))
    people = [ctx.person_url(o.name) for o in h.officers]  # officers link to their pages
    return (case, named & ctx.known, shown, titles, people)


def _named(case: Case) -> frozenset[str]:
    return frozenset(m.group(0) for m in CASE_REF_RE.finditer(case.text))


def _refs(case: Case, ctx: Context) -> list[dict[str, str]]:
    refs = case.header.refs
    out: list[dict[str, str]] = []
    for kind, label, values in (
        ("issue", "Support issue", refs.issues),
        ("motion", "Motion", refs.motions),
        ("bug", "Bug", [str(b) for b in refs.bugs]),
    ):
        template = ctx.urls.get(kind, "")
        for value in values:
            href = template.replace("{number}", value) if template else ""
            out.append({"kind": label, "label": value, "href": href})
    out.extend({"kind": "Policy", "label": p, "href": ""} for p in refs.policies)
    return out
