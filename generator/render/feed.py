"""An Atom feed of rulings and closures, newest first, built with a real XML writer."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TypeGuard

from generator.model import Case
from generator.render.context import Context
from generator.render.outcome import final_ruling
from generator.render.urls import case_url

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 100
SUMMARY_CHARS = 600


@dataclass(frozen=True, slots=True)
class _Event:
    day: date
    kind: str  # "ruling" | "closure"
    case: Case


def _dated(value: object) -> TypeGuard[date]:
    """A real date (not absent, not `unknown`): only those make feed entries."""
    return isinstance(value, date)


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _summary(case: Case, kind: str) -> str:
    h = case.header
    lead = h.synopsis or h.complaint
    if kind == "ruling":
        ruling = final_ruling(case)  # the entry is dated by the final ruling: quote that one
        if ruling is not None:
            text = " ".join(ruling.body.split())
            if len(text) > SUMMARY_CHARS:
                text = text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
            return f"{lead}. Ruling: {text}"
    return f"{lead}."


def render_feed(ctx: Context) -> bytes:
    """The feed's links are absolute when the site URL is known, else relative to the feed."""
    events = [_Event(c.header.ruled, "ruling", c) for c in ctx.cases if _dated(c.header.ruled)]
    events += [_Event(c.header.closed, "closure", c) for c in ctx.cases if _dated(c.header.closed)]
    events.sort(key=lambda e: (e.day, e.case.number, e.kind), reverse=True)
    events = events[:MAX_ENTRIES]
    # the feed is made from these events' cases alone (and the site's settings)
    key = [(e.day, e.kind, e.case) for e in events]
    return ctx.remember("feed.xml", key, partial(_feed_xml, ctx, events))


def _feed_xml(ctx: Context, events: list[_Event]) -> bytes:
    base = ctx.settings.site_url.rstrip("/") + "/" if ctx.settings.site_url else ""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{ctx.settings.site_name}: rulings and closures"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = (base or "urn:docket:archive:") + "feed.xml"
    updated = max((e.day for e in events), default=date(1970, 1, 1))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(updated)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{base}feed.xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=base or "./")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = ctx.settings.site_name
    for event in events:
        case = event.case
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        word = "Ruling" if event.kind == "ruling" else "Closed"
        title = f"{case.number} {word}: {case.header.synopsis or case.header.complaint}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:docket:{case.number}:{event.kind}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(event.day)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=base + case_url(case.number))
        ET.SubElement(entry, f"{{{ATOM}}}category", term=case.header.status)
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = _summary(case, event.kind)
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data + b"\n"
