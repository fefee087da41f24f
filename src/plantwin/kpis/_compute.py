"""The KPIs of one run, from its run record, as a JSON-ready dict with stable keys (documented
in the README)."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from datetime import date
from typing import Any

from plantwin.sim import Event, RangeRecord, RunRecord, hours_at, moment_at

__all__ = ["CONSERVATION_TOLERANCE", "compute_kpis", "monthly", "pace_reached"]

CONSERVATION_TOLERANCE = 1e-6  # units; only floating-point rounding may differ
HOURS_PER_YEAR = 8760.0
PACE_WINDOW = 28 * 24.0  # "holds the nameplate pace over a rolling 4 weeks"


def _ratio(a: float, b: float) -> float | None:
    return a / b if b > 0 else None


def _date(start: date, hours: float | None) -> str | None:
    if hours is None:
        return None
    return moment_at(start, hours).isoformat(sep=" ", timespec="minutes")


def pace_reached(
    completions: Sequence[tuple[float, int]], target: float, window: float = PACE_WINDOW
) -> float | None:
    """The first time the units finished in the trailing ``window`` hours reach ``target``."""
    total = 0.0
    lo = 0
    for t, units in completions:
        total += units
        while completions[lo][0] <= t - window:
            total -= completions[lo][1]
            lo += 1
        if total >= target:
            return t
    return None


def monthly(
    completions: Sequence[tuple[float, int]], start: date, horizon: float
) -> dict[str, float]:
    """Units finished in each calendar month of the run, keyed ``YYYY-MM``."""
    out: dict[str, float] = {}
    times = [t for t, _ in completions]
    cum = list(itertools.accumulate(u for _, u in completions))
    year, month = start.year, start.month
    begin = 0.0
    while begin < horizon:
        year2, month2 = (year + 1, 1) if month == 12 else (year, month + 1)
        end = min(horizon, hours_at(date(year2, month2, 1), start))
        i, j = bisect.bisect_left(times, begin), bisect.bisect_left(times, end)
        out[f"{year:04d}-{month:02d}"] = float((cum[j - 1] if j else 0) - (cum[i - 1] if i else 0))
        year, month, begin = year2, month2, end
    return out


def _tests(rng: RangeRecord, products: list[str]) -> dict[str, Any]:
    """The KPIs of one test station, or of all of them together."""
    return {
        "lots_tested": sum(rng.tested.values()),
        "lots_accepted": sum(rng.accepted.values()),
        "lots_rejected": sum(rng.tested.values()) - sum(rng.accepted.values()),
        "units_sampled": sum(rng.sampled.values()),
        "units_scrapped": sum(rng.scrapped.values()),
        "by_product": {
            p: {
                "lots_tested": rng.tested[p],
                "lots_accepted": rng.accepted[p],
                "lots_rejected": rng.tested[p] - rng.accepted[p],
                "defectives_passed": rng.defectives_passed[p],
                "inspection_state": rng.inspection_state[p],
                "inspection_hours": rng.inspection_hours[p],
                "inspection_lots": dict(rng.inspection_lots[p]),
                "switches": rng.switches[p],
            }
            for p in products
        },
    }


def compute_kpis(record: RunRecord) -> dict[str, Any]:
    """Every KPI of a finished (or paused) run."""
    s = record.scenario
    horizon = record.horizon
    products = s.product_ids()
    rng, storage, orders = record.range, record.storage, record.orders
    balance = record.balance

    lines: dict[str, Any] = {}
    for ln in record.lines:
        made = sum(ln.made.values()) + ln.partial
        hours = ln.hours
        loading = horizon - hours[Event.OFF_SHIFT] - hours[Event.NOT_COMMISSIONED]
        availability = _ratio(hours[Event.PRODUCING], loading)
        performance = _ratio(made, ln.rate * hours[Event.PRODUCING])
        quality = _ratio(ln.stored, made)
        oee = (
            availability * performance * quality
            if availability is not None and performance is not None and quality is not None
            else None
        )
        lines[ln.id] = {
            "role": ln.role,
            "units_made": made,
            "units_stored": ln.stored,
            "lots_made": ln.lots,
            "by_product": dict(ln.made),
            "availability": availability,
            "performance": performance,
            "quality": quality,
            "oee": oee,
            "failures": ln.failures,
            "commissioned_hours": ln.commissioned_at,
            "commissioned_date": _date(s.plant.start, ln.commissioned_at),
            "hours": dict(hours),
        }

    made_total = sum(balance[p]["made"] for p in record.end_products)
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
    pace_at = pace_reached(record.completions, pace_target) if pace_target else None
    first_year = None
    if opening is not None and opening + HOURS_PER_YEAR <= horizon:
        first_year = float(
            sum(u for t, u in record.completions if opening <= t < opening + HOURS_PER_YEAR)
        )
    due = [o for o in orders if o.due <= horizon]
    ordered = sum(o.quantity for o in due)
    on_time = float(sum(o.on_time for o in due))
    done = [o for o in orders if o.completed is not None]
    lead = [o.completed - o.release for o in done if o.completed is not None]
    released = [o for o in orders if o.release < horizon]
    due_open = [o for o in due if opening is not None and o.release >= opening]

    return {
        "scenario": s.plant.name,
        "seed": record.seed,
        "replication": record.replication,
        "start": s.plant.start.isoformat(),
        "end": moment_at(s.plant.start, horizon).date().isoformat(),
        "horizon_hours": horizon,
        "unit": s.plant.unit,
        "output": {
            "units_made": made_total,
            "units_stored": stored_total,
            "defectives_passed": sum(passed.values()),
            "outgoing_defective_fraction": _ratio(sum(passed.values()), sum(passed_units.values())),
            "nameplate_per_year": nameplate,
            "nameplate_units": pace,
            "attainment": _ratio(stored_total, pace) if pace else None,
            "nameplate_units_from_opening": pace_open,
            "attainment_from_opening": _ratio(stored_total, pace_open) if pace_open else None,
            "by_product": {
                p: {
                    "units_made": balance[p]["made"],
                    "units_stored": stored_by_product[p],
                    "defectives_passed": passed[p],
                    "outgoing_defective_fraction": _ratio(passed[p], passed_units[p]),
                }
                for p in products
            },
            "opening_hours": opening,
            "opening_date": _date(s.plant.start, opening),
            "complete_hours": complete,
            "complete_date": _date(s.plant.start, complete),
            "nameplate_pace_share": s.plant.pace_share,
            "nameplate_pace_hours": pace_at,
            "nameplate_pace_date": _date(s.plant.start, pace_at),
            "first_year_units": first_year,
            "monthly": monthly(record.completions, s.plant.start, horizon),
        },
        "lines": lines,
        "range": _tests(rng, products),
        "testers": {t.id: _tests(t, products) for t in record.testers},
        "buffers": {
            b.id: {
                "capacity_lots": b.capacity_lots,
                "capacity_units": b.capacity_units,
                "mean_lots": b.mean_lots,
                "max_lots": b.max_lots,
                "end_lots": b.end_lots,
                "end_units": b.end_units,
            }
            for b in record.buffers
        },
        "crews": {
            c.id: {
                "count": c.count,
                "repairs": c.repairs,
                "busy_hours": c.busy_hours,
                "utilisation": _ratio(c.busy_hours, c.count * horizon),
                "mean_wait_hours": _ratio(c.wait_hours, c.repairs),
            }
            for c in record.crews
        },
        "storage": {
            "capacity": storage.capacity,
            "min": storage.min,
            "mean": storage.mean,
            "max": storage.max,
            "end": storage.end,
            "by_product": dict(storage.by_product),
        },
        "orders": {
            "released": len(released),
            "due_in_horizon": len(due),
            "completed": len(done),
            "completed_on_time": sum(
                1 for o in done if o.completed is not None and o.completed <= o.due
            ),
            "units_ordered": ordered,
            "units_shipped": sum(record.shipped.values()),
            "units_shipped_on_time": on_time,
            "fill_rate": _ratio(on_time, ordered),
            "fill_rate_from_opening": _ratio(
                float(sum(o.on_time for o in due_open)), sum(o.quantity for o in due_open)
            ),
            "backorders": float(sum(o.remaining for o in due)),
            "lead_time_mean_hours": sum(lead) / len(lead) if lead else None,
            "lead_time_max_hours": max(lead) if lead else None,
        },
        "grid": {
            "cuts": record.grid.cuts,
            "standstills": record.grid.standstills,
            "hours_without_power": sum(b - a for a, b in record.grid.off),
        },
        "conservation": {
            "ok": all(abs(b["difference"]) <= CONSERVATION_TOLERANCE for b in balance.values()),
            "by_product": balance,
        },
        "engine": {"events": record.events, "log_records": record.log_records},
    }
