"""Storage issues oldest lot first; orders are served oldest first, partially, and counted on
time at or before their due time; fill rate and backorders cover the orders due in the horizon.

In the base plant lot k is done at hour k and stored (95 units) at k + 0.5.
"""

from __future__ import annotations

import pytest

from plantwin import RunResult, simulate

from .conftest import DAY_SHIFT, events, fixed_range, line, order, plant, times


def _shipments(result: RunResult) -> list[tuple[float, str, str, float]]:
    """(time, order, lot, units) of every shipment."""
    return [
        (r["time"], r["object_id"], r["lot"], r["quantity"])
        for r in events(result, event="shipped")
    ]


def test_the_oldest_open_order_is_served_first_and_partially() -> None:
    """'new' (listed first, released at 1, due at 3) and 'old' (released at 0, due at 10)
    both want 150. Stock goes to the order released first, though the other is due earlier:
    old takes lot 1 (95) and 55 of lot 2; new the other 40 of lot 2, lot 3 and 15 of lot 4."""
    s = plant(
        demand={
            "orders": [
                order("a", 150, release=1, due=3, id="new"),
                order("a", 150, release=0, due=10, id="old"),
            ]
        }
    )
    result = simulate(s, horizon=5)
    assert _shipments(result) == [
        (1.5, "old", "L1-00001", 95),
        (2.5, "old", "L1-00002", 55),
        (2.5, "new", "L1-00002", 40),
        (3.5, "new", "L1-00003", 95),
        (4.5, "new", "L1-00004", 15),
    ]
    completed = [(r["time"], r["object_id"]) for r in events(result, event="order_completed")]
    assert completed == [(2.5, "old"), (4.5, "new")]
    assert result.kpis["storage"]["end"] == pytest.approx(95 - 15)


def test_storage_issues_the_oldest_lot_first_splitting_the_head_lot() -> None:
    """Lots 1-4 are in stock when two orders arrive at 5.25 (150, then 100); lot 5 comes in
    at 5.5; a third order (200) at 6.25. Each takes from the oldest lot left, splitting it:
    the rest of a split lot is the first issued next time."""
    s = plant(
        demand={
            "orders": [
                order("a", 150, release=5.25, due=24, id="o1"),
                order("a", 100, release=5.25, due=24, id="o2"),
                order("a", 200, release=6.25, due=24, id="o3"),
            ]
        }
    )
    result = simulate(s, horizon=6.5)
    assert _shipments(result) == [
        (5.25, "o1", "L1-00001", 95),
        (5.25, "o1", "L1-00002", 55),
        (5.25, "o2", "L1-00002", 40),
        (5.25, "o2", "L1-00003", 60),
        (6.25, "o3", "L1-00003", 35),
        (6.25, "o3", "L1-00004", 95),
        (6.25, "o3", "L1-00005", 70),
    ]
    assert result.kpis["storage"]["end"] == pytest.approx(25)  # what is left of lot 5


def test_on_time_fill_rate_and_backorders_count_the_orders_due_in_the_horizon() -> None:
    """Four orders released at 0, served in this order: A (100, due 2.5) gets 95 at 1.5 and 5
    at 2.5, exactly at its due time, so on time; B (200, due 3) gets 90 at 2.5 (on time), 95 at
    3.5 and 15 at 4.5 (late); C (1,000, due 5) gets 80 at 4.5 (on time) and 95 at 5.5; D (due
    after the 6 h horizon) gets nothing and is left out of fill rate and backorders.
    Fill rate = (100 + 90 + 80) / (100 + 200 + 1,000); backorders = C's open 825."""
    s = plant(
        demand={
            "orders": [
                order("a", 100, release=0, due=2.5, id="A"),
                order("a", 200, release=0, due=3, id="B"),
                order("a", 1000, release=0, due=5, id="C"),
                order("a", 50, release=0, due=48, id="D"),
            ]
        }
    )
    result = simulate(s, horizon=6)
    o = result.kpis["orders"]
    assert (o["released"], o["due_in_horizon"], o["completed"], o["completed_on_time"]) == (
        4,
        3,
        2,
        1,
    )
    assert o["units_ordered"] == 1300
    assert o["units_shipped"] == pytest.approx(5 * 95)
    assert o["units_shipped_on_time"] == pytest.approx(100 + 90 + 80)
    assert o["fill_rate"] == pytest.approx(270 / 1300)
    assert o["backorders"] == pytest.approx(1000 - 80 - 95)
    # lead time = release to completion: A at 2.5, B at 4.5
    assert o["lead_time_mean_hours"] == pytest.approx(3.5)
    assert o["lead_time_max_hours"] == pytest.approx(4.5)


