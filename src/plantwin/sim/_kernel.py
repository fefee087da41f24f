"""The kernel under every node: the clock, the event heap, the plant-wide conditions, and the one
implementation of work that pauses and resumes.

Nodes schedule events on the heap and read the conditions (working, grid power, generators);
they never call the loop. An event fires a target (``fire_at``: a node, a Work, the orders or
the engine, through C when compiled); a callback (``schedule``: the modules that stay
interpreted, and rare events) is the target of a ``Call``. Ties run in the order they were
scheduled, whichever way, which is what makes a run reproducible event for event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from plantwin.sim._budget import EventBudgetExceeded
from plantwin.sim._heap import Heap, Target
from plantwin.sim._log import EventLog

__all__ = ["Call", "Kernel", "Work"]


class Call(Target):
    """A callback as an event's target: ``fire`` calls ``callback(arg)``."""

    __slots__ = ("_arg", "_callback")

    def __init__(self, callback: Callable[[Any], None], arg: Any) -> None:
        self._callback = callback
        self._arg = arg

    def fire(self, kind: int, arg: int) -> None:
        self._callback(self._arg)


class Kernel:
    """Clock, heap and conditions of one run; ``log`` appends to the event log (or does nothing)."""

    def __init__(self, horizon: float, max_events: int, event_log: bool) -> None:
        self.horizon = horizon
        self.max_events = max_events
        self.now = 0.0
        self.events = 0  # events fired, stale ones included
        self.working = False  # inside a shift
        self.powered = True  # the grid
        self.backup_on = False  # the generators carry the stations on backup
        self._heap = Heap()
        self.event_log: EventLog | None = EventLog() if event_log else None

    def log(
        self,
        time: float,
        object_type: str,
        object_id: str,
        event: str,
        product: str = "",
        lot_id: str = "",
        quantity: float = 0.0,
        related: str = "",
    ) -> None:
        """Append a record to the event log, if the run keeps one. The sites that log every
        lot or change of state test ``event_log is not None`` and add to it themselves (with
        the log off, their calls and boxed arguments were 7 % of an experiment's event loop;
        with it on, this call was 4 % of a plant-year's)."""
        log = self.event_log
        if log is not None:
            log.add(time, object_type, object_id, event, product, lot_id, quantity, related)

    def schedule(self, time: float, callback: Callable[[Any], None], arg: Any) -> None:
        """Call ``callback(arg)`` at ``time`` (ties run in the order they were scheduled)."""
        self._heap.push(time, Call(callback, arg), 0, 0)

    def fire_at(self, time: float, target: Target, kind: int, arg: int) -> None:
        """Call ``target.fire(kind, arg)`` at ``time`` (ties run in the order they were
        scheduled, callbacks of ``schedule`` included)."""
        self._heap.push(time, target, kind, arg)

    @property
    def pending(self) -> int:
        """Events on the heap."""
        return len(self._heap)

    def run_until(self, until: float) -> None:
        """Run every event before ``until`` and set the clock to it."""
        heap = self._heap
        n = 0
        left = self.max_events - self.events
        target = heap.pop(until)
        while target is not None:
            self.now = heap.time
            target.fire(heap.kind, heap.arg)
            n += 1
            if n >= left:
                raise EventBudgetExceeded(self.max_events, "the run's events", self.now)
            target = heap.pop(until)
        self.events += n
        self.now = until


class Work(Target):
    """Hours of work that advance only while the owner says it runs (a test in open range time,
    an installation in working powered time, a repair in the crew's time).

    ``run(on)`` pauses or resumes it; every call re-schedules its end, and a version number voids
    the ends scheduled before (the event's argument is the version it was scheduled for). At its
    end it fires its owner's event ``kind`` (argument 0): through C when compiled, as the heap's
    events are."""

    __slots__ = ("_k", "_kind", "_owner", "left", "running", "since", "version")

    def __init__(self, kernel: Kernel, owner: Target, kind: int) -> None:
        self._k = kernel
        self._owner = owner
        self._kind = kind
        self.left = 0.0
        self.running = False
        self.since = 0.0
        self.version = 0

    def start(self, hours: float, running: bool) -> None:
        """Begin ``hours`` of work now, running or paused."""
        k = self._k
        self.left = hours
        self.since = k.now
        self.running = running
        self.version += 1
        if running:
            k.fire_at(k.now + hours, self, 0, self.version)

    def run(self, on: bool) -> None:
        """Bring the work up to now, then let it run (``on``) or pause it."""
        k = self._k
        now = k.now
        if self.running:
            self.left -= now - self.since
        self.since = now
        self.running = on
        self.version += 1
        if on:
            k.fire_at(now + self.left, self, 0, self.version)

    def fire(self, kind: int, arg: int) -> None:
        """The end of the work scheduled for version ``arg`` (void if re-scheduled since)."""
        if arg == self.version:  # no early return: compiled, fire returns a C int
            self.running = False
            self.left = 0.0
            self._owner.fire(self._kind, 0)
