"""YAML to plain values with the source position of every value and key.

libyaml's composer (8x faster than PyYAML's pure-Python one) gives every node its mark; we build
the values ourselves so that dates stay strings for the schema to judge (2014-02-30 is then a
diagnostic at its line, not a constructor crash), aliases and duplicate keys are reported, and a
YAML bomb cannot expand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.model import KeyPath, Position

try:
    _Base: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader

# Plain scalars that cannot be a number, bool, null or date need no resolver regexes.
_MAYBE_TYPED = frozenset("0123456789+-.~nNtTfF")


_YAML11_WORDS = frozenset({"on", "off", "yes", "no", "y", "n"})
# Plain scalars starting with these letters are a bool or null only when they are one of these
# words (the rest of the base resolver's words for them, no/No/NO, are YAML 1.1 text above).
_WORD_FIRST = frozenset("nNtTfF")
_BOOL_WORDS = frozenset({"true", "True", "TRUE", "false", "False", "FALSE"})
_NULL_WORDS = frozenset({"null", "Null", "NULL"})


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """libyaml's parser with a fast path for plain text scalars (most of a case header)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # What the base resolver answers without its regexes (the loader has no path
        # resolvers): mappings, sequences and quoted scalars take the default tag.
        if kind is not _SCALAR:
            return _MAP if kind is _MAPPING else _SEQ
        if not implicit[0]:
            return _STR
        # YAML 1.2 booleans only: `on`, `no`, `yes`, `off` stay text (`approved: {on: ...}`,
        # a party named "No").
        if value and (value[0] not in _MAYBE_TYPED or value.lower() in _YAML11_WORDS):
            return _STR
        if value and value[0] in _WORD_FIRST and "\n" not in value:
            # what the base resolver's bool and null regexes say (text that starts like a word)
            if value in _BOOL_WORDS:
                return _BOOL
            return _NULL if value in _NULL_WORDS else _STR
        return super().resolve(kind, value, implicit)


_SCALAR = yaml.ScalarNode
_MAPPING = yaml.MappingNode
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_TEXT_TAGS = (_STR, _TIMESTAMP)  # kept as the text they are written as
_KEY_TAGS = (_STR, _BOOL)
_SCALARS = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_HINTS = {
    "found character '\\t' that cannot start any token": "indent with spaces, not tabs",
    "found a tab character": "indent with spaces, not tabs",
    "mapping values are not allowed here": "quote a value that contains ': '",
    "found undefined alias": "anchors and aliases are not allowed; write the value out",
}


# A line that reads like the next `key:` or list item of a header, not like text in a value.
_KEY_LINE = re.compile(r"\s*(?:-\s|[A-Za-z_][\w.-]*:(?:\s|$))")


