"""The run record: what one run leaves behind, as typed tallies of plain fields per part of the
plant. ``plantwin.kpis`` computes every KPI from it, so nothing outside the engine reads the
engine's objects.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from plantwin._frozen import quick_init
from plantwin.scenario import Network, Scenario
from plantwin.sim._completions import Completions
from plantwin.sim._station import LINE_STATES, AssembleStation, ProcessStation
from plantwin.sim._tester import TestStation

if TYPE_CHECKING:
    from plantwin.sim._engine import Simulation

__all__ = [
    "BufferRecord",
    "CrewRecord",
    "GridRecord",
    "LineRecord",
    "OrderRecord",
    "RangeRecord",
    "RunRecord",
    "StorageRecord",
    "record_of",
]


@quick_init
@dataclass(frozen=True)
class LineRecord:
    """One station's tallies (every role but test): units of its finished lots by product (for
    a process station: units it processed), the partial lot, state hours."""

    id: str
    role: str  # produce, process or assemble
    rate: float  # ideal units an hour
    lot_size: int  # 0 for a process station (it works on lots as they come)
    made: dict[str, float]  # units of finished lots, by product (process: units processed)
    lots: int  # lots finished (process: lots processed)
    partial: float  # units made (process: worked) of the lot on the station at the end
    stored: float  # units of its lots put into storage or consumed into assemblies
    failures: int
    commissioned_at: float | None
    hours: dict[str, float]  # hours in each state (LINE_STATES), summing to the horizon
    consumed: dict[str, float]  # assemble: units of components consumed, by product
    scrapped: float = 0.0  # units of its lots scrapped by a rejected test (N - n)
    repairs: int = 0  # repairs finished
    restoration_hours: float = 0.0  # calendar hours from each finished repair's failure to it


@quick_init
@dataclass(frozen=True)
class BufferRecord:
    """One buffer: its capacity, the lots it held over time, and what it holds at the end."""

    id: str
    capacity_lots: int | None
    capacity_units: int | None
    mean_lots: float  # time-weighted
    max_lots: int
    end_lots: int
    end_units: float


@quick_init
@dataclass(frozen=True)
class CrewRecord:
    """One crew: its size, repairs begun, member-hours on repairs and hours stations waited."""

    id: str
    count: int
    repairs: int
    busy_hours: float
    wait_hours: float


@quick_init
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
    id: str = "range"  # the test station (in the plant's sum: the first one's)
    units_first_tested: float = 0.0  # units of lots at their first test
    units_first_passed: float = 0.0  # units of lots that passed their first test


@quick_init
@dataclass(frozen=True)
class StorageRecord:
    """The storage level: capacity (None: unlimited), min, time-weighted mean, max, end."""

    capacity: float | None
    min: float
    mean: float
    max: float
    end: float
    by_product: dict[str, float]


@quick_init
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


@quick_init
@dataclass(frozen=True)
class GridRecord:
    """The grid's disruptions: counts and the merged power-off intervals."""

    cuts: int
    standstills: int
    off: tuple[tuple[float, float], ...]


@quick_init
@dataclass(frozen=True)
class RunRecord:
    """Everything a run's KPIs are computed from."""

    scenario: Scenario | Network
    seed: int
    replication: int
    horizon: float  # hours simulated
    lines: tuple[LineRecord, ...]  # every station but the test stations
    range: RangeRecord  # the test stations together
    testers: tuple[RangeRecord, ...]  # each test station
    buffers: tuple[BufferRecord, ...]
    crews: tuple[CrewRecord, ...]
    end_products: tuple[str, ...]  # products that are no component of another
    storage: StorageRecord
    orders: tuple[OrderRecord, ...]
    shipped: dict[str, float]  # units shipped by product
    grid: GridRecord
    completions: Completions  # (time, units) of every finished lot of an end product
    balance: dict[str, dict[str, float]]  # where the units made are, by product
    genealogy: tuple[tuple[str, str, str, float], ...]  # (lot, component lot, its product, units)
    events: int  # engine events
    log_records: int


def _tester(t: TestStation, now: float) -> RangeRecord:
    products = list(t.tested)
    return RangeRecord(
        id=t.id,
        tested=dict(t.tested),
        accepted=dict(t.accepted),
        sampled=dict(t.sampled),
        scrapped=dict(t.scrapped),
        defectives_passed=dict(t.defectives_passed),
        stored={},
        held=t.held_units(),
        inspection_state=t.inspection_state,
        inspection_hours=t.state_hours(now),
        inspection_lots={p: dict(t.lots_by_state[p]) for p in products},
        switches={p: sum(1 for x in t.switches if x[1] == p) for p in products},
        units_first_tested=t.first_units,
        units_first_passed=t.first_passed,
    )


