"""One case as a page: header card, timeline, public sections, links. Never the private text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from markupsafe import Markup, escape

from generator.model import UNKNOWN, Case, HistoryEntry, SectionKind, filing_date
from generator.render.anchors import anchor_headings, headerlink, log_ids, plain, unique
from generator.render.case_inputs import CaseInputs
from generator.render.context import STATUS_WORDS, make_env, role_name
from generator.render.outcome import canonical_sections, final_ruling
from generator.render.settings import SiteSettings
from generator.render.text import Linker, inline_html, markdown_html
from generator.render.urls import case_json_url, case_url, relative, slugify

OUTCOME_CHARS = 280


@dataclass(frozen=True, slots=True)
class RenderedCase:
    """A case page's HTML and its table of contents (section id, title)."""

    number: str
    title: str
    html: str
    toc: tuple[tuple[str, str], ...]
    description: str


@dataclass(frozen=True, slots=True)
class _Section:
    """A section as the template shows it (attributes: Jinja looks them up fastest)."""

    id: str
    alias: str
    title: str
    kind: str
    html: Markup
    permalink: Markup


def _actor_names(case: Case) -> dict[str, str]:
    """What each actor of the log stands for, for the badges' tooltips (lowercase keys)."""
    by_role: dict[str, tuple[str, list[str]]] = {}
    found: dict[str, str] = {}
    people: list[tuple[str, str]] = [(p.code, p.name) for p in case.header.parties if p.code]
    people += [(o.role, o.name) for o in case.header.officers]
    for role, name in people:
        by_role.setdefault(role.lower(), (role, []))[1].append(name)
        if name is not UNKNOWN:
            found.setdefault(name.lower(), role_name(role))
    for code, (role, who) in by_role.items():
        found[code] = f"{role_name(role)}: {', then '.join(dict.fromkeys(who))}"
    found.update((code.lower(), meaning) for code, meaning in case.header.legend.items())
    return found


def _timeline(
    entries: list[HistoryEntry],
    render: Any,
    names: dict[str, str],
    counts: dict[str, int] | None = None,
    quote: Any = None,
) -> Markup:
    """The log as a timeline, grouped under its dates (undated lines stay under the date they
    continue). Built here rather than in the template: a 10,000-case archive has half a million
    log lines, and Jinja's per-value work was a third of the page's rendering time. Every value
    from the case is escaped (`escape`, or `render` for the text); ids are dates and numbers
    (`counts` carries their numbering over when one page shows several logs); `quote` renders
    the quoted text kept under an entry."""
    groups: list[tuple[date | None, str, list[HistoryEntry]]] = []
    for entry in entries:
        label = entry.date.isoformat() if entry.date else ""
        if entry.date and entry.end and entry.end != entry.date:
            label = f"{entry.date.isoformat()} – {entry.end.isoformat()}"
        if not groups or groups[-1][1] != label or groups[-1][0] != entry.date:
            groups.append((entry.date, label, []))
        groups[-1][2].append(entry)
    if not groups:
        return Markup("")
    badges: dict[str, str] = {}
    out = ['<ol class="docket-timeline">']
    ids = log_ids(((day, len(items)) for day, _, items in groups), counts)
    for (day, label, items), (day_id, entry_ids) in zip(groups, ids, strict=True):
        when = f'<time datetime="{day.isoformat()}">{label}</time>' if day else "undated"
        out.append(
            f'\n<li class="docket-timeline__day" id="{day_id}"><p class="docket-timeline__date">'
            f'<a href="#{day_id}" title="Link to this day">{when}</a></p>'
            '\n<ul class="docket-timeline__entries">'
        )
        for entry_id, entry in zip(entry_ids, items, strict=True):
            undated = "" if entry.dated else " docket-timeline__entry--undated"
            actors = "".join(_badge(a, names, badges) for a in entry.actors)
            quoted = ""
            if entry.quote and quote is not None:
                quoted = f'<div class="docket-timeline__quote">{quote(entry.quote)}</div>'
            out.append(
                f'\n<li class="docket-timeline__entry{undated}" id="{entry_id}">{actors}'
                f'<span class="docket-timeline__text">{render(entry.text)}</span> '
                f'<a class="headerlink" href="#{entry_id}" title="Link to this entry">¶</a>'
                f"{quoted}</li>"
            )
        out.append("\n</ul></li>")
    out.append("\n</ol>")
    return Markup("".join(out))


