"""Finished-goods storage: units by product and lot, first in first out, one shared capacity."""

from __future__ import annotations

from collections import deque

__all__ = ["Storage"]


class Storage:
    """Stock by product as FIFO slices [lot id, units]; tracks the level's min, max and area."""

    def __init__(self, products: list[str], capacity: float | None) -> None:
        self.capacity = float("inf") if capacity is None else capacity
        self.slices: dict[str, deque[list[float | str]]] = {p: deque() for p in products}
        self.stock: dict[str, float] = dict.fromkeys(products, 0.0)
        self.level = 0.0
        self.min = 0.0
        self.max = 0.0
        self.area = 0.0  # level x hours, for the time-weighted mean
        self._t = 0.0

    def _move(self, now: float, units: float) -> None:
        self.area += self.level * (now - self._t)
        self._t = now
        self.level += units
        if self.level > self.max:
            self.max = self.level
        if self.level < self.min:
            self.min = self.level

    def fits(self, units: float) -> bool:
        """Whether ``units`` more fit (no partial put-away)."""
        return self.level + units <= self.capacity

    def put(self, now: float, product: str, lot_id: str, units: float) -> None:
        """Store a passed lot's units; the caller has checked that they fit."""
        self._move(now, units)
        self.stock[product] += units
        self.slices[product].append([lot_id, units])

    def take(self, now: float, product: str, units: float) -> list[tuple[str, float]]:
        """Take up to ``units`` of ``product``, oldest lot first; returns (lot id, units) taken."""
        taken: list[tuple[str, float]] = []
        q = self.slices[product]
        left = units
        while left > 0 and q:
            head = q[0]
            lot_id, have = str(head[0]), float(head[1])
            if have <= left:
                q.popleft()
                taken.append((lot_id, have))
                left -= have
            else:
                head[1] = have - left
                taken.append((lot_id, left))
                left = 0
        moved = units - left
        self.stock[product] -= moved
        self._move(now, -moved)
        return taken

    def mean(self, now: float) -> float:
        """Time-weighted mean level from 0 to ``now``."""
        if now <= 0:
            return self.level
        return (self.area + self.level * (now - self._t)) / now
