"""The preview server's error page, as a WSGI app (the browser side is tests/browser/test_serve.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from generator.mkdocs.devserver import BuildStatus, ErrorOverlay


def _site(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/html")])
    return [b"<p>the site</p>"]


def _get(app: ErrorOverlay, path: str) -> tuple[str, dict[str, str], bytes]:
    got: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], *rest: Any) -> None:
        got["status"], got["headers"] = status, dict(headers)

    body = b"".join(app({"PATH_INFO": path}, start_response))
    return got["status"], got["headers"], body


def test_pages_show_the_report_while_the_last_build_failed() -> None:
    status = BuildStatus()
    app = ErrorOverlay(_site, status)
    assert _get(app, "/cases/")[2] == b"<p>the site</p>"
    status.finished(["cases/a.md:4:12: DK013 YAML syntax error: <script>alert(1)</script>"])
    code, _, body = _get(app, "/cases/")
    assert code.startswith("500")
    assert b"cases/a.md:4:12: DK013" in body
    assert b"<script>alert(1)" not in body  # the report is text, escaped
    assert _get(app, "/assets/docket.css")[2] == b"<p>the site</p>"  # assets still load
    status.finished(None)
    assert _get(app, "/cases/")[2] == b"<p>the site</p>"


def test_the_error_page_waits_for_the_next_build() -> None:
    status = BuildStatus()
    app = ErrorOverlay(_site, status)
    status.finished(["x"])
    answer: list[bytes] = []
    waiter = threading.Thread(target=lambda: answer.append(_get(app, "/.docket/builds/1")[2]))
    waiter.start()
    waiter.join(0.2)
    assert waiter.is_alive()  # held until build 2 ends
    status.finished(None)
    waiter.join(10)
    assert answer == [b"2"]


def test_hashed_theme_bundles_may_be_cached() -> None:
    app = ErrorOverlay(_site, BuildStatus())
    _, headers, _ = _get(app, "/assets/javascripts/bundle.a5f9d56c.min.js")
    assert "immutable" in headers["Cache-Control"]
    _, headers, _ = _get(app, "/assets/docket.js")
    assert "Cache-Control" not in headers
