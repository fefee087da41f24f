"""Engine behaviour checked against what the model semantics say must happen."""

from __future__ import annotations

import gc
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plantwin.scenario import builtin, builtin_names
from plantwin.sim import ENGINE, LINE_STATES, Batch, Simulation, run_batch, simulate

from .conftest import TWENTY_FOUR_SEVEN, ScenarioFactory

MARACAY = builtin("maracay")
PRODUCING_INDEX = list(LINE_STATES).index("producing")


def _weekday_hours(start: np.datetime64, days: int, hours_per_day: float) -> float:
    """Working hours counted independently of the engine: business days x shift length."""
    return float(np.busday_count(start, start + np.timedelta64(days, "D"))) * hours_per_day


# --- conservation and state accounting --------------------------------------------------------


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**31), moments=st.lists(st.floats(1, 2000), min_size=5, max_size=12))
def test_conservation_holds_at_random_moments(seed: int, moments: list[float]) -> None:
    sim = Simulation(MARACAY, seed, horizon="90d")
    for t in sorted(moments):
        sim.run_until(t)
        # a station that produced for a whole lot's time has made a lot (a grid cut at the
        # start may keep every line from producing for a while)
        made_a_lot = any(
            s.hours[PRODUCING_INDEX] >= s.lot_size / s.eff_rate for s in sim.plant.stations
        )
        for product, b in sim.balance().items():
            assert b["made"] > 0 or not made_a_lot
            assert abs(b["difference"]) < 1e-6, (product, t, b)


def test_conservation_with_scarce_storage_and_rejections(make_scenario: ScenarioFactory) -> None:
    s = make_scenario(
        products=[{"id": "a", "defect_fraction": {"dist": "uniform", "low": 0, "high": 0.03}}],
        storage={"capacity": 30_000},
        buffer={"lots": 1},
        range={"lanes": 1, "test_time": {"dist": "constant", "value": 3}},
        demand={"recurring": [{"product": "a", "quantity": 50_000, "every": "week", "day": 3}]},
    )
    sim = Simulation(s, 7, horizon="60d")
    rng = np.random.default_rng(0)
    for t in np.sort(rng.uniform(0, 1440, 40)):
        sim.run_until(float(t))
        b = sim.balance()["a"]
        assert abs(b["difference"]) < 1e-6
    result = sim.run()
    k = result.kpis
    assert k["conservation"]["ok"]
    assert k["range"]["lots_rejected"] > 0  # the check covered scrapping
    assert k["lines"]["L1"]["hours"]["blocked"] > 0  # and blocking


def test_line_state_hours_sum_to_the_horizon() -> None:
    result = simulate(MARACAY, 11)
    assert len(result.kpis["lines"]) == 4
    for line_id, v in result.kpis["lines"].items():
        assert set(v["hours"]) == set(LINE_STATES)
        assert math.isclose(sum(v["hours"].values()), 8760.0, rel_tol=1e-12), line_id
        assert min(v["hours"].values()) >= 0


# --- reproducibility ----------------------------------------------------------------------------


def test_same_seed_same_run_bit_for_bit() -> None:
    a = simulate(MARACAY, 42, horizon="120d")
    b = simulate(MARACAY, 42, horizon="120d")
    assert a.kpis == b.kpis
    assert a.events().equals(b.events())


def test_different_seeds_different_runs() -> None:
    a = simulate(MARACAY, 1, horizon="120d")
    b = simulate(MARACAY, 2, horizon="120d")
    assert a.kpis["output"]["units_made"] != b.kpis["output"]["units_made"]
    assert a.power_off != b.power_off


def test_event_log_off_changes_nothing_else() -> None:
    a = simulate(MARACAY, 5, horizon="60d", event_log=True)
    b = simulate(MARACAY, 5, horizon="60d", event_log=False)
    ka, kb = dict(a.kpis), dict(b.kpis)
    ka.pop("engine"), kb.pop("engine")
    assert ka == kb
    with pytest.raises(ValueError, match="no event log"):
        b.events()


# --- analytic cases -------------------------------------------------------------------------


def test_undisturbed_output_is_rate_times_performance_times_working_hours(
    make_scenario: ScenarioFactory,
) -> None:
    """Maracay's lines with failures, grid and demand removed, storage unlimited."""
    lines = [
        {k: v for k, v in ln.model_dump(by_alias=True).items() if k != "failures"}
        for ln in MARACAY.lines
    ]
    s = make_scenario(
        products=[p.model_dump(by_alias=True) for p in MARACAY.products],
        lines=lines,
        calendar={
            "workdays": ["mon", "tue", "wed", "thu", "fri"],
            "shifts": ["06:00-14:00", "14:00-22:00"],
        },
        changeover={"campaign_lots": 5, "time": {"dist": "constant", "value": 0}},
    )
    hours = _weekday_hours(np.datetime64("2025-07-01"), 365, 16)
    assert hours == 4176  # DESIGN.md: 261 weekdays from 2025-07-01 to 2026-06-30
    k = simulate(s, 3).kpis
    expected = 4 * 4200 * 0.95 * hours
    assert k["output"]["units_made"] == pytest.approx(expected, rel=1e-12)
    for v in k["lines"].values():
        assert v["hours"]["producing"] == pytest.approx(hours, rel=1e-12)
        assert v["availability"] == pytest.approx(1.0)
        assert v["performance"] == pytest.approx(0.95)


