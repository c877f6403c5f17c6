from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.config import Config
from generator.wiki.extract import extract
from generator.wiki.facts import Extracted
from tests.support.paths import FIXTURES

WIKI = FIXTURES / "wiki"

Extract = Callable[[str], Extracted]


@pytest.fixture()
def page(repo_config: Config) -> Extract:
    """Extract a fixture page by file name, with this repository's configuration."""

    def read(name: str) -> Extracted:
        path: Path = WIKI / name
        return extract(f"wiki/{name}", path.read_bytes(), repo_config.email_allowed)

    return read
