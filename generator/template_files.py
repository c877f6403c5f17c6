"""Which files a mail action's templates can load: the approval must cover exactly those.

The loader's root is the template's folder. `{% include %}`, `{% import %}`, `{% from %}` and
`{% extends %}` with a literal name are followed, into subfolders too and whatever the file's
extension. `docket check` parses every one of them, and the notifier's approval digest hashes
them; a name computed when the mail is sent cannot be covered and is reported instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath

import jinja2
import jinja2.meta


def template_names(
    folder: str, names: list[str], read: Callable[[str], bytes | None]
) -> tuple[list[str], list[str]]:
    """Every template reachable from `names` (relative to `folder`), and those naming one at
    run time; `read` gets paths relative to the action's base (`folder/name`)."""
    env = jinja2.Environment(autoescape=False)
    seen = list(dict.fromkeys(names))
    dynamic: list[str] = []
    queue = list(seen)
    while queue:
        name = queue.pop(0)
        data = read(str(PurePosixPath(folder) / name))
        if data is None:
            continue
        try:
            tree = env.parse(data.decode("utf-8"))
        except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
            continue  # reported by the template checks; it cannot render anyway
        for ref in jinja2.meta.find_referenced_templates(tree):
            if ref is None:
                dynamic.append(name)
                continue
            pieces = [p for p in ref.split("/") if p not in ("", ".")]
            if ref.startswith("/") or ".." in pieces or not pieces:
                continue  # the loader refuses these names
            ref = "/".join(pieces)
            if ref not in seen:
                seen.append(ref)
                queue.append(ref)
    return seen, list(dict.fromkeys(dynamic))
