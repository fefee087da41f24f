"""The event heap: callbacks by time, ties in the order they were scheduled.

Two implementations of one order, (time, then the order of scheduling): this module, which
the interpreted engine runs (``heapq`` on tuples), and ``_heap.pyx``, which the compiled engine
runs (C arrays of times and sequence numbers; comparing tuples of boxed floats was a fifth of
the compiled engine's time). The order is total, so both pop the very same sequence; the
differential test checks it on every run it compares.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

__all__ = ["Heap"]

_push = heapq.heappush
_pop = heapq.heappop


class Heap:
    """Pending callbacks; ``pop`` gives the earliest, ties first scheduled first."""

    __slots__ = ("_items", "_seq")

    def __init__(self) -> None:
        self._items: list[tuple[float, int, Callable[[Any], None], Any]] = []
        self._seq = 0

    def __len__(self) -> int:
        return len(self._items)

    def push(self, time: float, callback: Callable[[Any], None], arg: Any) -> None:
        """Schedule ``callback(arg)`` at ``time``."""
        self._seq += 1
        _push(self._items, (time, self._seq, callback, arg))

    def first(self) -> float:
        """The earliest time pending."""
        return self._items[0][0]

    def pop(self) -> tuple[float, Callable[[Any], None], Any]:
        """Remove the earliest entry: (time, callback, arg)."""
        t, _, callback, arg = _pop(self._items)
        return t, callback, arg
