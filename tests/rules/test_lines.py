"""Line states: their precedence, what counts as operating time, and the OEE KPIs."""

from __future__ import annotations

from typing import Any

import pytest

from plantwin import simulate

from .conftest import DAY_SHIFT, constant, cuts, events, fixed_range, hours, line, plant, spells


def _failing(between: float, repair: float, **fields: Any) -> dict[str, Any]:
    """A line that fails every `between` producing hours and takes `repair` hours to mend."""
    return line(failures={"between": constant(between), "repair": constant(repair)}, **fields)


def test_a_failure_during_a_cut_shows_power_out_and_its_repair_goes_on() -> None:
    """Around the clock: the line fails after 5 producing hours (t = 5), repair 3 h; a cut
    [6, 7] with restart 0.5 h. power_out outranks failed during the cut; the repair runs on
    calendar time through it (repaired at 8, not 9); failed outranks restarting, so the
    restart owed since 7 is worked off only after the repair: restarting 8-8.5."""
    s = plant(lines=[_failing(5, 3, lot_size=1_000_000)], grid=cuts(6, 1, restart=0.5))
    result = simulate(s, horizon=9)
    assert result.power_off == ((6.0, 7.0),)
    assert spells(result) == [
        (0.0, "producing"),
        (5.0, "failed"),
        (6.0, "power_out"),
        (7.0, "failed"),
        (8.0, "restarting"),
        (8.5, "producing"),
    ]
    assert [r["time"] for r in events(result, event="repaired")] == [8.0]
    h = hours(result)
    assert h == pytest.approx(
        {"producing": 5.5, "failed": 2.0, "power_out": 1.0, "restarting": 0.5}
        | dict.fromkeys(
            (
                "not_commissioned",
                "off_shift",
                "waiting_for_crew",
                "blocked",
                "changeover",
                "starved",
            ),
            0,
        )
    )
    k = result.kpis["lines"]["L1"]
    assert k["failures"] == 1
    assert k["availability"] == pytest.approx(5.5 / 9)


def test_a_repair_goes_on_through_the_night_which_shows_off_shift() -> None:
    """Shift 06:00-22:00: the line fails after 15 producing hours, at 21; the 10 h repair runs
    through the night and ends at 31 (07:00 next day), not after 10 working hours. The night
    shows off_shift (it outranks failed); the failure costs 1 h on each side of it."""
    s = plant(calendar=DAY_SHIFT, lines=[_failing(15, 10, lot_size=1_000_000)])
    result = simulate(s, horizon=40)
    assert spells(result) == [
        (0.0, "off_shift"),
        (6.0, "producing"),
        (21.0, "failed"),
        (22.0, "off_shift"),
        (30.0, "failed"),
        (31.0, "producing"),
    ]
    h = hours(result)
    assert h["failed"] == pytest.approx(2.0)
    assert h["off_shift"] == pytest.approx(6 + 8)
    assert h["producing"] == pytest.approx(15 + 9)
    # losses of availability count only in working time
    assert result.kpis["lines"]["L1"]["availability"] == pytest.approx(24 / 26)


def test_failures_count_producing_hours_only_not_blocked_ones() -> None:
    """Lots of 1 h, one lane testing 3 h, no buffer: lot 1 goes to the lane at 1; lot 2 is
    done at 2 and waits on the line until the lane frees at 4; then the line makes lot 3
    (4-5) and is blocked again until 7. Producing hours 0-2, 4-5, 7-: the failure due after
    3.5 of them comes at 7.5 (counting blocked hours it would come at 3.5)."""
    s = plant(
        lines=[_failing(3.5, 0.25)],
        range=fixed_range(test_time=3),
        buffer={"lots": 0},
    )
    result = simulate(s, horizon=8)
    assert [r["time"] for r in events(result, event="failure")] == [7.5]
    assert spells(result) == [
        (0.0, "producing"),
        (2.0, "blocked"),
        (4.0, "producing"),
        (5.0, "blocked"),
        (7.0, "producing"),
        (7.5, "failed"),
        (7.75, "producing"),
    ]


def test_a_blocked_line_works_off_its_restart_while_blocked() -> None:
    """restarting outranks blocked: lot 2 waits on the line from 2 (the lane tests lot 1 for
    5 working hours); a cut [3, 4] stops everything; the line restarts 4-4.5 and is blocked
    again after it (the lane, paused by the cut, frees at 7)."""
    s = plant(
        range=fixed_range(test_time=5),
        buffer={"lots": 0},
        grid=cuts(between=3, duration=1, restart=0.5),
    )
    result = simulate(s, horizon=6.5)
    assert spells(result) == [
        (0.0, "producing"),
        (2.0, "blocked"),
        (3.0, "power_out"),
        (4.0, "restarting"),
        (4.5, "blocked"),
    ]


def test_not_commissioned_outranks_off_shift_and_owes_no_restart() -> None:
    """A line commissioned on 2025-01-08 (t = 48) is not_commissioned until then, nights
    included; cuts [20, 21] and [41, 42] come before it and owe it no restart; the cut
    [62, 63] comes in its first shift: power_out, then the 1 h restart."""
    s = plant(
        calendar=DAY_SHIFT,
        lines=[line(commissioned="2025-01-08")],
        grid=cuts(between=20, duration=1, restart=1),
    )
    result = simulate(s, horizon=72)
    assert spells(result) == [  # a line starts not_commissioned; the log records changes
        (48.0, "off_shift"),
        (54.0, "producing"),
        (62.0, "power_out"),
        (63.0, "restarting"),
        (64.0, "producing"),
        (70.0, "off_shift"),
    ]
    h = hours(result)
    assert h["not_commissioned"] == pytest.approx(48.0)
    assert h["off_shift"] == pytest.approx(8.0)
    k = result.kpis["lines"]["L1"]
    assert k["commissioned_hours"] == 48.0
    # availability = producing / (horizon - off_shift - not_commissioned)
    assert k["availability"] == pytest.approx(14 / (72 - 8 - 48))


def test_oee_is_availability_times_performance_times_quality() -> None:
    """Shift 06:00-22:00, 100 units/h ideal at performance 0.8, lots of 800; a cut [10, 12]
    and restart 1 h; the next cut [22, 24] falls in the night. Producing 6-10 and 13-22 (13 h,
    1,040 units): lot 1 is done at 19 (320 + 480 units), tested 19-19.5 and stores 795; lot 2
    has 240 units at the horizon, which count as made."""
    s = plant(
        calendar=DAY_SHIFT,
        lines=[line(performance=0.8, lot_size=800)],
        grid=cuts(between=10, duration=2, restart=1),
    )
    result = simulate(s, horizon=24)
    assert [(r["time"], r["quantity"]) for r in events(result, event="lot_stored")] == [
        (19.5, 795.0)
    ]
    h = hours(result)
    assert h["producing"] == pytest.approx(13.0)
    assert h["power_out"] == pytest.approx(2.0)  # the night cut shows as off_shift
    k = result.kpis["lines"]["L1"]
    assert k["units_made"] == pytest.approx(1040.0)
    assert k["availability"] == pytest.approx(13 / (24 - 8))
    assert k["performance"] == pytest.approx(0.8)
    assert k["quality"] == pytest.approx(795 / 1040)
    assert k["oee"] == pytest.approx(13 / 16 * 0.8 * 795 / 1040)
    a = result.kpis["conservation"]["by_product"]["a"]
    assert a["made"] == pytest.approx(1040.0)
    assert a["in_process"] == pytest.approx(240.0)  # the partial lot is work in process
