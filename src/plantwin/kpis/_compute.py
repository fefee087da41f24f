"""The KPIs of one run, computed from its run record: typed (``compute``) or as the JSON-ready
dict with the stable keys the README documents (``compute_kpis``)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from operator import itemgetter
from typing import Any

import numpy as np

from plantwin.kpis._iso22400 import iso22400, ratio
from plantwin.kpis._models import (
    BufferKpis,
    ConservationKpis,
    CrewKpis,
    EngineKpis,
    GridKpis,
    IsoStationKpis,
    LineKpis,
    OrderKpis,
    OutputKpis,
    ProductBalance,
    ProductOutput,
    ProductTests,
    RangeKpis,
    RunKpis,
    StorageKpis,
)
from plantwin.sim import Completions, LineRecord, RangeRecord, RunRecord, hours_at, moment_at

__all__ = ["CONSERVATION_TOLERANCE", "compute", "compute_kpis", "monthly", "pace_reached"]

CONSERVATION_TOLERANCE = 1e-6  # units; only floating-point rounding may differ
HOURS_PER_YEAR = 8760.0
PACE_WINDOW = 28 * 24.0  # "holds the nameplate pace over a rolling 4 weeks"


@functools.lru_cache(maxsize=1024)
def _date(start: date, hours: float | None) -> str | None:
    # kept: the replications of an experiment mostly commission at the same hours
    if hours is None:
        return None
    return moment_at(start, hours).isoformat(sep=" ", timespec="minutes")


@functools.lru_cache(maxsize=64)
def _months(start: date, horizon: float) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The calendar months up to ``horizon`` (``YYYY-MM``) and their bounds in hours, kept for
    the replications of an experiment, which share them."""
    months, bounds = [], [0.0]
    year, month = start.year, start.month
    while bounds[-1] < horizon:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        bounds.append(min(horizon, hours_at(date(year, month, 1), start)))
    return tuple(months), tuple(bounds)


class _Finished:
    """The finished lots as sorted times and cumulative units, so that the units finished in
    any interval take two bisections instead of a pass over every lot. A run's completions
    are arrays of doubles already, which numpy reads in place; other pairs are read one by one
    (the units are whole numbers: their sums as floats are exact)."""

    __slots__ = ("cum", "times")

    def __init__(self, completions: Completions | Sequence[tuple[float, float]]) -> None:
        if isinstance(completions, Completions):
            self.times = np.frombuffer(completions.times, np.float64)
            units = np.frombuffer(completions.units, np.float64)
        else:
            n = len(completions)
            self.times = np.fromiter(map(itemgetter(0), completions), np.float64, n)
            units = np.fromiter(map(itemgetter(1), completions), np.float64, n)
        self.cum = np.concatenate(([0.0], units.cumsum()))

    def units(self, bounds: Sequence[float]) -> list[float]:
        """Units of the lots finished in [bounds[k], bounds[k + 1]), for each k."""
        at = self.cum[np.searchsorted(self.times, bounds, side="left")]
        out: list[float] = np.diff(at).tolist()
        return out

    def pace_reached(self, target: float, window: float) -> float | None:
        """The first time the units finished in the trailing ``window`` hours reach ``target``."""
        times, cum = self.times, self.cum
        first = np.searchsorted(times, times - window, side="right")  # the window's first lot
        reached = np.flatnonzero(cum[1:] - cum[first] >= target)
        return float(times[reached[0]]) if reached.size else None

    def monthly(self, start: date, horizon: float) -> dict[str, float]:
        """Units finished in each calendar month up to ``horizon``, keyed ``YYYY-MM``."""
        months, bounds = _months(start, horizon)
        return dict(zip(months, self.units(bounds), strict=True))


def pace_reached(
    completions: Completions | Sequence[tuple[float, float]],
    target: float,
    window: float = PACE_WINDOW,
) -> float | None:
    """The first time the units finished in the trailing ``window`` hours reach ``target``."""
    return _Finished(completions).pace_reached(target, window)


