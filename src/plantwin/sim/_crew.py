"""A crew: people shared by stations for their repairs, first failed first served.

A failed station waits (``waiting_for_crew``) until a member is free and the crew is on duty;
the repair then runs in the crew's time only, pausing while the crew is off duty (its calendar;
without one it is always there).
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from plantwin.sim._kernel import Kernel

if TYPE_CHECKING:
    from plantwin.sim._station import Station

__all__ = ["Crew"]


class Crew:
    """``count`` people; ``busy`` of them on repairs; stations waiting in the order they failed."""

    def __init__(self, kernel: Kernel, crew_id: str, count: int, on_duty: bool) -> None:
        self.k = kernel
        self.id = crew_id
        self.count = count
        self.busy = 0
        self.on_duty = on_duty
        self.queue: deque[Station] = deque()
        self.working: list[Station] = []  # stations under repair
        self.repairs = 0
        self.busy_hours = 0.0  # member-hours assigned to repairs (paused ones included)
        self.wait_hours = 0.0  # hours stations waited for a member, of repairs begun
        self._asked: dict[int, float] = {}  # station index -> when it asked
        self._t = 0.0

    def _tally(self) -> None:
        now = self.k.now
        self.busy_hours += self.busy * (now - self._t)
        self._t = now

    def request(self, station: Station) -> None:
        """A station failed and needs a member."""
        self._asked[station.index] = self.k.now
        self.queue.append(station)
        self._assign()

    def release(self) -> None:
        """A repair is done: its member takes the next station waiting."""
        self._tally()
        self.busy -= 1
        self.working = [s for s in self.working if s.failed and not s.waiting_crew]
        self._assign()

    def duty(self, on: bool) -> None:
        """The crew's calendar: on or off duty."""
        self.on_duty = on
        for station in self.working:
            station.crew_duty(on)
        self._assign()

    def _assign(self) -> None:
        while self.on_duty and self.queue and self.busy < self.count:
            station = self.queue.popleft()
            self._tally()
            self.busy += 1
            self.repairs += 1
            self.wait_hours += self.k.now - self._asked.pop(station.index)
            self.working.append(station)
            station.crew_arrived(self.on_duty)

    def busy_until(self, now: float) -> float:
        """Member-hours on repairs from 0 to ``now``."""
        return self.busy_hours + self.busy * (now - self._t)
