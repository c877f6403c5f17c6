"""Patterns for the records a case text cites: cases, support issues, motions, bugs."""

from __future__ import annotations

import re

from generator.model import CASE_NUMBER_PATTERN

# The look-behind sits after the literal first letter so that the regex engine can skip to
# candidate letters: ten times faster than a leading look-behind on 10 KB bodies.
CASE_REF_RE = re.compile(rf"a(?<![\w/.-]a){CASE_NUMBER_PATTERN[1:]}(?![\w-])")
ISSUE_REF_RE = re.compile(r"s(?<![\w/.-]s)\d{8}\.\d+(?![\w-])")
MOTION_REF_RE = re.compile(r"m(?<![\w/.-]m)\d{8}\.(?:\d+|x)(?![\w-])")
BUG_REF_RE = re.compile(r"\b[Bb]ug[ -]?#?(\d{1,6})\b")
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})(?![\w-])")
