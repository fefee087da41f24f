"""Tiny deterministic plants for the rule tests, and readers of their event logs.

Every plant starts on Monday 2025-01-06 (t = 0 is its 00:00). ``plant()`` is the base plant with
whole top-level sections replaced, so each test shows the sections it relies on.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from plantwin import RunResult
from plantwin.scenario import Scenario, validate_data
from plantwin.sim import LINE_STATES

START = datetime(2025, 1, 6)  # a Monday

ALL_WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
AROUND_THE_CLOCK = {"workdays": ALL_WEEK, "shifts": ["00:00-24:00"]}
DAY_SHIFT = {"workdays": ALL_WEEK, "shifts": ["06:00-22:00"]}  # working 6-22, 30-46, 54-70, ...

BASE: dict[str, Any] = {
    "plant": {"name": "rule test plant", "start": START.date().isoformat(), "horizon": "7d"},
    "calendar": AROUND_THE_CLOCK,
    "products": [{"id": "a"}],
    "lines": [{"id": "L1", "products": ["a"], "rate": 100, "lot_size": 100}],
    "range": {
        "lanes": 1,
        "test_time": {"dist": "constant", "value": 0.5},
        "sampling": {"plan": {"n": 5, "ac": 0, "re": 1}},
    },  # fixed_range()
    "buffer": {"lots": 10},
}


def plant(**sections: Any) -> Scenario:
    """The base plant with whole sections replaced: product ``a`` (never defective) made on
    line ``L1`` at 100 units/h in lots of 100 (one lot an hour), around the clock; one lane
    tests each lot in 0.5 h with n = 5, Ac = 0, Re = 1, so a passed lot stores 95 units;
    a buffer of 10 lots, unlimited storage, no grid events, no demand."""
    return validate_data({**BASE, **sections}, "<rule test>")


def constant(value: float) -> dict[str, Any]:
    """A constant distribution."""
    return {"dist": "constant", "value": value}


def line(line_id: str = "L1", products: tuple[str, ...] = ("a",), **fields: Any) -> dict[str, Any]:
    """A line table: 100 units/h in lots of 100 unless ``fields`` say otherwise."""
    return {"id": line_id, "products": list(products), "rate": 100, "lot_size": 100, **fields}


def fixed_range(lanes: int = 1, test_time: float = 0.5, n: int = 5) -> dict[str, Any]:
    """A range whose lanes test each lot in ``test_time`` working, powered hours with the
    fixed plan (n, Ac = 0, Re = 1)."""
    return {
        "lanes": lanes,
        "test_time": constant(test_time),
        "sampling": {"plan": {"n": n, "ac": 0, "re": 1}},
    }


def cuts(between: float, duration: float, restart: float) -> dict[str, Any]:
    """A grid of periodic cuts: the first starts at ``between``, each lasts ``duration``, and
    the next starts ``between`` hours after the end of the last."""
    return {
        "restart": restart,
        "cuts": {"between": constant(between), "duration": constant(duration)},
    }


def at(hours: float) -> str:
    """The plant time ``hours`` after t = 0, as an order's release or due datetime."""
    return (START + timedelta(hours=hours)).isoformat()


def order(product: str, quantity: int, release: float, due: float, **fields: Any) -> dict[str, Any]:
    """A one-off order released and due at the given hours."""
    return {
        "product": product,
        "quantity": quantity,
        "release": at(release),
        "due": at(due),
        **fields,
    }


def events(result: RunResult, **match: Any) -> list[dict[str, Any]]:
    """The event log's rows whose fields equal ``match``, in log order."""
    rows: list[dict[str, Any]] = result.events().to_pylist()
    return [r for r in rows if all(r[k] == v for k, v in match.items())]


def times(result: RunResult, **match: Any) -> list[float]:
    """The times of the rows ``events`` selects."""
    return [r["time"] for r in events(result, **match)]


def spells(result: RunResult, line_id: str = "L1") -> list[tuple[float, str]]:
    """The line's states as (start, state), leaving out spells of zero length, so the trace
    does not depend on how many intermediate states an engine passes through in one instant."""
    out: list[tuple[float, str]] = []
    for r in events(result, object_type="line", object_id=line_id):
        if r["event"] not in LINE_STATES:
            continue
        if out and out[-1][0] == r["time"]:
            out.pop()
        if not out or out[-1][1] != r["event"]:
            out.append((r["time"], r["event"]))
    return out


def hours(result: RunResult, line_id: str = "L1") -> dict[str, float]:
    """The line's hours in each state, checked to cover every state and sum to the horizon."""
    h: dict[str, float] = result.kpis["lines"][line_id]["hours"]
    assert set(h) == set(LINE_STATES)
    assert math.isclose(sum(h.values()), result.horizon_hours, rel_tol=1e-12), h
    return h
