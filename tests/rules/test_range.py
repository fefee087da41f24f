"""The test range: lanes and buffer, test time, samples and scrap, discontinuation, holding."""

from __future__ import annotations

from typing import Any

import pytest

from plantwin import simulate

from .conftest import (
    DAY_SHIFT,
    constant,
    cuts,
    events,
    fixed_range,
    hours,
    line,
    order,
    plant,
    spells,
    times,
)

ALWAYS_DEFECTIVE = [{"id": "a", "defect_fraction": constant(1.0)}]  # every sample unit defective


def test_a_test_resumes_where_it_stopped_after_a_shift_end_and_a_cut() -> None:
    """Shift 06:00-22:00, test time 4 h: lot 1 (1,400 units at 100/h) is done at 20; its test
    runs 20-22, stops for the night, runs 30-31, stops for the cut [31, 31.5] and ends 1 h
    after power returns, at 32.5. The range owes no restart (the lines owe 2 h: L1 restarts
    31.5-33.5); starting the test over would end it at 34 or later."""
    s = plant(
        calendar=DAY_SHIFT,
        lines=[line(lot_size=1400)],
        range=fixed_range(test_time=4),
        grid=cuts(between=31, duration=0.5, restart=2),
    )
    result = simulate(s, horizon=40)
    assert result.power_off == ((31.0, 31.5),)
    assert times(result, event="test_started") == [20.0]
    assert times(result, event="lot_accepted") == [32.5]
    assert [(r["time"], r["event"]) for r in events(result, object_type="range")] == [
        (6.0, "open"),
        (22.0, "off_shift"),
        (30.0, "open"),
        (31.0, "power_out"),
        (31.5, "open"),
    ]
    assert (31.5, "restarting") in spells(result)
    assert (33.5, "producing") in spells(result)


def test_the_buffer_excludes_the_lanes_and_a_lot_goes_straight_to_an_idle_lane() -> None:
    """Two lanes testing for 100 h and a buffer of one lot: lots 1 and 2 (done at 1 and 2) go
    straight to the lanes, lot 3 into the buffer, and lot 4 finds it full: the line holds it
    and is blocked from 4."""
    s = plant(range=fixed_range(lanes=2, test_time=100), buffer={"lots": 1})
    result = simulate(s, horizon=10)
    started = [(r["time"], r["lot"], r["related"]) for r in events(result, event="test_started")]
    assert started == [(1.0, "L1-00001", "lane-1"), (2.0, "L1-00002", "lane-2")]
    assert [(r["time"], r["lot"]) for r in events(result, event="lot_queued")] == [
        (3.0, "L1-00003")
    ]
    assert [(r["time"], r["lot"]) for r in events(result, event="lot_held_on_line")] == [
        (4.0, "L1-00004")
    ]
    assert spells(result) == [(0.0, "producing"), (4.0, "blocked")]


def test_the_longest_blocked_lines_lot_moves_first_into_a_freed_slot() -> None:
    """One lane testing 10 h (it frees at 11, 21, 31, ...), a buffer of one lot. Line F (lots of
    1 h) fills lane and buffer and is blocked at 3; L3, L2, L1 (lots of 5, 6, 7 h) are blocked
    at 5, 6, 7, the reverse of their order in the scenario. At 11 F's held lot moves in, and F
    is blocked again at 12, behind L1. So the buffer takes F, L3, L2, L1, F."""
    s = plant(
        lines=[
            line("F"),
            line("L1", lot_size=700),
            line("L2", lot_size=600),
            line("L3", lot_size=500),
        ],
        range=fixed_range(test_time=10),
        buffer={"lots": 1},
    )
    result = simulate(s, horizon=52)
    blocked = [(r["time"], r["lot"]) for r in events(result, event="lot_held_on_line")]
    assert blocked[:5] == [
        (3.0, "F-00003"),
        (5.0, "L3-00001"),
        (6.0, "L2-00001"),
        (7.0, "L1-00001"),
        (12.0, "F-00004"),
    ]
    queued = [(r["time"], r["lot"]) for r in events(result, event="lot_queued")]
    assert queued == [
        (2.0, "F-00002"),
        (11.0, "F-00003"),
        (21.0, "L3-00001"),
        (31.0, "L2-00001"),
        (41.0, "L1-00001"),
        (51.0, "F-00004"),
    ]


def test_samples_are_destroyed_at_test_end_and_a_rejected_lot_scraps_the_rest() -> None:
    """Every unit defective, plan n = 5: lot 1 (done at 1) is rejected at 1.5. Before the
    verdict its 100 units are all in process; after it 5 are sampled (destroyed) and 95
    scrapped. Over 10.25 h, lots 1-9 are rejected and lot 10 is on the lane."""

    def balance(horizon: float) -> dict[str, Any]:
        kpis = simulate(plant(products=ALWAYS_DEFECTIVE), horizon=horizon).kpis
        by_product: dict[str, Any] = kpis["conservation"]["by_product"]["a"]
        return by_product

    during = balance(1.25)  # lot 1 on the lane, lot 2 a quarter made
    assert during == pytest.approx(
        {"made": 125, "in_process": 125, "sampled": 0, "scrapped": 0, "in_storage": 0,
         "shipped": 0, "difference": 0}
    )  # fmt: skip
    after = balance(1.75)
    assert after == pytest.approx(
        {"made": 175, "in_process": 75, "sampled": 5, "scrapped": 95, "in_storage": 0,
         "shipped": 0, "difference": 0}
    )  # fmt: skip
    result = simulate(plant(products=ALWAYS_DEFECTIVE), horizon=10.25)
    k = result.kpis["range"]
    assert (k["lots_tested"], k["lots_rejected"], k["lots_accepted"]) == (9, 9, 0)
    assert k["units_sampled"] == 9 * 5
    assert k["units_scrapped"] == 9 * 95
    scrapped = events(result, event="lot_scrapped")
    assert [(r["time"], r["quantity"]) for r in scrapped] == [(i + 1.5, 95.0) for i in range(9)]


