"""What the archive's sanitiser keeps of the markup in case text, shared by the renderer (which
shows everything else as the text it is) and the checks (which report, at its line, whatever
would still be removed or changed, so that nothing is dropped unannounced).
"""

from __future__ import annotations

import html
import re

import nh3

# Elements the sanitiser keeps. Angle-bracket text naming anything else (`<anonymized>`,
# `<email anonymized>`, `<snip>`, an IRC `<nick>`) is text, and shown as such.
KEPT_TAGS: frozenset[str] = frozenset(nh3.ALLOWED_TAGS)
# Elements removed with their content (their text would vanish).
DROPPED_TAGS = frozenset({"script", "style"})
GLOBAL_ATTRIBUTES = frozenset({"title", "lang"})
ATTRIBUTES: dict[str, set[str]] = {**nh3.ALLOWED_ATTRIBUTES, "*": set(GLOBAL_ATTRIBUTES)}
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
URL_SCHEMES: frozenset[str] = frozenset(nh3.ALLOWED_URL_SCHEMES)

_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")


def is_markup(fragment: str) -> bool:
    """Whether an HTML-looking fragment (as Markdown found it) is markup the sanitiser acts on:
    a comment, a declaration, or a tag it keeps or drops; else it is text."""
    if fragment.startswith(("<!", "<?")):
        return True
    match = _TAG_NAME.match(fragment)
    if match is None:
        return False
    name = match[1].lower()
    return name in KEPT_TAGS or name in DROPPED_TAGS


# -- attribute lists: `{: lang="de" }` at the end of a paragraph, heading or list item ----------

# Classes of the theme that case text may use.
KNOWN_CLASSES = frozenset({"docket-note"})
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_ATTR_TOKEN = re.compile(
    r"""(?P<id>\#[^\s"'=#.]+)|(?P<cls>\.[^\s"'=#.]+)"""
    r"""|(?P<key>[A-Za-z_:][-\w:.]*)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"']+))"""
    r"""|(?P<bad>\S+)"""
)
ATTR_LIST_RE = re.compile(r"\{:\s*(?P<attrs>[^{}\n]*?)\s*\}[ \t]*$")


def parse_attr_list(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(attributes kept, tokens refused) of the inside of `{: ... }`: `lang`, `#id`, `.class`
    of the theme; anything else is refused (and reported by the checks)."""
    kept: list[tuple[str, str]] = []
    refused: list[str] = []
    classes: list[str] = []
    for match in _ATTR_TOKEN.finditer(html.unescape(text)):
        if match["id"]:
            ident = re.sub(r"[^a-z0-9-]+", "-", match["id"][1:].lower()).strip("-")
            if ident:
                kept.append(("id", ident))
            else:
                refused.append(match[0])
        elif match["cls"]:
            if match["cls"][1:] in KNOWN_CLASSES:
                classes.append(match["cls"][1:])
            else:
                refused.append(match[0])
        elif match["key"]:
            key = match["key"].lower()
            value = match["dq"] if match["dq"] is not None else (match["sq"] or match["bare"] or "")
            if key == "lang" and _LANG.match(value):
                kept.append(("lang", value))
            elif key == "id":
                ident = re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-")
                kept.append(("id", ident)) if ident else refused.append(match[0])
            elif key == "class" and value and all(c in KNOWN_CLASSES for c in value.split()):
                classes.extend(value.split())
            else:
                refused.append(match[0])
        else:
            refused.append(match[0])
    if classes:
        kept.append(("class", " ".join(dict.fromkeys(classes))))
    return kept, refused
