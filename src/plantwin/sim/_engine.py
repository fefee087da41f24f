"""The engine: one run of a scenario as a discrete-event simulation with its own event loop.

The kernel holds the clock, the heap and the plant-wide conditions; the plant holds the nodes.
This class lays out what is known before the run (shifts, grid cuts, crews' duty), broadcasts
the conditions to the nodes as they change, and reports progress. The engine does no I/O:
progress goes to an optional callback, results come back as a RunResult.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from plantwin.scenario import Network, Scenario, duration_hours
from plantwin.sim._budget import MAX_EVENTS, EventBudgetExceeded
from plantwin.sim._calendar import working_windows
from plantwin.sim._dispatch import CampaignRule, Dispatcher
from plantwin.sim._events import Event, ObjectType
from plantwin.sim._grid import grid_timeline
from plantwin.sim._heap import Target, release
from plantwin.sim._kernel import Kernel
from plantwin.sim._plant import Plant, network_of
from plantwin.sim._project import Commissioning
from plantwin.sim._result import RunResult
from plantwin.sim._streams import Streams
from plantwin.sim._tester import TestStation

__all__ = ["Progress", "Simulation", "collector_paused"]

CAMPAIGN_RULE = CampaignRule()
# the kinds of the engine's own events (shifts, grid, generators, crews' duty, progress)
_BEGIN, _SHIFT, _POWER, _BACKUP_START, _DUTY_ON, _DUTY_OFF, _REPORT = range(7)

Progress = Callable[[float, float], None]
"""Called as progress(now_hours, horizon_hours) about a hundred times a run."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector: a run makes many short-lived objects and no garbage cycles
    while it runs, and the collector would walk every object of the process again and again
    for nothing (about a tenth of a run). Its plant is a cycle, collected later as usual."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class Simulation(Target):
    """One replication of one scenario (either format); ``run()`` plays it to the horizon."""

    def __init__(
        self,
        scenario: Scenario | Network,
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
        net = self.network = network_of(scenario)
        self.seed = seed
        self.replication = replication
        start = net.plant.start
        self.horizon = duration_hours(horizon or net.plant.horizon, start)
        k = self.kernel = Kernel(self.horizon, max_events, event_log)
        self.event_log = k.event_log
        streams = Streams(seed, replication)
        k.fire_at(0.0, self, _BEGIN, 0)
        plant = self.plant = Plant(k, net, streams, dispatcher or CAMPAIGN_RULE, self.horizon)
        self._stations = plant.stations
        # told of every change of the conditions, in this order (test stations first)
        self._testers: list[TestStation] = plant.testers
        self._projects: list[Commissioning] = plant.projects
        backup = net.grid.backup
        self._restart = net.grid.restart
        self._backup = backup
        self._backup_start_fails = streams.generator("grid:backup") if backup is not None else None
        self._cut = 0

        # shifts and cuts are laid out before the run: check their number before building them
        windows_per_day = max(1, len(net.calendar.shifts))
        if 2 * windows_per_day * (self.horizon / 24 + 2) > max_events:
            raise EventBudgetExceeded(max_events, "the shifts of the whole horizon", 0.0)
        for a, b in working_windows(net.calendar, start, self.horizon):
            k.fire_at(a, self, _SHIFT, 1)
            k.fire_at(b, self, _SHIFT, 0)
        self.grid = grid_timeline(net.grid, streams, self.horizon, max_events - k.pending)
        for a, b in self.grid.off:
            k.fire_at(a, self, _POWER, 0)
            k.fire_at(b, self, _POWER, 1)
        for i, spec in enumerate(net.crews):  # plant.crews[i] is built from spec
            if spec.calendar is not None:
                for a, b in working_windows(spec.calendar, start, self.horizon):
                    k.fire_at(a, self, _DUTY_ON, i)
                    k.fire_at(b, self, _DUTY_OFF, i)
        self._progress = progress
        if progress is not None:
            for i in range(1, 100):
                k.fire_at(self.horizon * i / 100, self, _REPORT, 0)

    @property
    def now(self) -> float:
        """The clock, in hours from the start."""
        return self.kernel.now

    @property
    def events(self) -> int:
        """Engine events so far."""
        return self.kernel.events

    def run_until(self, until: float) -> None:
        """Process every event before ``until`` and bring all progress up to it."""
        with collector_paused():
            self.kernel.run_until(min(until, self.horizon))
        for station in self._stations:
            station.update()

    def run(self) -> RunResult:
        """Play the run to the horizon and return its RunResult."""
        self.run_until(self.horizon)
        if self._progress is not None:
            self._progress(self.horizon, self.horizon)
        return RunResult.from_simulation(self)

    def release(self) -> None:
        """Free the plant once the run is over and its result taken. Its nodes point at one
        another, a project's work back at the project, and the kernel at them all through its
        pending events; left to the cycle collector, they cost it about 5 % of an experiment's
        replication (0.8 M instructions within its collections). The simulation cannot go on
        afterwards."""
        plant = self.plant
        lanes = [lane for tester in plant.testers for lane in tester.lanes]
        works = [project.work for project in plant.projects]
        nodes = [*plant.stations, *plant.testers, *lanes, *plant.buffers]
        release([*nodes, plant.storage, plant.orders, *works, self.kernel, self])

    def balance(self) -> dict[str, dict[str, float]]:
        """Where every unit made is now, per product (conservation: made = the sum of the rest)."""
        return self.plant.balance()

    # --- plant-wide conditions, broadcast to the nodes -----------------------------------------

    def fire(self, kind: int, arg: int) -> None:
        """One of the engine's events: a shift or the grid (``arg``: 1 on, 0 off), a crew's
        duty (``arg``: the crew's index), the generators' start (``arg``: the cut's number)."""
        if kind == _SHIFT:
            self._shift(arg == 1)
        elif kind == _POWER:
            self._power(arg == 1)
        elif kind in (_DUTY_ON, _DUTY_OFF):
            self.plant.crews[arg].duty(kind == _DUTY_ON)
        elif kind == _BACKUP_START:
            self._backup_start(arg)
        elif kind == _BEGIN:
            self._begin()
        else:
            self._report()

    def _begin(self) -> None:
        for station in self.plant.ready:
            station.commission()
        for tester in self.plant.testers:
            tester.update()

    def _changed(self) -> None:
        for tester in self._testers:
            tester.update()
        for project in self._projects:
            project.update()

    def _shift(self, on: bool) -> None:
        self.kernel.working = on
        for station in self._stations:
            station.update()
        self._changed()

    def _power(self, on: bool) -> None:
        """The grid goes off or comes back; generators may carry some stations meanwhile."""
        k = self.kernel
        k.powered = on
        k.log(k.now, ObjectType.GRID, ObjectType.GRID, Event.POWER_ON if on else Event.POWER_OFF)
        restart = self._restart
        carried = k.backup_on  # stations on the generators saw no break if they ran
        k.backup_on = False
        if not on and self._backup_start_fails is not None:
            backup = self._backup
            assert backup is not None
            self._cut += 1
            if self._backup_start_fails.random() < backup.fail_to_start:
                k.log(k.now, ObjectType.GRID, "backup", Event.BACKUP_FAILED_TO_START)
            elif backup.start_delay == 0:
                k.backup_on = True
                k.log(k.now, ObjectType.GRID, "backup", Event.BACKUP_STARTED)
            else:
                k.fire_at(k.now + backup.start_delay, self, _BACKUP_START, self._cut)
        for station in self._stations:
            if on and not (carried and station.on_backup):
                station.power_returned(restart)
            else:
                station.update()
        self._changed()

    def _backup_start(self, cut: int) -> None:
        k = self.kernel
        if cut != self._cut or k.powered:
            return  # the grid came back first
        k.backup_on = True
        k.log(k.now, ObjectType.GRID, "backup", Event.BACKUP_STARTED)
        for station in self._stations:
            if station.on_backup:
                station.power_returned(self._restart)
        self._changed()

    def _report(self) -> None:
        assert self._progress is not None
        self._progress(self.kernel.now, self.horizon)
