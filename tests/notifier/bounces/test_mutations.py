"""Mutated bounces (bytes cut, flipped, spliced, headers dropped) never raise and always give a
class for every line."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notifier.bounces.classes import BOUNCE_CLASSES, NOT_BOUNCES
from notifier.bounces.lines import classify_item, lines_of
from notifier.bounces.mailboxes import Item
from notifier.bounces.parse import parse

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "bounces"
SAMPLES = [p.read_bytes() for p in sorted(FIXTURES.glob("*.eml"))]
CLASSES = set(BOUNCE_CLASSES) | set(NOT_BOUNCES)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(0, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["cut", "flip", "insert", "drop-line", "splice"]))
        if kind == "cut":
            del data[at:]
        elif kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(
                st.sampled_from(
                    [b"\n\n", b"--", b"Status: ", b"5.1.1", b"\xff\xfe", b"=?utf-8?b?", b";",
                     b"Content-Type: multipart/report; boundary=\"x\"\n", b"<@>", b"\r"]
                )
            )  # fmt: skip
        elif kind == "drop-line":
            end = data.find(b"\n", at)
            del data[at : end if end != -1 else len(data)]
        else:
            other = draw(st.sampled_from(SAMPLES))
            data[at:] = other[draw(st.integers(0, len(other))) :]
    return bytes(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_bounces_never_raise_and_every_line_has_a_class(data: bytes) -> None:
    lines = lines_of("x", parse(data))
    assert lines
    for line in lines:
        assert line["class"] in CLASSES
        assert isinstance(line["permanent"], bool)
        assert isinstance(line["reply"], str)
        line["reply"].encode("utf-8")  # printable as UTF-8: no lone surrogates
        assert line["status_source"] in (None, "report", "text", "derived")
        assert (line["status"] is None) == (line["status_source"] is None)
        if line["status_source"] == "derived":
            assert line["class"] in BOUNCE_CLASSES and line["class"] != "other"
        assert isinstance(line.get("note", ""), str)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_give_a_line(data: bytes) -> None:
    lines = classify_item(Item("x", data))
    assert lines and all("class" in line for line in lines)