def test_availability_matches_mtbf_over_mtbf_plus_mttr(make_scenario: ScenarioFactory) -> None:
    """One line 24/7 with failures only: the availabilities' 95 % CI covers MTBF/(MTBF+MTTR)."""
    mtbf, mttr = 60.0, 1.5
    s = make_scenario(
        calendar=TWENTY_FOUR_SEVEN,
        lines=[
            {
                "id": "L1",
                "products": ["a"],
                "rate": 1000,
                "lot_size": 10_000,
                "failures": {
                    "between": {"dist": "exponential", "mean": mtbf},
                    "repair": {"dist": "lognormal", "mean": mttr, "cv": 1.0},
                },
            }
        ],
    )
    values = np.array(
        [
            simulate(s, 100, replication=r, event_log=False).kpis["lines"]["L1"]["availability"]
            for r in range(30)
        ]
    )
    mean, half = values.mean(), 2.045 * values.std(ddof=1) / math.sqrt(len(values))  # t(29)
    target = mtbf / (mtbf + mttr)
    assert mean - half <= target <= mean + half, (mean, half, target)
    assert half < 0.003  # the CI is tight enough to mean something


def test_failures_count_producing_hours_only(make_scenario: ScenarioFactory) -> None:
    """A failure due after 20 producing hours comes 4 h into the second 16-hour shift."""
    s = make_scenario(
        lines=[
            {
                "id": "L1",
                "products": ["a"],
                "rate": 1000,
                "lot_size": 1_000_000,
                "failures": {
                    "between": {"dist": "constant", "value": 20},
                    "repair": {"dist": "constant", "value": 1},
                },
            }
        ],
    )
    result = simulate(s, 0, horizon="3d")  # Tue 2025-07-01: shifts 6-22, 30-46, 54-70
    fails = [r.time for r in result.event_log.rows() if r.event == "failure"]
    # 16 h on day one, 4 h on day two; after repair (1 h) 20 more producing hours: 11 h of day
    # two are left (35..46) and 9 h of day three (54..63).
    assert fails == pytest.approx([34.0, 63.0])


# --- power --------------------------------------------------------------------------------------


def test_power_cut_stops_every_line_and_the_range_at_once() -> None:
    result = simulate(MARACAY, 8, horizon="180d")
    rows = result.event_log.rows()
    cuts = [r.time for r in rows if r.event == "power_off"]
    assert len(cuts) > 5
    checked = 0
    for t in cuts:
        at_t = [r for r in rows if r.time == t]
        range_off = [r for r in at_t if r.object_type == "range" and r.event == "power_out"]
        lines_off = {
            r.object_id for r in at_t if r.object_type == "line" and r.event == "power_out"
        }
        if range_off:  # the cut fell in working time
            assert lines_off == {"L1", "L2", "L3", "L4"}
            checked += 1
        else:
            assert lines_off == set()
    assert checked > 0


def test_restart_after_a_night_cut_is_owed_at_the_next_shift(
    make_scenario: ScenarioFactory,
) -> None:
    # one cut 23:00-24:00 on the first night (the next would start at 47 h, after the horizon)
    s = make_scenario(
        grid={"restart": 0.5, "cuts": {"between": {"dist": "constant", "value": 23},
                                       "duration": {"dist": "constant", "value": 1}}},
    )  # fmt: skip
    result = simulate(s, 0, horizon=40)
    assert result.power_off == ((23.0, 24.0),)
    states = [(r.time, r.event) for r in result.event_log.rows()
              if r.object_type == "line" and r.event in LINE_STATES]  # fmt: skip
    assert (30.0, "restarting") in states
    assert (30.5, "producing") in states
    assert result.kpis["lines"]["L1"]["hours"]["restarting"] == pytest.approx(0.5)


# --- changeovers, blocking, starving ------------------------------------------------------------


def test_changeovers_only_on_multi_product_lines() -> None:
    # blank is in short supply and tracer over-supplied, so the tracer line must switch
    demand = MARACAY.demand.model_dump()
    demand["recurring"][1]["quantity"] = 400_000
    demand["recurring"][2]["quantity"] = 2_000_000
    s = MARACAY.model_copy(update={"demand": type(MARACAY.demand).model_validate(demand)})
    result = simulate(s, 4)
    setups = {r.object_id for r in result.event_log.rows() if r.event == "setup"}
    assert setups == {"L3", "L4"}
    for line_id, v in result.kpis["lines"].items():
        multi = line_id in ("L3", "L4")
        assert (v["hours"]["changeover"] > 0) == multi, line_id


