"""Commissioning a line: delivery (maybe blocked and re-sourced), installation, qualification.

Installation and qualification work is done in working, powered hours (the line's power, so a
generator that carries the line carries its installation too); it pauses through cuts and
nights and resumes where it stopped. At qualification the line is commissioned and ramps up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plantwin.scenario import Project
from plantwin.sim._calendar import hours_at
from plantwin.sim._events import Event, ObjectType
from plantwin.sim._line import Line
from plantwin.sim._streams import Streams

if TYPE_CHECKING:
    from plantwin.sim._engine import Simulation

__all__ = ["Commissioning"]


class Commissioning:
    """The project of one line, from planned delivery to the end of its ramp-up."""

    def __init__(
        self,
        sim: Simulation,
        line: Line,
        project: Project,
        streams: Streams,
        block: float | None,
    ) -> None:
        self.sim = sim
        self.line = line
        self.project = project
        prefix = f"line:{line.id}"
        delay = streams.draws(f"{prefix}:delivery", project.delivery_delay).next()
        self.work = streams.draws(f"{prefix}:installation", project.installation).next()
        self.left = self.work
        self.active = False  # installing
        self.running = False  # installing right now (working and powered)
        self.paused_by_power = False  # a cut paused the work and it has not resumed yet
        self.since = 0.0
        self.version = 0
        self.delivered_at: float | None = None
        self.qualified_at: float | None = None
        arrive = max(0.0, hours_at(project.delivery, sim.scenario.plant.start) + delay)
        if block is None:
            sim.schedule(arrive, self._delivered, "delivered")
        else:
            sim.schedule(arrive, self._blocked, block)

    def _log(self, event: Event, related: str = "") -> None:
        self.sim.log(self.sim.now, ObjectType.LINE, self.line.id, event, "", "", 0, related)

    def _blocked(self, resource_time: float) -> None:
        self._log(Event.SHIPMENT_BLOCKED, self.project.supplier or "")
        self.sim.schedule(self.sim.now + resource_time, self._delivered, "resourced")

    def _delivered(self, how: str) -> None:
        self.delivered_at = self.sim.now
        if how == "resourced":
            self._log(Event.RESOURCED, self.project.supplier or "")
        self._log(Event.DELIVERED)
        self._log(Event.INSTALLATION_STARTED)
        self.active = True
        self.since = self.sim.now
        self.update(quiet=True)

    def update(self, quiet: bool = False) -> None:
        """The plant's working or power flags changed: pause or resume the work."""
        if not self.active:
            return
        sim = self.sim
        now = sim.now
        if self.running:
            self.left -= now - self.since
        self.since = now
        running = sim.working and self.line.has_power()
        # only the grid pauses a project (a night does not): log a cut's pause and the resumption
        # that follows it, which may come at the next shift start
        if self.running and not running and sim.working and not quiet:
            self.paused_by_power = True
            self._log(Event.INSTALLATION_PAUSED)
        elif running and not self.running and self.paused_by_power:
            self.paused_by_power = False
            self._log(Event.INSTALLATION_RESUMED)
        self.running = running
        self.version += 1
        if running:
            sim.schedule(now + self.left, self._finished, self.version)

    def _finished(self, version: int) -> None:
        if version != self.version:
            return
        sim = self.sim
        self.active = self.running = False
        self.left = 0.0
        self.qualified_at = sim.now
        self._log(Event.INSTALLATION_FINISHED)
        self._log(Event.QUALIFIED)
        ramp = self.project.ramp_up
        self.line.commission(ramp=ramp if ramp and ramp.duration > 0 else None)
        if ramp and ramp.duration > 0:
            sim.schedule(sim.now + ramp.duration, self._ramped, None)

    def _ramped(self, _: None) -> None:
        self._log(Event.RAMP_UP_REACHED)