def test_discontinuation_waiting_and_resumption_on_tightened() -> None:
    """The standard's plans for lots of 100 (AQL 0.65, level II: normal n = 20, tightened
    n = 32, Ac 0), every lot rejected. Lots are done every hour and tested in 0.5 h: rejects at
    1.5 and 2.5 switch to tightened at 2.5; 5 more (3.5 ... 7.5) discontinue at 7.5. Lots 8-17
    wait in the buffer; after resume_after = 10 h, at 17.5, inspection resumes on tightened and
    lots 8-12 are tested back to back; their 5 rejections discontinue again at 20, and
    inspection resumes at 30 with lot 13."""
    s = plant(
        products=ALWAYS_DEFECTIVE,
        range={
            "lanes": 1,
            "test_time": constant(0.5),
            "sampling": {"aql": 0.65, "level": "II", "resume_after": constant(10)},
        },
        buffer={"lots": 20},
    )
    result = simulate(s, horizon=30.25)
    switches = [(r["time"], r["event"]) for r in events(result, object_type="inspection")]
    assert switches == [
        (2.5, "tightened"),
        (7.5, "discontinued"),
        (17.5, "tightened"),
        (20.0, "discontinued"),
        (30.0, "tightened"),
    ]
    started = [(r["time"], r["lot"]) for r in events(result, event="test_started")]
    assert started == (
        [(float(k), f"L1-{k:05d}") for k in range(1, 8)]
        + [(17.5 + 0.5 * i, f"L1-{8 + i:05d}") for i in range(5)]
        + [(30.0, "L1-00013")]
    )
    queued = [(r["time"], r["lot"]) for r in events(result, event="lot_queued")]
    assert queued[:10] == [(float(k), f"L1-{k:05d}") for k in range(8, 18)]
    assert hours(result)["blocked"] == 0  # the lots wait in the buffer, the line goes on
    k = result.kpis["range"]
    assert k["by_product"]["a"]["inspection_lots"] == {"normal": 2, "tightened": 10}
    assert k["units_sampled"] == 2 * 20 + 10 * 32
    assert k["units_scrapped"] == 2 * 80 + 10 * 68


def test_a_passed_lot_waits_on_its_lane_until_it_fits_whole_and_oldest_goes_first() -> None:
    """Storage for 150 units, passed lots of 95, two lanes testing 1.5 h. Lot 1 is stored at
    2.5; lot 2 (lane 2, passed at 3.5) and lot 3 (lane 1, passed at 4.5) do not fit whole and
    wait on their lanes (no partial put-away: the level stays at 95); lot 4 waits in the
    buffer. An order for 95 at 6.25 ships lot 1: the older held lot 2 goes in and lot 4 takes
    its lane; a second order at 9.25 ships lot 2, lot 3 goes in and lot 5 takes lane 1."""
    s = plant(
        range=fixed_range(lanes=2, test_time=1.5),
        storage={"capacity": 150},
        demand={"orders": [order("a", 95, 6.25, due=30), order("a", 95, 9.25, due=30)]},
    )
    result = simulate(s, horizon=10)
    stored = [(r["time"], r["lot"]) for r in events(result, event="lot_stored")]
    assert stored == [(2.5, "L1-00001"), (6.25, "L1-00002"), (9.25, "L1-00003")]
    accepted = [(r["time"], r["lot"], r["related"]) for r in events(result, event="lot_accepted")]
    assert accepted == [
        (2.5, "L1-00001", "lane-1"),
        (3.5, "L1-00002", "lane-2"),
        (4.5, "L1-00003", "lane-1"),
        (7.75, "L1-00004", "lane-2"),
    ]
    started = [(r["time"], r["lot"], r["related"]) for r in events(result, event="test_started")]
    assert started[3:] == [(6.25, "L1-00004", "lane-2"), (9.25, "L1-00005", "lane-1")]
    assert result.kpis["storage"]["max"] == 95
    assert [(r["time"], r["lot"]) for r in events(result, event="shipped")] == [
        (6.25, "L1-00001"),
        (9.25, "L1-00002"),
    ]


def test_the_plan_is_fixed_when_the_test_starts() -> None:
    """Every lot rejected, two lanes testing 1.5 h, the standard's plans for lots of 100
    (normal n = 20, tightened n = 32). Lot 3 starts at 3 under normal inspection; lot 2's
    rejection at 3.5 switches to tightened before lot 3's test ends at 4.5, but lot 3 keeps
    its normal plan (20 samples). Lot 4, started at 4, is the first under tightened."""
    s = plant(
        products=ALWAYS_DEFECTIVE,
        range={
            "lanes": 2,
            "test_time": constant(1.5),
            "sampling": {"aql": 0.65, "level": "II"},
        },
    )
    result = simulate(s, horizon=4.75)
    assert [(r["time"], r["event"]) for r in events(result, object_type="inspection")] == [
        (3.5, "tightened")
    ]
    assert times(result, event="lot_rejected") == [2.5, 3.5, 4.5]
    k = result.kpis["range"]
    assert k["by_product"]["a"]["inspection_lots"] == {"normal": 3}
    assert k["units_sampled"] == 3 * 20
    assert k["units_scrapped"] == 3 * 80
