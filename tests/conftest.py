from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import Config, load_config
from tests.support.paths import ROOT


@pytest.fixture()
def config(tmp_path: Path) -> Config:
    """The embedded defaults (no docket.toml): what a fresh case repository gets."""
    return load_config(tmp_path)


@pytest.fixture()
def repo_config() -> Config:
    """This repository's own docket.toml."""
    return load_config(ROOT)
