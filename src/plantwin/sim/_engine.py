"""The engine: one run of a scenario as a discrete-event simulation with its own event loop.

The loop is a heap of (time, sequence, callback, argument). Calendar shifts and grid cuts are
drawn up front and put on the heap; lines, lanes and orders schedule their own events. The
engine does no I/O: progress goes to an optional callback, results come back as a RunResult.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from typing import Any

from plantwin.scenario import Scenario, duration_hours
from plantwin.sim._budget import MAX_EVENTS, EventBudgetExceeded
from plantwin.sim._calendar import hours_at, working_windows
from plantwin.sim._demand import Orders, order_book
from plantwin.sim._dispatch import CampaignRule, Dispatcher
from plantwin.sim._events import Event, ObjectType
from plantwin.sim._grid import grid_timeline
from plantwin.sim._inspection import FixedInspection, Inspection
from plantwin.sim._line import Line
from plantwin.sim._project import Commissioning
from plantwin.sim._range import TestRange
from plantwin.sim._records import EventLog, _NoLog
from plantwin.sim._result import RunResult
from plantwin.sim._storage import Storage
from plantwin.sim._streams import Streams

__all__ = ["Progress", "Simulation", "inspection_for"]

CAMPAIGN_RULE = CampaignRule()

Progress = Callable[[float, float], None]
"""Called as progress(now_hours, horizon_hours) about a hundred times a run."""


def inspection_for(scenario: Scenario) -> Inspection:
    """The sampling scheme the scenario's range uses."""
    sampling = scenario.range.sampling
    if sampling.plan is not None:
        return FixedInspection(sampling.plan.n, sampling.plan.ac, sampling.plan.re)
    from plantwin.sim._standard import StandardInspection

    return StandardInspection(sampling, scenario.product_ids())


