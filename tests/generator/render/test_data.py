"""cases.json and cases/<case>.json: each line and record is made from one inputs value, which
is also its memo key, so what a rebuild compares is exactly what the file shows."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from generator.collection import check_paths
from generator.config import load_config
from generator.model import Case
from generator.render.data import RecordInputs, SummaryInputs, record, summary
from tests.support.site import ARCHIVE_FIXTURE


def _cases(tmp_path: Path) -> list[Case]:
    root = tmp_path / "p"
    shutil.copytree(ARCHIVE_FIXTURE, root)
    config = load_config(root)
    return list(check_paths([config.cases_dir], config, base=root).cases)


def test_a_line_of_cases_json_is_made_from_its_inputs_alone(tmp_path: Path) -> None:
    case = _cases(tmp_path)[0]
    inputs = SummaryInputs.of(case)
    line = summary(inputs, "https://archive.example.org/")
    assert line.case == case.number and line.status == case.header.status
    assert line.url == f"https://archive.example.org/cases/{case.number}/"
    # the text of a section is not on the line: an edit there keeps the key (no re-render)
    edited = dataclasses.replace(case, intro=case.intro + "\nmore words")
    assert SummaryInputs.of(edited) == inputs
    # a section's title is: it changes the key
    [first, *rest] = case.sections
    renamed = dataclasses.replace(case, sections=[dataclasses.replace(first, title="Other"), *rest])
    assert SummaryInputs.of(renamed) != inputs


def test_a_record_follows_the_cases_that_cite_it(tmp_path: Path) -> None:
    case = _cases(tmp_path)[0]
    inputs = RecordInputs(case, ("a20990101.1",), ("a20980101.2",))
    made = record(inputs, "https://archive.example.org/")
    assert made.cited_by == ["a20990101.1"] and made.related == ["a20980101.2"]
    assert made.url == f"https://archive.example.org/cases/{case.number}/"
    assert RecordInputs(case, (), ("a20980101.2",)) != inputs  # a new citing case: a new key
