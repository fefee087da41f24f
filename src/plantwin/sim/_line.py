"""A production line: exclusive states, progress within a state, lots, failures, campaigns.

A line's state follows from a few flags by the precedence of DESIGN.md. Progress (the current
lot, time to failure, restart debt, changeover left) advances only inside the state it belongs
to, so a line needs an event only when the state's own work ends, and any change of the flags
simply re-derives the state. A version number voids events scheduled for an older state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plantwin.scenario import RampUp
from plantwin.sim._dispatch import Dispatcher
from plantwin.sim._events import Event, ObjectType
from plantwin.sim._ramp import Ramp
from plantwin.sim._streams import Draws

if TYPE_CHECKING:
    from plantwin.sim._engine import Simulation

__all__ = ["LINE_STATES", "Line", "Lot"]

# the event log's names as module constants: reading an Enum class attribute costs about
# 0.2 us, which the engine would pay on every record
_COMMISSIONED = Event.COMMISSIONED
_FAILURE = Event.FAILURE
_LOT_HELD_ON_LINE = Event.LOT_HELD_ON_LINE
_LOT_PRODUCED = Event.LOT_PRODUCED
_LOT_STARTED = Event.LOT_STARTED
_REPAIRED = Event.REPAIRED
_SETUP = Event.SETUP
_LINE = ObjectType.LINE
_LOT = ObjectType.LOT

LINE_STATES = (
    Event.NOT_COMMISSIONED,
    Event.OFF_SHIFT,
    Event.POWER_OUT,
    Event.FAILED,
    Event.RESTARTING,
    Event.BLOCKED,
    Event.CHANGEOVER,
    Event.STARVED,
    Event.PRODUCING,
)
"""The line states by precedence; a state's index is its number in the engine."""
(
    NOT_COMMISSIONED,
    OFF_SHIFT,
    POWER_OUT,
    FAILED,
    RESTARTING,
    BLOCKED,
    CHANGEOVER,
    STARVED,
    PRODUCING,
) = range(9)
_ACTIVE = (False, False, False, False, True, False, True, False, True)  # states that do work
_END_LOT, _END_FAIL, _END_RESTART, _END_CHANGEOVER = range(4)


class Lot:
    """A lot from the moment its line starts it until it is stored or scrapped."""

    __slots__ = ("defect_factor", "id", "line", "made_at", "product", "size")

    def __init__(self, lot_id: str, product: str, size: int, line: str) -> None:
        self.id = lot_id
        self.product = product
        self.size = size
        self.line = line
        self.made_at = -1.0
        self.defect_factor = 1.0  # above 1 for lots made during a ramp-up


