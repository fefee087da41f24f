"""The kernel's events: one order, (time, then the order of scheduling), whether an event fires
a typed target (a Work's end here, as a station's, the engine's and the orders' own events do)
or a callback of ``schedule``; what was scheduled before the run and what the run schedules as it
goes merge into that one order; a Work's superseded ends do nothing.

These run on the engine of this process (the compiled one where it was built); the last test
runs them again on the interpreted engine, in a process of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from plantwin.sim import EventBudgetExceeded
from plantwin.sim._kernel import Call, Kernel, Work

Log = list[tuple[float, Any]]


def recording(k: Kernel) -> tuple[Log, Any]:
    """A log and a callback that appends (now, its argument) to it."""
    log: Log = []

    def record(arg: Any) -> None:
        log.append((k.now, arg))

    return log, record


def test_ties_run_in_the_order_scheduled_whatever_fires() -> None:
    k = Kernel(horizon=10.0, max_events=100, event_log=False)
    log, record = recording(k)
    work = Work(k, Call(record, "work"), 0)
    k.schedule(1.0, record, "first")
    work.start(1.0, True)  # its end: a typed event at 1.0, scheduled second
    k.schedule(1.0, record, "third")
    k.schedule(0.5, record, "earlier")
    k.run_until(10.0)
    assert log == [(0.5, "earlier"), (1.0, "first"), (1.0, "work"), (1.0, "third")]


def test_what_the_run_schedules_merges_with_what_was_scheduled_before() -> None:
    k = Kernel(horizon=10.0, max_events=100, event_log=False)
    log, record = recording(k)
    work = Work(k, Call(record, "work"), 0)

    def at_one(_: Any) -> None:
        record("at one")
        k.schedule(1.0, record, "now, after the ties pending")
        k.schedule(2.0, record, "at two, scheduled in the run")
        work.start(1.0, True)  # ends at 2.0 too, after both of the above
        k.schedule(1.5, record, "between")

    k.schedule(1.0, at_one, None)
    k.schedule(1.0, record, "tie of at one")
    k.schedule(2.0, record, "at two, scheduled before")
    k.run_until(10.0)
    assert log == [
        (1.0, "at one"),
        (1.0, "tie of at one"),
        (1.0, "now, after the ties pending"),
        (1.5, "between"),
        (2.0, "at two, scheduled before"),
        (2.0, "at two, scheduled in the run"),
        (2.0, "work"),
    ]


def test_run_until_stops_before_its_time_and_keeps_the_rest_pending() -> None:
    k = Kernel(horizon=10.0, max_events=100, event_log=False)
    log, record = recording(k)
    for t, name in ((3.0, "c"), (1.0, "a"), (2.0, "b1"), (2.0, "b2")):
        k.schedule(t, record, name)
    k.run_until(2.0)
    assert (log, k.now, k.events, k.pending) == ([(1.0, "a")], 2.0, 1, 3)
    k.run_until(5.0)
    assert log[1:] == [(2.0, "b1"), (2.0, "b2"), (3.0, "c")]
    assert (k.now, k.events, k.pending) == (5.0, 4, 0)
    k.run_until(6.0)  # nothing pending: the clock still moves
    assert (k.now, k.events) == (6.0, 4)


def test_a_paused_work_ends_once_at_its_resumed_time() -> None:
    k = Kernel(horizon=10.0, max_events=100, event_log=False)
    log, record = recording(k)
    work = Work(k, Call(record, "done"), 0)
    k.schedule(1.0, lambda _: work.run(False), None)
    k.schedule(2.0, lambda _: work.run(True), None)
    k.schedule(3.0, lambda _: work.run(True), None)  # running already: re-scheduled, same end
    work.start(5.0, True)  # would end at 5.0; 1 h paused and 4 h left at 2.0: ends at 6.0
    k.run_until(10.0)
    assert log == [(6.0, "done")]
    assert (work.running, work.left) == (False, 0.0)
    # the ends scheduled at 0 (for 5.0) and at 2 (for 6.0) were superseded: fired, did nothing
    assert k.events == 6


def test_the_run_stops_at_its_event_budget() -> None:
    k = Kernel(horizon=10.0, max_events=3, event_log=False)
    log, record = recording(k)
    for t in (1.0, 2.0, 3.0, 4.0):
        k.schedule(t, record, t)
    with pytest.raises(EventBudgetExceeded):
        k.run_until(10.0)
    assert [t for t, _ in log] == [1.0, 2.0, 3.0]


@pytest.mark.skipif(os.environ.get("PLANTWIN_ENGINE") == "python", reason="is that process")
def test_the_interpreted_engine_passes_the_same() -> None:
    root = Path(__file__).parents[2]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__],
        env={**os.environ, "PLANTWIN_ENGINE": "python"},
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "5 passed, 1 skipped" in run.stdout
