"""Case text to safe HTML: Markdown, then a sanitiser, then attribute lists and autolinks.

Case files are written by many hands; raw HTML in them is allowed by Markdown, so every piece of
body text goes through nh3 (the ammonia sanitiser) before it reaches a page. Angle-bracket text
that is no element the sanitiser keeps (the wiki's `<anonymized>`, `<email anonymized>`,
`<snip>`, an IRC line's `<nick>`) is shown as the text it is, never removed as a tag; what the
sanitiser still removes is reported by `docket check` (generator/checks/markup.py). Attribute
lists (`{: lang="de" }`) and autolinks are added after sanitising, from validated values only,
to text nodes only, so they never land inside a link or code.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from generator.markup import ATTRIBUTES, is_markup, parse_attr_list
from generator.references import BUG_REF_RE, CASE_REF_RE, ISSUE_REF_RE, MOTION_REF_RE
from generator.render.urls import case_url, relative

_HASH_BUG = r"(?<![\w&#])#\d{3,6}\b"
_DIGITS = re.compile(r"\d+")
_DEMOTE = re.compile(r"<(/?)h[12]\b")

_CLEANER = nh3.Cleaner(
    tags=nh3.ALLOWED_TAGS,
    attributes=ATTRIBUTES,
    clean_content_tags={"script", "style"},
    link_rel="noopener noreferrer nofollow",
)


def sanitise(fragment: str) -> str:
    """Only harmless markup survives: no scripts, no event handlers, no javascript: URLs."""
    return _CLEANER.clean(fragment)


@dataclass
class Linker:
    """Turns references in text into links: cases (relative to the page), issues, motions, bugs."""

    known_cases: Collection[str]
    urls: Mapping[str, str]
    hash_bugs: bool = False
    page_url: str = ""
    _pattern: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        parts = [rf"(?P<case>{CASE_REF_RE.pattern})"]
        if self.urls.get("issue"):
            parts.append(rf"(?P<issue>{ISSUE_REF_RE.pattern})")
        if self.urls.get("motion"):
            parts.append(rf"(?P<motion>{MOTION_REF_RE.pattern})")
        if self.urls.get("bug"):
            parts.append(rf"(?P<bugref>{BUG_REF_RE.pattern})")
            if self.hash_bugs:
                parts.append(rf"(?P<hashref>{_HASH_BUG})")
        refs = "|".join(parts)
        # Every reference starts with "a", "s" or "m" and a digit, with "bug" or with "#" and a
        # digit (also in any case, in HTML); the leading look-aheads say so, which lets the regex
        # engine skip ahead: the first, a plain character set, is scanned for fast (2.7x faster
        # on case text than no look-ahead, measured), the second rules out the common letters
        # followed by no digit (2.5x faster again for HTML; the case-insensitive part is scoped,
        # `(?i:...)`, as a case-insensitive set is scanned for slowly). In HTML, whole links,
        # code and pre blocks are matched to be kept as they are, and a reference followed by
        # a ">" before any "<" sits inside a tag's attributes and is left alone: no callback
        # runs for ordinary tags.
        self._pattern = re.compile(rf"(?=[asmBb#])(?=[asm]\d|[Bb]ug|#\d)(?:{refs})")
        self._html_pattern = re.compile(
            r"(?=[<aAsS\u017fmMbB#])(?i:(?=<|[asm]\d|bug|#\d)"  # U+017F: "s" when ignoring case
            r"(?:(?P<skip><(?P<tag>a|code|pre)\b[^>]*>.*?</(?P=tag)\s*>)"
            rf"|(?:{refs})(?![^<>]*>)))",
            re.DOTALL,
        )

    def _link(self, match: re.Match[str]) -> str:
        text = match.group(0)
        kind = match.lastgroup
        if kind == "case":
            if text not in self.known_cases:
                return text
            href = relative(self.page_url, case_url(text))
            return f'<a class="docket-ref docket-ref--case" href="{href}">{text}</a>'
        if kind in ("issue", "motion"):
            return _external(self.urls[kind], text, text, kind)
        number = _DIGITS.search(text)
        return _external(self.urls["bug"], number.group(0) if number else text, text, "bug")

    def link_text(self, escaped: str) -> str:
        """Autolink inside already-escaped text (no tags)."""
        return self._pattern.sub(self._link, escaped)

    def link_html(self, fragment: str) -> str:
        """Autolink the text of an HTML fragment, skipping tags, links, code and pre blocks."""
        return self._html_pattern.sub(self._link_or_keep, fragment)

    def _link_or_keep(self, match: re.Match[str]) -> str:
        if match.lastgroup == "skip":
            return match.group(0)
        return self._link(match)


def _external(template: str, number: str, text: str, kind: str) -> str:
    href = html.escape(template.replace("{number}", number), quote=True)
    return f'<a class="docket-ref docket-ref--{kind}" href="{href}">{text}</a>'


# CommonMark (+ tables): the common dialect, and 2.3x faster than Python-Markdown on case text
# (measured: 200 cases, 0.50 s against 1.15 s), which matters at thousands of cases.
_md = MarkdownIt("commonmark", {"html": True}).enable("table")


def _html_inline(
    self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    content = tokens[idx].content
    return content if is_markup(content) else html.escape(content, quote=False)


def _html_block(
    self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A block that starts with angle-bracket text (`<snip>` alone on a line) is Markdown text
    after all: render it as such, the bracket text escaped."""
    content = tokens[idx].content
    if is_markup(content):
        return content
    end = content.find(">") + 1
    rendered: str = _md.render(html.escape(content[:end], quote=False) + content[end:])
    return rendered