def _log(case: Case, render: Any, quote: Any, names: dict[str, str]) -> Markup:
    """The History Log in its groups (main log, `###` sub-headings, merged cases' sub-logs),
    each a timeline of its own; one numbering of ids across them keeps every id unique."""
    if len(case.log_groups) == 1:  # the common case: one log, no sub-headings
        return _timeline(case.history, render, names, quote=quote)
    by_group: dict[int, list[HistoryEntry]] = {}
    for entry in case.history:
        by_group.setdefault(entry.group, []).append(entry)
    counts: dict[str, int] = {}
    out: list[str] = []
    for index, group in enumerate(case.log_groups):
        entries = by_group.get(index, [])
        if not entries and not group.title:
            continue
        if group.title:
            sub = " docket-timeline__group--sublog" if group.sublog else ""
            out.append(f'\n<h3 class="docket-timeline__group{sub}">{escape(group.title)}</h3>')
        out.append(_timeline(entries, render, names, counts, quote))
    return Markup("".join(out))


def _badge(actor: str, names: dict[str, str], cache: dict[str, str]) -> str:
    """An actor's badge, with a tooltip saying who it is when the case says so."""
    found = cache.get(actor)
    if found is None:
        meaning = names.get(actor.lower(), "")
        title = f' title="{escape(meaning)}"' if meaning else ""
        found = cache[actor] = f'<span class="docket-actor"{title}>{escape(actor)}</span> '
    return found


_UNKNOWN_HTML = Markup('<span class="docket-unknown" title="not on the record">unknown</span>')


def fact(value: object) -> Markup:
    """A front-matter value for the page: a date as <time>, `unknown` visibly so."""
    if value is UNKNOWN:
        return _UNKNOWN_HTML
    if isinstance(value, date):
        iso = value.isoformat()
        return Markup(f'<time datetime="{iso}">{iso}</time>')
    return escape(value)


def _text_fact(value: str, linker: Any) -> Markup:
    """Complaint or relief: several lines (a YAML block with bullets) render as Markdown."""
    if value is UNKNOWN or "\n" not in value.strip():
        return fact(value)
    return Markup(markdown_html(value, linker))


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _case_date(case: Case) -> tuple[str, date | None]:
    """The date a citation names: closed, else ruled, else started, else filed."""
    h = case.header
    for word, value in (("closed", h.closed), ("ruled", h.ruled), ("started", h.started)):
        if isinstance(value, date):
            return word, value
    return "filed", filing_date(case.number)


def render_case(inputs: CaseInputs, settings: SiteSettings) -> RenderedCase:
    """The page of `inputs.case`: made from `inputs` and `settings` alone, never from the rest of
    the archive, so that `inputs` is a complete memo key (see generator/render/case_inputs.py)."""
    case = inputs.case
    h = case.header
    url = case_url(case.number)
    linker = Linker(inputs.linkable, settings.urls, settings.hash_bugs, url)
    taken = {case.number, "summary", "links", "references", "cited-by", "related-cases", "cite"}
    sections, section_toc, outcome = _body_sections(case, linker, taken)
    toc: list[tuple[str, str]] = [("summary", "Summary"), *section_toc]
    names = _actor_names(case)
    timeline = _log(
        case, lambda t: inline_html(t, linker), lambda q: markdown_html(q, linker), names
    )
    ids = {_key(s.title): s.id for s in sections}
    rulings = [
        {"title": r.title, "date": r.date, "final": r.final, "href": _href(ids, r.title)}
        for r in h.rulings
    ]
    written = h.status_written
    status_written = written if written.lower() != str(h.status) else ""
    related = inputs.related
    mutual = set(inputs.cited_by) & set(related)
    cited_by = tuple(n for n in inputs.cited_by if n not in mutual)
    if cited_by or related:
        toc.append(("links", "Linked cases"))
    refs = _refs(case, settings.urls)
    if refs:
        toc.append(("references", "References"))
    topics = [{"name": t, "href": relative(url, f"topics/{slugify(t)}/")} for t in h.topics]
    title = h.synopsis or h.complaint
    people = dict(inputs.people)
    template = make_env().get_template("case.html")
    html = template.render(
        c=case,
        h=h,
        filed=filing_date(case.number),
        outcome=outcome,
        intro=Markup(markdown_html(case.intro, linker)) if case.intro.strip() else "",
        sections=sections,
        timeline=timeline,
        legend=sorted(h.legend.items()),
        fact=fact,
        unknown=UNKNOWN,
        rulings=rulings,
        status_written=status_written,
        complaint_html=_text_fact(h.complaint, linker),
        relief_html=_text_fact(h.relief, linker) if h.relief else "",
        cited_by=cited_by,
        related=related,
        mutual=mutual,
        refs=refs,
        topics=topics,
        toc=toc,
        cite=_citation(case, settings, url, title),
        edit_url=settings.edit_url(case.path),
        json_href=relative(url, case_json_url(case.number)),
        case_link=partial(_case_link, url, dict(inputs.titles)),
        case_href=lambda n: relative(url, case_url(n)),
        person_href=lambda name: relative(url, people[name]),
    )
    # a space between the card's cells, so text taken from the page (copied, or read by a
    # search engine) reads "Complaint Notify ..." and not "ComplaintNotify ..."
    html = html.replace("</dt><dd>", "</dt> <dd>").replace("</dd><dt>", "</dd> <dt>")
    return RenderedCase(case.number, f"{case.number}: {title}", html, tuple(toc), title)


