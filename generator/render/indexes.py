"""The navigation of the archive: home, all cases, and a page per year, status, person, topic."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from generator.model import OPEN_STATUSES, STATUSES, UNKNOWN, Case, filing_date
from generator.render.context import STATUS_WORDS, Context, iso, status_badge
from generator.render.urls import case_url, page_url, relative, slugify

LATEST = 15
OFFICER_ROLES = {
    "A": "Arbitrator",
    "CM": "Case manager",
    "iCM": "Initial case manager",
    "SA": "Supervising arbitrator",
}


@dataclass(frozen=True, slots=True)
class IndexPage:
    path: str
    title: str
    html: str
    in_nav: bool
    toc: tuple[tuple[str, str], ...] = ()


def _year(case: Case) -> str:
    filed = filing_date(case.number)
    return str(filed.year) if filed else "unknown"


def _names(case: Case, role: str) -> str:
    officers = [o for o in case.header.officers if o.role.rstrip("0123456789") == role]
    current = [str(o.name) for o in officers if o.until is None] or [str(o.name) for o in officers]
    return ", ".join(dict.fromkeys(current))


def _people(case: Case) -> list[str]:
    names = [p.name for p in case.header.parties] + [
        o.account or o.name for o in case.header.officers
    ]
    return [n for n in dict.fromkeys(names) if n and n is not UNKNOWN]


def sort_key(number: str) -> str:
    """A string that sorts case numbers numerically (a20090618.12 after .3) in the browser."""
    stem, _, index = number.partition(".")
    return f"{stem}.{int(index) if index.isdigit() else 0:06d}"


def _rows(ctx: Context, cases: Iterable[Case], from_url: str) -> list[dict[str, str]]:
    """The table rows of `cases` as seen from `from_url`. A case is a row on half a dozen list
    pages (year, status, topics, people), all as deep as each other: its row is made once."""
    rows = []
    made = ctx.rows
    for case in cases:
        href = relative(from_url, case_url(case.number))
        key = (id(case), href)
        row = made.get(key)
        if row is None:
            row = made[key] = _row(case, href)
        rows.append(row)
    return rows


def _row(case: Case, href: str) -> dict[str, str]:
    h = case.header
    row = {
        "number": case.number,
        "key": sort_key(case.number),
        "href": href,
        "status": h.status,
        # sorts by lifecycle (filed, running, in execution, closed, declined)
        "status_key": f"{STATUSES.index(h.status) if h.status in STATUSES else 9}",
        "year": _year(case),
        "topics": " ".join(slugify(t) for t in h.topics),
        "people": "|".join(n.lower() for n in _people(case)),
        "synopsis": h.synopsis or h.complaint,
        "cm": _names(case, "CM"),
        "arbitrator": _names(case, "A"),
        "started": iso(h.started),
        "ruled": iso(h.ruled),
        "closed": iso(h.closed),
    }
    # The row's HTML, with and without the Closed column, as the table macro in _table.html
    # wrote it (thousands of rows: Jinja's per-value work was a fifth of the render), every
    # value escaped as Jinja's autoescape does.
    e = {k: escape(v) for k, v in row.items()}
    head = (
        f'\n<tr data-status="{e["status"]}" data-year="{e["year"]}" data-topics="{e["topics"]}"'
        f' data-people="{e["people"]}">'
        f'\n<td data-key="{e["key"]}"><a href="{e["href"]}">{e["number"]}</a></td>'
        f'\n<td data-key="{e["status_key"]}">{status_badge(h.status)}</td>'
        f"\n<td>{e['synopsis']}</td>\n<td>{e['cm']}</td>\n<td>{e['arbitrator']}</td>"
        f"\n<td>{e['started']}</td>\n<td>{e['ruled']}</td>"
    )
    row["html"] = Markup(f"{head}\n<td>{e['closed']}</td>\n</tr>")
    row["html_open"] = Markup(f"{head}\n</tr>")
    return row


def _newest_first(cases: Iterable[Case]) -> list[Case]:
    return sorted(cases, key=lambda c: sort_key(c.number), reverse=True)


def _render(ctx: Context, template: str, **values: Any) -> str:
    return ctx.env.get_template(template).render(**values)


def _list_page(
    ctx: Context, path: str, title: str, intro: str, groups: list[tuple[str, str, list[Case]]]
) -> IndexPage:
    # a list page shows rows, and rows come from the cases' headers alone
    key = (title, intro, [(gid, group, [c.header for c in cases]) for gid, group, cases in groups])
    return ctx.remember(
        f"index:{path}", key, lambda: _make_list_page(ctx, path, title, intro, groups)
    )


def _make_list_page(
    ctx: Context, path: str, title: str, intro: str, groups: list[tuple[str, str, list[Case]]]
) -> IndexPage:
    url = page_url(path)
    rendered = [
        {
            "title": group_title,
            "id": gid,
            "caption": f"{title}: {group_title}" if group_title else title,
            "rows": _rows(ctx, _newest_first(cases), url),
        }
        for gid, group_title, cases in groups
    ]
    html = _render(ctx, "list.html", intro=intro, groups=rendered)
    return IndexPage(path, title, html, in_nav=False)


def _groups_page(
    ctx: Context, path: str, title: str, intro: str, sections: list[dict[str, Any]]
) -> IndexPage:
    return IndexPage(
        path, title, _render(ctx, "groups.html", intro=intro, sections=sections), in_nav=True
    )


def render_indexes(ctx: Context) -> list[IndexPage]:
    pages: list[IndexPage] = [_home(ctx), _all_cases(ctx)]
    pages.extend(_by_year(ctx))
    pages.extend(_by_status(ctx))
    pages.extend(_by_person(ctx))
    pages.extend(_by_topic(ctx))
    return pages


def _headers(ctx: Context) -> list[Any]:
    """What the home page and the list of all cases are made from: every header, in order."""
    return [case.header for case in ctx.cases]


def _home(ctx: Context) -> IndexPage:
    return ctx.remember("index:index.md", _headers(ctx), lambda: _make_home(ctx))


def _make_home(ctx: Context) -> IndexPage:
    url = ""
    open_cases = _newest_first(c for c in ctx.cases if c.header.status in OPEN_STATUSES)

    def latest(attr: str) -> list[dict[str, str]]:
        dated = [c for c in ctx.cases if isinstance(getattr(c.header, attr), date)]
        dated.sort(key=lambda c: (getattr(c.header, attr), sort_key(c.number)), reverse=True)
        return [
            {
                "date": iso(getattr(c.header, attr)),
                "href": relative(url, case_url(c.number)),
                "number": c.number,
                "title": c.header.synopsis or c.header.complaint,
            }
            for c in dated[:LATEST]
        ]

    links = {
        "cases": relative(url, "cases/"),
        "years": relative(url, "years/"),
        "status": relative(url, "status/"),
        "people": relative(url, "people/"),
        "topics": relative(url, "topics/"),
        "feed": relative(url, "feed.xml"),
        "json": relative(url, "cases.json"),
    }
    html = _render(
        ctx,
        "home.html",
        open_rows=_rows(ctx, open_cases, url),
        rulings=latest("ruled"),
        closures=latest("closed"),
        links=links,
        total=len(ctx.cases),
    )
    toc = (
        ("open-cases", "Open cases"),
        ("latest-rulings", "Latest rulings"),
        ("latest-closures", "Latest closures"),
        ("browse", "Browse"),
    )
    return IndexPage("index.md", "Home", html, in_nav=True, toc=toc)


def _all_cases(ctx: Context) -> IndexPage:
    return ctx.remember("index:cases/index.md", _headers(ctx), lambda: _make_all_cases(ctx))


def _make_all_cases(ctx: Context) -> IndexPage:
    url = "cases/"
    cases = _newest_first(ctx.cases)
    topics = sorted({t for c in cases for t in c.header.topics})
    officers = sorted(
        {o.person for c in cases for o in c.header.officers if o.person}, key=str.lower
    )
    html = _render(
        ctx,
        "cases.html",
        rows=_rows(ctx, cases, url),
        statuses=[{"value": s, "label": STATUS_WORDS.get(s, s)} for s in STATUSES],
        years=sorted({_year(c) for c in cases}, reverse=True),
        topics=[{"slug": slugify(t), "name": t} for t in topics],
        people=officers,
        json_href=relative(url, "cases.json"),
        feed_href=relative(url, "feed.xml"),
    )
    return IndexPage("cases/index.md", "All cases", html, in_nav=True)


def _grouped(ctx: Context, key: Any, multi: bool = False) -> dict[str, list[Case]]:
    groups: defaultdict[str, list[Case]] = defaultdict(list)
    for case in ctx.cases:
        values = key(case) if multi else [key(case)]
        for value in values:
            groups[value].append(case)
    return groups


def _by_year(ctx: Context) -> list[IndexPage]:
    groups = _grouped(ctx, _year)
    years = sorted(groups, reverse=True)
    items = [{"href": f"{y}/", "label": y, "count": len(groups[y])} for y in years]
    pages = [
        _groups_page(
            ctx,
            "years/index.md",
            "By year",
            "Cases by the year they were filed.",
            [{"title": "", "id": "years", "items": items}],
        )
    ]
    for y in years:
        pages.append(
            _list_page(ctx, f"years/{y}.md", f"Cases filed in {y}", "", [("cases", "", groups[y])])
        )
    return pages


def _by_status(ctx: Context) -> list[IndexPage]:
    groups = _grouped(ctx, lambda c: c.header.status)
    present = [s for s in (*STATUSES, UNKNOWN) if s in groups]
    items = [
        {"href": f"{s}/", "label": STATUS_WORDS.get(s, s), "count": len(groups[s])} for s in present
    ]
    pages = [
        _groups_page(
            ctx,
            "status/index.md",
            "By status",
            "Cases by where they stand.",
            [{"title": "", "id": "statuses", "items": items}],
        )
    ]
    for s in present:
        word = STATUS_WORDS.get(s, s)
        pages.append(
            _list_page(ctx, f"status/{s}.md", f"Status: {word}", "", [("cases", "", groups[s])])
        )
    return pages


def _by_person(ctx: Context) -> list[IndexPage]:
    """A page per person; spellings that differ only in capitals or punctuation share one."""
    roles: defaultdict[str, defaultdict[str, list[Case]]] = defaultdict(lambda: defaultdict(list))
    spellings: defaultdict[str, list[str]] = defaultdict(list)
    for case in ctx.cases:
        for officer in case.header.officers:
            base = officer.role.rstrip("0123456789")
            person = officer.person  # the account, else the name; None when unknown
            if not person:
                continue
            slug = ctx.people.slug(person)
            if person not in spellings[slug]:
                spellings[slug].append(person)
            listed = roles[slug][base]
            # by identity: `in` would compare whole cases field by field
            if base in OFFICER_ROLES and not (listed and listed[-1] is case):
                listed.append(case)
    names = {slug: " / ".join(sorted(spellings[slug], key=str.lower)) for slug in roles}
    slugs = sorted(roles, key=lambda slug: (names[slug].lower(), slug))
    sections = []
    for base, label in (("A", "Arbitrators"), ("CM", "Case managers")):
        items = [
            {"href": f"{slug}/", "label": names[slug], "count": len(roles[slug][base])}
            for slug in slugs
            if roles[slug].get(base)
        ]
        if items:
            sections.append({"title": label, "id": slugify(label), "items": items})
    pages = [
        _groups_page(
            ctx,
            "people/index.md",
            "People",
            "Arbitrators and case managers, with the cases they handled.",
            sections,
        )
    ]
    for slug in slugs:
        groups = [
            (slugify(label), f"As {label.lower()}", roles[slug][base])
            for base, label in OFFICER_ROLES.items()
            if roles[slug].get(base)
        ]
        pages.append(_list_page(ctx, f"people/{slug}.md", names[slug], "", groups))
    return pages


def _by_topic(ctx: Context) -> list[IndexPage]:
    groups = _grouped(ctx, lambda c: c.header.topics, multi=True)
    topics = sorted(groups)
    items = [{"href": f"{slugify(t)}/", "label": t, "count": len(groups[t])} for t in topics]
    intro = "Cases by subject." if topics else "No case names a topic yet."
    pages = [
        _groups_page(
            ctx, "topics/index.md", "Topics", intro, [{"title": "", "id": "topics", "items": items}]
        )
    ]
    for t in topics:
        pages.append(
            _list_page(
                ctx, f"topics/{slugify(t)}.md", f"Topic: {t}", "", [("cases", "", groups[t])]
            )
        )
    return pages
