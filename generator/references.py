"""Patterns for the records a case text cites: cases, support issues, motions, bugs."""

from __future__ import annotations

import re

from generator.model import CASE_NUMBER_PATTERN

CASE_REF_RE = re.compile(rf"(?<![\w/.-]){CASE_NUMBER_PATTERN}(?![\w-])")
ISSUE_REF_RE = re.compile(r"(?<![\w/.-])s\d{8}\.\d+(?![\w-])")
MOTION_REF_RE = re.compile(r"(?<![\w/.-])m\d{8}\.(?:\d+|x)(?![\w-])")
BUG_REF_RE = re.compile(r"\b[Bb]ug[ -]?#?(\d{1,6})\b")
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})(?![\w-])")
