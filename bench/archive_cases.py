"""Synthetic but realistic case files for the archive benchmark (and for scale tests).

Each case looks like the wiki's: a full header, 30-60 history-log lines with actors, dates,
date ranges and undated continuation lines, and 8-15 KB of Dispute/Discovery/Ruling/Execution
text that mentions other cases, support issues, motions and bugs. Deterministic for a seed.
"""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from pathlib import Path

WORDS = [
    "the",
    "member",
    "account",
    "certificate",
    "assurance",
    "points",
    "organisation",
    "administrator",
    "dispute",
    "ruling",
    "arbitrator",
    "claimant",
    "respondent",
    "case",
    "manager",
    "support",
    "team",
    "critical",
    "system",
    "server",
    "mail",
    "address",
    "domain",
    "policy",
    "CCA",
    "DRP",
    "board",
    "motion",
    "software",
    "assessor",
    "infrastructure",
    "audit",
    "password",
    "reset",
    "identity",
    "verification",
    "document",
    "passport",
    "surname",
    "change",
    "merge",
    "delete",
    "revoke",
    "revocation",
    "key",
    "fingerprint",
    "signature",
    "trust",
    "community",
    "association",
    "committee",
    "privacy",
    "data",
    "protection",
    "request",
    "evidence",
    "statement",
    "hearing",
    "decision",
    "appeal",
    "execution",
    "order",
    "notify",
    "inform",
    "review",
    "test",
    "script",
    "release",
    "update",
    "patch",
    "vulnerability",
    "openssl",
    "heartbleed",
    "backup",
    "archive",
    "retention",
    "logging",
    "access",
    "control",
    "secret",
    "sharing",
    "meeting",
    "minutes",
    "quorum",
    "election",
    "treasurer",
    "secretary",
    "president",
    "vice",
    "liaison",
    "event",
    "assurer",
    "TTP",
    "program",
    "points",
    "experience",
    "challenge",
    "CATS",
    "test",
    "education",
    "training",
    "handbook",
    "wiki",
    "blog",
    "mailing",
    "list",
    "announcement",
    "translation",
    "language",
    "German",
    "French",
    "Dutch",
    "English",
    "timeline",
    "deadline",
    "postponed",
    "delayed",
    "accepted",
    "rejected",
    "declined",
    "withdrawn",
    "confirmed",
    "agreed",
    "objected",
    "clarified",
    "requested",
    "provided",
    "answered",
    "asked",
    "explained",
    "reported",
    "because",
    "therefore",
    "however",
    "although",
    "since",
    "until",
    "after",
    "before",
    "during",
    "within",
    "without",
    "should",
    "would",
    "could",
    "must",
    "may",
    "might",
    "will",
    "can",
    "shall",
    "need",
    "want",
    "expect",
    "require",
    "allow",
    "member's",
    "members'",
    "organisation's",
    "association's",
    "arbitrators'",
    "respondent's",
    "claimant's",
    "account",
    "holder",
    "recovery",
    "email",
    "inbox",
    "phone",
    "voice",
    "channel",
    "IRC",
    "chat",
    "conference",
    "call",
    "process",
    "procedure",
    "rule",
    "subsidiary",
    "practice",
    "standard",
    "guideline",
    "requirement",
    "risk",
    "incident",
    "emergency",
    "security",
    "breach",
    "exposure",
    "affected",
    "unaffected",
    "mitigation",
    "remedy",
]
FIRST = [
    "Anna",
    "Bernd",
    "Carla",
    "Dirk",
    "Eva",
    "Frank",
    "Gerda",
    "Hans",
    "Ines",
    "Jan",
    "Karin",
    "Lutz",
    "Maria",
    "Nils",
    "Olga",
    "Peter",
    "Quinn",
    "Ralf",
    "Sonja",
    "Tom",
    "Ulla",
    "Volker",
    "Wiebke",
    "Xaver",
    "Yvonne",
    "Zoe",
    "Ian",
    "Ted",
    "Brian",
    "Gunnar",
    "Werner",
    "Philipp",
    "Juergen",
    "Marcus",
    "Benedikt",
    "Dominik",
    "Alexander",
    "Magnus",
    "Etienne",
    "Lambert",
]
ARBITRATORS = [
    "EvaStöwe",
    "UlrichSchroeter",
    "PhilippDunkel",
    "AlexRobertson",
    "SebastianKueppers",
    "MartinGummi",
    "LambertHofstra",
    "IanGrigg",
    "BenediktHeintel",
    "DirkAstrath",
]
CASE_MANAGERS = [
    "MartinGummi",
    "UlrichSchroeter",
    "EvaStöwe",
    "AndreasBaess",
    "WernerDworak",
    "JuergenBruckner",
    "MagnusBodin",
    "EtienneRuedin",
]
TEAMS = ["support", "critical", "software", "board", "infrastructure", "DRO", "triage"]
TOPICS = [
    "security",
    "mass-mail",
    "delete-account",
    "name-change",
    "assurance",
    "privacy",
    "organisation",
    "policy",
    "software",
    "board",
    "ttp",
    "dispute-filing",
]
RESPONDENTS = ["CAcert", "CAcert Inc.", "Support Team", "Software Assessment Team"]


