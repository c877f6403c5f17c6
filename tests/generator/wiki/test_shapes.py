"""Shape detection and the cutting of a flattened raw page into positioned lines."""

from __future__ import annotations

import pytest

from generator.wiki.facts import Where
from generator.wiki.shapes import PageError, Shape, decode, detect, is_flattened, split_lines
from tests.generator.wiki.conftest import WIKI


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("raw_flat_a20100314.2.txt", Shape.RAW),
        ("raw_lines_a20090505.3.txt", Shape.RAW),
        ("print_a20140219.1.txt", Shape.PRINT),
        ("founding_a20140408.1.txt", Shape.PRINT),
        ("rendered_a20150907.1.txt", Shape.RENDERED),
        ("rendered_midtext_a20111203.4.txt", Shape.RENDERED),
    ],
)
def test_detects_the_three_shapes(name: str, shape: Shape) -> None:
    assert detect(decode((WIKI / name).read_bytes())) is shape


def test_a_flattened_raw_page_is_cut_before_items_headings_and_entries() -> None:
    text = decode((WIKI / "raw_flat_a20100314.2.txt").read_bytes())
    assert is_flattened(text, Shape.RAW)
    lines = split_lines(text, Shape.RAW)
    texts = [line.text for line in lines]
    assert texts[:3] == ["* Case Number: a20100314.2", "* Status: Closed", "* Claimants: Nora B"]
    assert "== History Log ==" in texts
    assert ". 2010-03-21 (A) init mail sent to C, bug #855 noted" in texts
    assert "EOT log from case a20100316.1" in texts
    assert ["||AS1||35||" in texts, "||'''assurer'''||'''points'''||" in texts] == [True, True]
    # every piece keeps its column on the one physical line
    first = lines[0]
    assert first.where == Where(1, 2)
    assert text[first.where.col - 1 :].startswith("* Case Number")  # type: ignore[operator]
    status = lines[1]
    assert text[status.where.col - 1 :].startswith("* Status: Closed")  # type: ignore[operator]


def test_a_raw_page_with_line_breaks_keeps_its_lines() -> None:
    text = decode((WIKI / "raw_lines_a20090505.3.txt").read_bytes())
    assert not is_flattened(text, Shape.RAW)
    lines = split_lines(text, Shape.RAW)
    assert lines[1].text == " * Status: execute" and lines[1].where == Where(2)


def test_non_utf8_names_the_byte_and_its_position() -> None:
    with pytest.raises(PageError) as caught:
        decode((WIKI / "latin1_a20100101.1.txt").read_bytes())
    assert caught.value.where == Where(1, 60)
    assert "0xf6 is not UTF-8" in caught.value.message


def test_bom_and_crlf_are_read() -> None:
    assert decode(b"\xef\xbb\xbfBefore: x\r\nHistory Log\r\n") == "Before: x\nHistory Log\n"


def test_binary_is_refused() -> None:
    with pytest.raises(PageError, match="binary"):
        decode(b"abc\0def")
