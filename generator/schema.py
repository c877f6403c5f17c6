"""The JSON Schema of a case file's front matter, exported from the model."""

from __future__ import annotations

import json
from typing import Any

from generator.model import CaseHeader

SCHEMA_ID = "https://docket.invalid/schema/case.schema.json"


def case_schema() -> dict[str, Any]:
    schema = CaseHeader.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def case_schema_text() -> str:
    return json.dumps(case_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
