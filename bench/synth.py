"""Synthetic, realistic case files for benchmarks: a header, 30-60 log entries, 8-15 KB.

Deterministic for a seed, so runs compare like with like.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

WORDS = [
    "assurance",
    "account",
    "certificate",
    "member",
    "arbitrator",
    "claimant",
    "respondent",
    "support",
    "policy",
    "mail",
    "server",
    "domain",
    "points",
    "review",
    "evidence",
    "statement",
    "decision",
    "request",
    "process",
    "deletion",
    "revoke",
    "organisation",
    "event",
    "identity",
    "document",
    "meeting",
    "agreement",
    "notification",
    "critical",
    "software",
    "team",
    "board",
    "ruling",
    "discovery",
    "execution",
    "archive",
    "record",
    "question",
    "answer",
    "report",
    "timeline",
    "case",
    "manager",
]
NAMES = ["Anna B", "Luca F", "Mira H", "Jonas K", "Eva S", "Pieter W", "Sanne V", "Karim B"]
ACTORS = ["A", "CM", "C", "R", "support", "critical", "board", "software"]


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _paragraphs(rng: random.Random, count: int) -> str:
    return "\n\n".join(
        " ".join(_sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(3, 6)))
        for _ in range(count)
    )


def case_text(number: str, filed: date, rng: random.Random, cite: str | None = None) -> str:
    started = filed + timedelta(days=rng.randint(0, 5))
    ruled = started + timedelta(days=rng.randint(20, 120))
    closed = ruled + timedelta(days=rng.randint(5, 60))
    a, cm, c = rng.sample(NAMES, 3)
    header = f"""---
case: {number}
status: closed
complaint: {_sentence(rng, 6)}
relief: {_sentence(rng, 8)}
synopsis: {_sentence(rng, 5)}
started: {started}
ruled: {ruled}
closed: {closed}
parties:
  - {{role: C, name: {c}}}
  - {{role: R, name: CAcert}}
officers:
  - {{role: iCM, name: {cm}}}
  - {{role: CM, name: {cm}}}
  - {{role: A, name: {a}}}
topics: [example, benchmark]
---
"""
    log = [f"- {filed} (issue.c.o): case [s{filed:%Y%m%d}.{rng.randint(1, 99)}]"]
    day = started
    span = (closed - started).days
    entries = rng.randint(30, 60)
    for _ in range(entries - 2):
        day = min(closed, day + timedelta(days=rng.randint(0, max(1, span // entries))))
        log.append(f"- {day} ({rng.choice(ACTORS)}): {_sentence(rng, rng.randint(6, 16))}")
    log.append(f"- {closed} (A): closed case")
    similar = f"- {cite}" if cite else "none known"
    body = f"""## History Log

{chr(10).join(log)}

## Private Part

Link to Arbitration case {number} (Private Part), access for (CM) + (A) only

## Original Dispute

{_paragraphs(rng, rng.randint(2, 4))}

## Discovery

{_paragraphs(rng, rng.randint(3, 6))}

## Ruling

{_paragraphs(rng, rng.randint(1, 3))}

Somewhere, {ruled}

## Execution

{_paragraphs(rng, 1)}

## Similar Cases

{similar}
"""
    return header + body


def write_cases(root: Path, count: int, seed: int = 1) -> list[Path]:
    """Write `count` cases under root/cases/<year>/ and return their paths."""
    rng = random.Random(seed)
    paths: list[Path] = []
    numbers: list[str] = []
    start = date(2008, 1, 1)
    for i in range(count):
        filed = start + timedelta(days=(i * 5) // 3)
        number = f"a{filed:%Y%m%d}.{i % 3 + 1}"
        cite = rng.choice(numbers) if numbers and rng.random() < 0.3 else None
        target = root / "cases" / f"{filed:%Y}" / f"{number}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(case_text(number, filed, rng, cite), "utf-8")
        numbers.append(number)
        paths.append(target)
    return paths