_WEIGHTS = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(WORDS))))
_SYLLABLES = [
    "ka",
    "to",
    "ri",
    "men",
    "sa",
    "lo",
    "ve",
    "da",
    "ni",
    "pu",
    "ter",
    "gan",
    "bel",
    "ho",
    "wi",
    "zu",
    "rap",
    "fel",
    "mon",
    "dis",
]


def _rare(rng: random.Random) -> str:
    """A word from a long tail (names, jargon, typos): real text has thousands of them."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))


def _sentence(rng: random.Random, refs: list[str]) -> str:
    n = rng.randint(8, 22)
    words = rng.choices(WORDS, cum_weights=_WEIGHTS, k=n)
    for i in range(n):
        if rng.random() < 0.06:
            words[i] = _rare(rng)
    if refs and rng.random() < 0.08:
        words.insert(rng.randrange(len(words)), rng.choice(refs))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _paragraphs(rng: random.Random, size: int, refs: list[str]) -> str:
    out: list[str] = []
    total = 0
    while total < size:
        para = " ".join(_sentence(rng, refs) for _ in range(rng.randint(3, 7)))
        if rng.random() < 0.2:
            items = "\n".join(f"- {_sentence(rng, refs)}" for _ in range(rng.randint(2, 5)))
            para = f"{para}\n\n{items}"
        out.append(para)
        total += len(para) + 2
    return "\n\n".join(out)


def case_number(day: date, index: int) -> str:
    return f"a{day:%Y%m%d}.{index}"


def plan(n: int, seed: int = 1) -> list[tuple[str, date]]:
    """N case numbers spread over 2009-2024, several per day sometimes (.1, .2, ... .12)."""
    rng = random.Random(seed)
    start = date(2009, 1, 1)
    span = (date(2024, 12, 31) - start).days
    days = sorted(start + timedelta(days=rng.randrange(span)) for _ in range(n))
    numbers: list[tuple[str, date]] = []
    per_day: dict[date, int] = {}
    for day in days:
        per_day[day] = per_day.get(day, 0) + 1
        numbers.append((case_number(day, per_day[day]), day))
    return numbers


def case_text(number: str, filed: date, others: list[str], rng: random.Random) -> str:
    """One realistic case file."""
    status = rng.choices(["closed", "running", "execution", "init"], [80, 10, 6, 4])[0]
    arbitrator = rng.choice(ARBITRATORS)
    cm = rng.choice(CASE_MANAGERS)
    claimant = f"{rng.choice(FIRST)} {rng.choice('ABCDEFGHJKLMNPRSTW')}"
    respondent = rng.choice([*RESPONDENTS, f"{rng.choice(FIRST)} {rng.choice('ABCDEFGH')}"])
    topic = rng.sample(TOPICS, rng.randint(1, 2))
    refs = rng.sample(others, min(len(others), rng.randint(0, 3)))
    issue = f"s{filed:%Y%m%d}.{rng.randint(1, 40)}"
    motion = f"m{filed:%Y%m%d}.{rng.randint(1, 5)}"
    bug = rng.randint(100, 1500)
    started = filed + timedelta(days=rng.randint(0, 20))
    log_len = rng.randint(30, 60)
    days = sorted(started + timedelta(days=rng.randint(0, 400)) for _ in range(log_len))
    ruled = days[int(log_len * 0.7)] if status in ("closed", "execution") else None
    closed = days[-1] if status == "closed" else None
    if closed and ruled and closed < ruled:
        closed = ruled
    complaint = _sentence(rng, []).rstrip(".")[:90]
    lines = [
        "---",
        f"case: {number}",
        f"status: {status}",
        f"complaint: {complaint}",
        f"relief: {_sentence(rng, []).rstrip('.')[:120]}",
        f"synopsis: {complaint[:70]}",
        f"started: {started}",
    ]
    if ruled:
        lines.append(f"ruled: {ruled}")
    if closed:
        lines.append(f"closed: {closed}")
    lines += [
        "parties:",
        f"  - {{role: C, name: {claimant}}}",
        f"  - {{role: R, name: {respondent}}}",
        "officers:",
        f"  - {{role: iCM, name: {cm}}}",
        f"  - {{role: CM, name: {cm}}}",
        f"  - {{role: A, name: {arbitrator}}}",
        "refs:",
        f"  issues: [{issue}]",
        f"  motions: [{motion}]",
        f"  bugs: [{bug}]",
        f"topics: [{', '.join(topic)}]",
        f"private: wiki page Arbitrations/priv/{number}, access for (CM) + (A) only",
        "---",
        "## History Log",
        "",
    ]
    actors = ["A", "CM", "C", "R", "iCM", *TEAMS]
    previous: date | None = None
    for i, day in enumerate(days):
        who = rng.choice(actors) if i else "iCM"
        text = _sentence(rng, [*refs, issue, motion, f"bug {bug}"])
        if previous == day and rng.random() < 0.25:
            lines.append(f"- ({who}): {text}")
        elif rng.random() < 0.05:
            end = day + timedelta(days=1)
            shown = f"{end.day:02d}" if end.month == day.month else end.isoformat()
            lines.append(f"- {day}/{shown} ({who}, CM): {text}")
        else:
            lines.append(f"- {day} ({who}): {text}")
        previous = day
    size = rng.randint(8_000, 15_000)
    mention = refs or others[:1]
    lines += [
        "",
        "## Private Part",
        "",
        f"Link to Arbitration case {number} (Private Part), Access for (CM) + (A) only",
        "",
        "## Original Dispute",
        "",
        _paragraphs(rng, size * 2 // 10, mention),
        "",
        "## Discovery",
        "",
        _paragraphs(rng, size * 4 // 10, mention),
        "",
    ]
    if ruled:
        lines += [
            "## Ruling",
            "",
            _paragraphs(rng, size * 3 // 10, mention),
            "",
            f"{ruled}, Cologne",
            "",
        ]
        lines += ["## Execution", "", _paragraphs(rng, size // 10, mention), ""]
    lines += [
        "## Similar Cases",
        "",
        ", ".join(refs) if refs else "none known",
        "",
    ]
    return "\n".join(lines)


def generate(dest: Path, n: int, seed: int = 1) -> list[Path]:
    """Write N case files under dest/<year>/; returns their paths."""
    rng = random.Random(seed)
    numbers = plan(n, seed)
    written: list[Path] = []
    known: list[str] = []
    for number, day in numbers:
        folder = dest / str(day.year)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{number}.md"
        path.write_text(case_text(number, day, known[-50:], rng), encoding="utf-8")
        known.append(number)
        written.append(path)
    return written
