"""A test station: lanes that test lots from its input buffer with a sampling plan, and the
verdicts.

A test runs in working, powered time and resumes where it stopped. At a lot's first test its
defective fraction p and its defectives D ~ Binomial(N, p) are drawn from the product's quality
stream; the sample's d ~ Hypergeometric(N, D, n) at every test; the lot passes when d < Re and
goes on with N - n units and D - d defectives. A passed lot is held on its lane until its
output port (storage, or the next buffer) takes it whole.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from plantwin.sim._counts import Counts
from plantwin.sim._draws import Draws
from plantwin.sim._events import Event, ObjectType
from plantwin.sim._inspection import Inspection, Plan, Switch
from plantwin.sim._kernel import Kernel, Work
from plantwin.sim._lot import Lot
from plantwin.sim._node import Node

if TYPE_CHECKING:
    from array import array

    from plantwin.sim._station import Station

__all__ = ["Lane", "Tally", "TestStation"]

# the event log's names as module constants: reading an Enum class attribute costs about
# 0.2 us, which the engine would pay on every record
_LOT_ACCEPTED = Event.LOT_ACCEPTED
_LOT_REJECTED = Event.LOT_REJECTED
_LOT_SCRAPPED = Event.LOT_SCRAPPED
_OFF_SHIFT = Event.OFF_SHIFT
_OPEN = Event.OPEN
_POWER_OUT = Event.POWER_OUT
_TEST_STARTED = Event.TEST_STARTED
_INSPECTION = ObjectType.INSPECTION
_LOT = ObjectType.LOT
_RANGE = ObjectType.RANGE


class Tally:
    """One product's verdicts at a test station (one list item a lot, then fields)."""

    __slots__ = (
        "accepted",
        "defectives_passed",
        "sampled",
        "scrapped",
        "state_lots",
        "states",
        "tested",
    )

    def __init__(self) -> None:
        self.tested = 0  # lots
        self.accepted = 0  # lots
        self.sampled = 0.0  # units destroyed by the samples
        self.scrapped = 0.0  # units of rejected lots, less their samples
        self.defectives_passed = 0.0  # defective units in lots that passed
        # lots tested in each inspection state, the states in the order first seen: two lists,
        # which a lot updates in C, rather than a dict, which it updated through Python's API
        self.states: list[str] = []
        self.state_lots: list[int] = []

    def by_state(self) -> dict[str, int]:
        """Lots tested in each inspection state (states in the order first seen)."""
        return dict(zip(self.states, self.state_lots, strict=True))


class Lane(Node):
    """One lane: idle, testing a lot, or holding a passed lot its output port cannot yet take."""

    __slots__ = ("held", "id", "lot", "plan", "station", "work")

    def __init__(self, station: TestStation, lane_id: str) -> None:
        self.station = station
        self.id = lane_id
        self.lot: Lot | None = None
        self.plan: Plan | None = None
        self.held = False
        self.work = Work(station.k, self, 0)

    def held_lot(self) -> Lot:
        """The passed lot the lane holds."""
        assert self.lot is not None
        return self.lot

    def released(self) -> None:
        """The output port took the lot: the lane is free."""
        self.station.free(self)

    def fire(self, kind: int, arg: int) -> None:
        """The test's work is done."""
        self.station.tested_on(self)