_md.add_render_rule("html_inline", _html_inline)
_md.add_render_rule("html_block", _html_block)

# `{: lang="de" }` ending a paragraph, heading, list item or table cell (after sanitising, so
# its quotes are entities); the element gets the validated attributes, the braces go.
_ATTR_LIST_HTML = re.compile(
    r"<(?P<tag>p|h[1-6]|li|td|th|dt|dd)>(?P<inner>(?:(?!</?(?P=tag)[\s>]).)*?)"
    r"\s*\{:\s*(?P<attrs>[^{}<>\n]*?)\s*\}\s*</(?P=tag)>",
    re.DOTALL,
)


def _apply_attr_list(match: re.Match[str]) -> str:
    kept, _refused = parse_attr_list(match["attrs"])
    attrs = "".join(f' {key}="{html.escape(value, quote=True)}"' for key, value in kept)
    return f"<{match['tag']}{attrs}>{match['inner']}</{match['tag']}>"


def attr_lists(fragment: str) -> str:
    return _ATTR_LIST_HTML.sub(_apply_attr_list, fragment) if "{:" in fragment else fragment


# A line of plain prose for `simple_markdown`: no character any enabled Markdown rule reacts to
# (emphasis, code, links, images, entities, escapes, HTML, tables), nothing a block can start
# with (headings, quotes, fences, rules, setext underlines, list markers, indented code), no
# whitespace at either end (hard breaks, stripping), no tab, CR or NUL (normalisation).
_PROSE_LINE = re.compile(r"(?![-+=#]|\d+[.)])[^\s\\`*_\[\]<>&!|~\x00]"
                         r"(?:[^\t\r\\`*_\[\]<>&!|~\x00]*[^\s\\`*_\[\]<>&!|~\x00])?")  # fmt: skip
_BLANK_LINE = re.compile(r" *")


def simple_markdown(text: str) -> str | None:
    """`_md.render(text)` for the common shape of case text, without the parser: paragraphs of
    plain prose and tight bullet lists ("- " items of one prose line), separated by blank lines;
    None for anything else (then the parser runs). The parser was half the rendering time of a
    case page; tests/generator/render/test_text.py checks the equality on generated text."""
    out: list[str] = []
    block: list[str] = []
    in_list = False  # whether `block` holds list items
    last_was_list = False  # whether the previous block (before blank lines) was a list
    for line in text.split("\n"):
        if _BLANK_LINE.fullmatch(line):
            if block:
                out.append(_block_html(block, in_list))
                last_was_list, block = in_list, []
            continue
        item = line.startswith("- ")
        if _PROSE_LINE.fullmatch(line[2:] if item else line) is None:
            return None
        if not block:
            if item and last_was_list:
                return None  # a list going on after a blank line is a loose list
            in_list = item
        elif item != in_list:
            return None  # a list interrupting a paragraph, or a lazy continuation line
        block.append(line[2:] if item else line)
    if block:
        out.append(_block_html(block, in_list))
    return "".join(out)


def _block_html(lines: list[str], is_list: bool) -> str:
    if is_list:
        items = "".join(f"<li>{line}</li>\n" for line in lines)
        return f"<ul>\n{items}</ul>\n".replace('"', "&quot;")
    return ("<p>" + "\n".join(lines) + "</p>\n").replace('"', "&quot;")


def markdown_html(text: str, linker: Linker) -> str:
    """A section body (Markdown, maybe with raw HTML) as safe HTML with autolinks."""
    rendered = simple_markdown(text)
    if rendered is None:
        rendered = _DEMOTE.sub(r"<\1h3", _md.render(text))
    return linker.link_html(attr_lists(sanitise(rendered)))


_INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\[(?P<label>[^\]]+)\]\((?P<href>https?://[^)\s]+)\)"
    r"|(?P<url>\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)])"
)


def inline_html(text: str, linker: Linker) -> str:
    """One history-log line: escaped text with code spans, links and autolinks; no block markup.

    A full Markdown pass per log line would cost more than the rest of the page together.
    """
    if "`" not in text and "[" not in text and "http" not in text:  # most lines: no _INLINE
        return linker.link_text(html.escape(text, quote=False)).replace("\n", "<br>")
    pieces: list[str] = []
    last = 0
    for match in _INLINE.finditer(text):
        pieces.append(linker.link_text(html.escape(text[last : match.start()], quote=False)))
        if match["code"] is not None:
            pieces.append(f"<code>{html.escape(match['code'], quote=False)}</code>")
        elif match["label"] is not None:
            href = html.escape(match["href"], quote=True)
            label = html.escape(match["label"], quote=False)
            pieces.append(f'<a href="{href}" rel="nofollow">{label}</a>')
        else:
            href = html.escape(match["url"], quote=True)
            pieces.append(f'<a href="{href}" rel="nofollow">{href}</a>')
        last = match.end()
    pieces.append(linker.link_text(html.escape(text[last:], quote=False)))
    return "".join(pieces).replace("\n", "<br>")
