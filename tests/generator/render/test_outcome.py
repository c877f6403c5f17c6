"""The outcome of a case is its final ruling: in the header card, the feed and `#ruling`."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.collection import check_paths
from generator.config import load_config
from generator.render.site import Site, SiteOptions, render_site
from tests.support.paths import ROOT

ATOM = "{http://www.w3.org/2005/Atom}"


def _repo_site() -> Site:
    config = load_config(ROOT)
    collection = check_paths([config.cases_dir], config, base=config.root, jobs=1)
    return render_site(collection.cases, config.root, config.urls, SiteOptions())


def test_the_feed_quotes_the_final_ruling() -> None:
    site = _repo_site()
    feed = ET.fromstring(next(a.content for a in site.assets if a.path == "feed.xml"))
    entry = next(
        e for e in feed.iter(f"{ATOM}entry")
        if e.findtext(f"{ATOM}id") == "urn:docket:a20240902.1:ruling"
    )  # fmt: skip
    assert entry.findtext(f"{ATOM}updated") == "2024-10-20T00:00:00Z"
    summary = entry.findtext(f"{ATOM}summary") or ""
    assert "The account of the claimant shall be deleted" in summary
    assert "Support shall revoke" not in summary  # Intermediate Ruling #1


def test_the_header_card_shows_the_outcome_and_links_the_ruling() -> None:
    site = _repo_site()
    html = next(p.html for p in site.pages if p.path == "cases/a20240902.1.md")
    card = html[html.index('<div class="docket-card"') : html.index("</div>")]
    assert "<dt>Outcome</dt>" in card
    assert "The account of the claimant shall be deleted" in card
    assert '<a href="#ruling">Read the Final Ruling</a>' in card