@pytest.mark.parametrize(
    ("every", "release", "due"),
    [
        # from Tuesday 2025-07-01: the July order at 0, due on 1 August 00:00
        ({"every": "month", "day": 1}, 0.0, 744.0),
        # ISO weekday 3: Wednesday 2025-07-02 00:00 (hour 24), due a week later
        ({"every": "week", "day": 3}, 24.0, 24.0 + 168),
    ],
    ids=["month", "week"],
)
@pytest.mark.parametrize("early", [0.0, 0.5])
def test_recurring_orders_are_released_at_00_00_and_due_at_the_next_release(
    every: dict[str, object], release: float, due: float, early: float
) -> None:
    """The first order is released at 00:00 of its day and due at 00:00 of the next release
    day: a horizon ending exactly then has it due within the horizon, one ending half an hour
    earlier does not."""
    s = plant(
        plant={"name": "recurring", "start": "2025-07-01"},
        demand={"recurring": [{"product": "a", "quantity": 95, **every}]},
    )
    result = simulate(s, horizon=due - early)
    assert times(result, event="order_released") == [release]
    # stock ships as soon as both exist: lot 1 is stored at 1.5
    assert times(result, event="shipped") == [max(release, 1.5)]
    o = result.kpis["orders"]
    assert (o["released"], o["due_in_horizon"]) == (1, 0 if early else 1)
    assert o["fill_rate"] == (None if early else 1.0)


def test_storage_capacity_is_shared_by_the_products() -> None:
    """Storage for 150 units: a's lot 1 stores 95 at 1.5; b's lot 1 (80 units/h, done at 1.25,
    passed at 1.75) finds only 55 free and waits on its lane, though b has no stock at all."""
    s = plant(
        products=[{"id": "a"}, {"id": "b"}],
        lines=[line("L1"), line("L2", products=("b",), rate=80)],
        range=fixed_range(lanes=2),
        storage={"capacity": 150},
    )
    result = simulate(s, horizon=2)
    assert [(r["time"], r["lot"]) for r in events(result, event="lot_accepted")] == [
        (1.5, "L1-00001"),
        (1.75, "L2-00001"),
    ]
    assert times(result, event="lot_stored") == [1.5]
    assert result.kpis["storage"]["by_product"] == {"a": 95, "b": 0}


def test_shipments_and_put_away_happen_at_any_hour() -> None:
    """Shift 06:00-22:00 and storage for 100: lot 1 (done at 7) stores 95 at 7.5; lot 2 passes
    at 8.5 and waits on the lane. An order released at 02:00 the next night (hour 26) ships at
    once, and lot 2 goes into storage at that moment, outside working time."""
    s = plant(
        calendar=DAY_SHIFT,
        storage={"capacity": 100},
        demand={"orders": [order("a", 95, release=26, due=48)]},
    )
    result = simulate(s, horizon=28)
    assert _shipments(result) == [(26.0, "order-1", "L1-00001", 95)]
    assert [(r["time"], r["lot"]) for r in events(result, event="lot_stored")] == [
        (7.5, "L1-00001"),
        (26.0, "L1-00002"),
    ]
