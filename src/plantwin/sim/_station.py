"""A station that makes or works on lots: exclusive states, progress within a state, failures,
repairs by a crew, changeovers, and its ports.

A station's state follows from a few flags by the precedence of DESIGN.md. Progress (the current
lot, time to failure, restart debt, changeover left) advances only inside the state it belongs
to, so a station needs an event only when the state's own work ends, and any change of the flags
simply re-derives the state. A version number voids events scheduled for an older state.

The roles differ only in where a lot comes from: a produce station starts lots from unlimited
raw material, a process station takes them from its input buffer, an assemble station starts a
lot when its input buffer holds the components of its bill. A finished lot goes into the output
port of its product (a buffer or storage); when it does not fit, the station is blocked holding
it until the port takes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from plantwin.scenario import RampUp
from plantwin.sim._completions import Completions
from plantwin.sim._draws import Draws
from plantwin.sim._events import Event, ObjectType
from plantwin.sim._kernel import Kernel, Work
from plantwin.sim._lot import Lot, new_lot, zeros
from plantwin.sim._node import Node
from plantwin.sim._ramp import Ramp

if TYPE_CHECKING:
    from array import array

    from plantwin.sim._buffer import Buffer
    from plantwin.sim._crew import Crew
    from plantwin.sim._dispatch import Dispatcher

__all__ = [
    "LINE_STATES",
    "AssembleStation",
    "ProcessStation",
    "ProduceStation",
    "Station",
]

# the event log's names as module constants: reading an Enum class attribute costs about
# 0.2 us, which the engine would pay on every record
_COMMISSIONED = Event.COMMISSIONED
_COMPONENT_CONSUMED = Event.COMPONENT_CONSUMED
_FAILURE = Event.FAILURE
_LOT_HELD_ON_LINE = Event.LOT_HELD_ON_LINE
_LOT_PROCESSED = Event.LOT_PROCESSED
_LOT_PRODUCED = Event.LOT_PRODUCED
_LOT_STARTED = Event.LOT_STARTED
_PROCESS_STARTED = Event.PROCESS_STARTED
_REPAIR_STARTED = Event.REPAIR_STARTED
_REPAIRED = Event.REPAIRED
_SETUP = Event.SETUP
_LINE = ObjectType.LINE
_LOT = ObjectType.LOT

LINE_STATES = (
    Event.NOT_COMMISSIONED,
    Event.OFF_SHIFT,
    Event.POWER_OUT,
    Event.FAILED,
    Event.WAITING_FOR_CREW,
    Event.RESTARTING,
    Event.BLOCKED,
    Event.CHANGEOVER,
    Event.STARVED,
    Event.PRODUCING,
)
"""A station's states by precedence; a state's index is its number in the engine."""
_STATE_EVENTS = LINE_STATES  # the same, read at every change of state: a C variable compiled
(
    NOT_COMMISSIONED,
    OFF_SHIFT,
    POWER_OUT,
    FAILED,
    WAITING_FOR_CREW,
    RESTARTING,
    BLOCKED,
    CHANGEOVER,
    STARVED,
    PRODUCING,
) = range(10)
_END_LOT, _END_FAIL, _END_RESTART, _END_CHANGEOVER = range(4)
# the kinds of a station's events
_STATE_END, _REPAIR_END, _CREW_REPAIR_END, _COMMISSION = range(4)


class Station(Node):
    """One station of the plant and its state machine (the roles are subclasses).

    The plant numbers its products (``product_indices``): a station's tallies by product, its
    output ports and its changeover times are kept by those numbers."""

    role = "produce"

    def __init__(
        self,
        kernel: Kernel,
        index: int,
        station_id: str,
        products: list[str],
        initial: str,
        eff_rate: float,
        lot_size: int,
        campaign_lots: int,
        make_to_order: bool,
        between: Draws | None,
        repair: Draws | None,
        changeover: list[list[Draws | None]],
        dispatcher: Dispatcher,
        need: Callable[[str], float],
        in_process: array[float],
        product_indices: dict[str, int],
    ) -> None:
        self.k = kernel
        self.index = index
        self.id = station_id
        self.products = products
        self.product = initial
        self._product_index = product_indices  # each of the plant's products' index
        self.product_index = product_indices[initial]
        self.eff_rate = eff_rate
        self.lot_size = lot_size
        self.campaign_lots = campaign_lots
        self.make_to_order = make_to_order
        self._between = between
        self._repair = repair
        self._changeover = changeover  # [from product index][to product index]
        self._next_product = dispatcher.next_product  # bound once: it is called every lot
        self._need = need
        self._in_process = in_process
        # the output port of each product (by index): a buffer or storage
        self.out: list[Node | None] = [None] * len(product_indices)
        self.inp: Buffer | None = None
        self.completions: Completions | None = None  # end products' finished lots
        self.commissioned = False
        self.failed = False
        self.waiting_crew = False
        self.restart_debt = 0.0
        self.changeover_left = 0.0
        self.blocked_lot: Lot | None = None
        self._offering = False  # inside _put's offer
        self._pulling = False  # inside _start_lot's pull from the input buffer
        self.lot: Lot | None = None
        self.lot_done = 0.0  # units done of the current lot
        self.ttf = between.next() if between else float("inf")  # producing hours to next failure
        self.campaign_done = 0  # lots finished in the current campaign
        self.lots_started = 0
        self.state = NOT_COMMISSIONED
        self.since = 0.0
        self.idle_since = 0.0
        self.hours = [0.0] * 10  # hours in each of LINE_STATES (a C array compiled)
        self.made_by_index = zeros(len(product_indices))  # units of finished lots
        self.good = 0.0  # units of its lots stored or consumed into assemblies
        self.scrap = 0.0  # units of its lots scrapped by a rejected test (N - n)
        self.failures = 0
        self.repairs = 0  # repairs finished
        self.restoration_hours = 0.0  # calendar hours from each failure to its repair's end
        self._failed_at = 0.0
        self.crew: Crew | None = None
        self._repair_work: Work | None = None
        self._repair_hours = 0.0
        self._version = 0
        self._pending = _END_LOT
        self.ramp: Ramp | None = None
        self.on_backup = False  # carried by the plant's generators during cuts
        self.commissioned_at: float | None = None

    @property
    def made(self) -> dict[str, float]:
        """Units of finished lots, by product (the station's products)."""
        made = self.made_by_index
        return {p: made[self._product_index[p]] for p in self.products}

    # --- the state machine ------------------------------------------------------------------

    def update(self, force: bool = False) -> None:
        """Bring progress up to now, re-derive the state, and schedule the state's end if needed."""
        k = self.k
        now = k.now
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
        elif not k.working:
            new = OFF_SHIFT
        elif not k.powered and not (self.on_backup and k.backup_on):
            new = POWER_OUT
        elif self.failed:
            new = WAITING_FOR_CREW if self.waiting_crew else FAILED
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
            if self.k.event_log is not None:
                self.k.event_log.add(now, _LINE, self.id, _STATE_EVENTS[new], self.product)
        elif not force:
            return
        self._version += 1
        if new != PRODUCING and new != RESTARTING and new != CHANGEOVER:
            return  # no work of its own ends in this state
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
        self.k.fire_at(now + dt, self, _STATE_END, self._version)

    def fire(self, kind: int, arg: int) -> None:
        """A scheduled event: the end of a state's work (``arg``: the version it was scheduled
        for), of a repair on calendar time or by the crew, or the commissioning date."""
        if kind == _STATE_END:
            self._end(arg)
        elif kind == _REPAIR_END:
            self._repaired()
        elif kind == _CREW_REPAIR_END:
            self._crew_repaired()
        else:
            self.commission()

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

    # --- failures and repairs ---------------------------------------------------------------

    def _fail(self) -> None:
        k = self.k
        assert self._between is not None and self._repair is not None
        self.failed = True
        self.failures += 1
        self._failed_at = k.now
        self.ttf = self._between.next()
        k.log(k.now, _LINE, self.id, _FAILURE, self.product)
        repair = self._repair.next()
        if self.crew is None:  # repaired by whoever is there: on calendar time from now
            k.fire_at(k.now + repair, self, _REPAIR_END, 0)
        else:
            self.waiting_crew = True
            self._repair_hours = repair
            self.crew.request(self)

    def crew_arrived(self, on_duty: bool) -> None:
        """A member of the crew took on this station's repair (it runs in the crew's time)."""
        self.update()
        self.waiting_crew = False
        assert self.crew is not None
        k = self.k
        k.log(k.now, _LINE, self.id, _REPAIR_STARTED, self.product, "", 0, self.crew.id)
        if self._repair_work is None:
            self._repair_work = Work(k, self, _CREW_REPAIR_END)
        self._repair_work.start(self._repair_hours, on_duty)
        self.update()

    def crew_duty(self, on: bool) -> None:
        """The crew came on or went off duty: the repair in hand runs or pauses."""
        if self._repair_work is not None and self.failed and not self.waiting_crew:
            self._repair_work.run(on)

    def _crew_repaired(self) -> None:
        self._repaired()
        assert self.crew is not None
        self.crew.release()

    def _repaired(self) -> None:
        self.update()
        self.failed = False
        self.repairs += 1
        self.restoration_hours += self.k.now - self._failed_at
        self.k.log(self.k.now, _LINE, self.id, _REPAIRED, self.product)
        self.update()

    # --- the plant's conditions ---------------------------------------------------------------

    def power_returned(self, restart: float) -> None:
        """Power is back: the station owes its restart time again (a new cut resets, never adds)."""
        self.update()
        if self.commissioned:
            self.restart_debt = restart
        # forced: the state may already be `restarting` with the end of an older debt scheduled
        self.update(force=True)

    def has_power(self) -> bool:
        """Whether the station has power now, from the grid or from the generators."""
        k = self.k
        return k.powered or (self.on_backup and k.backup_on)

    def commission_at(self, time: float) -> None:
        """Commission the station at ``time`` (a date set by the scenario)."""
        self.k.fire_at(time, self, _COMMISSION, 0)

    def commission(self, ramp: RampUp | None = None) -> None:
        """The station is ready: it starts its first lot, ramping up if ``ramp`` says so."""
        self.update()
        self.commissioned = True
        self.commissioned_at = self.k.now
        if ramp is not None:
            self.ramp = Ramp(ramp, self.k.now)
        self.k.log(self.k.now, _LINE, self.id, _COMMISSIONED, self.product)
        self._start_lot()
        self.update()

    # --- lots ---------------------------------------------------------------------------------

    def _finish_lot(self) -> None:
        k = self.k
        lot = self.lot
        assert lot is not None
        now = k.now
        lot.made_at = now
        if self.ramp is not None:
            lot.defect_factor = self.ramp.defect(now)
        if self.completions is not None:
            self.completions.add(now, lot.size)
        self.made_by_index[lot.product_index] += lot.size
        self.lot = None
        self.lot_done = 0.0
        self.campaign_done += 1
        if self.k.event_log is not None:
            lot_id = lot.ident()
            self.k.event_log.add(
                now, _LOT, lot_id, _LOT_PRODUCED, lot.product, lot_id, lot.size, self.id
            )
        self._put(lot)

    def _put(self, lot: Lot) -> None:
        """Offer a finished lot to its output port; carry on, or hold it blocked."""
        self.blocked_lot = lot  # held while offered: storage may take it before offer returns
        self._offering = True
        port = self.out[lot.product_index]
        assert port is not None
        taken = port.offer(lot, self)
        self._offering = False
        if taken or self.blocked_lot is None:
            self.blocked_lot = None
            self._start_lot()
        else:
            lot_id = lot.ident()
            self.k.log(self.k.now, _LOT, lot_id, _LOT_HELD_ON_LINE, lot.product, lot_id, 0, self.id)

    def held_lot(self) -> Lot:
        """The finished lot a blocked station holds."""
        assert self.blocked_lot is not None
        return self.blocked_lot

    def released(self) -> None:
        """The output port took the finished lot the station was holding."""
        if self._offering:  # at once, inside _put: it carries on there
            self.blocked_lot = None
            return
        self.update()
        self.blocked_lot = None
        self._start_lot()
        self.update(force=True)

    def is_idle(self) -> bool:
        """Commissioned and without a lot, in work or held."""
        return self.commissioned and self.lot is None and self.blocked_lot is None

    def wake(self) -> None:
        """Something changed that may give a starved station work (make-to-order ones only)."""
        if self.is_idle():
            self.update()
            self._start_lot()
            self.update(force=True)

    def _start_lot(self) -> None:
        """Choose the product (the dispatcher), set up a changeover if it changes, start a lot."""
        if not self.commissioned:
            return
        product = self._next_product(self, self._need)
        if product is None:
            self.lot = None
            return
        self._new_lot(product)

    def _setup(self, product: str, index: int) -> None:
        """A changeover to ``product`` (``index``: its index) when it is not the one set up."""
        if index != self.product_index:
            changeover = self._changeover[self.product_index][index]
            assert changeover is not None
            self.changeover_left = changeover.next()
            self.k.log(self.k.now, _LINE, self.id, _SETUP, product, "", 0, self.product)
            self.product = product
            self.product_index = index
            self.campaign_done = 0
        elif self.campaign_done >= self.campaign_lots:
            self.campaign_done = 0

    def _new_lot(self, product: str) -> Lot:
        # most lots are of the product in work: its index is at hand, no lookup by name
        index = self.product_index if product is self.product else self._product_index[product]
        if index != self.product_index or self.campaign_done >= self.campaign_lots:
            self._setup(product, index)
        self.lots_started += 1
        lot = new_lot(self.id, self.lots_started, product, index, self.lot_size, self.index)
        self.lot = lot
        self._in_process[index] += lot.size
        if self.k.event_log is not None:
            lot_id = lot.ident()
            self.k.event_log.add(
                self.k.now, _LOT, lot_id, _LOT_STARTED, product, lot_id, lot.size, self.id
            )
        return lot

    def units_in_process(self) -> dict[str, float]:
        """Units on the station: the lot in work (made so far) and a lot it holds blocked."""
        out = dict.fromkeys(self.products, 0.0)
        if self.lot is not None:
            out[self.lot.product] = out.get(self.lot.product, 0.0) + self.lot_done
        if self.blocked_lot is not None:
            lot = self.blocked_lot
            out[lot.product] = out.get(lot.product, 0.0) + lot.units
        return out

    def partial(self) -> float:
        """Units made of the lot in work (0 for stations that make nothing)."""
        return self.lot_done if self.lot is not None else 0.0


class ProduceStation(Station):
    """Makes lots from unlimited raw material: the lines of format 1."""


class ProcessStation(Station):
    """Takes lots from its input buffer, oldest it can work on first, and works on each at its
    rate; the lot keeps its id. ``products`` limits what it takes (empty: anything)."""

    role = "process"

    def __init__(self, *args: object, takes: frozenset[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.takes = takes
        self.processed: dict[str, float] = {}
        self.lots_done = 0

    def wants(self, lot: Lot) -> bool:
        """Whether it is idle and may take ``lot``."""
        return self.is_idle() and (not self.takes or lot.product in self.takes)

    def accept(self, lot: Lot) -> None:
        """Take ``lot`` from the input buffer and start working on it (when it pulls the lot
        itself, its caller brings the state up to date before and after)."""
        pulled = self._pulling
        if not pulled:
            self.update()
        self._setup(lot.product, lot.product_index)
        self.lot = lot
        self.lot_size = lot.units  # the work of this lot, in units
        self.lot_done = 0.0
        k = self.k
        if self.k.event_log is not None:
            lot_id = lot.ident()
            self.k.event_log.add(
                k.now, _LOT, lot_id, _PROCESS_STARTED, lot.product, lot_id, lot.units, self.id
            )
        if not pulled:
            self.update(force=True)

    def _start_lot(self) -> None:
        if not self.commissioned:
            return
        self.lot = None
        self.idle_since = self.k.now
        assert self.inp is not None
        self._pulling = True
        self.inp.admit()
        self._pulling = False

    def _finish_lot(self) -> None:
        k = self.k
        lot = self.lot
        assert lot is not None
        self.processed[lot.product] = self.processed.get(lot.product, 0.0) + lot.units
        self.lots_done += 1
        self.lot = None
        self.lot_done = 0.0
        self.campaign_done += 1
        if self.k.event_log is not None:
            lot_id = lot.ident()
            self.k.event_log.add(
                k.now, _LOT, lot_id, _LOT_PROCESSED, lot.product, lot_id, lot.units, self.id
            )
        self._put(lot)

    def partial(self) -> float:
        return 0.0

    def units_in_process(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for lot in (self.lot, self.blocked_lot):
            if lot is not None:
                out[lot.product] = out.get(lot.product, 0.0) + lot.units
        return out


class AssembleStation(Station):
    """Starts a lot of N units only when its input buffer holds N x q units of every component
    of the product's bill, and takes them oldest lot first (splitting a lot when it needs part
    of it); the genealogy of the new lot is logged as one ``component_consumed`` per piece."""

    role = "assemble"

    def __init__(
        self, *args: object, bills: dict[str, list[tuple[int, int]]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.bills = bills  # each product's (component's index, units of it a unit)
        self.consumed: dict[str, float] = {}  # units of components consumed, by product
        self.genealogy: list[tuple[str, str, str, float]] = []  # (lot, component lot, product, u)
        self.makers: list[Station] = []  # every station by index, to credit a lot's maker

    def _ready(self) -> str | None:
        """The product the dispatcher chooses, if the input buffer holds its components."""
        product = self._next_product(self, self._need)
        if product is None:
            return None
        assert self.inp is not None
        units = self.inp.units
        for component, q in self.bills[product]:
            if units[component] < self.lot_size * q:
                return None
        return product

    def try_start(self) -> bool:
        """Start a lot if the components are there (the input buffer asks when lots arrive)."""
        if not self.is_idle():
            return False
        product = self._ready()
        if product is None:
            return False
        self.update()
        self._assemble(product)
        self.update(force=True)
        return True

    def _start_lot(self) -> None:
        if not self.commissioned:
            return
        self.lot = None
        self.idle_since = self.k.now
        product = self._ready()
        if product is not None:
            self._assemble(product)

    def _assemble(self, product: str) -> None:
        assert self.inp is not None
        taken: list[tuple[Lot, int]] = []
        for component, q in self.bills[product]:
            taken += self.inp.take_units(component, self.lot_size * q)
        lot = self._new_lot(product)
        lot_id = lot.ident()  # the genealogy names it for every part
        k = self.k
        for part, units in taken:
            c = part.product
            part_id = part.ident()
            self.consumed[c] = self.consumed.get(c, 0.0) + units
            self.genealogy.append((lot_id, part_id, c, units))
            self._in_process[part.product_index] -= units
            part.counted -= units
            if part.units <= 0:  # all of it is in assemblies now; its sampled units leave too
                self._in_process[part.product_index] -= part.counted
                part.counted = 0
            self.makers[part.maker].good += units
            if self.k.event_log is not None:
                self.k.event_log.add(
                    k.now, _LOT, lot_id, _COMPONENT_CONSUMED, c, part_id, units, self.id
                )
        self.inp.admit()  # the components' room may take blocked lots
