"""A case page as the renderer marks it for search (status and date in hidden meta spans)."""

from __future__ import annotations

from generator.render.search.records import META


def case_page(body: str) -> str:
    return (
        f'<article class="docket-case"><span hidden {META}="status:Closed"></span>'
        f'<span hidden {META}="date:2014-05-01"></span>{body}</article>'
    )
