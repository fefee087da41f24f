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

from plantwin.scenario import Network, Scenario
from plantwin.sim import LINE_STATES, Event, ObjectType, lane_names, network_of, order_book

__all__ = [
    "backorders_by_day",
    "daily_state_hours",
    "failure_repairs",
    "inspection_spells",
    "line_state_intervals",
    "order_fill",
    "order_status",
    "output_over_time",
    "range_by_day",
    "storage_by_day",
    "storage_level",
]

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


def _daily_step(
    times: Any, values: Any, days: int, start: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Each day's maximum and end value of a step function that is ``start`` before the first
    change and ``values[i]`` from ``times[i]`` on (times sorted); day ``d`` is [24d, 24d + 24)."""
    times, values = np.asarray(times, float), np.asarray(values, float)
    last = np.searchsorted(times, np.arange(1, days + 1) * 24.0, side="left") - 1
    end = np.where(last >= 0, values[np.maximum(last, 0)] if len(values) else start, start)
    high = np.concatenate([[start], end[:-1]])  # the value each day begins with
    day = np.minimum((times // 24.0).astype(np.int64), days - 1)
    np.maximum.at(high, day, values)
    return high, end


def _daily_integral(parts: list[tuple[Any, Any]], horizon_hours: float) -> np.ndarray:
    """Per day, the integral over time of the product of step functions, each given as (times,
    values): 0 before its first change, ``values[i]`` from ``times[i]`` on."""
    days = max(1, math.ceil(horizon_hours / 24.0))
    cuts = [np.minimum(np.arange(days + 1) * 24.0, horizon_hours)]
    cuts += [np.asarray(t, float) for t, _ in parts]
    points = np.unique(np.clip(np.concatenate(cuts), 0.0, horizon_hours))
    product = np.ones(len(points))
    for times, values in parts:
        t, v = np.asarray(times, float), np.asarray(values, float)
        at = np.searchsorted(t, points, side="right") - 1
        product *= np.where(at >= 0, v[np.maximum(at, 0)] if len(v) else 0.0, 0.0)
    lengths = np.diff(points)
    day = np.minimum((points[:-1] // 24.0).astype(np.int64), days - 1)
    return np.bincount(day, weights=product[:-1] * lengths, minlength=days)


def daily_state_hours(events: pa.Table, horizon_hours: float) -> pa.Table:
    """Hours of each line in each state per calendar day: day (0 = the start date), line,
    state, hours. Each line's hours of a whole day add up to 24."""
    spells = line_state_intervals(events, horizon_hours)
    start, end = spells["start"].to_numpy(), spells["end"].to_numpy()
    first = (start // 24.0).astype(np.int64)
    count = np.maximum(np.ceil(end / 24.0).astype(np.int64) - first, 1)
    spell = np.repeat(np.arange(len(start)), count)
    day = first[spell] + np.arange(len(spell)) - np.repeat(np.cumsum(count) - count, count)
    hours = np.minimum(end[spell], (day + 1) * 24.0) - np.maximum(start[spell], day * 24.0)
    keep = pa.array(hours > 0)
    split = pa.table(
        {
            "day": pa.array(day, pa.int64()),
            "line": spells["line"].take(pa.array(spell)),
            "state": spells["state"].take(pa.array(spell)),
            "hours": pa.array(hours, pa.float64()),
        }
    ).filter(keep)
    summed = split.group_by(["day", "line", "state"], use_threads=False).aggregate(
        [("hours", "sum")]
    )
    return summed.rename_columns(["day", "line", "state", "hours"]).sort_by([("day", "ascending")])


def failure_repairs(events: pa.Table) -> pa.Table:
    """One row per failure of a line: line, failed (hours), repaired (null while under repair
    at the horizon), hours (failure to repaired, waiting for a crew included)."""
    event = events["event"].cast(pa.string())
    mask = pc.and_(
        pc.equal(events["object_type"].cast(pa.string()), ObjectType.LINE.value),
        pc.is_in(event, value_set=pa.array([Event.FAILURE.value, Event.REPAIRED.value])),
    )
    rows = _rows(events, mask, ["time", "object_id", "event"])
    times, lines = np.asarray(rows["time"], float), np.asarray(rows["object_id"], object)
    is_failure = np.asarray(rows["event"], object) == Event.FAILURE.value
    out: dict[str, list[Any]] = {"line": [], "failed": [], "repaired": []}
    for line in dict.fromkeys(rows["object_id"]):  # a line's failures and repairs alternate
        mine = lines == line
        failed, repaired = times[mine & is_failure], times[mine & ~is_failure].tolist()
        out["line"] += [line] * len(failed)
        out["failed"] += failed.tolist()
        out["repaired"] += repaired + [None] * (len(failed) - len(repaired))
    repaired_at = pa.array(out["repaired"], pa.float64())
    return pa.table(
        {
            "line": pa.array(out["line"], pa.string()),
            "failed": pa.array(out["failed"], pa.float64()),
            "repaired": repaired_at,
            "hours": pc.subtract(repaired_at, pa.array(out["failed"], pa.float64())),
        }
    )


def storage_by_day(events: pa.Table, horizon_hours: float) -> pa.Table:
    """Stock per calendar day: day (0 = the start date), product (null: all products, what the
    capacity limits), level_max (the day's highest) and level_end (at the day's end)."""
    days = max(1, math.ceil(horizon_hours / 24.0))
    level = storage_level(events)
    series = [(None, level["time"].to_numpy(), level["total"].to_numpy())]
    for product in dict.fromkeys(level["product"].to_pylist()):
        mine = level.filter(pc.equal(level["product"], product))
        series.append((product, mine["time"].to_numpy(), mine["level"].to_numpy()))
    out: dict[str, list[Any]] = {"day": [], "product": [], "level_max": [], "level_end": []}
    for product, times, values in series:
        high, end = _daily_step(times, values, days)
        out["day"] += list(range(days))
        out["product"] += [product] * days
        out["level_max"] += high.tolist()
        out["level_end"] += end.tolist()
    return pa.table(
        {
            "day": pa.array(out["day"], pa.int64()),
            "product": pa.array(out["product"], pa.string()),
            "level_max": pa.array(out["level_max"], pa.float64()),
            "level_end": pa.array(out["level_end"], pa.float64()),
        }
    )


def _shipments(events: pa.Table) -> dict[str, list[Any]]:
    """time, object_id (the order) and quantity of every shipment."""
    mask = pc.and_(
        pc.equal(events["object_type"].cast(pa.string()), ObjectType.ORDER.value),
        pc.equal(events["event"].cast(pa.string()), Event.SHIPPED.value),
    )
    return _rows(events, mask, ["time", "object_id", "quantity"])


def order_status(events: pa.Table, scenario: Scenario | Network, horizon_hours: float) -> pa.Table:
    """One row per released order: order, product, released, due, ordered, shipped,
    shipped_on_time (at or before the due time), completed (null while open); times in hours.

    The due times come from the scenario's demand (the log records releases and shipments)."""
    book = order_book(network_of(scenario).demand, scenario.plant.start, horizon_hours)
    due = {o.id: o.due for o in book}
    fill = order_fill(events)
    shipped = _shipments(events)
    on_time: dict[str, float] = {}
    for time, oid, qty in zip(
        shipped["time"], shipped["object_id"], shipped["quantity"], strict=True
    ):
        if time <= due.get(oid, math.inf):
            on_time[oid] = on_time.get(oid, 0.0) + qty
    orders = fill["order"].to_pylist()
    return pa.table(
        {
            "order": fill["order"],
            "product": fill["product"],
            "released": fill["released"],
            "due": pa.array([due.get(o) for o in orders], pa.float64()),
            "ordered": fill["ordered"],
            "shipped": fill["shipped"],
            "shipped_on_time": pa.array([on_time.get(o, 0.0) for o in orders], pa.float64()),
            "completed": fill["completed"],
        }
    )


def backorders_by_day(
    events: pa.Table, scenario: Scenario | Network, horizon_hours: float
) -> pa.Table:
    """Units of orders past their due time and not yet shipped, at the end of each calendar day
    (the last one at the horizon): day (0 = the start date), time (hours), backorders."""
    days = max(1, math.ceil(horizon_hours / 24.0))
    ends = np.minimum(np.arange(1, days + 1) * 24.0, horizon_hours)
    status = order_status(events, scenario, horizon_hours)
    shipped = _shipments(events)
    due = dict(zip(status["order"].to_pylist(), status["due"].to_pylist(), strict=True))
    times = np.asarray(shipped["time"], float)
    quantity = np.asarray(shipped["quantity"], float)
    owed = np.asarray([due.get(o) or math.inf for o in shipped["object_id"]], float)
    order_due = np.asarray(status["due"].fill_null(math.inf).to_numpy(), float)
    ordered = status["ordered"].to_numpy()
    # ordered and due by each day's end, less what was shipped to those orders by then
    backorders = np.asarray(
        [ordered[order_due <= t].sum() - quantity[(owed <= t) & (times <= t)].sum() for t in ends]
    )
    return pa.table(
        {
            "day": pa.array(np.arange(days), pa.int64()),
            "time": pa.array(ends, pa.float64()),
            "backorders": pa.array(backorders, pa.float64()),
        }
    )


def range_by_day(events: pa.Table, scenario: Scenario | Network, horizon_hours: float) -> pa.Table:
    """The test stations per calendar day, all together: day (0 = the start date),
    open_lane_hours (lanes x hours open: working and powered), busy_lane_hours (of those, lanes
    holding a lot), utilisation (busy / open, null on a day it never opened), and the lots
    waiting in the test stations' input buffers: waiting_max, waiting_end."""
    net = network_of(scenario)
    days = max(1, math.ceil(horizon_hours / 24.0))
    testers = {s.id: s.lanes or 1 for s in net.stations_of("test")}
    buffers = [
        stage.buffer
        for routing in net.routings
        for stage in routing.stages
        if stage.buffer is not None and any(s in testers for s in stage.stations)
    ]
    tester_of_lane = lane_names(net)
    event = events["event"].cast(pa.string())
    state = _rows(
        events,
        pc.equal(events["object_type"].cast(pa.string()), ObjectType.RANGE.value),
        ["time", "object_id", "event"],
    )
    finished = (Event.LOT_ACCEPTED.value, Event.LOT_REJECTED.value)
    tests = _rows(
        events,
        pc.is_in(event, value_set=pa.array([Event.TEST_STARTED.value, *finished])),
        ["time", "event", "related"],
    )
    open_hours, busy_hours = np.zeros(days), np.zeros(days)
    for tester, count in testers.items():
        mine = [i for i, o in enumerate(state["object_id"]) if o == tester]
        is_open = (
            [state["time"][i] for i in mine],
            [float(state["event"][i] == Event.OPEN.value) for i in mine],
        )
        on_lane = [
            i for i, lane in enumerate(tests["related"]) if tester_of_lane.get(lane) == tester
        ]
        occupied = (
            [tests["time"][i] for i in on_lane],
            np.cumsum([-1.0 if tests["event"][i] in finished else 1.0 for i in on_lane]),
        )
        open_hours += count * _daily_integral([is_open], horizon_hours)
        busy_hours += _daily_integral([is_open, occupied], horizon_hours)
    # a lot waits from its arrival in a tester's buffer until its test starts
    queued = pc.and_(
        pc.equal(event, Event.LOT_QUEUED.value),
        pc.is_in(events["related"].cast(pa.string()), value_set=pa.array(buffers, pa.string())),
    )
    waiting_lots = pc.unique(events.filter(queued)["lot"])
    waits = _rows(
        events,
        pc.or_(
            queued,
            pc.and_(
                pc.equal(event, Event.TEST_STARTED.value),
                pc.is_in(events["lot"], value_set=waiting_lots),
            ),
        ),
        ["time", "event"],
    )
    change = [1.0 if e == Event.LOT_QUEUED.value else -1.0 for e in waits["event"]]
    waiting_max, waiting_end = _daily_step(waits["time"], np.cumsum(change), days)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(open_hours > 0, busy_hours / open_hours, np.nan)
    return pa.table(
        {
            "day": pa.array(np.arange(days), pa.int64()),
            "open_lane_hours": pa.array(open_hours, pa.float64()),
            "busy_lane_hours": pa.array(busy_hours, pa.float64()),
            "utilisation": pa.array(share, pa.float64(), from_pandas=True),
            "waiting_max": pa.array(waiting_max, pa.float64()),
            "waiting_end": pa.array(waiting_end, pa.float64()),
        }
    )


def inspection_spells(events: pa.Table, horizon_hours: float) -> pa.Table:
    """One row per spell of a product's inspection state (normal until a switch): product,
    state, start, end (hours). Only products whose lots were tested have spells."""
    tested = _rows(
        events, pc.equal(events["event"].cast(pa.string()), Event.TEST_STARTED.value), ["product"]
    )
    switches = _rows(
        events,
        pc.equal(events["object_type"].cast(pa.string()), ObjectType.INSPECTION.value),
        ["time", "object_id", "event"],
    )
    out: dict[str, list[Any]] = {k: [] for k in ("product", "state", "start", "end")}
    for product in dict.fromkeys(tested["product"]):
        mine = [i for i, p in enumerate(switches["object_id"]) if p == product]
        starts = [0.0, *(switches["time"][i] for i in mine)]
        states = [Event.NORMAL.value, *(switches["event"][i] for i in mine)]
        for state, lo, hi in zip(states, starts, [*starts[1:], horizon_hours], strict=True):
            if hi > lo:
                for key, value in zip(out, (product, state, lo, hi), strict=True):
                    out[key].append(value)
    return pa.table(
        {
            "product": pa.array(out["product"], pa.string()),
            "state": pa.array(out["state"], pa.string()),
            "start": pa.array(out["start"], pa.float64()),
            "end": pa.array(out["end"], pa.float64()),
        }
    )
