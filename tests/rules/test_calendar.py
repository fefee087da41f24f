"""Working time: real weekdays, touching shifts, holidays and shifts past midnight."""

from __future__ import annotations

import pytest

from plantwin import simulate

from .conftest import events, hours, line, plant, spells

TWO_SHIFTS = {
    "workdays": ["mon", "tue", "wed", "thu", "fri"],
    "shifts": ["06:00-14:00", "14:00-22:00"],
}


def test_a_year_from_2025_07_01_has_261_weekdays_and_4176_working_hours() -> None:
    """1y from 2025-07-01 ends exactly on 2026-07-01 00:00, 8,760 h later. Its 261 weekdays
    give 261 x 16 = 4,176 working hours (not 52 x 80 = 4,160); the two touching shifts of a
    day form one window, so the line starts producing once a day."""
    s = plant(
        plant={"name": "year", "start": "2025-07-01", "horizon": "1y"},
        calendar=TWO_SHIFTS,
        lines=[line(lot_size=1_000_000)],
    )
    result = simulate(s)
    assert result.kpis["horizon_hours"] == 8760
    assert result.kpis["end"] == "2026-07-01"
    h = hours(result)
    assert h["producing"] == pytest.approx(4176)
    assert h["off_shift"] == pytest.approx(8760 - 4176)
    assert len(events(result, object_id="L1", event="producing")) == 261


def test_a_holiday_is_not_worked() -> None:
    """A week from Tuesday 2025-07-01 has 5 weekdays; Friday 4 July off leaves 4 x 16 h."""
    s = plant(
        plant={"name": "week", "start": "2025-07-01", "horizon": "7d"},
        calendar={**TWO_SHIFTS, "holidays": ["2025-07-04"]},
    )
    h = hours(simulate(s))
    assert h["producing"] == pytest.approx(4 * 16)


def test_a_shift_past_midnight_belongs_to_the_day_it_starts() -> None:
    """Only Sunday's 22:00-06:00 shift is worked: from Monday 2025-01-06 00:00 that is the
    6 h left of the previous Sunday's shift (0-6) and the first 2 h of the next (166-168)."""
    s = plant(calendar={"workdays": ["sun"], "shifts": ["22:00-06:00"]})
    result = simulate(s, horizon="7d")
    assert spells(result) == [(0.0, "producing"), (6.0, "off_shift"), (166.0, "producing")]
    assert hours(result)["producing"] == pytest.approx(8)
