"""Google Groups' rejections of a post: from mailer-daemon@googlemail.com, the addresses in
X-Failed-Recipients, the reason in prose ("may not have permission to post")."""

from __future__ import annotations

from notifier.bounces.readers import Reader, marks

READER = Reader(
    "google-groups",
    (
        "the group you tried to contact",
        "groups.google.com/support",
        "google groups",
    ),
    marks(
        r"the group you tried to contact",
        r"groups\.google\.com/support",
        r"^\s*Google Groups\s*$",
    ),
)
