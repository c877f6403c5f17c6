from __future__ import annotations

import json
import re

from generator.schema import case_schema, case_schema_text
from tests.support.paths import ROOT


def test_repository_copy_of_the_schema_is_current() -> None:
    stored = (ROOT / "schema" / "case.schema.json").read_text("utf-8")
    assert stored == case_schema_text(), "run: docket schema > schema/case.schema.json"


def test_schema_describes_the_front_matter() -> None:
    schema = case_schema()
    assert set(schema["required"]) == {"case", "status", "complaint", "parties"}
    assert schema["additionalProperties"] is False
    status = re.compile(schema["properties"]["status"]["pattern"])
    for word in ("init", "running", "execution", "closed", "declined", "Closed", "ruling"):
        assert status.match(word), word
    assert status.match("close") and status.match("execute") and status.match("unknown")
    assert not status.match("finished")
    assert schema["properties"]["started"]["anyOf"][1] == {
        "const": "unknown",
        "description": "not on the record",
    }
    assert "from" in json.dumps(schema["$defs"]["MailAction"]["properties"])
