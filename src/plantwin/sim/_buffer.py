"""A buffer: lots first in, first out, with a capacity in lots or in units, the stations of one
stage reading it, and the holders blocked because their lot does not fit.

A lot offered goes straight to an idle reader that can take it (it never counts against the
capacity), else into the buffer if it fits and nobody is waiting, else its holder waits. When
lots leave, they move up until nothing moves: to idle readers (the one idle longest first),
then the longest-blocked holder's lot into the room freed.

The buffer of an assemble stage holds its capacity of each component: with one capacity
shared, the component supplied faster could fill it and starve the assembly for good.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plantwin.sim._events import Event, ObjectType
from plantwin.sim._kernel import Kernel
from plantwin.sim._lot import Lot, by_name, zeros
from plantwin.sim._node import Node

if TYPE_CHECKING:
    from plantwin.sim._station import AssembleStation

__all__ = ["Buffer"]

_LOT_QUEUED = Event.LOT_QUEUED
_LOT = ObjectType.LOT


class Buffer(Node):
    """One buffer node and its ports: ``offer`` from upstream, ``admit`` when room frees. Its
    tallies by product are arrays by product index (the plant's ``products``)."""

    def __init__(
        self,
        kernel: Kernel,
        buffer_id: str,
        lots: int | None,
        units: int | None,
        products: list[str],
    ) -> None:
        self.k = kernel
        self.id = buffer_id
        self.cap_lots = lots
        self.cap_units = units
        self.products = products
        self.lots: list[Lot] = []  # oldest first
        self.units = zeros(len(products))  # units held, by product index (what assemblers read)
        self.level = 0.0  # units held
        self.waiting: list[Node] = []  # holders, longest-blocked first
        self.readers: list[Node] = []  # the process or test stations of the stage (idle_since)
        self.assemblers: list[AssembleStation] = []
        self.per_product = False  # the capacity holds for each product (an assembly's kit)
        self.count = zeros(len(products))  # lots held, by product index (whole numbers)
        self.area_lots = 0.0  # lots x hours, for the time-weighted mean
        self.max_lots = 0
        self._t = 0.0

    # --- the ports ----------------------------------------------------------------------------

    def offer(self, lot: Lot, holder: Node) -> bool:
        """Take ``lot`` onto an idle reader or into the buffer; False: ``holder`` waits."""
        readers = self.readers
        if len(readers) == 1:
            reader = readers[0]
            if reader.wants(lot):
                reader.accept(lot)
                return True
        else:
            for reader in self._idle(lot):
                reader.accept(lot)
                return True
        if self._fits(lot) and not self._waiting_for(lot.product_index):
            self._queue(lot)
            self._assembly_started()
            return True
        self.waiting.append(holder)
        return False

    def admit(self) -> None:
        """Move lots up until nothing moves: buffer and blocked holders' lots to idle readers,
        then the longest-blocked holder's lot into the room freed."""
        while True:
            if self._to_readers() or self._assembly_started():
                continue
            holder = self._next_waiting() if self.waiting else None
            if holder is not None:
                self._queue(holder.held_lot())
                holder.released()
                continue
            return

    def _assembly_started(self) -> bool:
        """Whether an assemble station reading the buffer started a lot (the first that can)."""
        # loops, not any(): Cython compiles no generator expression in a cpdef method
        for station in self.assemblers:  # noqa: SIM110
            if station.try_start():
                return True
        return False

    def _waiting_for(self, product: int) -> bool:
        """Whether a holder waits for room that a lot of product index ``product`` would take."""
        if not self.per_product:
            return bool(self.waiting)
        for holder in self.waiting:  # noqa: SIM110
            if holder.held_lot().product_index == product:
                return True
        return False

    def _next_waiting(self) -> Node | None:
        """The longest-blocked holder whose lot fits now (with one capacity for all: only the
        longest-blocked, so that no smaller lot overtakes it)."""
        waiting = self.waiting
        if not waiting:
            return None
        if not self.per_product:
            holder = waiting[0]
            if not self._fits(holder.held_lot()):
                return None
            del waiting[0]
            return holder
        for holder in waiting:
            if self._fits(holder.held_lot()):
                waiting.remove(holder)
                return holder
        return None

    def take_units(self, product: int, units: int) -> list[tuple[Lot, int]]:
        """Take ``units`` of product index ``product``, oldest lot first, splitting the last one
        if need be."""
        taken: list[tuple[Lot, int]] = []
        left = units
        for lot in list(self.lots):
            if left <= 0:
                break
            if lot.product_index != product:
                continue
            part = min(left, lot.units)
            lot.units -= part
            left -= part
            taken.append((lot, part))
            if lot.units <= 0:
                self._remove(lot)
        self.units[product] -= units - left
        self.level -= units - left
        return taken

    # --- inside -------------------------------------------------------------------------------

    def _fits(self, lot: Lot) -> bool:
        if self.per_product:
            if self.cap_lots is not None:
                return self.count[lot.product_index] < self.cap_lots
            assert self.cap_units is not None
            return self.units[lot.product_index] + lot.units <= self.cap_units
        if self.cap_lots is not None:
            return len(self.lots) < self.cap_lots
        assert self.cap_units is not None
        return self.level + lot.units <= self.cap_units

    def _queue(self, lot: Lot) -> None:
        self._move(1)
        self.lots.append(lot)
        self.count[lot.product_index] += 1
        self.units[lot.product_index] += lot.units
        self.level += lot.units
        k = self.k
        if k.event_log is not None:
            lot_id = lot.ident()
            k.event_log.add(k.now, _LOT, lot_id, _LOT_QUEUED, lot.product, lot_id, 0, self.id)

    def _remove(self, lot: Lot) -> None:
        self._move(-1)
        self.lots.remove(lot)
        self.count[lot.product_index] -= 1

    def _take(self, lot: Lot) -> None:
        self._remove(lot)
        self.units[lot.product_index] -= lot.units
        self.level -= lot.units

    def _move(self, lots: int) -> None:
        now = self.k.now
        self.area_lots += len(self.lots) * (now - self._t)
        self._t = now
        if len(self.lots) + lots > self.max_lots:
            self.max_lots = len(self.lots) + lots

    def mean_lots(self, now: float) -> float:
        """Time-weighted mean of the lots held from 0 to ``now``."""
        if now <= 0:
            return float(len(self.lots))
        return (self.area_lots + len(self.lots) * (now - self._t)) / now

    def _idle(self, lot: Lot | None = None) -> list[Node]:
        """The readers (that want ``lot``), idle longest first (ties: scenario order)."""
        readers = self.readers
        if len(readers) == 1:
            return readers
        idle = [r for r in readers if lot is None or r.wants(lot)]
        idle.sort(key=lambda r: r.idle_since)  # type: ignore[attr-defined]
        return idle

    def _to_readers(self) -> bool:
        """One lot to one idle reader: the oldest lot it can take from the buffer, else the lot
        of the longest-blocked holder it can take (the stage is work-conserving)."""
        readers = self.readers
        for reader in readers if len(readers) == 1 else self._idle():
            for lot in self.lots:
                if reader.wants(lot):
                    self._take(lot)
                    reader.accept(lot)
                    return True
            for holder in self.waiting:
                if reader.wants(holder.held_lot()):
                    self.waiting.remove(holder)
                    reader.accept(holder.held_lot())
                    holder.released()
                    return True
        return False

    def units_in_process(self) -> dict[str, float]:
        """Units of the lots held, by product."""
        return by_name(self.products, self.units)