def monthly(
    completions: Completions | Sequence[tuple[float, float]], start: date, horizon: float
) -> dict[str, float]:
    """Units finished in each calendar month of the run, keyed ``YYYY-MM``."""
    return _Finished(completions).monthly(start, horizon)


def _tests(rng: RangeRecord, products: list[str]) -> RangeKpis:
    """The KPIs of one test station, or of all of them together."""
    return RangeKpis(
        lots_tested=sum(rng.tested.values()),
        lots_accepted=sum(rng.accepted.values()),
        lots_rejected=sum(rng.tested.values()) - sum(rng.accepted.values()),
        units_sampled=sum(rng.sampled.values()),
        units_scrapped=sum(rng.scrapped.values()),
        by_product={
            p: ProductTests(
                lots_tested=rng.tested[p],
                lots_accepted=rng.accepted[p],
                lots_rejected=rng.tested[p] - rng.accepted[p],
                defectives_passed=rng.defectives_passed[p],
                inspection_state=rng.inspection_state[p],
                inspection_hours=dict(rng.inspection_hours[p]),
                inspection_lots=dict(rng.inspection_lots[p]),
                switches=rng.switches[p],
            )
            for p in products
        },
    )


def _line(ln: LineRecord, iso: IsoStationKpis, start: date) -> LineKpis:
    """The KPIs of one station (every role but test); its OEE is its ISO 22400-2 OEE index."""
    return LineKpis(
        role=ln.role,
        units_made=iso.produced_units,
        units_stored=ln.stored,
        lots_made=ln.lots,
        by_product=dict(ln.made),
        availability=iso.availability,
        performance=iso.effectiveness,
        quality=iso.quality_ratio,
        oee=iso.oee_index,
        failures=ln.failures,
        commissioned_hours=ln.commissioned_at,
        commissioned_date=_date(start, ln.commissioned_at),
        hours=dict(ln.hours),
    )


def _balance(parts: dict[str, float]) -> ProductBalance:
    """One product's balance from the record's (``consumed`` only when the plant has a bill)."""
    return ProductBalance(
        made=parts["made"],
        in_process=parts["in_process"],
        sampled=parts["sampled"],
        scrapped=parts["scrapped"],
        in_storage=parts["in_storage"],
        shipped=parts["shipped"],
        consumed=parts.get("consumed"),
        difference=parts["difference"],
    )