def _together(
    testers: list[RangeRecord], stored: dict[str, float], products: list[str]
) -> RangeRecord:
    """The test stations as one: counts summed; inspection of each product from the first
    station that tested it (the first station when none did; "none" in a plant without)."""
    if not testers:
        return RangeRecord(
            id="",
            tested=dict.fromkeys(products, 0),
            accepted=dict.fromkeys(products, 0),
            sampled=dict.fromkeys(products, 0.0),
            scrapped=dict.fromkeys(products, 0.0),
            defectives_passed=dict.fromkeys(products, 0.0),
            stored=dict(stored),
            held=dict.fromkeys(products, 0.0),
            inspection_state=dict.fromkeys(products, "none"),
            inspection_hours={p: {} for p in products},
            inspection_lots={p: {} for p in products},
            switches=dict.fromkeys(products, 0),
        )
    first = testers[0]

    def total(field: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for t in testers:
            for p, v in getattr(t, field).items():
                out[p] = out[p] + v if p in out else v
        return out

    def of(p: str) -> RangeRecord:
        return next((t for t in testers if t.tested[p]), first)

    if len(testers) == 1:
        return replace(first, stored=dict(stored))
    products = list(first.tested)
    return RangeRecord(
        id=first.id,
        tested=total("tested"),
        accepted=total("accepted"),
        sampled=total("sampled"),
        scrapped=total("scrapped"),
        defectives_passed=total("defectives_passed"),
        stored=dict(stored),
        held=total("held"),
        inspection_state={p: of(p).inspection_state[p] for p in products},
        inspection_hours={p: of(p).inspection_hours[p] for p in products},
        inspection_lots={p: of(p).inspection_lots[p] for p in products},
        switches=total("switches"),
        units_first_tested=sum(t.units_first_tested for t in testers),
        units_first_passed=sum(t.units_first_passed for t in testers),
    )


def record_of(sim: Simulation) -> RunRecord:
    """The record of a simulation that has run (up to ``sim.now``)."""
    plant, now = sim.plant, sim.now
    storage, net = plant.storage, sim.network
    lines = []
    genealogy: list[tuple[str, str, str, float]] = []
    for st, spec in zip(plant.stations, [s for s in net.stations if s.role != "test"], strict=True):
        if isinstance(st, ProcessStation):
            made, lots = dict(st.processed), st.lots_done
        else:
            made, lots = dict(st.made), int(sum(st.made.values()) // st.lot_size)
        consumed = dict(st.consumed) if isinstance(st, AssembleStation) else {}
        if isinstance(st, AssembleStation):
            genealogy += st.genealogy
        assert spec.rate is not None
        lines.append(
            LineRecord(
                id=st.id,
                role=st.role,
                rate=spec.rate,
                lot_size=spec.lot_size or 0,
                made=made,
                lots=lots,
                partial=st.lot_done if st.lot is not None else 0.0,
                stored=st.good,
                failures=st.failures,
                commissioned_at=st.commissioned_at,
                hours=dict(zip(LINE_STATES, st.hours, strict=True)),
                consumed=consumed,
                scrapped=st.scrap,
                repairs=st.repairs,
                restoration_hours=st.restoration_hours,
            )
        )
    testers = [_tester(t, now) for t in plant.testers]
    k = sim.kernel
    return RunRecord(
        scenario=sim.scenario,
        seed=sim.seed,
        replication=sim.replication,
        horizon=now,
        lines=tuple(lines),
        range=_together(testers, storage.stored, plant.products),
        testers=tuple(testers),
        buffers=tuple(
            BufferRecord(
                id=b.id,
                capacity_lots=b.cap_lots,
                capacity_units=b.cap_units,
                mean_lots=b.mean_lots(now),
                max_lots=b.max_lots,
                end_lots=len(b.lots),
                end_units=b.level,
            )
            for b in plant.buffers
        ),
        crews=tuple(
            CrewRecord(
                id=c.id,
                count=c.count,
                repairs=c.repairs,
                busy_hours=c.busy_until(now),
                wait_hours=c.wait_hours,
            )
            for c in plant.crews
        ),
        end_products=tuple(plant.end_products),
        storage=StorageRecord(
            capacity=None if storage.capacity == float("inf") else storage.capacity,
            min=storage.min,
            mean=storage.mean(now),
            max=storage.max,
            end=storage.level,
            by_product=dict(storage.stock),
        ),
        orders=tuple(
            [
                OrderRecord(
                    o.id,
                    o.product,
                    o.quantity,
                    o.release,
                    o.due,
                    o.on_time,
                    o.remaining,
                    o.completed,
                )
                for o in plant.orders.book
            ]
        ),
        shipped=dict(plant.orders.shipped),
        grid=GridRecord(
            cuts=len(sim.grid.cuts), standstills=len(sim.grid.standstills), off=tuple(sim.grid.off)
        ),
        completions=plant.completions.copy(),
        balance=plant.balance(),
        genealogy=tuple(genealogy),
        events=k.events,
        log_records=len(k.event_log or ()),
    )
