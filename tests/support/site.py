"""Build a real archive (the repository's mkdocs.yml, theme and plugin) from a set of cases."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from tests.support.paths import FIXTURES, ROOT

ARCHIVE_FIXTURE = FIXTURES / "archive"
MKDOCS = str(Path(sys.executable).parent / "mkdocs")
SITE_URL = "https://archive.example.org/"


def make_project(
    dest: Path, cases: Path, docket_toml: Path | None, site_url: str | None = None
) -> Path:
    """A case repository laid out like this one: mkdocs.yml, theme/, archive/, cases/.

    `site_url` replaces the example's (`""` removes it); None keeps the example's."""
    dest.mkdir(parents=True, exist_ok=True)
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    if site_url is not None:  # "" leaves it unset
        config = re.sub(r"(?m)^site_url:.*\n", "", config)
        config = (f"site_url: {site_url}\n" if site_url else "") + config
    (dest / "mkdocs.yml").write_text(config, "utf-8")
    shutil.copytree(ROOT / "theme", dest / "theme")
    shutil.copytree(ROOT / "archive", dest / "archive")
    shutil.copytree(cases, dest / "cases")
    if docket_toml is not None:
        shutil.copy(docket_toml, dest / "docket.toml")
    return dest


def mkdocs_build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    return subprocess.run(
        [MKDOCS, "build", *args], cwd=project, capture_output=True, text=True, env=env
    )


def start_serve(project: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """`mkdocs serve --livereload` of a project on 127.0.0.1:`port`, its output (both streams)
    written to `log`; the caller terminates it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    with log.open("w") as output:  # the server keeps its own copy of the file
        return subprocess.Popen(
            [MKDOCS, "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
        )


def build_fixture_site(dest: Path) -> Path:
    """The fixture archive (seed case, numbering, sanitiser and privacy cases), built."""
    project = make_project(
        dest, ARCHIVE_FIXTURE / "cases", ARCHIVE_FIXTURE / "docket.toml", SITE_URL
    )
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    return project / "site"


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """A static file server on 127.0.0.1 (any free port), as any web host would serve site/."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class Links(HTMLParser):
    """Every href and src of a page, as written."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def broken_links(site: Path) -> tuple[int, list[str]]:
    """Every internal href/src of every HTML page must name a file of the site."""
    broken: list[str] = []
    checked = 0
    for page in site.rglob("*.html"):
        parser = Links()
        parser.feed(page.read_text("utf-8"))
        base = "http://site.invalid/" + page.relative_to(site).as_posix()
        for link in parser.links:
            url = urlsplit(urljoin(base, link))
            if url.netloc != "site.invalid" or url.scheme not in ("http", "https"):
                continue
            target = site / unquote(url.path).lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {link}")
    return checked, broken
