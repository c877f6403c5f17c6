"""The audience query's `:param` placeholders: what `docket check` asks values for is what the
notifier binds (both call `query_params`)."""

from __future__ import annotations

from generator.audience_sql import query_params
from tests.support.paths import ROOT

SEED_QUERY = (ROOT / "cases" / "2014" / "a20140408.1" / "audience.sql").read_text("utf-8")


def test_query_parameters() -> None:
    assert query_params(SEED_QUERY) == {"since"}
    assert query_params("-- :commented\nSELECT x::text, :a FROM t WHERE y = :b") == {"a", "b"}


def test_casts_times_and_comment_lines_are_no_placeholders() -> None:
    sql = "SELECT '12:30' AS t, x::int\n  -- where y = :gone\nFROM t WHERE z=:kept AND w = :_2"
    assert query_params(sql) == {"kept", "_2"}
