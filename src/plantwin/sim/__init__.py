"""The engine: a lot-level discrete-event simulation of a scenario (no I/O)."""

from __future__ import annotations

from plantwin.scenario._models import Scenario
from plantwin.sim._calendar import moment_at
from plantwin.sim._engine import Progress, Simulation
from plantwin.sim._inspection import FixedInspection, Inspection, Plan, Switch
from plantwin.sim._line import LINE_STATES
from plantwin.sim._records import EVENT_SCHEMA, EventLog, EventRecord
from plantwin.sim._result import RunResult
from plantwin.sim._streams import Streams

__all__ = [
    "EVENT_SCHEMA",
    "LINE_STATES",
    "EventLog",
    "EventRecord",
    "FixedInspection",
    "Inspection",
    "Plan",
    "Progress",
    "RunResult",
    "Simulation",
    "Streams",
    "Switch",
    "moment_at",
    "simulate",
]


def simulate(
    scenario: Scenario,
    seed: int = 0,
    *,
    replication: int = 0,
    horizon: str | float | None = None,
    event_log: bool = True,
    progress: Progress | None = None,
) -> RunResult:
    """Run ``scenario`` once to its horizon (or ``horizon``) and return the result."""
    sim = Simulation(
        scenario,
        seed,
        replication=replication,
        horizon=horizon,
        event_log=event_log,
        progress=progress,
    )
    return sim.run()
