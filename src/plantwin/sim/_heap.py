"""The event heap: events by time, ties in the order they were scheduled.

An event is a target, a kind and an integer argument: at its time the kernel calls
``target.fire(kind, arg)``. The nodes are targets, so the compiled engine dispatches every
event through C (a ``cdef`` method), with no bound method, boxed argument or tuple per event.

Two implementations of one order, (time, then the order of scheduling): this module, which
the interpreted engine runs (``heapq`` on tuples), and ``_heap.pyx``, which the compiled engine
runs (C arrays of times and sequence numbers; comparing tuples of boxed floats was a fifth of
the compiled engine's time). The order is total, so both pop the very same sequence; the
differential test checks it on every run it compares.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

__all__ = ["Heap", "Target", "release"]

_push = heapq.heappush
_pop = heapq.heappop


class Target:
    """What an event fires: a subclass implements ``fire`` for the kinds it schedules."""

    __slots__ = ()

    def fire(self, kind: int, arg: int) -> None:
        """The event ``kind`` scheduled with ``arg`` is due."""
        raise NotImplementedError


class Heap:
    """Pending events; ``pop`` gives the earliest, ties first scheduled first."""

    __slots__ = ("_items", "_seq", "arg", "kind", "time")

    def __init__(self) -> None:
        self._items: list[tuple[float, int, Target, int, int]] = []
        self._seq = 0
        # the event popped last (read by the loop after ``pop``)
        self.time = 0.0
        self.kind = 0
        self.arg = 0

    def __len__(self) -> int:
        return len(self._items)

    def push(self, time: float, target: Target, kind: int, arg: int) -> None:
        """Schedule ``target.fire(kind, arg)`` at ``time``."""
        self._seq += 1
        _push(self._items, (time, self._seq, target, kind, arg))

    def pop(self, until: float) -> Target | None:
        """Remove the earliest event if it is due before ``until`` and return its target
        (``time``, ``kind`` and ``arg`` are then the event's); None if no event is."""
        items = self._items
        if not items or not items[0][0] < until:
            return None
        self.time, _, target, self.kind, self.arg = _pop(items)
        return target


def release(objects: Iterable[object]) -> None:
    """The compiled twin clears the references of a finished run's nodes so that reference
    counting frees them at once; interpreted, the cycle collector frees them as ever."""