def _case_link(page_url: str, titles: dict[str, str], number: str) -> Markup:
    """A link to a case the archive holds, with its title; the bare number for another."""
    title = titles.get(number)
    if title is None:
        return escape(number)
    # the archive's case numbers are checked (CASE_NUMBER_RE): nothing in them or in their URL
    # needs escaping, only the title does
    href = relative(page_url, case_url(number))
    return Markup(f'<a href="{href}">{number}</a> {escape(title)}')


def _body_sections(
    case: Case, linker: Linker, taken: set[str]
) -> tuple[list[_Section], list[tuple[str, str]], dict[str, Any] | None]:
    """The page's sections with their anchors (unique among `taken`, which grows), their
    table-of-contents entries, and the outcome card's text (from the final ruling)."""
    canonical = canonical_sections(case)
    sections: list[_Section] = []
    toc: list[tuple[str, str]] = []
    ruling = final_ruling(case)
    outcome: dict[str, Any] | None = None
    for index, section in enumerate(case.sections):
        if section.kind is SectionKind.EOT:
            continue  # the end-of-private marker is no section of the page
        if section.private and not section.body.strip():
            continue  # an empty Private Part hides nothing: say nothing
        written = slugify(section.title)
        sid = canonical.get(index) or written
        sid = unique(sid, taken)
        alias = unique(written, taken) if written not in taken and written != sid else ""
        toc.append((sid, section.title))
        body = ""
        if section.kind is SectionKind.PRIVATE:
            kind = "private"
        elif section.kind is SectionKind.HISTORY:
            kind = "history"
        else:
            kind = str(section.kind)
            if section.body.strip():
                body, _ = anchor_headings(markdown_html(section.body, linker), sid, taken)
            if section is ruling:
                outcome = {
                    "id": sid,
                    "title": section.title,
                    "text": _shorten(plain(body), OUTCOME_CHARS),
                }
        sections.append(_Section(sid, alias, section.title, kind, Markup(body), headerlink(sid)))
    return sections, toc, outcome


def _citation(case: Case, settings: SiteSettings, url: str, title: str) -> dict[str, str]:
    """How to cite the case: site, number, title and where it stands ("closed 2014-06-01")."""
    h = case.header
    when, day = _case_date(case)
    word = STATUS_WORDS.get(h.status, h.status).lower()
    dated = f"{when} {day.isoformat()}" if day else when
    standing = dated if when == word else f"{word}, {dated}"
    base = settings.site_url.rstrip("/") + "/" if settings.site_url else ""
    return {
        "text": f"{settings.site_name}, case {case.number}: {title} ({standing})",
        "url": base + url if base else "",
        "date": day.isoformat() if day else "",
    }


def _refs(case: Case, urls: Mapping[str, str]) -> list[dict[str, str]]:
    refs = case.header.refs
    out: list[dict[str, str]] = []
    for kind, label, values in (
        ("issue", "Support issue", refs.issues),
        ("motion", "Motion", refs.motions),
        ("bug", "Bug", [str(b) for b in refs.bugs]),
    ):
        template = urls.get(kind, "")
        for value in values:
            href = template.replace("{number}", value) if template else ""
            out.append({"kind": label, "label": value, "href": href})
    out.extend({"kind": "Policy", "label": p, "href": ""} for p in refs.policies)
    return out


def _key(title: str) -> str:
    return " ".join(title.strip().rstrip(":").lower().split())


def _href(ids: dict[str, str], title: str) -> str:
    sid = ids.get(_key(title))
    return f"#{sid}" if sid else ""
