"""One case as a page: header card, timeline, public sections, links. Never the private text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from generator.model import UNKNOWN, Case, HistoryEntry, SectionKind
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


def _days(entries: list[HistoryEntry], render: Any, quote: Any = None) -> list[_Day]:
    """Group the log under its dates; undated lines stay under the date they continue."""
    days: list[_Day] = []
    for entry in entries:
        label = entry.date.isoformat() if entry.date else ""
        if entry.date and entry.end and entry.end != entry.date:
            label = f"{entry.date.isoformat()} – {entry.end.isoformat()}"
        if not days or days[-1].label != label or (days[-1].date != entry.date):
            days.append(_Day(entry.date, label, []))
        html = render(entry.text)
        if entry.quote and quote is not None:
            html += f'<div class="docket-timeline__quote">{quote(entry.quote)}</div>'
        days[-1].entries.append(_Entry(entry.actors, entry.dated, Markup(html)))
    return days


def _log(case: Case, render: Any, quote: Any) -> list[dict[str, Any]]:
    """The History Log in its groups (main log, `###` sub-headings, merged cases' sub-logs),
    each with its own days; empty untitled groups are left out."""
    by_group: dict[int, list[HistoryEntry]] = {}
    for entry in case.history:
        by_group.setdefault(entry.group, []).append(entry)
    log = []
    for index, group in enumerate(case.log_groups):
        entries = by_group.get(index, [])
        if not entries and not group.title:
            continue
        days = _days(entries, render, quote)
        log.append({"title": group.title, "sublog": group.sublog, "days": days})
    return log


def fact(value: object) -> Markup:
    """A front-matter value for the page: a date as <time>, `unknown` visibly so."""
    if value is UNKNOWN:
        return Markup('<span class="docket-unknown" title="not on the record">unknown</span>')
    if isinstance(value, date):
        return Markup('<time datetime="{0}">{0}</time>').format(value.isoformat())
    return Markup("{0}").format(value)


def _text_fact(value: str, linker: Any) -> Markup:
    """Complaint or relief: several lines (a YAML block with bullets) render as Markdown."""
    if value is UNKNOWN or "\n" not in value.strip():
        return fact(value)
    return Markup(markdown_html(value, linker))


def render_case(case: Case, ctx: Context) -> RenderedCase:
    h = case.header
    url = case_url(case.number)
    linker = ctx.linker(url)
    taken = {case.number, "links", "references"}
    sections: list[dict[str, Any]] = []
    toc: list[tuple[str, str]] = []
    for section in case.sections:
        if section.kind is SectionKind.EOT:
            continue  # the end-of-private marker is no section of the page
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
    log = _log(case, lambda t: inline_html(t, linker), lambda q: markdown_html(q, linker))
    ids = {_key(s["title"]): s["id"] for s in sections}
    rulings = [
        {"title": r.title, "date": r.date, "final": r.final, "href": _href(ids, r.title)}
        for r in h.rulings
    ]
    written = h.status_written
    status_written = written if written.lower() != str(h.status) else ""
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
        log=log,
        fact=fact,
        unknown=UNKNOWN,
        rulings=rulings,
        status_written=status_written,
        complaint_html=_text_fact(h.complaint, linker),
        relief_html=_text_fact(h.relief, linker) if h.relief else "",
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


def _key(title: str) -> str:
    return " ".join(title.strip().rstrip(":").lower().split())


def _href(ids: dict[str, str], title: str) -> str:
    sid = ids.get(_key(title))
    return f"#{sid}" if sid else ""


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
