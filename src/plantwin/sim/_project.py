"""Commissioning a line: delivery (maybe blocked and re-sourced), installation, qualification.

Installation and qualification work is done in working, powered hours (the line's power, so a
generator that carries the line carries its installation too); it pauses through cuts and
nights and resumes where it stopped. At qualification the line is commissioned and ramps up.
"""

from __future__ import annotations

from datetime import date

from plantwin.scenario import Project
from plantwin.sim._calendar import hours_at
from plantwin.sim._events import Event, ObjectType
from plantwin.sim._kernel import Call, Kernel, Work
from plantwin.sim._station import Station
from plantwin.sim._streams import Streams

__all__ = ["Commissioning"]


class Commissioning:
    """The project of one station, from planned delivery to the end of its ramp-up."""

    def __init__(
        self,
        kernel: Kernel,
        station: Station,
        project: Project,
        start: date,
        streams: Streams,
        block: float | None,
    ) -> None:
        self.k = kernel
        self.line = station
        self.project = project
        prefix = f"line:{station.id}"
        delay = streams.draws(f"{prefix}:delivery", project.delivery_delay).next()
        self.hours = streams.draws(f"{prefix}:installation", project.installation).next()
        self.work = Work(kernel, Call(self._finished, None), 0)
        self.active = False  # installing
        self.paused_by_power = False  # a cut paused the work and it has not resumed yet
        self.delivered_at: float | None = None
        self.qualified_at: float | None = None
        arrive = max(0.0, hours_at(project.delivery, start) + delay)
        if block is None:
            kernel.schedule(arrive, self._delivered, "delivered")
        else:
            kernel.schedule(arrive, self._blocked, block)

    def _log(self, event: Event, related: str = "") -> None:
        self.k.log(self.k.now, ObjectType.LINE, self.line.id, event, "", "", 0, related)

    def _blocked(self, resource_time: float) -> None:
        self._log(Event.SHIPMENT_BLOCKED, self.project.supplier or "")
        self.k.schedule(self.k.now + resource_time, self._delivered, "resourced")

    def _delivered(self, how: str) -> None:
        self.delivered_at = self.k.now
        if how == "resourced":
            self._log(Event.RESOURCED, self.project.supplier or "")
        self._log(Event.DELIVERED)
        self._log(Event.INSTALLATION_STARTED)
        self.active = True
        self.work.start(self.hours, self.k.working and self.line.has_power())

    def update(self) -> None:
        """The plant's working or power flags changed: pause or resume the work."""
        if not self.active:
            return
        k = self.k
        was = self.work.running
        running = k.working and self.line.has_power()
        # only the grid pauses a project (a night does not): log a cut's pause and the resumption
        # that follows it, which may come at the next shift start
        if was and not running and k.working:
            self.paused_by_power = True
            self._log(Event.INSTALLATION_PAUSED)
        elif running and not was and self.paused_by_power:
            self.paused_by_power = False
            self._log(Event.INSTALLATION_RESUMED)
        self.work.run(running)

    def _finished(self, _: None) -> None:
        k = self.k
        self.active = False
        self.qualified_at = k.now
        self._log(Event.INSTALLATION_FINISHED)
        self._log(Event.QUALIFIED)
        ramp = self.project.ramp_up
        self.line.commission(ramp=ramp if ramp and ramp.duration > 0 else None)
        if ramp and ramp.duration > 0:
            k.schedule(k.now + ramp.duration, self._ramped, None)

    def _ramped(self, _: None) -> None:
        self._log(Event.RAMP_UP_REACHED)
