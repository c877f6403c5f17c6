"""Tests mirror the code: every module of generator/ and notifier/ has a test module of its own
at the same path under tests/ (generator/checks/header.py -> tests/generator/checks/test_header.py),
or is listed below with the test modules that exercise it through its callers, and why.

The list is meant to shrink: an entry whose modules all have a test module now fails too
(remove it), and so does one naming a test module that does not exist."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatch

import pytest

from tests.support.paths import ROOT

PACKAGES = ("generator", "notifier")


@dataclass(frozen=True)
class CoveredBy:
    modules: tuple[str, ...]  # paths or fnmatch patterns
    tests: tuple[str, ...]  # the test modules that exercise them
    why: str


ALLOWED = [
    CoveredBy(
        ("generator/plugin.py", "generator/mkdocs/*.py"),
        ("tests/generator/mkdocs/test_plugin.py", "tests/generator/mkdocs/test_compat.py",
         "tests/browser/test_serve.py", "tests/browser/test_export_generators.py"),
        "the MkDocs adapter: only a real `mkdocs build`/`serve` calls it as MkDocs does",
    ),
    CoveredBy(
        ("generator/render/case_page.py", "generator/render/context.py",
         "generator/render/feed.py", "generator/render/graph.py"),
        ("tests/generator/render/test_site.py", "tests/generator/render/test_people.py",
         "tests/browser/test_readable.py"),
        "the page and data-file renderers: asserted on the site render_site makes",
    ),
    CoveredBy(
        ("generator/casecache.py", "generator/render/memo.py"),
        ("tests/generator/render/test_incremental.py",),
        "the caches of the incremental rebuild: what matters is a stale page never shows",
    ),
    CoveredBy(
        ("generator/markup.py", "generator/references.py"),
        ("tests/generator/render/test_text.py", "tests/generator/checks/test_markup.py",
         "tests/generator/test_fast_paths.py"),
        "what the text renderer and the markup check share",
    ),
    CoveredBy(
        ("generator/model.py",),
        ("tests/generator/test_loader.py", "tests/generator/test_real_record.py"),
        "the case model: data classes every test of the loader builds",
    ),
    CoveredBy(
        ("generator/wiki/facts.py", "generator/wiki/layout.py", "generator/wiki/people.py",
         "generator/wiki/sections.py", "generator/wiki/values.py", "generator/wiki/wrap.py"),
        ("tests/generator/wiki/test_importer.py", "tests/generator/wiki/test_extract.py",
         "tests/generator/wiki/test_header.py", "tests/generator/wiki/test_real_exports.py"),
        "the wiki importer's steps: asserted on whole imported pages (tests/fixtures/wiki/)",
    ),
    CoveredBy(
        ("notifier/jobs/*.py", "notifier/plan.py", "notifier/session.py"),
        ("tests/notifier/test_modes.py", "tests/notifier/test_crash.py",
         "tests/notifier/test_bad_input.py", "tests/notifier/test_signed_run.py",
         "tests/notifier/bounces/test_fold.py", "tests/notifier/ledger/test_retention.py"),
        "the notify command's jobs: end to end through `docket notify` against aiosmtpd",
    ),
    CoveredBy(
        ("notifier/approval/action.py", "notifier/approval/loader.py"),
        ("tests/notifier/test_seed_action.py", "tests/notifier/approval/test_digest.py",
         "tests/notifier/test_bad_input.py"),
        "finding a ruling's action and loading only approved templates",
    ),
    CoveredBy(
        ("notifier/audience/demo.py",),
        ("tests/notifier/audience/test_directory.py",),
        "the demo directory: the tests' own member database (tests/notifier/conftest.py)",
    ),
    CoveredBy(
        ("notifier/bounces/readers/*.py", "notifier/bounces/not_bounces.py",
         "notifier/bounces/text.py", "notifier/bounces/findings.py"),
        ("tests/notifier/bounces/test_lines.py", "tests/notifier/bounces/test_parse.py",
         "tests/notifier/bounces/test_reasons.py"),
        "one reader per MTA family, each with its bounce in tests/fixtures/bounces/",
    ),
    CoveredBy(
        ("notifier/delivery/settings.py",),
        ("tests/notifier/delivery/test_connection.py", "tests/notifier/delivery/test_tls.py"),
        "SMTP settings: data the connection tests set up",
    ),
    CoveredBy(
        ("notifier/ledger/bounced.py", "notifier/ledger/relays.py"),
        ("tests/notifier/bounces/test_fold.py", "tests/notifier/delivery/test_relays.py"),
        "the journal's bounce and relay tables, written by folding and by the relay pool",
    ),
]  # fmt: skip


def _modules() -> list[str]:
    return sorted(
        str(p.relative_to(ROOT))
        for package in PACKAGES
        for p in (ROOT / package).rglob("*.py")
        if p.name != "__init__.py"
    )


def own_test(module: str) -> str:
    folder, _, name = module.rpartition("/")
    return f"tests/{folder}/test_{name}"


def _allowed(module: str) -> CoveredBy | None:
    return next((e for e in ALLOWED if any(fnmatch(module, m) for m in e.modules)), None)


@pytest.mark.parametrize("module", _modules())
def test_every_module_has_a_test_module_or_says_why_not(module: str) -> None:
    assert (ROOT / own_test(module)).is_file() or _allowed(module) is not None, (
        f"{module}: write {own_test(module)} (or list it in ALLOWED with the tests that cover it)"
    )


@pytest.mark.parametrize("entry", ALLOWED, ids=lambda e: e.modules[0])
def test_every_allowance_is_still_needed_and_names_real_tests(entry: CoveredBy) -> None:
    covered = [m for m in _modules() if any(fnmatch(m, p) for p in entry.modules)]
    for pattern in entry.modules:
        assert any(fnmatch(m, pattern) for m in covered), f"{pattern}: no such module"
    without = [m for m in covered if not (ROOT / own_test(m)).is_file()]
    assert without, f"{entry.modules}: all have their own test module now; remove the entry"
    for test in entry.tests:
        assert (ROOT / test).is_file(), test
    assert [m for m in entry.modules if "*" not in m and (ROOT / own_test(m)).is_file()] == [], (
        "these have their own test module now: take them out of the entry"
    )
