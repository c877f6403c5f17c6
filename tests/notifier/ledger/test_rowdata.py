"""The journal's row codec: the same JSON text the standard library wrote, every value kept."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from decimal import Decimal

import pytest

from notifier.ledger import rowdata

ROWS = [
    {"email": "a@example.org", "fname": "Åsa", "language": "sv_SE", "id": 7, "score": 1.5},
    {"fname": "Ŝi 漢字 \u2028", "quote": 'say "hi"\n', "none": None, "yes": True},
    {"when": date(2014, 4, 8), "at": datetime(2014, 4, 8, 10, 0, 1), "amount": Decimal("1.10")},
    {"huge": 2**70, "negative": -(2**65)},
]


@pytest.mark.parametrize("row", ROWS)
def test_the_text_is_what_the_standard_library_wrote(row: dict[str, object]) -> None:
    """Old journals and new ones hold the same text: SQLite's json_extract and older
    versions of docket read both."""
    old = json.dumps(row, ensure_ascii=False, default=str)
    assert json.loads(rowdata.encode(row)) == json.loads(old)
    assert rowdata.decode(old) == rowdata.decode(rowdata.encode(row))


def test_non_ascii_is_written_as_it_is() -> None:
    assert "Åsa" in rowdata.encode({"fname": "Åsa"})


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_floats_json_cannot_hold_are_kept(value: float) -> None:
    """orjson alone would write null: the value would change between snapshot and message."""
    back = rowdata.decode(rowdata.encode({"score": value}))["score"]
    assert isinstance(back, float)
    assert (math.isnan(back) and math.isnan(value)) or back == value


def test_integers_beyond_64_bits_are_kept() -> None:
    assert rowdata.decode(rowdata.encode({"n": 2**70}))["n"] == 2**70


def test_a_row_that_is_no_object_is_refused() -> None:
    with pytest.raises(ValueError, match="no JSON object"):
        rowdata.decode("[1, 2]")
