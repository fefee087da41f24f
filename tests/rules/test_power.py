"""Power: cuts stop the plant, every return of power owes each line its full restart time."""

from __future__ import annotations

import pytest

from plantwin import simulate

from .conftest import (
    AROUND_THE_CLOCK,
    DAY_SHIFT,
    constant,
    cuts,
    events,
    hours,
    line,
    plant,
    spells,
)


def test_a_cut_during_a_restart_resets_the_debt_and_never_adds() -> None:
    """Shift 06:00-24:00, restart 2 h, cuts [3, 4] (at night) and [7, 8] (the next would start
    at 11, after the horizon). The night cut costs its restart at the shift start: 6-7, cut
    short by the second cut after 1 h. The second return of power owes the full 2 h again:
    restarting 8-10, producing from 10. (Owing the 1 h left over would produce from 9; adding
    the new debt to the old one would restart until 11.) Both lines restart at once."""
    s = plant(
        calendar={"workdays": DAY_SHIFT["workdays"], "shifts": ["06:00-24:00"]},
        lines=[line("L1"), line("L2")],
        grid=cuts(between=3, duration=1, restart=2),
    )
    result = simulate(s, horizon=10.5)
    assert result.power_off == ((3.0, 4.0), (7.0, 8.0))
    for line_id in ("L1", "L2"):
        assert spells(result, line_id) == [
            (0.0, "off_shift"),
            (6.0, "restarting"),
            (7.0, "power_out"),
            (8.0, "restarting"),
            (10.0, "producing"),
        ]
        h = hours(result, line_id)
        assert h["restarting"] == pytest.approx(1 + 2)
        assert h["power_out"] == pytest.approx(1.0)  # the night cut shows as off_shift
        assert h["off_shift"] == pytest.approx(6.0)
        assert h["producing"] == pytest.approx(0.5)


def test_the_end_of_a_shift_needs_no_restart() -> None:
    """Two touching shifts 06:00-14:00 and 14:00-22:00 and a restart time, but no cut: each day
    the line goes straight from off_shift to producing at 06:00 and never restarts, and the
    shift change at 14:00 is no event at all (touching shifts form one window)."""
    s = plant(
        calendar={"workdays": DAY_SHIFT["workdays"], "shifts": ["06:00-14:00", "14:00-22:00"]},
        grid={"restart": 0.5},
    )
    result = simulate(s, horizon="3d")
    assert spells(result) == [
        (0.0, "off_shift"),
        (6.0, "producing"),
        (22.0, "off_shift"),
        (30.0, "producing"),
        (46.0, "off_shift"),
        (54.0, "producing"),
        (70.0, "off_shift"),
    ]
    line_states = events(result, object_type="line", object_id="L1")
    assert not [r for r in line_states if r["time"] % 24 == 14]
    h = hours(result)
    assert h["restarting"] == 0
    assert h["producing"] == pytest.approx(3 * 16)


def test_between_cuts_is_measured_from_the_end_of_the_previous_cut() -> None:
    """Gap 10 h, length 2 h: cuts [10, 12], [22, 24], [34, 36] (not every 10 h from the start).
    Around the clock each cut is 2 h of power_out and then a 0.5 h restart."""
    s = plant(grid=cuts(between=10, duration=2, restart=0.5))
    result = simulate(s, horizon=40)
    assert result.power_off == ((10.0, 12.0), (22.0, 24.0), (34.0, 36.0))
    grid = result.kpis["grid"]
    assert grid["cuts"] == 3
    assert grid["hours_without_power"] == pytest.approx(6.0)
    h = hours(result)
    assert h["power_out"] == pytest.approx(6.0)
    assert h["restarting"] == pytest.approx(1.5)
    assert h["producing"] == pytest.approx(40 - 7.5)
    offs = [(r["time"], r["event"]) for r in events(result, object_type="range")]
    assert [t for t, e in offs if e == "power_out"] == [10.0, 22.0, 34.0]  # the range stops too


def test_every_return_of_power_from_a_standstill_owes_the_restart() -> None:
    """Long standstills only (random arrivals, 3 h each), restart 0.5 h, around the clock: at
    every return of power that the next outage does not interrupt, the line restarts for
    exactly 0.5 h and then produces; while power is off it shows power_out. Outages that
    overlap show as one (power is off while either lasts)."""
    s = plant(
        calendar=AROUND_THE_CLOCK,
        grid={"restart": 0.5, "standstills": {"per_year": 8760 / 40, "duration": constant(3)}},
    )
    result = simulate(s, 3, horizon=2000)
    off = result.power_off
    assert len(off) >= 10  # about 2000 / 43 outages: the run checks something
    trace = dict(spells(result))
    for k, (a, b) in enumerate(off):
        assert trace[a] == "power_out"
        if b < result.horizon_hours and (k + 1 == len(off) or off[k + 1][0] > b + 0.5):
            assert trace[b] == "restarting"
            assert trace[b + 0.5] == "producing"
    h = hours(result)
    assert h["power_out"] == pytest.approx(sum(b - a for a, b in off))
    assert h["power_out"] == pytest.approx(result.kpis["grid"]["hours_without_power"])
    # each restart runs 0.5 h unless the next outage or the horizon comes first
    ends = [a for a, _ in off[1:]] + [result.horizon_hours]
    assert h["restarting"] == pytest.approx(
        sum(min(0.5, end - b) for (_, b), end in zip(off, ends, strict=True))
    )


def test_the_grid_does_not_depend_on_the_plant() -> None:
    """Random cuts (exponential gaps and lengths) are the same for one seed whatever the
    lines do: a plant with a faster, failing second line sees the very same outages."""
    grid = {
        "restart": 0.5,
        "cuts": {
            "between": {"dist": "exponential", "mean": 50},
            "duration": {"dist": "exponential", "mean": 3},
        },
    }
    failing = line("L2", rate=500, failures={"between": constant(7), "repair": constant(2)})
    one = simulate(plant(grid=grid), 9, horizon=1000)
    two = simulate(plant(grid=grid, lines=[line(), failing]), 9, horizon=1000)
    assert len(one.power_off) > 5
    assert one.power_off == two.power_off
    assert simulate(plant(grid=grid), 10, horizon=1000).power_off != one.power_off
