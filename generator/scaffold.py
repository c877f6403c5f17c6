"""`docket new`: a case file with every section heading and the next free case number."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import yaml

from generator.atomic import write_new

SECTIONS = (
    "History Log",
    "Private Part",
    "Original Dispute",
    "Discovery",
    "Ruling",
    "Execution",
    "Similar Cases",
)


class ScaffoldError(Exception):
    """The case cannot be created; the message says why and what to do."""


def next_case_number(cases_dir: Path, day: date) -> str:
    """The first aYYYYMMDD.N not yet used in cases_dir (numbers count from 1)."""
    stem = f"a{day:%Y%m%d}"
    pattern = re.compile(rf"^{stem}\.(\d+)\.md$")
    used: set[int] = set()
    if cases_dir.is_dir():
        for path in cases_dir.rglob(f"{stem}.*.md"):
            match = pattern.match(path.name)
            if match:
                used.add(int(match[1]))
    n = 1
    while n in used:
        n += 1
    return f"{stem}.{n}"


def render_case(
    number: str, complaint: str, claimants: list[str], respondents: list[str], relief: str | None
) -> str:
    parties: list[dict[str, str]] = []
    for role, names in (("C", claimants), ("R", respondents)):
        for i, name in enumerate(names, start=1):
            parties.append({"role": role if len(names) == 1 else f"{role}{i}", "name": name})
    header: dict[str, object] = {"case": number, "status": "init", "complaint": complaint}
    if relief:
        header["relief"] = relief
    header["parties"] = parties
    front = yaml.safe_dump(header, sort_keys=False, allow_unicode=True, width=100)
    body = "\n".join(f"## {title}\n" for title in SECTIONS)
    return f"---\n{front}---\n{body}"


def create_case(
    cases_dir: Path,
    day: date,
    complaint: str,
    claimants: list[str],
    respondents: list[str],
    relief: str | None = None,
) -> Path:
    if not complaint.strip():
        raise ScaffoldError("the complaint is empty: say in a few words what the dispute is about")
    if not claimants:
        raise ScaffoldError("name at least one claimant (--claimant NAME)")
    for value in [complaint, *claimants, *respondents, relief or ""]:
        if "\n" in value or "\r" in value:
            raise ScaffoldError("names, complaint and relief must be one line each")
    number = next_case_number(cases_dir, day)
    target = cases_dir / f"{day:%Y}" / f"{number}.md"
    text = render_case(number, complaint.strip(), claimants, respondents, relief)
    try:
        write_new(target, text)
    except FileExistsError as exc:
        if target.exists():
            raise ScaffoldError(f"{target} exists already: refusing to overwrite it") from exc
        # mkdir found a file where a folder of the path goes
        raise ScaffoldError(
            f"cannot write {target}: {exc.filename} is a file, not a folder; move it away"
        ) from exc
    except OSError as exc:
        raise ScaffoldError(f"cannot write {target}: {os.strerror(exc.errno or 0)}") from exc
    return target
