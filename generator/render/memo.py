"""The previous render's outputs, each with the inputs it was made from (for the dev server).

A renderer asks `get(name, key, make)`: when `key` equals the key the same name had in the last
render, the old value comes back (the very object, so callers can tell by identity that it did
not change), else `make()` runs. Keys hold the inputs themselves (cases, headers, tuples of
numbers): equality of tuples tries identity first, so unchanged cases compare in no time, and
a changed one compares by value, which is exactly "the page would come out the same".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    """Named values of one render, looked up from the render before."""

    def __init__(self) -> None:
        self._old: dict[str, tuple[Any, Any]] = {}
        self._new: dict[str, tuple[Any, Any]] = {}
        self._settings: Any = None
        self.made: list[str] = []  # names made (not reused) in the current or last render

    def begin(self, settings: Any) -> None:
        """Start a render; values from a render with other site settings are all dropped."""
        if settings != self._settings:
            self._old = {}
            self._settings = settings
        self._new = {}
        self.made = []

    def finish(self) -> None:
        """End a render: only the names it used are kept for the next one."""
        self._old, self._new = self._new, {}

    def has(self, name: str, key: Any) -> bool:
        """Whether `get(name, key, ...)` would reuse the previous value."""
        hit = self._old.get(name)
        return hit is not None and hit[0] == key

    def get(self, name: str, key: Any, make: Callable[[], T]) -> T:
        hit = self._old.get(name)
        if hit is not None and hit[0] == key:
            value: T = hit[1]
        else:
            value = make()
            self.made.append(name)
        self._new[name] = (key, value)
        return value
