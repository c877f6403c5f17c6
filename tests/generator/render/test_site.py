"""The whole archive as generator/ renders it: pages, indexes, links, feed and data."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import feedparser

from generator.collection import check_paths
from generator.config import load_config
from generator.render.data import CaseIndex, CaseRecord
from generator.render.search import SearchRecords
from generator.render.site import Page, Site, SiteOptions, render_site
from generator.render.urls import page_url
from tests.support.site import ARCHIVE_FIXTURE

CANARIES = ("DOCKET-CANARY-PRIVATE-PART", "DOCKET-CANARY-PRIVATE-SECTION", "DOCKET-CANARY-MARKED")


def page(site: Site, path: str) -> Page:
    found = site.page(path)
    assert found is not None, f"no page {path}; have {[p.path for p in site.pages]}"
    return found


def asset(site: Site, path: str) -> bytes:
    return next(a.content for a in site.assets if a.path == path)


def test_every_index_page_is_there(fixture_site: Site) -> None:
    paths = {p.path for p in fixture_site.pages}
    assert {
        "index.md",
        "cases/index.md",
        "years/index.md",
        "years/2009.md",
        "years/2014.md",
        "status/index.md",
        "status/running.md",
        "status/closed.md",
        "people/index.md",
        "people/evastöwe.md",
        "people/martingummi.md",
        "topics/index.md",
        "topics/security.md",
        "cases/a20140408.1.md",
        "cases/a20090618.12.md",
    } <= paths


def test_case_pages_stay_out_of_the_navigation(fixture_site: Site) -> None:
    for p in fixture_site.pages:
        if p.kind == "case" or ("/" in p.path and not p.path.endswith("index.md")):
            assert not p.in_nav, p.path
    assert page(fixture_site, "cases/index.md").in_nav


def test_case_numbers_sort_numerically(fixture_site: Site) -> None:
    html = page(fixture_site, "cases/index.md").html
    keys = dict(re.findall(r'<td data-key="([^"]+)"><a href="([^"]+)/"', html))
    by_case = {v: k for k, v in keys.items()}
    assert by_case["a20090618.12"] > by_case["a20090618.3"]
    order = re.findall(r'<a href="(a\d{8}\.\d+)/">', html)
    assert order.index("a20090618.12") < order.index("a20090618.3")  # newest first


def test_case_page_header_card_and_timeline(fixture_site: Site) -> None:
    html = page(fixture_site, "cases/a20140408.1.md").html
    assert '<span class="docket-status docket-status--closed">Closed</span>' in html
    assert "Before: Arbitrator EvaStöwe (A), Respondent: CAcert (R)" in html
    assert '<time datetime="2014-04-08">' in html
    assert html.count('class="docket-timeline__day"') >= 10
    assert "docket-timeline__entry--undated" in html  # "(infrastructure): ..." lines
    assert '<span class="docket-actor" title="arbitrator: EvaStöwe">A</span>' in html
    assert 'href="https://git.example.org/docket/edit/main/cases/2014/a20140408.1.md"' in html
    assert 'href="https://issue.example.org/ticket?number=s20140408.5"' in html


def test_cited_by_comes_from_public_text_only(fixture_site: Site) -> None:
    seed = page(fixture_site, "cases/a20140408.1.md").html
    assert "Cited by" in seed and 'href="../a20090618.12/"' in seed
    third = page(fixture_site, "cases/a20090618.3.md").html
    assert 'href="../a20090618.12/"' in third
    assert "a20200101.1" not in third  # mentioned only in that case's private part


def test_missing_optional_fields_leave_no_empty_boxes(fixture_site: Site) -> None:
    html = page(fixture_site, "cases/a20090618.3.md").html
    for label in ("Relief", "Started", "Ruled", "Closed", "Officers", "Topics"):
        assert f"<dt>{label}</dt>" not in html


def test_unknown_case_reference_is_shown_unlinked(fixture_site: Site) -> None:
    html = page(fixture_site, "cases/a20090618.12.md").html
    assert "a20991231.1" in html and "a20991231.1/" not in html


def test_people_and_topic_pages_list_their_cases(fixture_site: Site) -> None:
    eva = page(fixture_site, "people/evastöwe.md").html
    assert "a20140408.1" in eva and "a20200101.1" in eva and "a20090618.12" not in eva
    assert "a20200101.1" in page(fixture_site, "topics/privacy.md").html


def test_private_text_is_nowhere(fixture_site: Site) -> None:
    blobs = [p.html + p.title + p.description for p in fixture_site.pages]
    blobs += [a.content.decode("utf-8") for a in fixture_site.assets]
    for blob in blobs:
        for canary in CANARIES:
            assert canary not in blob
    sanitised = page(fixture_site, "cases/a20200101.1.md").html
    assert "Not published." in sanitised and "Arbitrations/priv/a20200101.1" in sanitised


def test_feed_is_valid_atom_newest_first(fixture_site: Site) -> None:
    feed = feedparser.parse(asset(fixture_site, "feed.xml"))
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    titles = [e.title for e in feed.entries]
    assert titles[0].startswith("a20140408.1 Closed")
    assert titles[1].startswith("a20140408.1 Ruling")
    stamps = [e.updated_parsed for e in feed.entries]
    assert stamps == sorted(stamps, reverse=True)
    assert feed.entries[0].link == "https://archive.example.org/cases/a20140408.1/"


def test_json_matches_its_schema_models(fixture_site: Site) -> None:
    index = CaseIndex.model_validate_json(asset(fixture_site, "cases.json"))
    assert [c.case for c in index.cases][:2] == ["a20090618.3", "a20090618.12"]
    assert index.count == len(index.cases) == 4
    record = CaseRecord.model_validate_json(asset(fixture_site, "cases/a20200101.1.json"))
    assert [s.kind for s in record.sections] == ["history", "dispute"]
    assert record.header["case"] == "a20200101.1"
    schema = json.loads(asset(fixture_site, "schema/case.schema.json"))
    assert schema["title"] == "CaseRecord"


def test_search_records_made_by_the_renderers_are_those_of_the_pages() -> None:
    """A cold build takes each case's search record from the process that rendered its page
    (two forked renderers here); they must be the records `mkdocs serve` makes from the
    finished pages, and the JSON records those of the one-process render."""
    config = load_config(ARCHIVE_FIXTURE)
    collection = check_paths([config.cases_dir], config, base=config.root, jobs=1)
    options = SiteOptions(site_url="https://archive.example.org/", jobs=2, search=True)
    forked = render_site(collection.cases, config.root, config.urls, options)
    assert forked.search is not None
    pages = [(page_url(p.path), p.title, p.body()) for p in forked.pages if p.kind == "case"]
    assert len(pages) == len(collection.cases) > 2
    assert forked.search == SearchRecords().records(pages)
    alone = render_site(
        collection.cases, config.root, config.urls, SiteOptions(site_url=options.site_url, jobs=1)
    )
    assert alone.search is None
    assert forked.assets == alone.assets
    assert [replace(p, html=p.body(), utf8=b"") for p in forked.pages] == alone.pages
    assert any(p.utf8 and not p.html for p in forked.pages)  # sent as UTF-8