def _unclosed_quote(text: str, exc: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """Where a quoted value that was never closed starts, if that is what broke the YAML.

    The parser notices an unclosed quote only far later: at the end of the header, or at the
    next quote, which it takes as the closing one. So the cause is found again from the tokens:
    the scanner's own context for the first, and for the second a quoted value that runs over a
    line that looks like the next key.
    """
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        return exc.context_mark
    stop = exc.problem_mark.index if exc.problem_mark is not None else len(text)
    lines = text.split("\n")
    cause: yaml.Mark | None = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if token.start_mark.index >= stop:
                break
            if not isinstance(token, yaml.ScalarToken) or token.style not in ('"', "'"):
                continue
            first, last = token.start_mark.line, token.end_mark.line
            if any(
                _KEY_LINE.match(lines[n]) for n in range(first + 1, min(last, len(lines) - 1) + 1)
            ):
                cause = token.start_mark
    except yaml.YAMLError:
        pass
    return cause


@dataclass(frozen=True, slots=True)
class YamlProblem:
    line: int
    col: int
    code: str
    message: str


@dataclass(slots=True)
class YamlDocument:
    data: Any = None
    values: dict[KeyPath, Position] = field(default_factory=dict)
    keys: dict[KeyPath, Position] = field(default_factory=dict)
    problems: list[YamlProblem] = field(default_factory=list)


class _Builder:
    """Plain values and positions from the composed nodes, in one pre-order walk (the order of
    `values` and `keys` is the document's). Text scalars, most of a header, are taken inline."""

    def __init__(self, first_line: int, anchored: bool) -> None:
        self.first_line = first_line
        self.doc = YamlDocument()
        self.values = self.doc.values
        self.keys = self.doc.keys
        # Only a document with an anchor (`&`) can hold a node twice (an alias): else no need
        # to remember every node.
        self.seen: set[int] | None = set() if anchored else None
        self.aliased = False
        self._constructor: yaml.constructor.SafeConstructor | None = None

    def pos(self, node: yaml.Node) -> Position:
        return (node.start_mark.line + self.first_line, node.start_mark.column + 1)

    def problem(self, node: yaml.Node, code: str, message: str) -> None:
        line, col = self.pos(node)
        self.doc.problems.append(YamlProblem(line, col, code, message))

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        seen = self.seen
        if seen is not None:
            if id(node) in seen:
                self.aliased = True
                return None
            seen.add(id(node))
        mark = node.start_mark
        self.values[path] = (mark.line + self.first_line, mark.column + 1)
        kind = type(node)
        if kind is _SCALAR:
            return self.scalar(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return self.sequence(node, path)
        return self.scalar(node)

    def sequence(self, node: yaml.SequenceNode, path: KeyPath) -> list[Any]:
        if self.seen is not None:
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        result: list[Any] = []
        values = self.values
        first = self.first_line
        for i, item in enumerate(node.value):
            tag = item.tag
            if type(item) is _SCALAR and tag in _TEXT_TAGS:
                mark = item.start_mark
                values[(*path, i)] = (mark.line + first, mark.column + 1)
                result.append(item.value)
            else:
                result.append(self.build(item, (*path, i)))
        return result

    def mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        values = self.values
        keys = self.keys
        first = self.first_line
        inline = self.seen is None
        for key_node, value_node in node.value:
            if type(key_node) is not _SCALAR and not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "DK013", "a key must be a plain word, not a list or mapping")
                continue
            tag = key_node.tag
            key = key_node.value if tag in _KEY_TAGS else self.scalar(key_node)
            if key in result:
                self.problem(key_node, "DK016", f"duplicate key '{key}': keep only one")
            mark = key_node.start_mark
            at = (*path, key)
            keys[at] = (mark.line + first, mark.column + 1)
            tag = value_node.tag
            if inline and type(value_node) is _SCALAR and tag in _TEXT_TAGS:
                mark = value_node.start_mark
                values[at] = (mark.line + first, mark.column + 1)
                result[key] = value_node.value
            else:
                result[key] = self.build(value_node, at)
        return result

    def scalar(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag in (_STR, _TIMESTAMP) or not isinstance(node, yaml.ScalarNode):
            return node.value if isinstance(node.value, str) else None
        if tag in _SCALARS:
            if self._constructor is None:
                self._constructor = yaml.constructor.SafeConstructor()
            try:
                return self._constructor.construct_object(node)
            except (ValueError, yaml.YAMLError):
                return node.value
        self.problem(node, "DK017", f"YAML tag '{tag}' is not allowed in a case file")
        return node.value


def parse_yaml(text: str, first_line: int) -> YamlDocument:
    """Parse `text`, whose first line is line `first_line` of the file."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        quote = _unclosed_quote(text, exc)
        if quote is not None:
            char = text[quote.index] if quote.index < len(text) else '"'
            message = (
                f"YAML syntax error: the quoted value that starts here is never closed "
                f"(end it with {char} on its line)"
            )
            line, col = quote.line + first_line, quote.column + 1
            return YamlDocument(problems=[YamlProblem(line, col, "DK013", message)])
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + first_line
        col = (mark.column if mark else 0) + 1
        problem = exc.problem or "invalid YAML"
        hint = next((h for p, h in _HINTS.items() if problem.startswith(p)), None)
        lines = text.split("\n")
        line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
        if hint is None and mark and "\t" in line_text[: mark.column + 1]:
            hint = "indent with spaces, not tabs"
        opened = exc.context_mark
        if hint is None and opened and mark and opened.line != mark.line and exc.context:
            bracket = {"while parsing a flow sequence": "[", "while parsing a flow mapping": "{"}
            if exc.context in bracket:
                where = f"line {opened.line + first_line}, column {opened.column + 1}"
                hint = f"is the '{bracket[exc.context]}' at {where} closed?"
        message = f"YAML syntax error: {problem}" + (f" ({hint})" if hint else "")
        return YamlDocument(problems=[YamlProblem(line, col, "DK013", message)])
    except yaml.YAMLError as exc:
        return YamlDocument(problems=[YamlProblem(first_line, 1, "DK013", f"YAML error: {exc}")])
    if root is None:
        return YamlDocument()
    builder = _Builder(first_line, "&" in text)
    builder.doc.data = builder.build(root, ())
    if builder.aliased:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:
                builder.doc.problems.append(
                    YamlProblem(
                        event.start_mark.line + first_line,
                        event.start_mark.column + 1,
                        "DK015",
                        f"alias '*{event.anchor}' is not allowed in a case file: write it out",
                    )
                )
    return builder.doc
