"""Engine defects found in review (issue 10), each pinned by a test that failed before its fix."""

from __future__ import annotations

from typing import Any

import pytest

from plantwin.sim import EventBudgetExceeded, simulate

from .conftest import TWENTY_FOUR_SEVEN, ScenarioFactory


def _constant(value: float) -> dict[str, Any]:
    return {"dist": "constant", "value": value}


def _rows(result: Any, **match: str) -> list[dict[str, Any]]:
    return [r for r in result.events().to_pylist() if all(r[k] == v for k, v in match.items())]


def test_every_return_of_power_owes_the_full_restart(make_scenario: ScenarioFactory) -> None:
    """Cuts [1, 2], [3, 4], [5, 6], ... (gap 1 h, length 1 h) and a 1.5 h restart: each return
    of power owes 1.5 h, so every restart is cut short after 1 h and the line never produces
    after the first cut. Before the fix a return owed only the 0.5 h left over from the
    interrupted restart, and the line produced 0.5 h in every 2 h cycle."""
    s = make_scenario(
        calendar=TWENTY_FOUR_SEVEN,
        grid={"restart": 1.5, "cuts": {"between": _constant(1), "duration": _constant(1)}},
    )
    result = simulate(s, 1, horizon="24h")
    hours = result.kpis["lines"]["L1"]["hours"]
    assert hours["producing"] == pytest.approx(1.0)  # 0..1, before the first cut
    assert hours["power_out"] == pytest.approx(12.0)  # [1,2], [3,4], ..., [23,24]
    assert hours["restarting"] == pytest.approx(11.0)
    restarts = _rows(result, object_id="L1", event="restarting")
    assert [r["time"] for r in restarts] == pytest.approx([2.0 * k for k in range(1, 12)])


def test_a_discontinued_product_does_not_block_other_products_lots(
    make_scenario: ScenarioFactory,
) -> None:
    """Product a's lots are always rejected (p = 1), so its inspection is discontinued after
    the first lots under tightened inspection; its lots then fill the buffer. Lines L2 and L3
    make product b and finish their lots together: one goes to the lane, the other finds the
    buffer full and is blocked. When the lane frees, the blocked lot of b must move to it
    (other products' lots go ahead); before the fix it waited behind a's lots for good."""
    s = make_scenario(
        calendar=TWENTY_FOUR_SEVEN,
        products=[
            {"id": "a", "defect_fraction": _constant(1.0)},
            {"id": "b", "defect_fraction": _constant(0.0)},
        ],
        lines=[
            {"id": "L1", "products": ["a"], "rate": 10_000, "lot_size": 1_000},
            {"id": "L2", "products": ["b"], "rate": 100, "lot_size": 1_000},
            {"id": "L3", "products": ["b"], "rate": 100, "lot_size": 1_000},
        ],
        range={
            "lanes": 1,
            "test_time": _constant(0.1),
            "sampling": {
                "plan": None,
                "level": "II",
                "aql": 0.65,
                "resume_after": _constant(10_000),
            },
        },
        buffer={"lots": 3},
    )
    result = simulate(s, 1, horizon="10d")
    events = result.events().to_pylist()
    discontinued = [r["time"] for r in events if r["event"] == "discontinued"]
    assert discontinued, "product a's inspection never discontinued: the test sets up nothing"
    t0 = discontinued[0]
    # every lot of b finished after the discontinuation is tested: L2 and L3 each make one
    # lot every 1000 / 100 = 10 h (performance defaults to 1), 24 each in 10 days
    b_made = [r for r in events if r["event"] == "lot_produced" and r["product"] == "b"]
    b_tested = {r["lot"] for r in events if r["event"] == "test_started" and r["product"] == "b"}
    late = [r["lot"] for r in b_made if r["time"] > t0 + 0.2]
    assert len(late) >= 20
    assert set(late) <= b_tested
    # each blocked lot of b waits one test time (0.1 h) for the lane, never longer
    for line in ("L2", "L3"):
        assert result.kpis["lines"][line]["hours"]["blocked"] <= 0.1 * 25 + 1e-9


