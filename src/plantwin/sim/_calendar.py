"""Working time: the calendar's shifts laid out over the horizon as hours from the start."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from plantwin.scenario import WEEKDAYS, Calendar
from plantwin.sim._memo import per_object

__all__ = ["hours_at", "merge", "moment_at", "working_windows"]


def merge(intervals: list[tuple[float, float]], horizon: float) -> list[tuple[float, float]]:
    """Sort, join overlapping or touching intervals, and clip them to [0, horizon]."""
    out: list[tuple[float, float]] = []
    for a, b in sorted(intervals):
        a, b = max(a, 0.0), min(b, horizon)
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


@per_object
def working_windows(cal: Calendar, start: date, horizon: float) -> tuple[tuple[float, float], ...]:
    """Working windows as (start, end) hours; consecutive shifts form one window. Kept for the
    calendar object: every replication of an experiment runs the same one."""
    return tuple(_windows(cal, start, horizon))


def _windows(cal: Calendar, start: date, horizon: float) -> list[tuple[float, float]]:
    days = WEEKDAYS
    workdays = set(cal.workdays)
    holidays = set(cal.holidays)
    shifts = cal.shift_hours()
    raw: list[tuple[float, float]] = []
    for k in range(-1, int(horizon // 24) + 2):  # day -1 for a night shift running past 00:00
        day = start + timedelta(days=k)
        if days[day.weekday()] not in workdays or day in holidays:
            continue
        raw += [(24.0 * k + a, 24.0 * k + b) for a, b in shifts]
    return merge(raw, horizon)


def hours_at(moment: date | datetime, start: date) -> float:
    """Hours from ``start`` 00:00 to ``moment`` (a date means its 00:00)."""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    return (moment - datetime(start.year, start.month, start.day)).total_seconds() / 3600


def moment_at(start: date, hours: float) -> datetime:
    """The plant time ``hours`` after ``start`` 00:00 (the inverse of ``hours_at``)."""
    return datetime(start.year, start.month, start.day) + timedelta(hours=hours)
