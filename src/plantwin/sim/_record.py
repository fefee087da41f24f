"""The run record: what one run leaves behind, as typed tallies of plain fields per part of the
plant. ``plantwin.kpis`` computes every KPI from it, so nothing outside the engine reads the
engine's objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from plantwin.scenario import Scenario
from plantwin.sim._line import LINE_STATES

if TYPE_CHECKING:
    from plantwin.sim._engine import Simulation

__all__ = [
    "GridRecord",
    "LineRecord",
    "OrderRecord",
    "RangeRecord",
    "RunRecord",
    "StorageRecord",
    "record_of",
]


@dataclass(frozen=True)
class LineRecord:
    """One line's tallies: units of finished lots by product, the partial lot, state hours."""

    id: str
    rate: float  # ideal units an hour
    lot_size: int
    made: dict[str, float]  # units of finished lots, by product
    partial: float  # units of the lot on the line at the end
    stored: float  # units of its lots put into storage
    failures: int
    commissioned_at: float | None
    hours: dict[str, float]  # hours in each state (LINE_STATES), summing to the horizon


@dataclass(frozen=True)
class RangeRecord:
    """The test range's tallies by product."""

    tested: dict[str, int]
    accepted: dict[str, int]
    sampled: dict[str, float]  # units destroyed as samples
    scrapped: dict[str, float]
    defectives_passed: dict[str, float]  # defective units in lots that passed
    stored: dict[str, float]  # units of passed lots put into storage
    held: dict[str, float]  # units of passed lots held on a lane (storage full) at the end
    inspection_state: dict[str, str]  # at the end
    inspection_hours: dict[str, dict[str, float]]
    inspection_lots: dict[str, dict[str, int]]  # lots tested in each inspection state
    switches: dict[str, int]


@dataclass(frozen=True)
class StorageRecord:
    """The storage level: capacity (None: unlimited), min, time-weighted mean, max, end."""

    capacity: float | None
    min: float
    mean: float
    max: float
    end: float
    by_product: dict[str, float]


@dataclass(frozen=True)
class OrderRecord:
    """One customer order and how it was filled."""

    id: str
    product: str
    quantity: int
    release: float
    due: float
    on_time: float  # units shipped at or before the due time
    remaining: float
    completed: float | None


@dataclass(frozen=True)
class GridRecord:
    """The grid's disruptions: counts and the merged power-off intervals."""

    cuts: int
    standstills: int
    off: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class RunRecord:
    """Everything a run's KPIs are computed from."""

    scenario: Scenario
    seed: int
    replication: int
    horizon: float  # hours simulated
    lines: tuple[LineRecord, ...]
    range: RangeRecord
    storage: StorageRecord
    orders: tuple[OrderRecord, ...]
    shipped: dict[str, float]  # units shipped by product
    grid: GridRecord
    completions: tuple[tuple[float, int], ...]  # (time, units) of every finished lot
    balance: dict[str, dict[str, float]]  # where the units made are, by product
    events: int  # engine events
    log_records: int


def record_of(sim: Simulation) -> RunRecord:
    """The record of a simulation that has run (up to ``sim.now``)."""
    s, rng, storage, now = sim.scenario, sim.range, sim.storage, sim.now
    held = dict.fromkeys(rng.tested, 0.0)
    for lane in rng.held:
        assert lane.lot is not None and lane.plan is not None
        held[lane.lot.product] += lane.lot.size - min(lane.plan.n, lane.lot.size)
    lines = []
    for spec in s.lines:
        ln = sim.lines[spec.id]
        lines.append(
            LineRecord(
                id=spec.id,
                rate=spec.rate,
                lot_size=spec.lot_size,
                made=dict(ln.made),
                partial=ln.lot_done if ln.lot is not None else 0.0,
                stored=ln.good,
                failures=ln.failures,
                commissioned_at=ln.commissioned_at,
                hours=dict(zip(LINE_STATES, ln.hours, strict=True)),
            )
        )
    products = s.product_ids()
    return RunRecord(
        scenario=s,
        seed=sim.seed,
        replication=sim.replication,
        horizon=now,
        lines=tuple(lines),
        range=RangeRecord(
            tested=dict(rng.tested),
            accepted=dict(rng.accepted),
            sampled=dict(rng.sampled),
            scrapped=dict(rng.scrapped),
            defectives_passed=dict(rng.defectives_shipped),
            stored=dict(rng.stored),
            held=held,
            inspection_state={p: rng.inspection.state(p) for p in products},
            inspection_hours=rng.state_hours(now),
            inspection_lots={p: dict(rng.lots_by_state[p]) for p in products},
            switches={p: sum(1 for x in rng.switches if x[1] == p) for p in products},
        ),
        storage=StorageRecord(
            capacity=None if storage.capacity == float("inf") else storage.capacity,
            min=storage.min,
            mean=storage.mean(now),
            max=storage.max,
            end=storage.level,
            by_product=dict(storage.stock),
        ),
        orders=tuple(
            OrderRecord(
                id=o.id,
                product=o.product,
                quantity=o.quantity,
                release=o.release,
                due=o.due,
                on_time=o.on_time,
                remaining=o.remaining,
                completed=o.completed,
            )
            for o in sim.orders.book
        ),
        shipped=dict(sim.orders.shipped),
        grid=GridRecord(
            cuts=len(sim.grid.cuts), standstills=len(sim.grid.standstills), off=tuple(sim.grid.off)
        ),
        completions=tuple(sim.completions),
        balance=sim.balance(),
        events=sim.events,
        log_records=len(sim.event_log or ()),
    )
