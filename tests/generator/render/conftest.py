from __future__ import annotations

import pytest

from generator.collection import check_paths
from generator.config import load_config
from generator.render.site import Site, SiteOptions, render_site
from tests.support.site import ARCHIVE_FIXTURE


@pytest.fixture(scope="session")
def fixture_site() -> Site:
    """The fixture archive rendered by generator/ alone (no MkDocs)."""
    config = load_config(ARCHIVE_FIXTURE)
    collection = check_paths([config.cases_dir], config, base=config.root, jobs=1)
    return render_site(
        collection.cases,
        config.root,
        config.urls,
        SiteOptions(site_url="https://archive.example.org/", hash_bugs=config.hash_bug_refs),
    )
