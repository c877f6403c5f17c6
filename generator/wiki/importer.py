"""Import pages: extract each, merge pages of the same case, write checked case files.

Every file written passes `docket check` without errors: what the page itself got wrong is kept
and acknowledged (`allow`, reason "as on the wiki page"); anything else that would fail the check
means the page is not written and the failure is reported. Files are written atomically and never
replace an existing file unless `force`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.acks import apply_acks, parse_acks
from generator.atomic import write_atomic, write_new
from generator.checks import run_case_checks
from generator.config import Config
from generator.diagnostics import Diagnostic, Severity
from generator.loader import load_text
from generator.model import UNKNOWN, SectionKind
from generator.sections import classify
from generator.wiki.emit import case_text
from generator.wiki.extract import extract
from generator.wiki.facts import Extracted, Finding, Where
from generator.wiki.people import settle_people
from generator.wiki.sections import INCLUDED_UNNAMED, NOTE_INCLUDED, NOTE_NO_LOG
from generator.wiki.shapes import PageError
from generator.wiki.values import name_key

AS_ON_THE_WIKI = "as on the wiki page"
CUT_OFF = "the export of the wiki page is cut off"
# Check findings that describe the page as it is (kept as written, acknowledged with a reason).
PAGE_ODDITIES = frozenset(
    {
        "DK104",  # dates out of order
        "DK120",  # status contradicts the closing date
        "DK121",  # ruling date without a Ruling section
        "DK122",  # status needs a ruling
        "DK123",  # status needs a start date
        "DK125",  # a role code used twice
        "DK109",  # a status word as the wiki wrote it (close, execute, ruling)
        "DK127",  # a ruling without a section of its own
        "DK301",  # log out of order
        "DK303",  # actor the case does not name (misspelt team, assurer codes)
        "DK304",  # impossible date in the log
        "DK305",  # no History Log on the page
        "DK401",  # template placeholder left in the text
        "DK402",  # a heading twice
    }
)
# What a cut-off export lacks (a ruling, its section, the log, dates): said as cut off, never
# acknowledged as the wiki page's own state.
_CUT_OFF_CODES = frozenset({"DK120", "DK121", "DK122", "DK123", "DK127", "DK305"})


@dataclass(slots=True)
class PageResult:
    """One case file (from one page, or several merged): where it goes and what happened."""

    number: str | None
    sources: list[str]
    target: Path | None = None
    text: str | None = None
    findings: list[Finding] = field(default_factory=list)
    outcome: str = "failed"  # written | would write | exists | failed

    @property
    def failed(self) -> bool:
        return self.outcome in ("failed", "exists")


@dataclass(slots=True)
class ImportReport:
    results: list[PageResult] = field(default_factory=list)
    # `[people]` entries worth adding to docket.toml (person -> spellings not listed yet)
    proposed_aliases: dict[str, list[str]] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(r.failed for r in self.results)


def _read(path: Path, shown: str, config: Config) -> Extracted | PageResult:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _failure(shown, Where(1), f"cannot read the file: {exc.strerror}")
    if len(data) > config.max_file_bytes * 4:
        return _failure(shown, Where(1), "the file is too large for one wiki page")
    try:
        return extract(shown, data, config.email_allowed)
    except PageError as exc:
        return _failure(shown, exc.where, exc.message)


def _failure(shown: str, where: Where, message: str) -> PageResult:
    return PageResult(None, [shown], findings=[Finding(shown, where, message, failed=True)])


def _richness(facts: Extracted) -> tuple[int, int, int]:
    return (int(facts.has_header), len(facts.history), sum(len(s.lines) for s in facts.sections))


def merge(pages: list[Extracted]) -> Extracted:
    """Several pages of one case: the richest is the base, the others fill what it lacks;
    every disagreement is reported (the base wins)."""
    pages = sorted(pages, key=_richness, reverse=True)
    base = pages[0]
    for other in pages[1:]:
        base.sources.append(other.path)
        base.findings.extend(other.findings)
        base.report(
            base.number_where,
            f"{other.path} is the same case {base.number}: merged into one file "
            f"(this page's facts win where they differ)",
        )
        for key in ("status", "complaint", "started", "ruled", "closed"):
            mine, theirs = getattr(base, key), getattr(other, key)
            if mine is UNKNOWN and theirs is not UNKNOWN:
                setattr(base, key, theirs)
                if key == "status":
                    base.status_written = other.status_written
            elif theirs is not UNKNOWN and mine != theirs:
                base.report(
                    base.number_where,
                    f"{other.path} gives '{key}' as {theirs}, this page {mine}: this page's is "
                    "kept",
                )
        base.relief = base.relief or other.relief
        if base.private in (None, INCLUDED_UNNAMED) and other.private not in (
            None,
            INCLUDED_UNNAMED,
        ):
            base.private = other.private  # the other page names where the private part lives
            _take_private_section(base, other)
            base.notes = [n for n in base.notes if n != NOTE_INCLUDED]
        if not base.parties:
            base.parties = other.parties
        else:
            _compare_names(base, other, "parties")
        if not base.officers:
            base.officers = other.officers
        else:
            _compare_names(base, other, "officers")
        if not any(not line.heading for line in base.history) and other.history:
            base.history = other.history
            base.history_title = base.history_title or other.history_title
            base.notes = [n for n in base.notes if n != NOTE_NO_LOG]
        titles = {name_key(s.title) for s in base.sections}
        for section in other.sections:
            if name_key(section.title) not in titles:
                base.sections.append(section)
                titles.add(name_key(section.title))
        base.intro = base.intro or other.intro
        base.merged_from += [m for m in other.merged_from if m not in base.merged_from]
        has_log = any(not line.heading for line in base.history)
        skip = {NOTE_NO_LOG} if has_log else set()
        if base.private not in (None, INCLUDED_UNNAMED):
            skip.add(NOTE_INCLUDED)
        base.notes += [n for n in other.notes if n not in base.notes and n not in skip]
        for kind in ("issues", "motions", "bugs", "cases", "policies"):
            mine_list = getattr(base.refs, kind)
            mine_list.extend(v for v in getattr(other.refs, kind) if v not in mine_list)
        base.truncated = base.truncated and other.truncated
        base.head_missing = base.head_missing and other.head_missing
    return base


def _take_private_section(base: Extracted, other: Extracted) -> None:
    """The other page's private section (its pointer lines) instead of the base's."""
    theirs = next((s for s in other.sections if classify(s.title)[0] is SectionKind.PRIVATE), None)
    for i, section in enumerate(base.sections):
        if theirs is not None and classify(section.title)[0] is SectionKind.PRIVATE:
            base.sections[i] = theirs
            return


def _compare_names(base: Extracted, other: Extracted, kind: str) -> None:
    mine = {name_key(str(x.name)) for x in getattr(base, kind)}
    for item in getattr(other, kind):
        if name_key(str(item.name)) not in mine:
            base.report(
                base.number_where,
                f"{other.path} also names {item.name} ({item.role or item.side}) among the "
                f"{kind}: not imported, this page's are kept",
            )


def _check(text: str, shown: str, config: Config) -> list[Diagnostic]:
    """What `docket check` says about this one file (its per-case checks and its
    acknowledgements; the cross-file checks need the whole tree)."""
    case, problems = load_text(text, shown)
    if case is None:
        return problems
    problems.extend(run_case_checks(case, config))
    reported, _allowed = apply_acks(problems, {case.path: parse_acks(case)})
    return reported


def build(facts: Extracted, shown: str, config: Config) -> tuple[str | None, list[Diagnostic]]:
    """The case file text, with the page's own oddities acknowledged; None and the remaining
    errors when the file would not pass `docket check`."""
    text = case_text(facts)
    found = _check(text, shown, config)
    fence = text.split("\n").index("---", 1) + 1  # the closing front-matter line
    allow: dict[str, str] = {}
    inline: dict[int, set[str]] = {}
    for diagnostic in found:
        if diagnostic.code not in PAGE_ODDITIES or diagnostic.severity is Severity.NOTE:
            continue
        cut = facts.truncated or facts.head_missing
        reason = CUT_OFF if cut and diagnostic.code in _CUT_OFF_CODES else AS_ON_THE_WIKI
        if diagnostic.line <= fence or diagnostic.code in (
            "DK305",
            "DK122",
            "DK121",
            "DK124",
            "DK123",
        ):
            allow.setdefault(diagnostic.code, reason)
        else:
            inline.setdefault(diagnostic.line, set()).add(diagnostic.code)
    if allow or inline:
        text = case_text(facts, allow)
        shift = len(allow) + (1 if allow else 0)
        lines = text.split("\n")
        for line, codes in inline.items():
            index = line - 1 + shift
            lines[index] += f" <!-- docket: allow {','.join(sorted(codes))} {AS_ON_THE_WIKI} -->"
        text = "\n".join(lines)
        found = _check(text, shown, config)
    errors = [d for d in found if d.severity is Severity.ERROR]
    return (None, errors) if errors else (text, found)


def import_pages(
    paths: Sequence[Path],
    into: Path,
    config: Config,
    *,
    force: bool = False,
    dry_run: bool = False,
    shown: Iterable[str] | None = None,
) -> ImportReport:
    report = ImportReport()
    names = list(shown) if shown is not None else [str(p) for p in paths]
    by_case: dict[str, list[Extracted]] = {}
    for path, name in zip(paths, names, strict=True):
        read = _read(path, name, config)
        if isinstance(read, PageResult):
            report.results.append(read)
        else:
            by_case.setdefault(read.number, []).append(read)
    merged = {n: merge(pages) if len(pages) > 1 else pages[0] for n, pages in by_case.items()}
    report.proposed_aliases = settle_people(list(merged.values()), config)
    for number, facts in merged.items():
        target = into / number[1:5] / f"{number}.md"
        result = PageResult(number, facts.sources, target, findings=list(facts.findings))
        report.results.append(result)
        shown_target = _relative(target)
        text, diagnostics = build(facts, shown_target, config)
        if text is None:
            for d in diagnostics:
                result.findings.append(
                    Finding(
                        facts.path,
                        facts.number_where,
                        f"the case file would not pass docket check: {d.code} {d.message} (at "
                        f"line {d.line} of the file); nothing written",
                        failed=True,
                    )
                )
            continue
        result.text = text
        if dry_run:
            result.outcome = "would write"
            continue
        try:
            if force:
                write_atomic(target, text)
            else:
                write_new(target, text)
        except FileExistsError:
            result.outcome = "exists"
            result.findings.append(
                Finding(
                    facts.path,
                    facts.number_where,
                    f"{shown_target} exists: not replaced (use --force to replace it)",
                    failed=True,
                )
            )
            continue
        except OSError as exc:
            result.findings.append(
                Finding(
                    facts.path,
                    facts.number_where,
                    f"cannot write {shown_target}: {exc.strerror}",
                    failed=True,
                )
            )
            continue
        result.outcome = "written"
    order = {name: i for i, name in enumerate(names)}
    report.results.sort(key=lambda r: min(order.get(s, 0) for s in r.sources))  # as given
    return report


def _relative(target: Path) -> str:
    try:
        return str(target.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(target)
