"""The test range: a FIFO buffer of finished lots, lanes that test them, and the verdicts.

A test runs in working, powered range time and resumes where it stopped. At its end the lot's
defective fraction p, its defectives D ~ Binomial(N, p) and the sample's d ~ Hypergeometric(N,
D, n) are drawn from the product's quality stream; the lot passes when d < Re. A passed lot is
held on its lane while storage cannot take it whole.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

import numpy as np

from plantwin.sim._events import Event, ObjectType
from plantwin.sim._inspection import Inspection, Plan, Switch
from plantwin.sim._line import Line, Lot
from plantwin.sim._streams import Draws

if TYPE_CHECKING:
    from plantwin.sim._engine import Simulation

__all__ = ["Lane", "TestRange"]

# the event log's names as module constants: reading an Enum class attribute costs about
# 0.2 us, which the engine would pay on every record
_LOT_ACCEPTED = Event.LOT_ACCEPTED
_LOT_QUEUED = Event.LOT_QUEUED
_LOT_REJECTED = Event.LOT_REJECTED
_LOT_SCRAPPED = Event.LOT_SCRAPPED
_LOT_STORED = Event.LOT_STORED
_OFF_SHIFT = Event.OFF_SHIFT
_OPEN = Event.OPEN
_POWER_OUT = Event.POWER_OUT
_TEST_STARTED = Event.TEST_STARTED
_INSPECTION = ObjectType.INSPECTION
_LOT = ObjectType.LOT
_RANGE = ObjectType.RANGE


class Lane:
    """One lane: idle, testing a lot, or holding a passed lot that storage cannot yet take."""

    __slots__ = ("held", "id", "left", "lot", "plan", "since", "version")

    def __init__(self, lane_id: str) -> None:
        self.id = lane_id
        self.lot: Lot | None = None
        self.plan: Plan | None = None
        self.left = 0.0  # test hours still to do
        self.since = 0.0
        self.version = 0
        self.held = False


class TestRange:
    """Lanes, the buffer before them, and the lines waiting for a buffer slot."""

    def __init__(
        self,
        sim: Simulation,
        lanes: int,
        buffer_lots: int,
        test_time: Draws,
        inspection: Inspection,
        defect_fraction: dict[str, Draws],
        sample_rng: dict[str, np.random.Generator],
        resume_after: Draws,
    ) -> None:
        self.sim = sim
        self.lanes = [Lane(f"lane-{i + 1}") for i in range(lanes)]
        self.buffer: deque[Lot] = deque()
        self.buffer_lots = buffer_lots
        self.waiting: deque[Line] = deque()  # blocked lines, longest-blocked first
        self.held: deque[Lane] = deque()  # lanes holding passed lots, oldest first
        self.test_time = test_time
        self.inspection = inspection
        self.defect_fraction = defect_fraction
        self.sample_rng = sample_rng
        self.open = False  # working and powered
        self.on_backup = False  # carried by the plant's generators during cuts
        self.state = _OFF_SHIFT
        self.tested: dict[str, int] = {p: 0 for p in defect_fraction}
        self.accepted: dict[str, int] = {p: 0 for p in defect_fraction}
        self.sampled: dict[str, float] = dict.fromkeys(defect_fraction, 0.0)  # destroyed
        self.scrapped: dict[str, float] = dict.fromkeys(defect_fraction, 0.0)
        self.defectives_shipped: dict[str, float] = dict.fromkeys(defect_fraction, 0.0)
        self.stored: dict[str, float] = dict.fromkeys(defect_fraction, 0.0)  # units put away
        self._retrying = False
        self.resume_after = resume_after
        self.lots_by_state: dict[str, dict[str, int]] = {p: {} for p in defect_fraction}
        self.hours_by_state: dict[str, dict[str, float]] = {p: {} for p in defect_fraction}
        self._state_since: dict[str, float] = dict.fromkeys(defect_fraction, 0.0)
        self.switches: list[tuple[float, str, str, str, str]] = []

    # --- lots arriving and moving up ---------------------------------------------------------

    def receive(self, lot: Lot) -> bool:
        """Take a finished lot onto an idle lane or into the buffer; False when both are full."""
        lane = self._idle_lane() if self._testable(lot) else None
        if lane is not None:
            self._start(lane, lot)
            return True
        if len(self.buffer) < self.buffer_lots:
            self._queue(lot)
            return True
        self.waiting.append(self.sim.lines[lot.line])
        return False

    def _testable(self, lot: Lot) -> bool:
        return self.inspection.state(lot.product) != "discontinued"

    def _idle_lane(self) -> Lane | None:
        for lane in self.lanes:
            if lane.lot is None:
                return lane
        return None

    def _queue(self, lot: Lot) -> None:
        self.buffer.append(lot)
        self.sim.log(self.sim.now, _LOT, lot.id, _LOT_QUEUED, lot.product, lot.id, 0, "buffer")

    def _admit(self) -> None:
        """Move lots up until nothing moves: buffer to idle lanes (first testable lot first),
        then blocked lines' lots to the buffer, longest-blocked first (or straight to a lane).

        The range is work-conserving: when no lot in the buffer can be tested (its product is
        discontinued), an idle lane takes the longest-blocked line's lot that can."""
        while True:
            lane = self._idle_lane()
            if lane is not None:
                lot = next((x for x in self.buffer if self._testable(x)), None)
                if lot is not None:
                    self.buffer.remove(lot)
                    self._start(lane, lot)
                    continue
                line = next((ln for ln in self.waiting if self._testable(ln.held_lot())), None)
                if line is not None:
                    self.waiting.remove(line)
                    self._start(lane, line.held_lot())
                    line.unblock()
                    continue
            if self.waiting and len(self.buffer) < self.buffer_lots:
                line = self.waiting.popleft()
                assert line.blocked_lot is not None
                self._queue(line.blocked_lot)
                line.unblock()
                continue
            return

    def _start(self, lane: Lane, lot: Lot) -> None:
        sim = self.sim
        plan = self.inspection.plan(lot.product, lot.size)
        assert plan is not None
        lane.lot = lot
        lane.plan = plan
        lane.left = self.test_time.next()
        lane.since = sim.now
        lane.held = False
        sim.log(sim.now, _LOT, lot.id, _TEST_STARTED, lot.product, lot.id, 0, lane.id)
        self._schedule(lane)

    def _schedule(self, lane: Lane) -> None:
        lane.version += 1
        if self.open:
            self.sim.schedule(self.sim.now + lane.left, self._tested, (lane, lane.version))

    # --- time --------------------------------------------------------------------------------

    def update(self) -> None:
        """The plant's working or power flag changed: pause or resume the tests."""
        sim = self.sim
        now = sim.now
        was_open = self.open
        self.open = sim.working and (sim.powered or (self.on_backup and sim.backup_on))
        state = _OPEN if self.open else (_OFF_SHIFT if not sim.working else _POWER_OUT)
        if state != self.state:
            self.state = state
            sim.log(now, _RANGE, _RANGE, state)
        if was_open == self.open:
            return
        for lane in self.lanes:
            if lane.lot is None or lane.held:
                continue
            if was_open:
                lane.left -= now - lane.since
            lane.since = now
            self._schedule(lane)

    # --- verdicts ------------------------------------------------------------------------------

    def _tested(self, arg: tuple[Lane, int]) -> None:
        lane, version = arg
        if version != lane.version:
            return
        sim = self.sim
        lot, plan = lane.lot, lane.plan
        assert lot is not None and plan is not None
        product, size = lot.product, lot.size
        rng = self.sample_rng[product]
        p = min(1.0, self.defect_fraction[product].next() * lot.defect_factor)
        defectives = int(rng.binomial(size, p))
        n = min(plan.n, size)
        d = defectives if n >= size else int(rng.hypergeometric(defectives, size - defectives, n))
        passed = d < plan.re
        self.tested[product] += 1
        self.sampled[product] += n
        self.lots_by_state[product][plan.state] = self.lots_by_state[product].get(plan.state, 0) + 1
        switch = self.inspection.record(product, plan, d)
        if switch is not None:
            self._switched(switch, lot.id)
        if passed:
            self.accepted[product] += 1
            # the sample's own defectives leave with it; the rest of the lot's stay in it
            self.defectives_shipped[product] += defectives - d
            sim.log(sim.now, _LOT, lot.id, _LOT_ACCEPTED, product, lot.id, d, lane.id)
            lane.held = True
            self.held.append(lane)
            self.retry_held()
        else:
            self.scrapped[product] += size - n
            sim.in_process[product] -= size
            sim.log(sim.now, _LOT, lot.id, _LOT_REJECTED, product, lot.id, d, lane.id)
            sim.log(
                sim.now,
                _LOT,
                lot.id,
                _LOT_SCRAPPED,
                product,
                lot.id,
                size - n,
                lane.id,
            )
            self._free(lane)
            sim.demand_changed()

    def _switched(self, switch: Switch, lot_id: str = "") -> None:
        """Log a switch of inspection state, keep the time per state, and plan a resumption."""
        sim = self.sim
        p = switch.product
        hours = self.hours_by_state[p]
        hours[switch.before] = hours.get(switch.before, 0.0) + sim.now - self._state_since[p]
        self._state_since[p] = sim.now
        self.switches.append((sim.now, p, switch.before, switch.after, switch.reason))
        sim.log(sim.now, _INSPECTION, p, switch.after, p, lot_id, 0, switch.reason)
        if switch.after == "discontinued":
            sim.schedule(sim.now + self.resume_after.next(), self._resume, p)
        elif switch.before == "discontinued":
            self._admit()

    def _resume(self, product: str) -> None:
        self._switched(self.inspection.resume(product))

    def state_hours(self, now: float) -> dict[str, dict[str, float]]:
        """Hours each product spent in each inspection state up to ``now``."""
        out = {}
        for p, hours in self.hours_by_state.items():
            cur = self.inspection.state(p)
            h = dict(hours)
            h[cur] = h.get(cur, 0.0) + now - self._state_since[p]
            out[p] = h
        return out

    def retry_held(self) -> None:
        """Put held passed lots into storage, oldest first, while they fit whole."""
        if self._retrying:
            return
        self._retrying = True
        sim = self.sim
        storage = sim.storage
        while self.held:
            lane = self.held[0]
            lot, plan = lane.lot, lane.plan
            assert lot is not None and plan is not None
            units = lot.size - min(plan.n, lot.size)
            if not storage.fits(units):
                break
            self.held.popleft()
            storage.put(sim.now, lot.product, lot.id, units)
            sim.in_process[lot.product] -= lot.size
            sim.lines[lot.line].good += units
            self.stored[lot.product] += units
            sim.log(
                sim.now,
                _LOT,
                lot.id,
                _LOT_STORED,
                lot.product,
                lot.id,
                units,
                "storage",
            )
            self._free(lane)
            sim.orders.ship(lot.product)
        self._retrying = False

    def _free(self, lane: Lane) -> None:
        """A lane is free: lots move up behind it."""
        lane.lot = None
        lane.plan = None
        lane.held = False
        lane.version += 1
        self._admit()

    def units_in_process(self) -> dict[str, float]:
        """Units of lots in the buffer and on the lanes (testing or held)."""
        out = dict.fromkeys(self.tested, 0.0)
        for lot in self.buffer:
            out[lot.product] += lot.size
        for lane in self.lanes:
            on_lane = lane.lot
            if on_lane is not None:
                # a held lot's sample is already destroyed and counted as such
                sampled = min(lane.plan.n, on_lane.size) if lane.held and lane.plan else 0
                out[on_lane.product] += on_lane.size - sampled
        return out