def test_campaign_switches_only_when_the_other_product_is_needed(
    make_scenario: ScenarioFactory,
) -> None:
    """Demand for b only: the line set up for a finishes its campaign, changes once, stays on b."""
    s = make_scenario(
        lines=[
            {
                "id": "L1",
                "products": ["a", "b"],
                "initial_product": "a",
                "rate": 1000,
                "lot_size": 1000,
                "campaign_lots": 3,
            }
        ],
        changeover={"time": {"dist": "constant", "value": 2}},
        demand={"recurring": [{"product": "b", "quantity": 1_000_000}]},
    )
    result = simulate(s, 0, horizon="30d")
    rows = result.event_log.rows()
    started = [r.product for r in rows if r.event == "lot_started"]
    assert started[:3] == ["a", "a", "a"]
    assert set(started[3:]) == {"b"}
    assert [r.product for r in rows if r.event == "setup"] == ["b"]
    assert result.kpis["lines"]["L1"]["hours"]["changeover"] == pytest.approx(2.0)


def test_small_storage_blocks_the_lines(make_scenario: ScenarioFactory) -> None:
    s = make_scenario(storage={"capacity": 100_000}, buffer={"lots": 2},
                      range={"lanes": 1})  # fmt: skip
    k = simulate(s, 0, horizon="30d").kpis
    assert k["storage"]["max"] <= 100_000
    assert k["lines"]["L1"]["hours"]["blocked"] > 0
    # storage holds 10 lots of 9,980, one lane holds a passed lot, 2 wait, 1 is on the line
    assert k["output"]["units_made"] == pytest.approx(
        10 * 10_000 + 1 * 10_000 + 2 * 10_000 + 10_000
    )


def test_make_to_order_line_starves_without_orders(make_scenario: ScenarioFactory) -> None:
    s = make_scenario(
        lines=[
            {"id": "L1", "products": ["a"], "rate": 1000, "lot_size": 10_000, "make_to": "order"}
        ],
        demand={
            "orders": [
                {"product": "a", "quantity": 25_000, "release": "2025-07-02", "due": "2025-07-10"}
            ]
        },
    )
    k = simulate(s, 0, horizon="30d").kpis
    line = k["lines"]["L1"]
    # 3 lots cover the order (2 passed lots of 9,980 are short of 25,000)
    assert line["lots_made"] == 3
    assert line["hours"]["starved"] > 0
    assert k["orders"]["completed"] == 1


def test_orders_fill_oldest_first_and_count_backorders(make_scenario: ScenarioFactory) -> None:
    # capacity ~ 900/h x 16 h x ~22 days ~ 317k a month, demand 500k a month: backorders grow
    s = make_scenario(demand={"recurring": [{"product": "a", "quantity": 500_000}]})
    k = simulate(s, 0, horizon="6mo").kpis
    o = k["orders"]
    assert o["released"] == 6 and o["due_in_horizon"] == 6
    assert o["units_ordered"] == 3_000_000
    assert o["backorders"] == pytest.approx(o["units_ordered"] - o["units_shipped"])
    assert o["fill_rate"] == pytest.approx(o["units_shipped_on_time"] / o["units_ordered"])
    assert 0 < o["fill_rate"] < 1
    assert k["storage"]["max"] < 10_000  # everything passed ships at once


def test_recurring_orders_start_on_their_first_date(make_scenario: ScenarioFactory) -> None:
    s = make_scenario(
        demand={"recurring": [{"product": "a", "quantity": 1000, "first": "2025-10-01"}]}
    )
    o = simulate(s, 0, horizon="6mo").kpis["orders"]
    assert o["released"] == 3  # October, November, December
    assert o["units_ordered"] == 3000


def test_a_run_leaves_the_cycle_collector_as_it_found_it() -> None:
    """The engine pauses the collector while it runs (speed), never for the caller."""
    assert gc.isenabled()
    simulate(MARACAY, 1, horizon="7d")
    assert gc.isenabled()
    gc.disable()
    try:
        simulate(MARACAY, 1, horizon="7d")
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.skipif(ENGINE != "compiled", reason="the interpreted engine leaves cycles to gc")
@pytest.mark.parametrize("name", builtin_names())
def test_a_finished_run_leaves_no_garbage_for_the_cycle_collector(name: str) -> None:
    """``simulate`` and experiment batches release the plant's reference cycles once the result
    is taken (projects' included), so reference counting frees the plant at once; the result
    stays whole."""
    scenario = builtin(name)
    batch = Batch({"base": scenario}, 1, "30d", (("base", 0),))
    run_batch(batch)
    simulate(scenario, 1, horizon="30d").events()  # first calls import what they use
    gc.collect()
    gc.disable()
    try:
        rows = run_batch(batch)
        result = simulate(scenario, 2, horizon="30d")
        assert gc.collect() == 0
    finally:
        gc.enable()
    assert len(rows) == 1 and rows.values[0].size == len(rows.names[0])
    assert result.events().num_rows == result.kpis["engine"]["log_records"] > 0
