"""Finished-goods storage: units by product and lot, first in first out, one shared capacity.

Its port takes whole lots only: a holder whose lot does not fit waits, oldest first, and the
waiting lots go in as shipments free room. Each lot stored is offered to the orders at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from plantwin.sim._events import Event, ObjectType
from plantwin.sim._kernel import Kernel
from plantwin.sim._lot import Lot, by_name, zeros
from plantwin.sim._node import Node

if TYPE_CHECKING:
    from array import array

    from plantwin.sim._station import Station

__all__ = ["Storage"]

_LOT_STORED = Event.LOT_STORED
_LOT = ObjectType.LOT


class Storage(Node):
    """Stock by product as FIFO queues of lots, each with its units not yet shipped
    (``Lot.in_storage``); tracks the level's min, max and area.

    Products are numbered as in ``products`` (a lot's ``product_index``): the tallies by product
    are arrays indexed by that number; ``stock`` and ``stored`` give them by name."""

    def __init__(
        self,
        kernel: Kernel,
        products: list[str],
        capacity: float | None,
        in_process: array[float],
    ) -> None:
        self.k = kernel
        self.products = products
        self._in_process = in_process  # the plant's units in process, by product index
        self.makers: list[Station] = []  # every station by index, to credit a lot's maker
        self.ship: Callable[[int], None] = lambda product: None  # the orders' shipping
        self.waiting: list[Node] = []  # holders of lots that do not fit, oldest first
        self.stored_by_index = zeros(len(products))  # units put away
        self._retrying = False
        self.taken = 0.0  # units the last take_oldest took
        self.capacity = float("inf") if capacity is None else capacity
        # FIFO queues are lists, not deques: compiled, a list is indexed, appended and popped
        # in C, a deque only through calls by name; a pop from the front moves a few pointers
        self.lots: list[list[Lot]] = [[] for _ in products]  # by product, oldest first
        self.stock_by_index = zeros(len(products))
        self.level = 0.0
        self.min = 0.0
        self.max = 0.0
        self.area = 0.0  # level x hours, for the time-weighted mean
        self._t = 0.0

    @property
    def stock(self) -> dict[str, float]:
        """Units in stock, by product."""
        return by_name(self.products, self.stock_by_index)

    @property
    def stored(self) -> dict[str, float]:
        """Units put away over the run, by product."""
        return by_name(self.products, self.stored_by_index)

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
            units = lot.units  # a double compiled: converted once, not at every use
            if not self.fits(units):
                break
            del waiting[0]  # compiled, del is a C call; pop(0) calls by name once a list shrinks
            product = lot.product_index
            self.put(k.now, product, lot, units)
            self._in_process[product] -= lot.counted
            lot.counted = 0
            maker = self.makers[lot.maker]
            maker.good += units
            self.stored_by_index[product] += units
            if k.event_log is not None:
                lot_id = lot.ident()
                k.event_log.add(
                    k.now, _LOT, lot_id, _LOT_STORED, lot.product, lot_id, lot.units, "storage"
                )
            holder.released()
            self.ship(product)
        self._retrying = False

    def fits(self, units: float) -> bool:
        """Whether ``units`` more fit (no partial put-away)."""
        return self.level + units <= self.capacity

    def put(self, now: float, product: int, lot: Lot, units: float) -> None:
        """Store a passed lot's units (``product``: its index); the caller has checked that they
        fit."""
        self._move(now, units)
        self.stock_by_index[product] += units
        lot.in_storage = units
        self.lots[product].append(lot)

    def take_oldest(self, now: float, product: int, units: float) -> Lot | None:
        """Take up to ``units`` of product index ``product`` from its oldest lot in stock and
        return that lot (``taken``: the units taken from it), or None when there is none. One
        lot a call, so that a shipment allocates nothing (the [lot, units] slices and the lists
        of (lot, units) taken were 0.56 M instructions a plant-year of maracay, 5 %). Units
        are whole, so taking lot by lot sums to what one take of several lots would."""
        q = self.lots[product]
        if not q:
            return None
        lot = q[0]
        have = lot.in_storage
        if have <= units:
            del q[0]  # compiled, del is a C call; pop(0) calls by name once a list shrinks
            taken = have
        else:
            lot.in_storage = have - units
            taken = units
        self.taken = taken
        self.stock_by_index[product] -= taken
        self._move(now, -taken)
        return lot

    def mean(self, now: float) -> float:
        """Time-weighted mean level from 0 to ``now``."""
        if now <= 0:
            return self.level
        return (self.area + self.level * (now - self._t)) / now
