"""Find a case's mail action and everything it points at; refuse unapproved or changed ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from email.utils import parseaddr
from pathlib import Path

from generator.model import CASE_NUMBER_RE, CaseHeader, MailAction
from notifier.approval.digest import (
    DigestError,
    Part,
    approved_parts,
    changed_parts,
    combine,
    working_parts,
)


class ActionError(Exception):
    """The case or its action cannot be executed as it stands; the message says what to do."""


@dataclass(frozen=True)
class ResolvedAction:
    """A mail action with its files located and its digest computed."""

    case: str
    case_file: Path
    action: MailAction
    query_file: Path
    template_file: Path
    parts: list[Part]
    digest: str
    has_ruling: bool
    approver: str | None = None  # the name of the officer whose role code approved it

    @property
    def query(self) -> str:
        return self.query_file.read_text(encoding="utf-8")

    @property
    def envelope_from(self) -> str:
        """The return path (where bounces go), else the sender's address."""
        return parseaddr(self.action.return_path or self.action.sender)[1]


def find_case_file(number: str, cases_dir: Path) -> Path:
    """cases/<year>/<number>.md; a clear error for a malformed or unknown number."""
    if not CASE_NUMBER_RE.match(number):
        raise ActionError(f"{number}: not a case number (aYYYYMMDD.N, e.g. a20140408.1)")
    candidate = cases_dir / number[1:5] / f"{number}.md"
    if candidate.is_file():
        return candidate
    found = sorted(cases_dir.rglob(f"{number}.md")) if cases_dir.is_dir() else []
    if not found:
        raise ActionError(f"{number}: no such case under {cases_dir}")
    return found[0]


def load_header(case_file: Path) -> tuple[CaseHeader, bool]:
    """The case's front matter and whether its body has a Ruling section."""
    from generator.loader import load_case

    case, diagnostics = load_case(case_file)
    errors = [d for d in diagnostics if d.severity == "error"]
    if case is None or errors:
        first = errors[0] if errors else diagnostics[0] if diagnostics else None
        where = (
            f"{first.path}:{first.line}:{first.col}: {first.code} {first.message}" if first else ""
        )
        raise ActionError(f"{case_file}: the case file has errors ({where}); run docket check")
    has_ruling = any(s.kind == "ruling" and s.body.strip() for s in case.sections)
    return case.header, has_ruling


def select_action(header: CaseHeader, case_file: Path, action_id: str | None) -> MailAction:
    mail = [a for a in header.actions if a.kind == "mail"]
    if not mail:
        raise ActionError(
            f"{case_file}: case {header.case} has no mail action (actions: in the front matter)"
        )
    if action_id is None:
        if len(mail) > 1:
            ids = ", ".join(a.id for a in mail)
            raise ActionError(
                f"{case_file}: case {header.case} has mail actions {ids}; pass --action ID"
            )
        return mail[0]
    for action in mail:
        if action.id == action_id:
            return action
    ids = ", ".join(a.id for a in mail)
    raise ActionError(
        f"{case_file}: case {header.case} has no action {action_id!r} (it has: {ids})"
    )


def resolve(number: str, cases_dir: Path, action_id: str | None) -> ResolvedAction:
    """Locate the case, its action and the action's files, and compute the current digest."""
    case_file = find_case_file(number, cases_dir)
    header, has_ruling = load_header(case_file)
    action = select_action(header, case_file, action_id)
    case_dir = case_file.parent
    query_file = case_dir / action.audience.query
    template_file = case_dir / action.template
    if not query_file.is_file():
        raise ActionError(
            f"{case_file}: audience query {action.audience.query} not found beside the case"
        )
    if not template_file.is_file():
        raise ActionError(f"{case_file}: template {action.template} not found beside the case")
    try:
        parts = working_parts(action, case_dir)
    except DigestError as exc:
        raise ActionError(f"{case_file}: action {action.id}: {exc}") from None
    return ResolvedAction(
        case=header.case,
        case_file=case_file,
        action=action,
        query_file=query_file,
        template_file=template_file,
        parts=parts,
        digest=combine(parts),
        has_ruling=has_ruling,
        approver=approver_name(header, action),
    )


def approver_name(header: CaseHeader, action: MailAction) -> str | None:
    """The officer who holds the approving role on the approval's date ("A" -> "EvaStöwe")."""
    approval = action.approved
    if approval is None:
        return None
    found: str | None = None
    for officer in header.officers:
        if str(officer.role) != str(approval.by):
            continue
        since, until = officer.since, officer.until
        if isinstance(since, date) and isinstance(approval.on, date) and since > approval.on:
            continue
        if isinstance(until, date) and isinstance(approval.on, date) and until < approval.on:
            continue
        found = str(officer.account or officer.name)
    return found


def require_approval(resolved: ResolvedAction) -> None:
    """Refuse an action without a ruling or approval, or whose digest no longer matches."""
    where = resolved.case_file
    action = resolved.action
    if not resolved.has_ruling:
        raise ActionError(
            f"{where}: case {resolved.case} has no ruling; nothing may be sent for it"
        )
    if action.approved is None:
        raise ActionError(
            f"{where}: action {action.id} is not approved; have it approved with "
            f'`approved: {{by: A, on: DATE, digest: "{resolved.digest}"}}`'
        )
    if action.approved.digest == resolved.digest:
        return
    old = approved_parts(resolved.case_file, action.id, action.approved.digest)
    if old is None:
        what = "its query, parameters, subject, sender, return path or templates changed"
    else:
        what = "changed: " + ", ".join(changed_parts(old, resolved.parts))
    raise ActionError(
        f"{where}: action {action.id} differs from what {action.approved.by} approved on "
        f"{action.approved.on} ({what}); new digest {resolved.digest}; have it approved again"
    )
