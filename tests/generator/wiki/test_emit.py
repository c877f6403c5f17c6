"""The hand-written YAML reads back as the values it was given."""

from __future__ import annotations

import pytest
import yaml

from generator.wiki.emit import scalar


@pytest.mark.parametrize(
    "value",
    [
        "Michael T",
        "EvaStöwe",
        "as Organization Admin for CAcert",
        "No",
        "yes",
        "null",
        "unknown",
        "x: y",
        "a #1",
        "[s1]",
        "{x}",
        "- dash",
        "12",
        "2014-01-01",
        "Ron, C",
        "'quoted'",
        "tab\there",
        "CAcert (Support - originally filed by Dirk W)",
        "<anonymized>",
    ],
)
def test_scalars_read_back_as_the_same_text(value: str) -> None:
    for flow in (True, False):
        text = scalar(value, flow)
        document = f"k: {{v: {text}}}" if flow else f"k: {text}"
        loaded = yaml.safe_load(document)
        got = loaded["k"]["v"] if flow else loaded["k"]
        assert got == value, (text, flow)
