"""The preview server's side of a broken build: the error shows in the browser, not only the log.

`mkdocs serve` keeps the last good site and, when a rebuild fails, leaves open tabs on the old
page and makes new requests wait for a build that never comes. The plugin instead lets the
failed build end (so the tabs reload) and wraps the server's WSGI app in `ErrorOverlay`: while
the last build failed, every page request gets an error page with the same
`path:line:col: CODE message` lines `docket check` prints. The page waits on
`/.docket/builds/<n>` (answered when build n+1 ends) and reloads then, so the next good save
brings the archive back by itself. Plain WSGI: no MkDocs here.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_WAIT = re.compile(r"/\.docket/builds/([0-9]+)")
# the theme's bundles carry their content's hash in the name: a reload need not fetch them
_HASHED = re.compile(r"\.[0-9a-f]{8,}\.min\.(?:js|css)$")
WAIT_SECONDS = 30.0


class BuildStatus:
    """The outcome of the latest build, shared by the build loop and the request threads."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.builds = 0
        self.error: list[str] | None = None

    def finished(self, error: list[str] | None) -> None:
        """A build ended: `error` holds its report lines, None when it succeeded."""
        with self._cond:
            self.builds += 1
            self.error = error
            self._cond.notify_all()

    def wait_after(self, build: int, timeout: float = WAIT_SECONDS) -> int:
        """Block until build number `build` is over (or `timeout`); the latest number."""
        with self._cond:
            self._cond.wait_for(lambda: self.builds > build, timeout=timeout)
            return self.builds


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed: docket</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #fff; color: #1a1a1a; }}
main {{ max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
h1 {{ color: #a40000; font-size: 1.5rem; }}
pre {{ background: #fff3f3; border-left: 4px solid #a40000; padding: 1rem; overflow-x: auto;
       white-space: pre-wrap; font: 14px/1.5 ui-monospace, monospace; }}
</style></head>
<body><main id="docket-build-error" role="alert">
<h1>The archive did not build</h1>
<p>Fix these lines (<code>docket check</code> shows the same); this page reloads when the next
build succeeds.</p>
<pre>{lines}</pre>
</main>
<script>
(function wait(build) {{
  fetch("/.docket/builds/" + build).then(function (r) {{ return r.text(); }}).then(
    function (now) {{ if (Number(now) > build) {{ location.reload(); }} else {{ wait(build); }} }},
    function () {{ setTimeout(function () {{ wait(build); }}, 1000); }});
}})({build});
</script>
</body></html>
"""


def error_page(lines: list[str], build: int) -> bytes:
    """A self-contained page (no theme assets: the failed build may have none) with the lines."""
    shown = "\n".join(html.escape(line) for line in lines)
    return _PAGE.format(lines=shown, build=build).encode("utf-8")


def _wants_page(path: str) -> bool:
    last = path.rsplit("/", 1)[-1]
    return not last or last.endswith((".html", ".htm")) or "." not in last


class ErrorOverlay:
    """WSGI middleware: the error page for page requests while the last build failed (and
    a long cache life for the theme's content-hashed bundles, so a live reload is quick)."""

    def __init__(self, app: WsgiApp, status: BuildStatus) -> None:
        self.app = app
        self.status = status

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        waiting = _WAIT.fullmatch(path)
        if waiting:
            now = self.status.wait_after(int(waiting[1]))
            start_response(
                "200 OK", [("Content-Type", "text/plain"), ("Cache-Control", "no-store")]
            )
            return [str(now).encode()]
        error, build = self.status.error, self.status.builds
        if error is not None and _wants_page(path) and not path.startswith("/livereload/"):
            body = error_page(error, build)
            start_response(
                "500 Internal Server Error",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("Cache-Control", "no-store"),
                ],
            )
            return [body]
        if _HASHED.search(path):

            def cached(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
                headers = [*headers, ("Cache-Control", "max-age=31536000, immutable")]
                return start_response(status, headers, *rest)

            return self.app(environ, cached)
        return self.app(environ, start_response)
