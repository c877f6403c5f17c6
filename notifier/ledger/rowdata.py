"""How a recipient's directory values are kept in the journal: one JSON object a row.

Written once a recipient at the snapshot and read once a claim (and by the report), so the
codec is on the path to the first message: orjson (Rust) encodes a row in about a fifth of the
standard library's time (docs/performance.md, "Faster to the first message"). The text is the
same JSON the standard library wrote (UTF-8, not ASCII-escaped): journals of older versions
read as before, and SQLite's json_extract reads both.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import orjson

# datetime, date and time reach `_other` as they reached `json.dumps(default=str)`: the same
# text in old and new journals (the directory reader has made them ISO text already)
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def _other(value: Any) -> str:
    """Anything JSON has no type for, as text (what `json.dumps(default=str)` wrote)."""
    return str(value)


def encode(data: Mapping[str, Any]) -> str:
    """One row's values as JSON text. What orjson would change or refuses goes the standard
    library's way: a float JSON cannot hold (NaN, infinity: orjson writes null), an integer
    beyond 64 bits."""
    for value in data.values():
        if type(value) is float and not math.isfinite(value):
            return _standard(data)
    try:
        return orjson.dumps(data, default=_other, option=_OPTIONS).decode()
    except orjson.JSONEncodeError:
        return _standard(data)


def _standard(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


def decode(text: str | bytes) -> dict[str, Any]:
    """A row's values; `NaN` and `Infinity` (which orjson does not read) through the standard
    library."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError(f"a journal row's data is no JSON object: {str(text)[:40]!r}")
    return value
