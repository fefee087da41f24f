"""Finished-goods storage: units by product and lot, first in first out, one shared capacity.

Its port takes whole lots only: a holder whose lot does not fit waits, oldest first, and the
waiting lots go in as shipments free room. Each lot stored is offered to the orders at once.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from plantwin.sim._events import Event, ObjectType
from plantwin.sim._kernel import Kernel
from plantwin.sim._lot import Lot
from plantwin.sim._node import Node

if TYPE_CHECKING:
    from plantwin.sim._station import Station

__all__ = ["Storage"]

_LOT_STORED = Event.LOT_STORED
_LOT = ObjectType.LOT


class Storage(Node):
    """Stock by product as FIFO slices [lot id, units]; tracks the level's min, max and area."""

    def __init__(
        self,
        kernel: Kernel,
        products: list[str],
        capacity: float | None,
        in_process: dict[str, float],
    ) -> None:
        self.k = kernel
        self._in_process = in_process
        self.makers: list[Station] = []  # every station by index, to credit a lot's maker
        self.ship: Callable[[str], None] = lambda product: None  # the orders' shipping
        self.waiting: deque[Node] = deque()  # holders of lots that do not fit, oldest first
        self.stored: dict[str, float] = dict.fromkeys(products, 0.0)  # units put away
        self._retrying = False
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

    def offer(self, lot: Lot, holder: Node) -> bool:
        """Queue ``holder`` behind the lots already waiting and store what fits; the holder is
        released when its lot is stored (so this answers False)."""
        self.waiting.append(holder)
        self.retry()
        return False

    def retry(self) -> None:
        """Store waiting lots, oldest first, while they fit whole; each one is then shipped."""
        if self._retrying or not self.waiting:
            return
        self._retrying = True
        k = self.k
        waiting = self.waiting
        while waiting:
            holder = waiting[0]
            lot = holder.held_lot()
            units = lot.units
            if not self.fits(units):
                break
            waiting.popleft()
            product = lot.product
            self.put(k.now, product, lot.id, units)
            self._in_process[product] -= lot.counted
            lot.counted = 0
            maker = self.makers[lot.maker]
            maker.good += units
            self.stored[product] += units
            k.log(k.now, _LOT, lot.id, _LOT_STORED, product, lot.id, units, "storage")
            holder.released()
            self.ship(product)
        self._retrying = False

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
