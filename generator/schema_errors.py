"""Turn pydantic's validation errors into docket's codes and messages that say what to do."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from generator.model import (
    STATUSES,
    Approval,
    Audience,
    CaseHeader,
    MailAction,
    Officer,
    Party,
    Refs,
)

_MODELS: dict[tuple[str, ...], type[BaseModel]] = {
    (): CaseHeader,
    ("parties",): Party,
    ("officers",): Officer,
    ("refs",): Refs,
    ("actions",): MailAction,
    ("actions", "audience"): Audience,
    ("actions", "approved"): Approval,
}
_DATE_TYPES = {
    "date_parsing",
    "date_from_datetime_parsing",
    "date_type",
    "date_from_datetime_inexact",
}


@dataclass(frozen=True, slots=True)
class Described:
    code: str
    message: str


def field_names(loc: tuple[Any, ...]) -> list[str]:
    """The fields a mapping at `loc` may hold (by their names in the file)."""
    model = _MODELS.get(tuple(p for p in loc if isinstance(p, str)))
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _where(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "front matter"


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "...'"


def describe_error(err: ErrorDetails, data: Any) -> Described:
    loc = tuple(err["loc"])
    kind = err["type"]
    name = str(loc[-1]) if loc else ""
    where = _where(loc)
    value = err.get("input")
    if kind == "extra_forbidden":
        known = field_names(loc[:-1])
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(known)})"
        return Described("DK101", f"unknown field '{where}'{hint}")
    if kind == "missing":
        return Described("DK102", f"missing required field '{where}'")
    strings = [p for p in loc if isinstance(p, str)]
    if kind in _DATE_TYPES or (kind == "date_from_datetime_parsing"):
        reason = err.get("ctx", {}).get("error", err["msg"])
        return Described(
            "DK106", f"'{where}' {_shown(value)} is not a valid date ({reason}): write YYYY-MM-DD"
        )
    if name == "status" and len(loc) == 1:
        return Described(
            "DK107", f"status {_shown(value)} is unknown: use one of {', '.join(STATUSES)}"
        )
    if name == "role" and strings[:1] in (["parties"], ["officers"]):
        if strings[0] == "parties":
            use = (
                "C, C1, C2 ... for claimants, R, R1 ... for respondents, RC1 ... for counter-claims"
            )
        else:
            use = "iCM, CM, A, A1 ..., SA"
        return Described("DK108", f"'{where}' {_shown(value)} is not a role code: use {use}")
    is_number = name in ("case", "merged_into") or strings in (["merged_from"], ["refs", "cases"])
    if is_number and isinstance(value, str):
        reason = err.get("ctx", {}).get("error", err["msg"])
        return Described("DK105", f"'{where}' {_shown(value)} is not a case number: {reason}")
    message = err["msg"]
    if kind == "string_pattern_mismatch":
        message = f"does not match the pattern {err.get('ctx', {}).get('pattern')}"
    return Described("DK103", f"'{where}' {_shown(value)}: {message[0].lower()}{message[1:]}")
