"""Property: whatever a case file is mutated into, `check` reports and never raises."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.checks import run_case_checks
from generator.config import load_config
from generator.loader import decode, load_text
from tests.support.paths import FIXTURES, ROOT

SOURCES = [
    (ROOT / "cases" / "2014" / "a20140408.1.md").read_bytes(),
    (ROOT / "cases" / "2025" / "a20250114.2.md").read_bytes(),
    (FIXTURES / "checks" / "valid" / "2014" / "a20140408.1.md").read_bytes(),
]
CONFIG = load_config(ROOT)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    lines = draw(st.sampled_from(SOURCES)).split(b"\n")
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            lines = [b""]
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "flip", "insert"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "flip" and lines[i]:
            k = draw(st.integers(0, len(lines[i]) - 1))
            byte = draw(st.sampled_from(b"-:#{}[]&*!|>'\"\t\x00\xff @a1\r"))
            lines[i] = lines[i][:k] + bytes([byte]) + lines[i][k + 1 :]
        else:
            lines.insert(i, draw(st.binary(max_size=30)))
    return b"\n".join(lines)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_check_never_raises_and_every_diagnostic_has_a_place(data: bytes) -> None:
    path = "cases/2014/a20140408.1.md"
    text, found = decode(data, path, CONFIG.max_file_bytes)
    if text is not None:
        case, more = load_text(text, path)
        found += more
        if case is not None:
            found += run_case_checks(case, CONFIG)
    line_count = data.count(b"\n") + 1
    for d in found:
        assert d.path == path
        assert 1 <= d.line <= line_count + 1, d
        assert d.col >= 1 and d.code.startswith("DK") and d.message


def test_mutation_strategy_reaches_errors(tmp_path: Path) -> None:
    """Guard against a fuzz test that only ever sees valid files."""
    broken = SOURCES[2].replace(b"status: closed", b"status: [closed")
    text, _ = decode(broken, "x.md", CONFIG.max_file_bytes)
    assert text is not None
    assert load_text(text, "x.md")[1]
