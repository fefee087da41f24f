"""The campaign rule on multi-product lines, and where changeover time is worked off.

Net requirement = open order units - stock - units in process (a lot counts whole from the
moment its line starts it until it is stored or scrapped). In the base plant lot k is done at
hour k, tested for 0.5 h and stores 95 units.
"""

from __future__ import annotations

import pytest

from plantwin import RunResult, simulate

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
)

AB = [{"id": "a"}, {"id": "b"}]


def _started(result: RunResult) -> list[tuple[float, str]]:
    return [(r["time"], r["product"]) for r in events(result, event="lot_started")]


def _setups(result: RunResult) -> list[tuple[float, str]]:
    return [(r["time"], r["product"]) for r in events(result, event="setup")]


def test_a_line_stays_on_its_product_while_needed_and_runs_whole_campaigns() -> None:
    """Orders at 0: a 450, b 10,000. Campaigns of 2 lots (the line's own campaign_lots, not
    the plant's 5). At 2 a still needs 355 - 100 (lot 2) > 0, at 4 165 - 100 > 0: the line
    stays on a although b needs far more. At 5 a's requirement is 70 - 100 < 0, but the
    campaign finishes with lot 6; at 6 (-25 stock - 100 in process) it switches to b, whose
    requirement is positive, with the a->b changeover of 0.5 h (not the default 9 h)."""
    s = plant(
        products=AB,
        lines=[line(products=("a", "b"), initial_product="a", campaign_lots=2)],
        changeover={
            "campaign_lots": 5,
            "time": constant(9),
            "pairs": [{"from": "a", "to": "b", "time": constant(0.5)}],
        },
        demand={"orders": [order("a", 450, 0, 24), order("b", 10_000, 0, 24)]},
    )
    result = simulate(s, horizon=12)
    assert _started(result) == [(float(t), "a") for t in range(6)] + [
        (6.0, "b"),
        (7.5, "b"),
        (8.5, "b"),
        (9.5, "b"),
        (10.5, "b"),
        (11.5, "b"),
    ]
    assert _setups(result) == [(6.0, "b")]
    assert hours(result)["changeover"] == pytest.approx(0.5)


def test_without_any_requirement_the_line_runs_another_campaign_of_the_same_product() -> None:
    s = plant(products=AB, lines=[line(products=("a", "b"), initial_product="b")])
    result = simulate(s, horizon=10)
    assert {p for _, p in _started(result)} == {"b"}
    assert _setups(result) == []


def test_the_switch_goes_to_the_largest_positive_requirement() -> None:
    """Campaigns of 1 lot; a is not needed, b needs 200 and c 300 (listed after b). After lot 1
    the line changes to c and stays while c's requirement is positive: at 2 it is 300 - 100,
    at 3 205 - 100, at 4 110 - 100; at 5 it is 15 - 100, and the line changes to b."""
    s = plant(
        products=[*AB, {"id": "c"}],
        lines=[line(products=("a", "b", "c"), initial_product="a")],
        demand={"orders": [order("b", 200, 0, 24), order("c", 300, 0, 24)]},
    )
    result = simulate(s, horizon=6)
    assert _setups(result) == [(1.0, "c"), (5.0, "b")]


def test_lots_in_the_range_count_whole_in_the_net_requirement() -> None:
    """Campaigns of 1 lot, a needs 150 and b 10,000. At 1 a needs 150 - 100 (lot 1 on the
    lane) > 0: another lot of a. At 2 lot 1 has shipped 95: 55 - 100 (lot 2 on the lane) < 0,
    so the line changes to b (not counting lots on the range, it would make a third lot of a)."""
    s = plant(
        products=AB,
        lines=[line(products=("a", "b"), initial_product="a")],
        demand={"orders": [order("a", 150, 0, 24), order("b", 10_000, 0, 24)]},
    )
    result = simulate(s, horizon=4)
    assert _started(result)[:3] == [(0.0, "a"), (1.0, "a"), (2.0, "b")]


def test_a_changeover_progresses_only_in_working_powered_time_and_no_failure_comes_in_it() -> None:
    """Shift 06:00-22:00; lot 1 of a (1,000 units) is made 6-16; then b is needed, and the 6 h
    changeover runs 16-18, stops for the cut [18, 19] and the 0.5 h restart, runs 19.5-22,
    stops for the night and ends at 31.5. The failure due after 11 producing hours (10 were
    spent on lot 1) comes at 32.5, not during the changeover; its 1 h repair ends at 33.5."""
    s = plant(
        calendar=DAY_SHIFT,
        products=AB,
        lines=[
            line(
                products=("a", "b"),
                initial_product="a",
                lot_size=1000,
                failures={"between": constant(11), "repair": constant(1)},
            )
        ],
        changeover={"time": constant(6)},
        grid=cuts(between=18, duration=1, restart=0.5),
        demand={"orders": [order("b", 1000, 0, 48)]},
    )
    result = simulate(s, horizon=36)
    assert spells(result) == [
        (0.0, "off_shift"),
        (6.0, "producing"),
        (16.0, "changeover"),
        (18.0, "power_out"),
        (19.0, "restarting"),
        (19.5, "changeover"),
        (22.0, "off_shift"),
        (30.0, "changeover"),
        (31.5, "producing"),
        (32.5, "failed"),
        (33.5, "producing"),
    ]
    h = hours(result)
    assert h["changeover"] == pytest.approx(6.0)
    assert h["producing"] == pytest.approx(10 + 1 + 2.5)


def test_a_blocked_line_sets_up_its_next_product_only_after_its_lot_moves_on() -> None:
    """No buffer, one lane testing 3 h. Only b is needed at first: after lot 1 (a, on the lane
    1-4) the line changes to b (0.5 h) and makes lot 2 of b by 2.5, which waits on the line.
    An order for a comes at 2. The line chooses and sets up its next product when lot 2 moves
    to the lane at 4: b is covered by lot 2, a is needed, so it changes back over 4-4.5."""
    s = plant(
        products=AB,
        lines=[line(products=("a", "b"), initial_product="a")],
        changeover={"time": constant(0.5)},
        range=fixed_range(test_time=3),
        buffer={"lots": 0},
        demand={"orders": [order("b", 50, 0, 24), order("a", 10_000, 2, 24)]},
    )
    result = simulate(s, horizon=5)
    assert spells(result) == [
        (0.0, "producing"),
        (1.0, "changeover"),
        (1.5, "producing"),
        (2.5, "blocked"),
        (4.0, "changeover"),
        (4.5, "producing"),
    ]
    assert _setups(result) == [(1.0, "b"), (4.0, "a")]


def test_a_make_to_order_line_starts_lots_only_while_its_product_is_needed() -> None:
    """A make-to-order line and one order for 150 released at 5: starved until then; lot 1 at
    5 (need 150), lot 2 at 6 (150 - 100 in process); at 7 lot 1 has shipped 95 and lot 2 is on
    the lane: 55 - 100 < 0, so it is starved again."""
    s = plant(
        lines=[line(make_to="order")],
        demand={"orders": [order("a", 150, 5, 24)]},
    )
    result = simulate(s, horizon=10)
    assert spells(result) == [(0.0, "starved"), (5.0, "producing"), (7.0, "starved")]
    assert _started(result) == [(5.0, "a"), (6.0, "a")]
    assert hours(result)["starved"] == pytest.approx(5 + 3)