class Line:
    """One line of the plant and its state machine."""

    def __init__(
        self,
        sim: Simulation,
        line_id: str,
        products: list[str],
        initial: str,
        eff_rate: float,
        lot_size: int,
        campaign_lots: int,
        make_to_order: bool,
        between: Draws | None,
        repair: Draws | None,
        changeover: dict[tuple[str, str], Draws],
        commissioned: bool,
        dispatcher: Dispatcher,
    ) -> None:
        self.sim = sim
        self.id = line_id
        self.products = products
        self.product = initial
        self.eff_rate = eff_rate
        self.lot_size = lot_size
        self.campaign_lots = campaign_lots
        self.make_to_order = make_to_order
        self._between = between
        self._repair = repair
        self._changeover = changeover
        self._next_product = dispatcher.next_product  # bound once: it is called every lot
        self.commissioned = commissioned
        self.failed = False
        self.restart_debt = 0.0
        self.changeover_left = 0.0
        self.blocked_lot: Lot | None = None
        self.lot: Lot | None = None
        self.lot_done = 0.0  # units made in the current lot
        self.ttf = between.next() if between else float("inf")  # producing hours to next failure
        self.campaign_done = 0  # lots finished in the current campaign
        self.lots_started = 0
        self.state = NOT_COMMISSIONED
        self.since = 0.0
        self.hours = [0.0] * 9
        self.made: dict[str, float] = dict.fromkeys(products, 0.0)  # units of finished lots
        self.good = 0.0  # units of this line's lots put into storage
        self.failures = 0
        self._version = 0
        self._pending = _END_LOT
        self._log = sim.log
        self._need = sim.net_requirement
        self._schedule = sim.schedule
        self.ramp: Ramp | None = None
        self.on_backup = False  # carried by the plant's generators during cuts
        self.commissioned_at: float | None = None

    # --- the state machine ------------------------------------------------------------------

    def update(self, force: bool = False) -> None:
        """Bring progress up to now, re-derive the state, and schedule the state's end if needed."""
        sim = self.sim
        now = sim.now
        st = self.state
        dt = now - self.since
        if dt:
            self.hours[st] += dt
            if st == PRODUCING:
                ramp = self.ramp
                if ramp is None:
                    self.lot_done += dt * self.eff_rate
                else:
                    self.lot_done += self.eff_rate * (
                        ramp.integral(now) - ramp.integral(self.since)
                    )
                    if now >= ramp.end:
                        self.ramp = None  # at full rate from here on
                self.ttf -= dt
            elif st == RESTARTING:
                self.restart_debt -= dt
            elif st == CHANGEOVER:
                self.changeover_left -= dt
            self.since = now
        if not self.commissioned:
            new = NOT_COMMISSIONED
        elif not sim.working:
            new = OFF_SHIFT
        elif not sim.powered and not (self.on_backup and sim.backup_on):
            new = POWER_OUT
        elif self.failed:
            new = FAILED
        elif self.restart_debt > 0:
            new = RESTARTING
        elif self.blocked_lot is not None:
            new = BLOCKED
        elif self.changeover_left > 0:
            new = CHANGEOVER
        elif self.lot is None:
            new = STARVED
        else:
            new = PRODUCING
        if new != st:
            self.state = new
            self._log(now, _LINE, self.id, LINE_STATES[new], self.product)
        elif not force:
            return
        self._version += 1
        if not _ACTIVE[new]:
            return
        if new == PRODUCING:
            to_lot = (self.lot_size - self.lot_done) / self.eff_rate
            if self.ramp is not None:
                ramp = self.ramp
                to_lot = ramp.solve(ramp.integral(now) + to_lot) - now
            if self.ttf < to_lot:
                self._pending, dt = _END_FAIL, max(self.ttf, 0.0)
            else:
                self._pending, dt = _END_LOT, to_lot
        elif new == RESTARTING:
            self._pending, dt = _END_RESTART, self.restart_debt
        else:
            self._pending, dt = _END_CHANGEOVER, self.changeover_left
        self._schedule(now + dt, self._end, self._version)

    def _end(self, version: int) -> None:
        """The scheduled end of the current state's work (ignored if the state changed since)."""
        if version != self._version:
            return
        kind = self._pending  # read first: update() may already derive the next state
        self.update()
        if kind == _END_LOT:
            self.lot_done = float(self.lot_size)
            self._finish_lot()
        elif kind == _END_FAIL:
            self._fail()
        elif kind == _END_RESTART:
            self.restart_debt = 0.0
        else:
            self.changeover_left = 0.0
        self.update(force=True)

    # --- what happens to a line -------------------------------------------------------------

    def _fail(self) -> None:
        sim = self.sim
        assert self._between is not None and self._repair is not None
        self.failed = True
        self.failures += 1
        self.ttf = self._between.next()
        sim.log(sim.now, _LINE, self.id, _FAILURE, self.product)
        sim.schedule(sim.now + self._repair.next(), self._repaired, 0)

    def _repaired(self, _: int) -> None:
        self.update()
        self.failed = False
        self.sim.log(self.sim.now, _LINE, self.id, _REPAIRED, self.product)
        self.update()

    def power_returned(self, restart: float) -> None:
        """Power is back: the line owes its restart time again (a new cut resets, never adds)."""
        self.update()
        if self.commissioned:
            self.restart_debt = restart
        # forced: the state may already be `restarting` with the end of an older debt scheduled
        self.update(force=True)

    def has_power(self) -> bool:
        """Whether the line has power now, from the grid or from the generators."""
        return self.sim.powered or (self.on_backup and self.sim.backup_on)

    def commission(self, _: int = 0, ramp: RampUp | None = None) -> None:
        """The line is ready: it starts its first lot, ramping up if ``ramp`` says so."""
        self.update()
        self.commissioned = True
        self.commissioned_at = self.sim.now
        if ramp is not None:
            self.ramp = Ramp(ramp, self.sim.now)
        self.sim.log(self.sim.now, _LINE, self.id, _COMMISSIONED, self.product)
        self._start_lot()
        self.update()

    def _finish_lot(self) -> None:
        sim = self.sim
        lot = self.lot
        assert lot is not None
        lot.made_at = sim.now
        if self.ramp is not None:
            lot.defect_factor = self.ramp.defect(sim.now)
        sim.completions.append((sim.now, lot.size))
        self.made[lot.product] += lot.size
        self.lot = None
        self.lot_done = 0.0
        self.campaign_done += 1
        sim.log(
            sim.now,
            _LOT,
            lot.id,
            _LOT_PRODUCED,
            lot.product,
            lot.id,
            lot.size,
            self.id,
        )
        if sim.range.receive(lot):
            self._start_lot()
        else:
            self.blocked_lot = lot
            sim.log(
                sim.now,
                _LOT,
                lot.id,
                _LOT_HELD_ON_LINE,
                lot.product,
                lot.id,
                0,
                self.id,
            )

    def held_lot(self) -> Lot:
        """The finished lot a blocked line holds."""
        assert self.blocked_lot is not None
        return self.blocked_lot

    def unblock(self) -> None:
        """The range took the finished lot the line was holding."""
        self.update()
        self.blocked_lot = None
        self._start_lot()
        self.update(force=True)

    def wake(self) -> None:
        """Something changed that may give a starved line work (make-to-order lines only)."""
        if self.commissioned and self.lot is None and self.blocked_lot is None:
            self.update()
            self._start_lot()
            self.update(force=True)

    def _start_lot(self) -> None:
        """Choose the product (campaign rule), set up a changeover if it changes, start a lot."""
        if not self.commissioned:
            return
        sim = self.sim
        product = self._choose()
        if product is None:
            self.lot = None
            return
        if product != self.product:
            self.changeover_left = self._changeover[(self.product, product)].next()
            sim.log(sim.now, _LINE, self.id, _SETUP, product, "", 0, self.product)
            self.product = product
            self.campaign_done = 0
        elif self.campaign_done >= self.campaign_lots:
            self.campaign_done = 0
        self.lots_started += 1
        lot = Lot(f"{self.id}-{self.lots_started:05d}", product, self.lot_size, self.id)
        self.lot = lot
        sim.in_process[product] += lot.size
        sim.log(sim.now, _LOT, lot.id, _LOT_STARTED, product, lot.id, lot.size, self.id)

    def _choose(self) -> str | None:
        """The product of the next lot: the dispatcher's decision."""
        return self._next_product(self, self._need)

    def units_in_process(self) -> dict[str, float]:
        """Units on the line: the partial lot and a finished lot it holds while blocked."""
        out = dict.fromkeys(self.products, 0.0)
        if self.lot is not None:
            out[self.lot.product] += self.lot_done
        if self.blocked_lot is not None:
            out[self.blocked_lot.product] += self.blocked_lot.size
        return out
