"""Opt-in: docket against flufl.bounce's real bounce messages and our own labels
(bench/bounces_corpus.py). The messages are downloaded by the bench, never kept here, so the test
runs only when DOCKET_BOUNCE_CORPUS names the extracted `tests/data` folder:

    .venv/bin/python bench/bounces_corpus.py          # downloads into ~/.cache/docket-bench
    DOCKET_BOUNCE_CORPUS=~/.cache/docket-bench/flufl_bounce-6.0.0/tests/data pytest ...
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.bounces_corpus import evaluate, read_labels, report

CORPUS = os.environ.get("DOCKET_BOUNCE_CORPUS")
pytestmark = pytest.mark.skipif(not CORPUS, reason="DOCKET_BOUNCE_CORPUS is not set")

# The targets (for the held-out corpus; ours must meet them too).
MIN_AGREEMENT = 0.90
MAX_OTHER = 0.05


def test_every_labelled_message_is_there() -> None:
    data = Path(str(CORPUS))
    missing = {label.file for label in read_labels()} - {p.name for p in data.glob("*.txt")}
    assert not missing


def test_agreement_with_our_labels_meets_the_target() -> None:
    result = evaluate(Path(str(CORPUS)))
    print("\n".join(report(result)))
    assert result.errors == 0
    assert result.agreement >= MIN_AGREEMENT, result.misses
    assert result.other_share <= MAX_OTHER, result.misses