def compute(record: RunRecord) -> RunKpis:
    """Every KPI of a finished (or paused) run, typed."""
    s = record.scenario
    start = s.plant.start
    horizon = record.horizon
    products = s.product_ids()
    rng, storage, orders = record.range, record.storage, record.orders
    balance = record.balance

    made_total = sum([balance[p]["made"] for p in record.end_products])
    stored_by_product = dict(rng.stored)
    stored_total = sum(stored_by_product.values())
    passed = dict(rng.defectives_passed)  # in passed lots: stored, shipped or held on a lane
    passed_units = {p: stored_by_product[p] + rng.held[p] for p in products}  # N - n of each
    nameplate = s.plant.nameplate
    pace = nameplate * horizon / HOURS_PER_YEAR if nameplate else None

    opened = [ln.commissioned_at for ln in record.lines if ln.commissioned_at is not None]
    opening = min(opened) if opened else None
    pace_open = (
        nameplate * (horizon - opening) / HOURS_PER_YEAR
        if nameplate and opening is not None
        else None
    )
    complete = max(opened) if len(opened) == len(record.lines) else None
    pace_target = (
        s.plant.pace_share * nameplate * PACE_WINDOW / HOURS_PER_YEAR if nameplate else None
    )
    finished = _Finished(record.completions)
    pace_at = finished.pace_reached(pace_target, PACE_WINDOW) if pace_target else None
    first_year = None
    if opening is not None and opening + HOURS_PER_YEAR <= horizon:
        first_year = finished.units([opening, opening + HOURS_PER_YEAR])[0]
    due = [o for o in orders if o.due <= horizon]
    ordered = sum([o.quantity for o in due])
    on_time = float(sum([o.on_time for o in due]))
    done = [o for o in orders if o.completed is not None]
    lead = [o.completed - o.release for o in done if o.completed is not None]
    due_open = [o for o in due if opening is not None and o.release >= opening]

    output = OutputKpis(
        units_made=made_total,
        units_stored=stored_total,
        defectives_passed=sum(passed.values()),
        outgoing_defective_fraction=ratio(sum(passed.values()), sum(passed_units.values())),
        nameplate_per_year=nameplate,
        nameplate_units=pace,
        attainment=ratio(stored_total, pace) if pace else None,
        nameplate_units_from_opening=pace_open,
        attainment_from_opening=ratio(stored_total, pace_open) if pace_open else None,
        by_product={
            p: ProductOutput(
                units_made=balance[p]["made"],
                units_stored=stored_by_product[p],
                defectives_passed=passed[p],
                outgoing_defective_fraction=ratio(passed[p], passed_units[p]),
            )
            for p in products
        },
        opening_hours=opening,
        opening_date=_date(start, opening),
        complete_hours=complete,
        complete_date=_date(start, complete),
        nameplate_pace_share=s.plant.pace_share,
        nameplate_pace_hours=pace_at,
        nameplate_pace_date=_date(start, pace_at),
        first_year_units=first_year,
        monthly=finished.monthly(start, horizon),
    )
    iso = iso22400(record, output)

    return RunKpis(
        scenario=s.plant.name,
        seed=record.seed,
        replication=record.replication,
        start=start.isoformat(),
        end=moment_at(start, horizon).date().isoformat(),
        horizon_hours=horizon,
        unit=s.plant.unit,
        output=output,
        lines={ln.id: _line(ln, iso.stations[ln.id], start) for ln in record.lines},
        iso22400=iso,
        range=_tests(rng, products),
        testers={t.id: _tests(t, products) for t in record.testers},
        buffers={
            b.id: BufferKpis(
                capacity_lots=b.capacity_lots,
                capacity_units=b.capacity_units,
                mean_lots=b.mean_lots,
                max_lots=b.max_lots,
                end_lots=b.end_lots,
                end_units=b.end_units,
            )
            for b in record.buffers
        },
        crews={
            c.id: CrewKpis(
                count=c.count,
                repairs=c.repairs,
                busy_hours=c.busy_hours,
                utilisation=ratio(c.busy_hours, c.count * horizon),
                mean_wait_hours=ratio(c.wait_hours, c.repairs),
            )
            for c in record.crews
        },
        storage=StorageKpis(
            capacity=storage.capacity,
            min=storage.min,
            mean=storage.mean,
            max=storage.max,
            end=storage.end,
            by_product=dict(storage.by_product),
        ),
        orders=OrderKpis(
            released=len([o for o in orders if o.release < horizon]),
            due_in_horizon=len(due),
            completed=len(done),
            completed_on_time=len(
                [o for o in done if o.completed is not None and o.completed <= o.due]
            ),
            units_ordered=ordered,
            units_shipped=sum(record.shipped.values()),
            units_shipped_on_time=on_time,
            fill_rate=ratio(on_time, ordered),
            fill_rate_from_opening=ratio(
                float(sum([o.on_time for o in due_open])), sum([o.quantity for o in due_open])
            ),
            backorders=float(sum([o.remaining for o in due])),
            lead_time_mean_hours=sum(lead) / len(lead) if lead else None,
            lead_time_max_hours=max(lead) if lead else None,
        ),
        grid=GridKpis(
            cuts=record.grid.cuts,
            standstills=record.grid.standstills,
            hours_without_power=sum([b - a for a, b in record.grid.off]),
        ),
        conservation=ConservationKpis(
            ok=all(abs(b["difference"]) <= CONSERVATION_TOLERANCE for b in balance.values()),
            by_product={p: _balance(b) for p, b in balance.items()},
        ),
        engine=EngineKpis(events=record.events, log_records=record.log_records),
    )


def compute_kpis(record: RunRecord) -> dict[str, Any]:
    """Every KPI of a finished (or paused) run as a JSON-ready dict (``compute(...).to_dict()``)."""
    return compute(record).to_dict()
