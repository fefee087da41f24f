"""Time series derived from a run's event log: pure functions of the Arrow table, no engine.

They rebuild what the KPIs summarise (hours in each line state, storage level, output, order
fill) from the records alone, so exports and reports can plot them, and tests can check them
against the KPIs the engine computed its own way.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from plantwin.sim import LINE_STATES, Event, ObjectType

__all__ = ["line_state_intervals", "order_fill", "output_over_time", "storage_level"]

_INITIAL_STATE = LINE_STATES[0]  # a line is not commissioned until it says otherwise


def _rows(events: pa.Table, mask: Any, columns: list[str]) -> dict[str, list[Any]]:
    picked = events.filter(mask).select(columns)
    return {name: picked.column(name).to_pylist() for name in columns}


def line_state_intervals(events: pa.Table, horizon_hours: float) -> pa.Table:
    """One row per spell of a line in one state: line, state, product, start, end, hours.

    Spells cover each line from 0 to the horizon without gap; zero-length spells are dropped.
    """
    is_state = pc.and_(
        pc.equal(events["object_type"].cast(pa.string()), ObjectType.LINE.value),
        pc.is_in(events["event"].cast(pa.string()), value_set=pa.array(LINE_STATES)),
    )
    lines_mask = pc.equal(events["object_type"].cast(pa.string()), ObjectType.LINE.value)
    order = dict.fromkeys(_rows(events, lines_mask, ["object_id"])["object_id"])
    rows = _rows(events, is_state, ["time", "object_id", "event", "product"])
    current: dict[str, tuple[str, str, float]] = {line: (_INITIAL_STATE, "", 0.0) for line in order}
    out: dict[str, list[Any]] = {k: [] for k in ("line", "state", "product", "start", "end")}

    def close(line: str, until: float) -> None:
        state, product, since = current[line]
        if until > since:
            for key, value in zip(out, (line, state, product, since, until), strict=True):
                out[key].append(value)

    for time, line, state, product in zip(
        rows["time"], rows["object_id"], rows["event"], rows["product"], strict=True
    ):
        close(line, time)
        current[line] = (state, product, time)
    for line in order:
        close(line, horizon_hours)
    start, end = np.asarray(out["start"], float), np.asarray(out["end"], float)
    return pa.table(
        {
            "line": pa.array(out["line"], pa.string()),
            "state": pa.array(out["state"], pa.string()),
            "product": pa.array(out["product"], pa.string()),
            "start": pa.array(start, pa.float64()),
            "end": pa.array(end, pa.float64()),
            "hours": pa.array(end - start, pa.float64()),
        }
    )


def output_over_time(events: pa.Table, horizon_hours: float, bin_hours: float = 24.0) -> pa.Table:
    """Units of finished lots made and put into storage per product, per bin of ``bin_hours``.

    Columns: time (end of the bin, hours), product, units_made, units_good, cumulative_made,
    cumulative_good. Every product seen in a lot event gets every bin, zeros included.
    """
    if bin_hours <= 0:
        raise ValueError(f"bin_hours must be positive, got {bin_hours}")
    bins = max(1, math.ceil(horizon_hours / bin_hours))
    event = events["event"].cast(pa.string())
    lots = _rows(
        events,
        pc.equal(events["object_type"].cast(pa.string()), ObjectType.LOT.value),
        ["product", "event"],
    )
    products = list(dict.fromkeys(p for p in lots["product"] if p))
    columns: dict[str, list[Any]] = {k: [] for k in ("time", "product", "made", "good")}
    ends = np.minimum(np.arange(1, bins + 1) * bin_hours, horizon_hours)
    for product in products:
        per_event = {}
        for name, kind in (("made", Event.LOT_PRODUCED), ("good", Event.LOT_STORED)):
            mask = pc.and_(
                pc.equal(event, kind), pc.equal(events["product"].cast(pa.string()), product)
            )
            picked = _rows(events, mask, ["time", "quantity"])
            idx = np.minimum(
                (np.asarray(picked["time"], float) // bin_hours).astype(np.int64), bins - 1
            )
            per_event[name] = np.bincount(
                idx, weights=np.asarray(picked["quantity"], float), minlength=bins
            )
        columns["time"].extend(ends.tolist())
        columns["product"].extend([product] * bins)
        columns["made"].extend(per_event["made"].tolist())
        columns["good"].extend(per_event["good"].tolist())
    made = np.asarray(columns["made"], float).reshape(len(products), bins)
    good = np.asarray(columns["good"], float).reshape(len(products), bins)
    return pa.table(
        {
            "time": pa.array(columns["time"], pa.float64()),
            "product": pa.array(columns["product"], pa.string()),
            "units_made": pa.array(made.ravel(), pa.float64()),
            "units_good": pa.array(good.ravel(), pa.float64()),
            "cumulative_made": pa.array(np.cumsum(made, axis=1).ravel(), pa.float64()),
            "cumulative_good": pa.array(np.cumsum(good, axis=1).ravel(), pa.float64()),
        }
    )


def storage_level(events: pa.Table) -> pa.Table:
    """The stock after every put-away and shipment: time, product, change, level, total.

    ``level`` is the product's stock, ``total`` all products' (what the capacity limits).
    """
    event = events["event"].cast(pa.string())
    mask = pc.is_in(event, value_set=pa.array([Event.LOT_STORED.value, Event.SHIPPED.value]))
    rows = _rows(events, mask, ["time", "product", "event", "quantity"])
    change = [
        q if e == Event.LOT_STORED else -q
        for e, q in zip(rows["event"], rows["quantity"], strict=True)
    ]
    levels: dict[str, float] = {}
    level, total = [], []
    running = 0.0
    for product, delta in zip(rows["product"], change, strict=True):
        levels[product] = levels.get(product, 0.0) + delta
        running += delta
        level.append(levels[product])
        total.append(running)
    return pa.table(
        {
            "time": pa.array(rows["time"], pa.float64()),
            "product": pa.array(rows["product"], pa.string()),
            "change": pa.array(change, pa.float64()),
            "level": pa.array(level, pa.float64()),
            "total": pa.array(total, pa.float64()),
        }
    )


def order_fill(events: pa.Table) -> pa.Table:
    """One row per released order: order, product, released, ordered, shipped, completed.

    ``released`` and ``completed`` are hours (``completed`` null while the order is open).
    """
    is_order = pc.equal(events["object_type"].cast(pa.string()), ObjectType.ORDER.value)
    rows = _rows(events, is_order, ["time", "object_id", "event", "product", "quantity"])
    orders: dict[str, dict[str, Any]] = {}
    for time, oid, kind, product, qty in zip(*rows.values(), strict=True):
        if kind == Event.ORDER_RELEASED:
            orders[oid] = {
                "product": product,
                "released": time,
                "ordered": qty,
                "shipped": 0.0,
                "completed": None,
            }
        elif kind == Event.SHIPPED and oid in orders:
            orders[oid]["shipped"] += qty
        elif kind == Event.ORDER_COMPLETED and oid in orders:
            orders[oid]["completed"] = time
    return pa.table(
        {
            "order": pa.array(list(orders), pa.string()),
            "product": pa.array([o["product"] for o in orders.values()], pa.string()),
            "released": pa.array([o["released"] for o in orders.values()], pa.float64()),
            "ordered": pa.array([o["ordered"] for o in orders.values()], pa.float64()),
            "shipped": pa.array([o["shipped"] for o in orders.values()], pa.float64()),
            "completed": pa.array([o["completed"] for o in orders.values()], pa.float64()),
        }
    )
