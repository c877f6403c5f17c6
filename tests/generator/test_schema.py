from __future__ import annotations

import json

from generator.schema import case_schema, case_schema_text
from tests.conftest import ROOT


def test_repository_copy_of_the_schema_is_current() -> None:
    stored = (ROOT / "schema" / "case.schema.json").read_text("utf-8")
    assert stored == case_schema_text(), "run: docket schema > schema/case.schema.json"


def test_schema_describes_the_front_matter() -> None:
    schema = case_schema()
    assert set(schema["required"]) == {"case", "status", "complaint", "parties"}
    assert schema["additionalProperties"] is False
    assert schema["properties"]["status"]["enum"] == [
        "init",
        "running",
        "execution",
        "closed",
        "declined",
    ]
    assert "from" in json.dumps(schema["$defs"]["MailAction"]["properties"])
