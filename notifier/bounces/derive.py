"""A status for a report that gives none, derived from its reply code and reason, and marked so.

Sisimai fills in an enhanced status code where the report has none (5.1.1 for an unknown user,
5.2.2 for a full mailbox); docket does the same but says where every status came from:
`report` (the DSN's Status field), `text` (a code quoted in the reply or the report's words),
`derived` (made here), or none. A derived code is never shown as the server's.
"""

from __future__ import annotations

from notifier.bounces.classes import BOUNCE_CLASSES, OTHER, REPLY_CODE_RE
from notifier.bounces.reasons import DETAIL_OF_CLASS, Reason, reason_of
from notifier.bounces.text import report_words

REPORT = "report"
TEXT = "text"
DERIVED = "derived"


def derived_status(
    klass: str, reply: str, context: str, action: str, first: tuple[Reason, ...] = ()
) -> str | None:
    """`class.subject.detail` for a class, or None for `other` and the non-bounces.

    The class digit is the reply code's (4xx: 4, 5xx: 5), else 4 for a delayed report and 5 for
    a failed one; subject.detail is the matched reason's when it names this class, else the
    class's own (docs/bounces.md has the table).
    """
    if klass == OTHER or klass not in BOUNCE_CLASSES:
        return None
    reason = reason_of(reply, first) or reason_of(report_words(context), first)
    detail = (
        reason.detail if reason is not None and reason.klass == klass else DETAIL_OF_CLASS[klass]
    )
    basic = REPLY_CODE_RE.search(reply)
    if basic is not None and basic[1][0] in "45":
        digit = basic[1][0]
    else:
        digit = "4" if action == "delayed" else "5"
    return f"{digit}.{detail}"