class TestStation(Node):
    """Lanes of one test station, its inspection scheme, and its tallies by product (lists by
    product index, as the random streams by product; the properties give them by name)."""

    role = "test"

    def __init__(
        self,
        kernel: Kernel,
        index: int,
        station_id: str,
        lane_ids: list[str],
        takes: frozenset[str],
        test_time: Draws,
        inspection: Inspection,
        defect_fraction: list[Draws],
        sample_rng: list[Counts],
        resume_after: Draws,
        products: list[str],
        on_scrap: Callable[[], None],
        in_process: array[float],
    ) -> None:
        self.k = kernel
        self.index = index
        self.id = station_id
        self.lanes = [Lane(self, lane_id) for lane_id in lane_ids]
        self.idle_lanes = len(self.lanes)
        self.takes = takes
        self.test_time = test_time
        self.inspection = inspection
        self.defect_fraction = defect_fraction
        self.sample_rng = sample_rng
        self.resume_after = resume_after
        self._on_scrap = on_scrap
        self._in_process = in_process
        self.out: list[Node | None] = [None] * len(products)  # each product's output port
        self.inp: Node | None = None  # a Buffer
        self.idle_since = 0.0
        self.open = False  # working and powered
        self.on_backup = False  # carried by the plant's generators during cuts
        self.state = _OFF_SHIFT
        self.products = products
        self.tallies = [Tally() for _ in products]
        self.first_units = 0.0  # units of lots at their first test
        self.first_passed = 0.0  # units of lots that passed their first test
        self.makers: list[Station] = []  # every station by index, to credit a lot's maker
        self.hours_by_state: dict[str, dict[str, float]] = {p: {} for p in products}
        self._state_since: dict[str, float] = dict.fromkeys(products, 0.0)
        self.switches: list[tuple[float, str, str, str, str]] = []

    # --- the verdicts by product, as the run's record reads them ---------------------------

    def _by_product(self, field: str) -> dict[str, Any]:
        """One field of the tallies, by product name."""
        return {p: getattr(t, field) for p, t in zip(self.products, self.tallies, strict=True)}

    @property
    def tested(self) -> dict[str, int]:
        """Lots tested, by product."""
        return self._by_product("tested")

    @property
    def accepted(self) -> dict[str, int]:
        """Lots accepted, by product."""
        return self._by_product("accepted")

    @property
    def sampled(self) -> dict[str, float]:
        """Units destroyed by the samples, by product."""
        return self._by_product("sampled")

    @property
    def scrapped(self) -> dict[str, float]:
        """Units of rejected lots (less their samples), by product."""
        return self._by_product("scrapped")

    @property
    def defectives_passed(self) -> dict[str, float]:
        """Defective units in lots that passed, by product."""
        return self._by_product("defectives_passed")

    @property
    def lots_by_state(self) -> dict[str, dict[str, int]]:
        """Lots tested in each inspection state, by product."""
        return {p: t.by_state() for p, t in zip(self.products, self.tallies, strict=True)}

    @property
    def inspection_state(self) -> dict[str, str]:
        """Each product's inspection state now."""
        return {p: self.inspection.state(i) for i, p in enumerate(self.products)}

    # --- the reader's side of the input buffer -----------------------------------------------

    def wants(self, lot: Lot) -> bool:
        """Whether a lane is idle and ``lot`` can be tested now (not discontinued)."""
        return (
            self.idle_lanes > 0
            and (not self.takes or lot.product in self.takes)
            and self.inspection.state(lot.product_index) != "discontinued"
        )

    def accept(self, lot: Lot) -> None:
        """Start testing ``lot`` on the first idle lane."""
        for lane in self.lanes:
            if lane.lot is None:
                break
        self.idle_lanes -= 1
        plan = self.inspection.plan(lot.product_index, lot.units)
        assert plan is not None
        lane.lot = lot
        lane.plan = plan
        lane.held = False
        k = self.k
        if k.event_log is not None:
            lot_id = lot.ident()
            k.event_log.add(k.now, _LOT, lot_id, _TEST_STARTED, lot.product, lot_id, 0, lane.id)
        lane.work.start(self.test_time.next(), self.open)

    def free(self, lane: Lane) -> None:
        """A lane is free: lots move up behind it."""
        lane.lot = None
        lane.plan = None
        lane.held = False
        self.idle_lanes += 1
        self.idle_since = self.k.now
        assert self.inp is not None
        self.inp.admit()

    # --- time --------------------------------------------------------------------------------

    def update(self) -> None:
        """The plant's working or power flag changed: pause or resume the tests."""
        k = self.k
        was_open = self.open
        self.open = k.working and (k.powered or (self.on_backup and k.backup_on))
        state = _OPEN if self.open else (_OFF_SHIFT if not k.working else _POWER_OUT)
        if state is not self.state:  # one of three constants: no comparison of strings
            self.state = state
            k.log(k.now, _RANGE, self.id, state)
        if was_open == self.open:
            return
        for lane in self.lanes:
            if lane.lot is not None and not lane.held:
                lane.work.run(self.open)

    # --- verdicts ------------------------------------------------------------------------------

    def tested_on(self, lane: Lane) -> None:
        """A lane's test ended: draw the sample, decide, and send the lot on or scrap it."""
        k = self.k
        lot, plan = lane.lot, lane.plan
        assert lot is not None and plan is not None
        product, i, size = lot.product, lot.product_index, lot.units
        rng = self.sample_rng[i]
        defectives = lot.defectives
        first = defectives < 0
        if first:
            fraction = self.defect_fraction[i]
            p = min(1.0, fraction.next() * lot.defect_factor)
            defectives = rng.binomial(size, p)
        n = min(plan.n, size)
        d = defectives if n >= size else rng.hypergeometric(defectives, size - defectives, n)
        passed = d < plan.re
        if first:
            self.first_units += size
            if passed:
                self.first_passed += size
        tally = self.tallies[i]
        tally.tested += 1
        tally.sampled += n
        state = plan.state
        states = tally.states
        j = 0
        while j < len(states) and states[j] != state:
            j += 1
        if j == len(states):
            states.append(state)
            tally.state_lots.append(0)
        tally.state_lots[j] += 1
        switch = self.inspection.record(i, plan, d)
        if switch is not None:
            self._switched(switch, lot.ident())
        if passed:
            tally.accepted += 1
            # the sample's own defectives leave with it; the rest of the lot's stay in it
            tally.defectives_passed += defectives - d
            if k.event_log is not None:
                lot_id = lot.ident()
                k.event_log.add(k.now, _LOT, lot_id, _LOT_ACCEPTED, product, lot_id, d, lane.id)
            lot.units = size - n
            lot.defectives = defectives - d
            lane.held = True
            port = self.out[i]
            assert port is not None
            if port.offer(lot, lane):
                self.free(lane)
        else:
            tally.scrapped += size - n
            maker = self.makers[lot.maker]
            maker.scrap += size - n
            self._in_process[i] -= lot.counted
            lot.counted = 0
            if k.event_log is not None:
                lot_id = lot.ident()
                k.event_log.add(k.now, _LOT, lot_id, _LOT_REJECTED, product, lot_id, d, lane.id)
                k.event_log.add(
                    k.now, _LOT, lot_id, _LOT_SCRAPPED, product, lot_id, size - n, lane.id
                )
            self.free(lane)
            self._on_scrap()

    def _switched(self, switch: Switch, lot_id: str = "") -> None:
        """Log a switch of inspection state, keep the time per state, and plan a resumption."""
        k = self.k
        p = switch.product
        hours = self.hours_by_state[p]
        hours[switch.before] = hours.get(switch.before, 0.0) + k.now - self._state_since[p]
        self._state_since[p] = k.now
        self.switches.append((k.now, p, switch.before, switch.after, switch.reason))
        k.log(k.now, _INSPECTION, p, switch.after, p, lot_id, 0, switch.reason)
        if switch.after == "discontinued":
            k.fire_at(k.now + self.resume_after.next(), self, 0, self.products.index(p))
        elif switch.before == "discontinued":
            assert self.inp is not None
            self.inp.admit()

    def fire(self, kind: int, arg: int) -> None:
        """The end of product index ``arg``'s discontinuation: its inspection resumes."""
        self._switched(self.inspection.resume(arg))

    def state_hours(self, now: float) -> dict[str, dict[str, float]]:
        """Hours each product spent in each inspection state up to ``now``."""
        out = {}
        for i, p in enumerate(self.products):
            cur = self.inspection.state(i)
            h = dict(self.hours_by_state[p])
            h[cur] = h.get(cur, 0.0) + now - self._state_since[p]
            out[p] = h
        return out

    def units_in_process(self) -> dict[str, float]:
        """Units of the lots on the lanes (testing, or held after their sample was taken)."""
        out = dict.fromkeys(self.products, 0.0)
        for lane in self.lanes:
            if lane.lot is not None:
                out[lane.lot.product] += lane.lot.units
        return out

    def held_units(self) -> dict[str, float]:
        """Units of passed lots held on a lane, by product."""
        out = dict.fromkeys(self.products, 0.0)
        for lane in self.lanes:
            if lane.lot is not None and lane.held:
                out[lane.lot.product] += lane.lot.units
        return out
