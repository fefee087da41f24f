"""The engine: a lot-level discrete-event simulation of a scenario (no I/O)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from plantwin._build import settle as _settle_engine

# which engine runs was settled by ``import plantwin``, before any of its modules was imported
ENGINE, ENGINE_NOTE = _settle_engine()
"""``"compiled"`` or ``"interpreted"`` (and, then, why): the same code either way."""

from plantwin.scenario import Network, Scenario  # noqa: E402
from plantwin.sim import _records  # noqa: E402
from plantwin.sim._batch import Batch, Rows, run_batch  # noqa: E402
from plantwin.sim._budget import MAX_EVENTS, EventBudgetExceeded  # noqa: E402
from plantwin.sim._calendar import hours_at, moment_at  # noqa: E402
from plantwin.sim._completions import Completions  # noqa: E402
from plantwin.sim._demand import order_book  # noqa: E402
from plantwin.sim._dispatch import CampaignRule, Dispatcher, DispatchView  # noqa: E402
from plantwin.sim._engine import Progress, Simulation  # noqa: E402
from plantwin.sim._engine import collector_paused as _collector_paused  # noqa: E402
from plantwin.sim._events import Event, ObjectType  # noqa: E402
from plantwin.sim._inspection import FixedInspection, Inspection, Plan, Switch  # noqa: E402
from plantwin.sim._log import EventLog  # noqa: E402
from plantwin.sim._plant import lane_names, network_of  # noqa: E402
from plantwin.sim._record import (  # noqa: E402
    BufferRecord,
    CrewRecord,
    GridRecord,
    LineRecord,
    OrderRecord,
    RangeRecord,
    RunRecord,
    StorageRecord,
)
from plantwin.sim._records import EventRecord  # noqa: E402
from plantwin.sim._result import RunResult  # noqa: E402
from plantwin.sim._station import LINE_STATES  # noqa: E402
from plantwin.sim._streams import Streams  # noqa: E402

if TYPE_CHECKING:
    from plantwin.sim._records import EVENT_SCHEMA

__all__ = [
    "ENGINE",
    "ENGINE_NOTE",
    "EVENT_SCHEMA",
    "LINE_STATES",
    "MAX_EVENTS",
    "Batch",
    "BufferRecord",
    "CampaignRule",
    "Completions",
    "CrewRecord",
    "DispatchView",
    "Dispatcher",
    "Event",
    "EventBudgetExceeded",
    "EventLog",
    "EventRecord",
    "FixedInspection",
    "GridRecord",
    "Inspection",
    "LineRecord",
    "ObjectType",
    "OrderRecord",
    "Plan",
    "Progress",
    "RangeRecord",
    "Rows",
    "RunRecord",
    "RunResult",
    "Simulation",
    "StorageRecord",
    "Streams",
    "Switch",
    "hours_at",
    "lane_names",
    "moment_at",
    "network_of",
    "order_book",
    "run_batch",
    "simulate",
]


def simulate(
    scenario: Scenario | Network,
    seed: int = 0,
    *,
    replication: int = 0,
    horizon: str | float | None = None,
    event_log: bool = True,
    progress: Progress | None = None,
    max_events: int = MAX_EVENTS,
    dispatcher: Dispatcher | None = None,
) -> RunResult:
    """Run ``scenario`` once to its horizon (or ``horizon``) and return the result.

    ``dispatcher`` decides what multi-product lines make next (the campaign rule by default).
    Raises EventBudgetExceeded when the run would take more than ``max_events`` events."""
    with _collector_paused():
        sim = Simulation(
            scenario,
            seed,
            replication=replication,
            horizon=horizon,
            event_log=event_log,
            progress=progress,
            max_events=max_events,
            dispatcher=dispatcher,
        )
        result = sim.run()
        sim.release()
        return result


def __getattr__(name: str) -> Any:
    """``EVENT_SCHEMA`` is built on first use: a run that makes no table needs no pyarrow."""
    if name == "EVENT_SCHEMA":
        return _records.EVENT_SCHEMA
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