def test_orders_released_in_the_last_partial_day_are_kept(make_scenario: ScenarioFactory) -> None:
    """A horizon of 10.5 days keeps an order released at 00:00 of day 10 (hour 240)."""
    s = make_scenario(
        demand={
            "orders": [
                {
                    "id": "late",
                    "product": "a",
                    "quantity": 5,
                    "release": "2025-07-11",
                    "due": "2025-07-20",
                }
            ],
            "recurring": [{"product": "a", "quantity": 7, "every": "week", "day": 5}],
        }
    )
    result = simulate(s, 1, horizon="252h")
    released = [(r["time"], r["object_id"]) for r in _rows(result, event="order_released")]
    # 2025-07-01 is a Tuesday: weekly orders on Fridays 07-04 (h 72) and 07-11 (h 240)
    assert (240.0, "late") in released
    assert (240.0, "a-2025-07-11") in released
    assert result.kpis["orders"]["released"] == 3


def test_installation_resumed_is_logged_only_after_a_cut(make_scenario: ScenarioFactory) -> None:
    """Installation pauses at every shift end and resumes at every shift start; only a power
    cut's pause and resumption are events (a night is not a pause of the project)."""
    s = make_scenario(
        lines=[
            {
                "id": "L1",
                "products": ["a"],
                "rate": 1000,
                "lot_size": 10_000,
                "project": {"delivery": "2025-07-01", "installation": _constant(40)},
            }
        ],
    )
    result = simulate(s, 1, horizon="10d")
    names = [r["event"] for r in _rows(result, object_id="L1")]
    assert "installation_finished" in names
    assert "installation_resumed" not in names
    assert "installation_paused" not in names


def test_installation_paused_and_resumed_by_a_cut(make_scenario: ScenarioFactory) -> None:
    s = make_scenario(
        calendar=TWENTY_FOUR_SEVEN,
        lines=[
            {
                "id": "L1",
                "products": ["a"],
                "rate": 1000,
                "lot_size": 10_000,
                "project": {"delivery": "2025-07-01", "installation": _constant(28)},
            }
        ],
        grid={"restart": 0, "cuts": {"between": _constant(10), "duration": _constant(5)}},
    )
    result = simulate(s, 1, horizon="3d")
    rows = [(r["time"], r["event"]) for r in _rows(result, object_id="L1")]
    paused = [t for t, e in rows if e == "installation_paused"]
    resumed = [t for t, e in rows if e == "installation_resumed"]
    # cuts [10, 15], [25, 30], [40, 45]: 28 h of work in 0-10, 15-25, 30-38
    assert paused == [10.0, 25.0]
    assert resumed == [15.0, 30.0]
    finished = [t for t, e in rows if e == "installation_finished"]
    assert finished == [pytest.approx(38.0)]


# --- the event budget ---------------------------------------------------------------------------


def test_a_run_that_explodes_stops_at_its_event_budget(make_scenario: ScenarioFactory) -> None:
    """Lots of 100 units at 1,000 units an hour: 10 lots (a few events each) an hour."""
    s = make_scenario(
        calendar=TWENTY_FOUR_SEVEN,
        lines=[{"id": "L1", "products": ["a"], "rate": 1_000, "lot_size": 100}],
    )
    with pytest.raises(EventBudgetExceeded, match="more than 5,000 engine events"):
        simulate(s, 1, horizon="30d", max_events=5_000)
    assert (
        simulate(s, 1, horizon="47.95h", max_events=5_000).kpis["lines"]["L1"]["lots_made"] == 479
    )


def test_the_budget_counts_the_pre_drawn_cuts_and_shifts(make_scenario: ScenarioFactory) -> None:
    s = make_scenario(
        calendar=TWENTY_FOUR_SEVEN,
        grid={"restart": 0, "cuts": {"between": _constant(0.1), "duration": _constant(0.1)}},
    )
    with pytest.raises(EventBudgetExceeded, match="power cuts"):
        simulate(s, 1, horizon="30d", max_events=5_000)  # 3,600 cuts, 7,200 events
    with pytest.raises(EventBudgetExceeded, match="shifts"):
        simulate(make_scenario(), 1, horizon="100y", max_events=10_000)
