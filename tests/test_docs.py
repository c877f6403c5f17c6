"""Every diagnostic code is documented, with a bad and a good example."""

from __future__ import annotations

import re

from generator.codes import CODES
from tests.support.paths import ROOT


def test_every_code_is_documented_with_examples() -> None:
    text = (ROOT / "docs" / "checks.md").read_text("utf-8")
    blocks = re.split(r"^## (?=DK\d{3} )", text, flags=re.M)[1:]
    documented = {block.split()[0]: block for block in blocks}
    for code in CODES:
        assert code in documented, f"{code} missing in docs/checks.md"
        block = documented[code]
        assert "Bad:" in block and "Good:" in block, f"{code} needs a bad and a good example"
    assert set(documented) == set(CODES), "docs/checks.md documents codes that do not exist"


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    first_block = readme.split("```")[1]
    assert "scripts/archive.sh" in first_block and "scripts/test.sh" in first_block
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "scripts/test.sh" in ci