class Simulation:
    """One replication of one scenario; ``run()`` plays it to the horizon."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int = 0,
        *,
        replication: int = 0,
        horizon: str | float | None = None,
        event_log: bool = True,
        progress: Progress | None = None,
        max_events: int = MAX_EVENTS,
        dispatcher: Dispatcher | None = None,
    ) -> None:
        self.scenario = scenario
        self.max_events = max_events
        self.seed = seed
        self.replication = replication
        start = scenario.plant.start
        self.horizon = duration_hours(horizon or scenario.plant.horizon, start)
        self.now = 0.0
        self.working = False
        self.powered = True  # the grid
        self.backup_on = False  # the generators carry their lines and maybe the range
        self.completions: list[tuple[float, int]] = []  # (time, units) of every finished lot
        self.events = 0
        self._heap: list[tuple[float, int, Callable[[Any], None], Any]] = []
        self._seq = itertools.count()
        self.event_log: EventLog | None = EventLog() if event_log else None
        self.log = self.event_log.add if self.event_log is not None else _NoLog.add
        streams = Streams(seed, replication)
        products = scenario.product_ids()
        self.in_process: dict[str, float] = dict.fromkeys(products, 0.0)
        self.storage = Storage(products, scenario.storage.capacity)
        self.schedule(0.0, self._begin, None)

        self.lines: dict[str, Line] = {}
        self._ready: list[str] = []
        for spec in scenario.lines:
            fails = spec.failures
            prefix = f"line:{spec.id}"
            changeover = {
                (a, b): streams.draws(
                    f"{prefix}:changeover:{a}->{b}", _changeover_time(scenario, a, b)
                )
                for a in spec.products
                for b in spec.products
                if a != b
            }
            ready = spec.project is None and (
                spec.commissioned is None or hours_at(spec.commissioned, start) <= 0
            )
            self.lines[spec.id] = Line(
                self,
                spec.id,
                list(spec.products),
                spec.initial_product or spec.products[0],
                spec.rate * spec.performance,
                spec.lot_size,
                spec.campaign_lots or scenario.changeover.campaign_lots,
                spec.make_to == "order",
                streams.draws(f"{prefix}:failure", fails.between) if fails else None,
                streams.draws(f"{prefix}:repair", fails.repair) if fails else None,
                changeover,
                commissioned=False,
                dispatcher=dispatcher or CAMPAIGN_RULE,
            )
            if ready:
                self._ready.append(spec.id)
            elif spec.commissioned is not None:
                self.schedule(hours_at(spec.commissioned, start), self.lines[spec.id].commission, 0)
        self._to_order = [ln for ln in self.lines.values() if ln.make_to_order]
        self._line_list = list(self.lines.values())
        blocks = self._supplier_blocks(streams)
        self.projects = [
            Commissioning(
                self,
                self.lines[spec.id],
                spec.project,
                streams,
                blocks.get(spec.project.supplier or ""),
            )
            for spec in scenario.lines
            if spec.project is not None
        ]
        backup = scenario.grid.backup
        self._backup_start_fails = streams.generator("grid:backup") if backup is not None else None
        self._cut = 0
        for line_id in backup.lines if backup else []:
            self.lines[line_id].on_backup = True

        rng = scenario.range
        self.range = TestRange(
            self,
            rng.lanes,
            scenario.buffer.lots,
            streams.draws("range:test_time", rng.test_time),
            inspection_for(scenario),
            {
                p.id: streams.draws(f"product:{p.id}:quality", p.defect_fraction)
                for p in scenario.products
            },
            {p: streams.generator(f"product:{p}:sample") for p in products},
            streams.draws("range:resume", rng.sampling.resume_after),
        )
        self.range.on_backup = backup is not None and backup.range
        self.orders = Orders(self, products, order_book(scenario.demand, start, self.horizon))

        # shifts and cuts are laid out before the run: check their number before building them
        windows_per_day = max(1, len(scenario.calendar.shifts))
        if 2 * windows_per_day * (self.horizon / 24 + 2) > max_events:
            raise EventBudgetExceeded(max_events, "the shifts of the whole horizon", 0.0)
        for a, b in working_windows(scenario.calendar, start, self.horizon):
            self.schedule(a, self._shift, True)
            self.schedule(b, self._shift, False)
        self.grid = grid_timeline(
            scenario.grid, streams, self.horizon, max_events - len(self._heap)
        )
        for a, b in self.grid.off:
            self.schedule(a, self._power, False)
            self.schedule(b, self._power, True)
        self._progress = progress
        if progress is not None:
            for k in range(1, 100):
                self.schedule(self.horizon * k / 100, self._report, None)

    # --- the loop -----------------------------------------------------------------------------

    def schedule(self, time: float, callback: Callable[[Any], None], arg: Any) -> None:
        """Call ``callback(arg)`` at ``time`` (ties run in the order they were scheduled)."""
        heapq.heappush(self._heap, (time, next(self._seq), callback, arg))

    def run_until(self, until: float) -> None:
        """Process every event before ``until`` and bring all progress up to it."""
        until = min(until, self.horizon)
        heap = self._heap
        pop = heapq.heappop
        n = 0
        left = self.max_events - self.events
        while heap and heap[0][0] < until:
            t, _, callback, arg = pop(heap)
            self.now = t
            callback(arg)
            n += 1
            if n >= left:
                raise EventBudgetExceeded(self.max_events, "the run's events", t)
        self.events += n
        self.now = until
        for line in self.lines.values():
            line.update()

    def run(self) -> RunResult:
        """Play the run to the horizon and return its RunResult."""
        self.run_until(self.horizon)
        if self._progress is not None:
            self._progress(self.horizon, self.horizon)
        return RunResult.from_simulation(self)

    # --- plant-wide events --------------------------------------------------------------------

    def _begin(self, _: Any) -> None:
        for line_id in self._ready:
            self.lines[line_id].commission()
        self.range.update()

    def _supplier_blocks(self, streams: Streams) -> dict[str, float]:
        """For each blocked supplier, the re-sourcing time its shipments wait."""
        out = {}
        for sup in self.scenario.suppliers:
            blocked = streams.generator(f"supplier:{sup.id}:block").random() < sup.block_probability
            if blocked and sup.resource_time is not None:
                out[sup.id] = streams.draws(f"supplier:{sup.id}:resource", sup.resource_time).next()
        return out

    def _flags_changed(self) -> None:
        self.range.update()
        for project in self.projects:
            project.update()

    def _shift(self, on: bool) -> None:
        self.working = on
        for line in self._line_list:
            line.update()
        self._flags_changed()

    def _power(self, on: bool) -> None:
        """The grid goes off or comes back; generators may carry some lines meanwhile."""
        self.powered = on
        self.log(
            self.now, ObjectType.GRID, ObjectType.GRID, Event.POWER_ON if on else Event.POWER_OFF
        )
        restart = self.scenario.grid.restart
        carried = self.backup_on  # lines on the generators saw no break if they ran
        self.backup_on = False
        if not on and self._backup_start_fails is not None:
            backup = self.scenario.grid.backup
            assert backup is not None
            self._cut += 1
            if self._backup_start_fails.random() < backup.fail_to_start:
                self.log(self.now, ObjectType.GRID, "backup", Event.BACKUP_FAILED_TO_START)
            elif backup.start_delay == 0:
                self.backup_on = True
                self.log(self.now, ObjectType.GRID, "backup", Event.BACKUP_STARTED)
            else:
                self.schedule(self.now + backup.start_delay, self._backup_start, self._cut)
        for line in self._line_list:
            if on and not (carried and line.on_backup):
                line.power_returned(restart)
            else:
                line.update()
        self._flags_changed()

    def _backup_start(self, cut: int) -> None:
        if cut != self._cut or self.powered:
            return  # the grid came back first
        self.backup_on = True
        self.log(self.now, ObjectType.GRID, "backup", Event.BACKUP_STARTED)
        restart = self.scenario.grid.restart
        for line in self._line_list:
            if line.on_backup:
                line.power_returned(restart)
        self._flags_changed()

    def _report(self, _: Any) -> None:
        assert self._progress is not None
        self._progress(self.now, self.horizon)

    # --- what components ask of the plant -----------------------------------------------------

    def net_requirement(self, product: str) -> float:
        """Open orders - stock - units in process (lots on lines counted whole)."""
        return (
            self.orders.open_units[product] - self.storage.stock[product] - self.in_process[product]
        )

    def demand_changed(self) -> None:
        """Orders came in or a lot was scrapped: make-to-order lines may have work again."""
        for line in self._to_order:
            line.wake()

    def storage_freed(self) -> None:
        """Stock shipped: passed lots held on the range may now fit."""
        if self.range.held:
            self.range.retry_held()

    def balance(self) -> dict[str, dict[str, float]]:
        """Where every unit made is now, per product (conservation: made = the sum of the rest)."""
        out: dict[str, dict[str, float]] = {}
        on_lines = [ln.units_in_process() for ln in self.lines.values()]
        on_range = self.range.units_in_process()
        for p in self.scenario.product_ids():
            made = sum(ln.made.get(p, 0.0) for ln in self.lines.values()) + sum(
                ln.lot_done
                for ln in self.lines.values()
                if ln.lot is not None and ln.lot.product == p
            )
            parts = {
                "in_process": sum(u.get(p, 0.0) for u in on_lines) + on_range[p],
                "sampled": self.range.sampled[p],
                "scrapped": self.range.scrapped[p],
                "in_storage": self.storage.stock[p],
                "shipped": self.orders.shipped[p],
            }
            out[p] = {"made": made, **parts, "difference": made - sum(parts.values())}
        return out


def _changeover_time(scenario: Scenario, a: str, b: str) -> Any:
    for pair in scenario.changeover.pairs:
        if pair.from_ == a and pair.to == b:
            return pair.time
    return scenario.changeover.time
