"""Property: whatever a wiki page is mutated into, the importer reports and never raises, and
what it writes passes the check and holds no private text."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import load_config
from generator.wiki.importer import import_pages
from generator.wiki.layout import is_heading
from tests.generator.wiki.conftest import WIKI
from tests.generator.wiki.test_importer import CASE_PAGES
from tests.generator.wiki.test_importer import SECRETS as OLD_SECRETS
from tests.generator.wiki.test_real_exports import ISSUE_20_PAGES
from tests.generator.wiki.test_real_exports import SECRETS as ISSUE_20_SECRETS
from tests.support.paths import ROOT

SECRETS = OLD_SECRETS + ISSUE_20_SECRETS

SOURCES = [(WIKI / name).read_bytes() for name in CASE_PAGES + ISSUE_20_PAGES]
CONFIG = load_config(ROOT)
PIECES = [
    b" * Case Number: a20100101.1 ",
    b"- Status: ruling",
    b"Before: Arbitrator X (A), Case: a20100101.2",
    b"== History Log ==",
    b"History Log",
    b" . 2010-01-02 (A): x",
    b"EOT Private Part",
    b"== Private Part ==",
    b"Private Part",
    b"{{{",
    b"}}}",
    b"||",
    b"<<Include(Arbitrations/priv/a1)>>",
    b"(C, later C1)",
    b"[[",
    b"]]",
    b"Respondents: None",
    b"201Y-MM-DD",
    b"\xff",
    b"\x00",
    b"\r",
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    lines = draw(st.sampled_from(SOURCES)).split(b"\n")
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            lines = [b""]
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "cut", "join"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            lines.insert(i, draw(st.sampled_from(PIECES)))
        elif op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif op == "join" and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + b" " + lines[i + 1]]
    return b"\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_pages_never_raise_and_never_leak(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "a20100101.1.txt"
        page.write_bytes(data)
        report = import_pages([page], Path(tmp) / "cases", CONFIG, dry_run=True)
    for result in report.results:
        assert result.outcome in ("would write", "failed")
        output = (result.text or "") + "\n".join(map(str, result.findings))
        if not any(s.encode() in data and s in output for s in SECRETS):
            continue
        # A secret may only appear when the mutation moved it out of its private part.
        assert _moved_out_of_private(data), output
    failures = [f.message for r in report.results for f in r.findings if f.failed]
    assert not [m for m in failures if "would not pass docket check" in m], failures


def _moved_out_of_private(data: bytes) -> bool:
    """Whether some secret line is no longer inside a private part: after a private heading,
    before its end marker or (when the marker is gone) the next heading."""
    inside = False
    for line in data.decode("utf-8", "replace").split("\n"):
        for piece in re.split(r"(?<!\S)(?==+ )", line):  # headings glued into one line
            low = piece.lower()
            title = piece.strip().strip("=").strip()
            if "private part" in low and "eot" not in low:
                inside = True
            elif "eot private part" in low or (
                inside and (is_heading(title) or piece.startswith("="))
            ):
                inside = False
            if any(s in piece for s in SECRETS) and not inside:
                return True
    return False
